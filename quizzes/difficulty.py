"""Which questions a cohort gets wrong: each trainee's latest answer to each question, hardest first.

Kolibri's coach report "difficult questions" is the model: a trainer sees what to go over again next session.
Each person counts once per question, with the last answer they gave to it, so someone who retried five times
weighs no more than someone who answered once, and a mistake since put right no longer counts.
"""
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select

from app import db
from quizzes.attempts import bank_of
from quizzes.bank import resolve
from quizzes.kinds import grade
from quizzes.models import QuizAttempt
from quizzes.questions import Question, Response
from training.cohorts import Cohort, Membership
from training.content import Programme, catalog

SCOPES = ("after", "pre")  # after learning: module quizzes and the final; before: the pre-test
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


def cohort_attempts(cohort: Cohort, programme: Programme, scope: str) -> list[QuizAttempt]:
    """The submitted online attempts of the cohort's trainees at this programme's quizzes, oldest first."""
    if scope == "pre":
        quizzes = and_(QuizAttempt.kind == "pre", QuizAttempt.target == programme.slug)
    else:
        quizzes = or_(and_(QuizAttempt.kind == "module", QuizAttempt.target.in_(programme.modules)),
                      and_(QuizAttempt.kind == "final", QuizAttempt.target == programme.slug))
    members = select(Membership.user_id).where(Membership.cohort_id == cohort.id)
    query = (select(QuizAttempt)
             .where(QuizAttempt.user_id.in_(members), QuizAttempt.submitted_at.is_not(None),
                    QuizAttempt.paper.is_(False), quizzes)  # a paper result has a score but no answers
             .order_by(QuizAttempt.submitted_at, QuizAttempt.id))
    return list(db.session.scalars(query))


def latest_answers(attempts: Iterable[QuizAttempt]) -> dict[tuple[int, str], Response]:
    """Each person's last answer to each question, from attempts given oldest first."""
    latest = {}
    for attempt in attempts:
        for qid, data in (attempt.answers or {}).items():
            latest[attempt.user_id, qid] = Response.from_data(data)
    return latest


def tally(attempts: Sequence[QuizAttempt]) -> list[Tally]:
    """Every question the attempts answered, the most often wrong first (then the most answered)."""
    tallies: dict[str, Tally] = {}
    modules = catalog().modules
    for (_user_id, qid), response in latest_answers(attempts).items():
        slug = qid.partition(":")[0]
        try:
            question = resolve([bank_of(slug)], qid) if slug in modules else None
        except KeyError:  # the question has left the bank since: nothing to teach from it
            question = None
        if question is None:
            continue
        counts = tallies.setdefault(qid, Tally(question))
        counts.answered += 1
        if not is_right(question, response):
            counts.wrong += 1
            counts.wrong_answers.update(response.values[:1])
    return sorted(tallies.values(), key=lambda t: (-t.wrong / t.answered, -t.answered, t.question.id))

