"""Grade an attempt: pure, so the same questions and answers always give the same Result.

Points: each drawn question is worth 1 point, except a scenario, worth 1 point per part (2 to 4), since
each part is a decision of its own. The score is points / possible as a percent, rounded half up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from quizzes.kinds import grade
from quizzes.questions import Question, Response


@dataclass(frozen=True)
class Outcome:
    """How one question (or scenario part) went, for the review page."""

    earned: float  # fraction of its points, 0 to 1
    correct: bool  # earned everything
    key: tuple[str, ...]  # the right answer; a scenario's keys are on its parts' outcomes


@dataclass(frozen=True)
class Result:
    """The graded attempt."""

    score: int  # percent, 0 to 100
    passed: bool
    points: float
    possible: int
    outcomes: Mapping[str, Outcome]  # by question id, and by part id for scenario parts


def grade_attempt(questions: Sequence[Question], responses: Mapping[str, Response], pass_mark: int) -> Result:
    """Grade the drawn questions; responses to anything else are ignored."""
    outcomes: dict[str, Outcome] = {}
    points, possible = Fraction(0), 0
    for question in questions:
        if question.id in outcomes:  # a question drawn twice counts once
            continue
        response, worth = responses.get(question.id), len(question.parts) or 1
        earned = _grade_units(question, response if isinstance(response, Response) else Response(), outcomes)
        points, possible = points + earned, possible + worth
        outcomes[question.id] = Outcome(float(earned / worth), earned == worth, question.answer)
    score = min(100, int(points * 100 / possible + Fraction(1, 2))) if possible else 0
    return Result(score, possible > 0 and score >= pass_mark, float(points), possible, outcomes)


def _grade_units(question: Question, response: Response, outcomes: dict[str, Outcome]) -> Fraction:
    # A scenario's parts each earn their own point and get their own outcome.
    if not question.parts:
        return _fraction(grade(question, response))
    total = Fraction(0)
    for part in question.parts:
        earned = _fraction(grade(part, response.part(part.id)))
        outcomes[part.id] = Outcome(float(earned), earned == 1, part.answer)
        total += earned
    return total


def _fraction(value: float) -> Fraction:
    # Exact arithmetic, so 1/3 + 2/3 is 1 and half-up rounding is never off by a float error.
    return Fraction(value).limit_denominator(1000)


def knowledge_gain(pre_score: int | None, final_score: int | None) -> int | None:
    """Return final minus pre-test score in percentage points, or None if either is missing."""
    if pre_score is None or final_score is None:
        return None
    return final_score - pre_score
