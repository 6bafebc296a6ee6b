"""Which questions a cohort gets wrong: each trainee's latest answer to each question, hardest first.

Kolibri's coach report "difficult questions" is the model: a trainer sees what to go over again next session.
Each person counts once per question, with the last answer they gave to it, so someone who retried five times
weighs no more than someone who answered once, and a mistake since put right no longer counts.
"""
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app import db
from quizzes.attempts import bank_of
from quizzes.bank import resolve
from quizzes.kinds import grade
from quizzes.models import QuizAttempt
from quizzes.questions import Question, Response
from training.cohorts import Cohort, Membership
from training.content import Programme, catalog

SINGLE_ANSWER_KINDS = frozenset({"single", "truefalse"})  # the kinds whose wrong answers can be tallied


@dataclass
class Tally:
    """How a cohort last answered one question."""

    question: Question
    answered: int = 0
    wrong: int = 0
    wrong_answers: Counter = field(default_factory=Counter)  # option id -> people who last chose it wrongly

    @property
    def percent_wrong(self) -> int:
        """The share who got it wrong, as a whole percent."""
        return round(100 * self.wrong / self.answered) if self.answered else 0

    @property
    def common_wrong_answer(self) -> tuple[str, int] | None:
        """The wrong option most chosen and by how many, for kinds with one answer."""
        if self.question.kind not in SINGLE_ANSWER_KINDS or not self.wrong_answers:
            return None
        return self.wrong_answers.most_common(1)[0]


def is_right(question: Question, response: Response) -> bool:
    """Whether the answer earned the question's every point (each part of a scenario)."""
    if question.parts:
        return all(grade(part, response.part(part.id)) == 1 for part in question.parts)
    return grade(question, response) == 1


def cohort_answers(cohort: Cohort, programme: Programme, scope: str) -> list[tuple[int, dict | None]]:
    """(user id, answers) of the cohort's submitted online attempts at the programme's quizzes, oldest first."""
    # Module quizzes target a module's slug and tests the programme's, so kind and target never cross.
    kinds, targets = (("pre",), (programme.slug,)) if scope == "pre" else \
        (("module", "final"), (*programme.modules, programme.slug))
    # From the members to their attempts, so the planner walks (user_id, target) for the cohort's few hundred
    # people rather than every attempt of a kind. Two columns, not whole attempts: each has four more JSON values.
    query = (select(QuizAttempt.user_id, QuizAttempt.answers)
             .join(Membership, Membership.user_id == QuizAttempt.user_id)
             .where(Membership.cohort_id == cohort.id, QuizAttempt.kind.in_(kinds), QuizAttempt.target.in_(targets),
                    QuizAttempt.submitted_at.is_not(None),
                    QuizAttempt.paper.is_(False))  # a paper result has a score but no answers
             .order_by(QuizAttempt.submitted_at, QuizAttempt.id))
    return [(user_id, answers) for user_id, answers in db.session.execute(query)]


def latest_answers(attempts: Iterable[tuple[int, dict | None]]) -> list[tuple[str, Any, int]]:
    """(question id, stored answer, people) for each distinct answer that people last gave to a question.

    Attempts come oldest first, so a later answer replaces an earlier one. People often answer alike, so each
    distinct answer is counted and then graded once, not once per person.
    """
    latest = {}
    for user_id, answers in attempts:
        for qid, data in (answers or {}).items():
            latest[user_id, qid] = data
    groups: dict[tuple[str, str], list] = {}
    for (_user_id, qid), data in latest.items():
        groups.setdefault((qid, repr(data)), [data, 0])[1] += 1
    return [(qid, data, people) for (qid, _same), (data, people) in groups.items()]


def question_of(qid: str) -> Question | None:
    """The question in today's bank, or None when it has left it (nothing to teach from it then)."""
    slug = qid.partition(":")[0]
    try:
        return resolve([bank_of(slug)], qid) if slug in catalog().modules else None
    except KeyError:
        return None


def tally(attempts: Iterable[tuple[int, dict | None]]) -> list[Tally]:
    """Every question the attempts answered, the most often wrong first (then the most answered)."""
    tallies: dict[str, Tally] = {}
    for qid, data, people in latest_answers(attempts):
        question = question_of(qid)
        if question is None:
            continue
        response = Response.from_data(data)
        counts = tallies.setdefault(qid, Tally(question))
        counts.answered += people
        if not is_right(question, response):
            counts.wrong += people
            counts.wrong_answers.update(dict.fromkeys(response.values[:1], people))
    return sorted(tallies.values(), key=lambda t: (-t.wrong / t.answered, -t.answered, t.question.id))
