"""Starting, resuming and submitting attempts; the rules about when one may start are pure functions.

Attempt limits, exactly: only submitted attempts count. A module quiz has unlimited attempts. A final
assessment with `attempts: N, wait_hours: H` allows N attempts; after every N failed attempts in a row the
next may start only H hours after the last of them (so 3 tries, a day's wait, 3 more tries, ...). Once
passed, the final is not taken again. A pre-test is taken once per programme, before any of its modules is
started, and never blocks anything.
"""
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import format_timedelta
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import db
from quizzes.bank import Bank, QuizRules, draw, load_bank, resolve
from quizzes.grading import Result, grade_attempt
from quizzes.kinds import options, read
from quizzes.models import QuizAttempt
from quizzes.questions import Question, Response
from training.content import Module, Programme, catalog
from training.events import learning_progressed
from training.models import ModuleProgress


@dataclass(frozen=True)
class Quiz:
    """What an attempt is drawn from: its kind, target slug, modules and rules."""

    kind: str
    target: str
    modules: tuple[Module, ...]
    rules: QuizRules


@cache
def bank_of(slug: str) -> Bank:
    """The question bank of a module, loaded once per process."""
    module = catalog().modules[slug]
    return load_bank(module.folder, list(module.languages))


def module_quiz(module: Module) -> Quiz:
    """The quiz at the end of a module, with the rules written in its bank."""
    return Quiz("module", module.slug, (module,), bank_of(module.slug).rules)


def programme_quiz(programme: Programme, kind: str) -> Quiz:
    """A programme's final assessment, or its pre-test: drawn like the final, once, answers never shown."""
    rules = QuizRules.from_mapping(programme.final)
    if kind == "pre":
        rules = QuizRules.from_mapping(rules.to_dict() | {"attempts": 1, "wait_hours": 0, "review": "never"})
    modules = tuple(catalog().modules[slug] for slug in programme.final_modules())
    return Quiz(kind, programme.slug, modules, rules)


def submitted(past: Sequence[QuizAttempt]) -> list[QuizAttempt]:
    """The attempts that were handed in, oldest first."""
    return sorted((a for a in past if a.is_submitted), key=lambda a: a.submitted_at)


def refusal(quiz: Quiz, past: Sequence[QuizAttempt], now: datetime,
            started_modules: bool = False) -> str | None:
    """Why a new attempt may not start now (a sentence for the person), or None when it may."""
    done = submitted(past)
    if quiz.kind == "pre" and done:
        return _("You have already taken this pre-test.")
    if quiz.kind == "pre" and started_modules:
        return _("The pre-test is taken before the first module, and you have already started learning.")
    passes = [a.submitted_at for a in done if a.passed]
    if quiz.kind == "final" and passes and now < refresher_opens(max(passes), quiz.target):
        return _("You have already passed this assessment.")
    allowed_at = next_start(quiz.rules, done)
    if allowed_at and now < allowed_at:
        # "in 23 hours" reads the same in every time zone; a clock time would be the server's.
        return _("You have used your tries for now. You can try again %(when)s. Read the modules again meanwhile.",
                 when=format_timedelta(allowed_at - now, add_direction=True))
    return None


RENEWAL_WINDOW = timedelta(days=60)


def refresher_opens(last_pass: datetime, programme_slug: str) -> datetime:
    """When a passed final may be taken again as a refresher: 60 days before the certificate would lapse."""
    months = catalog().programmes[programme_slug].validity_months
    return last_pass + timedelta(days=round(months * 30.44)) - RENEWAL_WINDOW


def next_start(rules: QuizRules, done: Sequence[QuizAttempt]) -> datetime | None:
    """When the next attempt may start after these submitted attempts (oldest first); None: any time."""
    failed = 0
    for attempt in reversed(done):
        if attempt.passed:
            break
        failed += 1
    block = rules.attempts or 1  # unlimited attempts: the wait (if any) follows each failure
    if failed == 0 or failed % block or not rules.wait_hours:
        return None
    return done[-1].submitted_at + timedelta(hours=rules.wait_hours)


def tries_left(rules: QuizRules, past: Sequence[QuizAttempt]) -> int | None:
    """How many tries are left before the next wait (None: no limit), after these attempts."""
    if rules.attempts is None:
        return None
    done = submitted(past)
    failed = next((i for i, attempt in enumerate(reversed(done)) if attempt.passed), len(done))
    return rules.attempts - failed % rules.attempts


def shown_options(questions: Sequence[Question], seed: int, shuffle: bool) -> dict[str, list[str]]:
    """The option order of every drawn question and part, the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - a fair order, not a secret
    shown = {}
    for question in questions:
        for one in (question, *question.parts):
            shown[one.id] = options(one, rng if shuffle else None)
    return shown


def start(quiz: Quiz, user_id: int, language: str) -> QuizAttempt:
    """Draw a new attempt and save it; if one is already open (e.g. a double click), return that one."""
    banks = [bank_of(m.slug) for m in quiz.modules]
    seed = secrets.randbelow(2**31)
    drawn = draw(banks, quiz.rules.draw, seed)
    attempt = QuizAttempt(
        user_id=user_id, kind=quiz.kind, target=quiz.target, language=language, seed=seed, questions=drawn,
        options=shown_options([resolve(banks, q) for q in drawn], seed, quiz.rules.shuffle),
        rules=quiz.rules.to_dict(), content_versions={m.slug: m.version for m in quiz.modules},
    )
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        attempt = open_attempt(quiz, user_id)
        if attempt is None:  # a pre-test submitted meanwhile: nothing to resume
            raise
    return attempt


def open_attempt(quiz: Quiz, user_id: int) -> QuizAttempt | None:
    """The attempt at this quiz started but not yet submitted."""
    return db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.kind == quiz.kind, QuizAttempt.target == quiz.target,
        QuizAttempt.submitted_at.is_(None)))


def drawn_questions(attempt: QuizAttempt, skip_removed: bool = False) -> list[Question]:
    """The attempt's questions from today's banks; KeyError when one has since been removed (or skip it)."""
    banks = [bank_of(slug) for slug in attempt.content_versions if slug in catalog().modules]
    found = []
    for qid in attempt.questions:
        try:
            found.append(resolve(banks, qid))
        except KeyError:
            if not skip_removed:
                raise
    return found


def read_answers(questions: Sequence[Question], form: Mapping[str, Sequence[str]]) -> dict[str, Response]:
    """Responses to the drawn questions only: fields for anything else are never read."""
    return {q.id: read(q, form) for q in questions}


def unanswered(questions: Sequence[Question], responses: Mapping[str, Response]) -> list[str]:
    """Ids of the questions and scenario parts left without a usable answer."""
    missing = []
    for question in questions:
        response = responses[question.id]
        if question.parts:
            missing += [p.id for p in question.parts if not response.part(p.id).values]
        elif not response.values:
            missing.append(question.id)
    return missing


def submit(attempt: QuizAttempt, questions: Sequence[Question], responses: Mapping[str, Response],
           now: datetime) -> Result | None:
    """Grade and record the attempt; None when it was already submitted (by another request, too)."""
    result = grade_attempt(questions, responses, attempt.rules["pass_mark"])
    # The WHERE makes the database pick one winner among simultaneous submits, on SQLite and PostgreSQL.
    done = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(answers={k: r.to_data() for k, r in responses.items()}, score=result.score,
                passed=result.passed, submitted_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        db.session.rollback()
        return None
    if attempt.kind == "module" and result.passed:
        record_pass(attempt.user_id, catalog().modules[attempt.target], now)
    db.session.commit()
    db.session.refresh(attempt)
    if result.passed and attempt.kind in ("module", "final"):
        learning_progressed.send(current_app._get_current_object(), user_id=attempt.user_id)
    return result


def record_pass(user_id: int, module: Module, now: datetime) -> None:
    """Note the passed quiz on the module's progress (creating it), completing the module if read."""
    progress = db.session.scalar(select(ModuleProgress).where(
        ModuleProgress.user_id == user_id, ModuleProgress.module_slug == module.slug))
    if progress is None:
        progress = ModuleProgress(user_id=user_id, module_slug=module.slug, content_version=module.version,
                                  sections_total=len(module.sections("en")), sections_read=0)
        db.session.add(progress)
    if progress.quiz_passed_at is None:
        progress.quiz_passed_at = now
    progress.complete_if_done(now)


def attempts_of(user_id: int, kind: str | None = None, target: str | None = None) -> list[QuizAttempt]:
    """A person's attempts, oldest first, in one query; optionally of one quiz."""
    query = select(QuizAttempt).where(QuizAttempt.user_id == user_id)
    if kind:
        query = query.where(QuizAttempt.kind == kind)
    if target:
        query = query.where(QuizAttempt.target == target)
    return list(db.session.scalars(query.order_by(QuizAttempt.started_at, QuizAttempt.id)))
