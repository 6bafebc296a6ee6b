"""The quiz pages: take a module quiz, a pre-test or a final; submit; see the result and the history."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import db
from quizzes import attempts as quiz_attempts
from quizzes.attempts import Quiz, attempts_of, drawn_questions, open_attempt, refusal
from quizzes.bank import QuizRules
from quizzes.grading import grade_attempt, knowledge_gain
from quizzes.models import QuizAttempt
from quizzes.presenting import present_all, review, title_of
from quizzes.questions import Response
from training.access import login_required
from training.content import catalog
from training.models import ModuleProgress, User, utcnow
from training.unsent import give_back

bp = Blueprint("quizzes", __name__, url_prefix="/quizzes")


def get_attempt_or_404(attempt_id: int, for_user: User) -> QuizAttempt:
    """The attempt, if it belongs to this person; anyone else's is 'not found', never 'forbidden'."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != for_user.id:
        abort(404)
    return attempt


def take_url(attempt: QuizAttempt) -> str:
    """Where this attempt's quiz is taken."""
    if attempt.kind == "module":
        return url_for("quizzes.module_quiz", slug=attempt.target)
    return url_for("quizzes.programme_test", slug=attempt.target, kind=attempt.kind)


@bp.route("/module/<slug>", methods=["GET", "POST"])
@login_required
def module_quiz(slug: str):
    """The quiz at the end of a module: resume the open attempt, or start one with a POST."""
    module = catalog().modules.get(slug) or abort(404)
    return take(quiz_attempts.module_quiz(module))


@bp.route("/programme/<slug>/<kind>", methods=["GET", "POST"])
@login_required
def programme_test(slug: str, kind: str):
    """A programme's pre-test or final assessment."""
    programme = catalog().programmes.get(slug)
    if programme is None or kind not in ("pre", "final"):
        abort(404)
    return take(quiz_attempts.programme_quiz(programme, kind))


def take(quiz: Quiz):
    """Show the open attempt; otherwise say why none may start, or offer to start one (a POST starts it)."""
    attempt = open_attempt(quiz, current_user.id)
    if attempt is not None:  # a second press of Start lands on the same attempt
        return redirect(request.path) if request.method == "POST" else render_take(attempt, kept_answers(attempt), [])
    started = quiz.kind == "pre" and started_learning(quiz)
    past = attempts_of(current_user.id, quiz.kind, quiz.target)
    reason = refusal(quiz, past, utcnow(), started)
    title = title_of(quiz.kind, quiz.target)
    if reason:
        return render_template("quizzes/refused.html", title=title, reason=reason)
    if request.method == "POST":  # drawing questions writes an attempt, so only a POST may do it
        quiz_attempts.start(quiz, current_user.id, str(get_locale()))
        return redirect(request.path)
    return render_template("quizzes/start.html", title=title, rules=quiz.rules, quiz=quiz,
                           tries_left=quiz_attempts.tries_left(quiz.rules, past))


def started_learning(quiz: Quiz) -> bool:
    """Whether the person has begun any module of the quiz's programme."""
    slugs = [m.slug for m in quiz.modules] + list(catalog().programmes[quiz.target].modules)
    query = select(ModuleProgress.id).where(
        ModuleProgress.user_id == current_user.id, ModuleProgress.module_slug.in_(slugs))
    return db.session.scalar(query.limit(1)) is not None


def render_take(attempt: QuizAttempt, given: dict, missing: list[str]):
    """The form of an open attempt; after an incomplete submit, with the answers given and the errors."""
    questions = present_all(drawn_questions(attempt), attempt.options, str(get_locale()))
    return render_template("quizzes/take.html", attempt=attempt, questions=questions, given=given,
                           missing=set(missing), title=title_of(attempt.kind, attempt.target),
                           rules=QuizRules.from_mapping(attempt.rules))


def kept_answers(attempt: QuizAttempt) -> dict:
    """The answers to this attempt that came after its session ended, given back once to their owner."""
    kept = give_back(action=url_for(".submit", attempt_id=attempt.id))
    return kept.to_dict(flat=False) if kept else {}


@bp.post("/attempt/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    """Grade the answers once: a second or simultaneous submit changes nothing."""
    attempt = get_attempt_or_404(attempt_id, current_user)
    if attempt.is_submitted:
        flash(_("This attempt was already submitted. Here is its result."), "info")
        return redirect(url_for(".result", attempt_id=attempt.id))
    quiz = Quiz(attempt.kind, attempt.target, (), QuizRules.from_mapping(attempt.rules))
    earlier = [a for a in attempts_of(current_user.id, attempt.kind, attempt.target) if a.id != attempt.id]
    reason = refusal(quiz, earlier, utcnow())
    if reason:
        flash(reason, "error")
        return redirect(take_url(attempt))
    try:
        questions = drawn_questions(attempt)
    except KeyError:  # the bank lost a question since the draw: this attempt cannot be graded fairly
        db.session.delete(attempt)
        db.session.commit()
        flash(_("This quiz has changed since you started it. Here is a new one."), "error")
        return redirect(take_url(attempt))
    responses = quiz_attempts.read_answers(questions, request.form.to_dict(flat=False))
    missing = quiz_attempts.unanswered(questions, responses)
    if missing:
        return render_take(attempt, request.form.to_dict(flat=False), missing)
    result = quiz_attempts.submit(attempt, questions, responses, utcnow())
    if result is None:
        flash(_("This attempt was already submitted. Here is its result."), "info")
    else:
        flash(_("You scored %(score)d%%.", score=result.score), "success")
    return redirect(url_for(".result", attempt_id=attempt_id))


@bp.get("/attempt/<int:attempt_id>")
@login_required
def result(attempt_id: int):
    """The score and per-question feedback; the right answers only when the rules allow."""
    attempt = get_attempt_or_404(attempt_id, current_user)
    if not attempt.is_submitted:
        return redirect(take_url(attempt))
    rules = QuizRules.from_mapping(attempt.rules)
    questions = drawn_questions(attempt, skip_removed=True)  # the stored score stays the score
    responses = {qid: Response.from_data(data) for qid, data in (attempt.answers or {}).items()}
    graded = grade_attempt(questions, responses, rules.pass_mark)
    same_target = attempts_of(current_user.id, target=attempt.target)
    used = sum(1 for a in same_target if a.kind == attempt.kind and a.is_submitted)
    show_key = rules.shows_answers(bool(attempt.passed), used)
    language = str(get_locale())
    shown = present_all(questions, attempt.options, language)
    reviewed = [review(q, s, responses, graded, language, show_key, rules.review != "never")
                for q, s in zip(questions, shown, strict=True)]
    quiz = Quiz(attempt.kind, attempt.target, (), rules)
    retry = not attempt.passed and refusal(quiz, [a for a in same_target if a.kind == attempt.kind], utcnow())
    return render_template("quizzes/result.html", attempt=attempt, reviewed=reviewed, show_key=show_key,
                           title=title_of(attempt.kind, attempt.target), gain=gain_of(same_target),
                           retry_reason=retry or None, can_retry=not attempt.passed and not retry,
                           take_url=take_url(attempt), rules=rules)


def gain_of(attempts: list[QuizAttempt]) -> int | None:
    """Knowledge gain for one programme: the pre-test against the best final so far."""
    pre = next((a.score for a in attempts if a.kind == "pre" and a.is_submitted), None)
    finals = [a.score for a in attempts if a.kind == "final" and a.is_submitted]
    return knowledge_gain(pre, max(finals) if finals else None)


@bp.get("/history")
@login_required
def history():
    """Every attempt of the person with dates and scores, and their knowledge gain per programme."""
    attempts = attempts_of(current_user.id)
    programmes = sorted({a.target for a in attempts if a.kind != "module"})
    gains = {slug: gain_of([a for a in attempts if a.target == slug]) for slug in programmes}
    rows = [(a, title_of(a.kind, a.target)) for a in reversed(attempts)]
    return render_template("quizzes/history.html", rows=rows,
                           gains=[(title_of("programme", s), g) for s, g in gains.items() if g is not None])
