"""Paper scores: after a field session without connectivity, a trainer types in the cohort's final results."""
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _

from quizzes.bank import QuizRules
from quizzes.models import QuizAttempt
from training.content import Programme


@dataclass(frozen=True)
class PaperEntry:
    """One trainee's typed-in result: empty when they did not sit the test."""

    user_id: int
    raw: str


def parse_scores(entries: list[PaperEntry]) -> tuple[dict[int, int], dict[int, str]]:
    """Scores by user, and an error by user for anything that is not a whole number from 0 to 100."""
    scores, errors = {}, {}
    for entry in entries:
        text = entry.raw.strip().rstrip("%").strip()
        if not text:
            continue
        if not text.isdecimal() or not 0 <= int(text) <= 100:
            errors[entry.user_id] = _("Type a whole number from 0 to 100, or leave it empty.")
        else:
            scores[entry.user_id] = int(text)
    return scores, errors


def paper_attempts(programme: Programme, scores: dict[int, int], taken_on: date, version: str,
                   entered_by: int, language: str, batch: str | None = None) -> list[QuizAttempt]:
    """Final-assessment attempts for typed-in scores, graded by the programme's pass mark as it stands."""
    rules = QuizRules.from_mapping(programme.final)
    when = datetime.combine(taken_on, time(12))
    batch = batch or str(uuid.uuid4())
    return [
        QuizAttempt(user_id=user_id, kind="final", target=programme.slug, language=language, seed=0,
                    questions=[], options={}, rules=rules.to_dict(), content_versions={}, answers=None,
                    score=score, passed=score >= rules.pass_mark, started_at=when, submitted_at=when,
                    paper=True, paper_version=version, paper_batch=batch, entered_by_id=entered_by)
        for user_id, score in scores.items()
    ]
