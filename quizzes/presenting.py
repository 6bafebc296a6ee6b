"""Turn drawn questions into what the templates show, in the person's language with English fallback.

The take page gets `Shown` objects only: they have no field for the key, the explanation or the score,
so a template cannot leak them by mistake.
"""
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from quizzes.grading import Result
from quizzes.questions import Question, Response
from training.content import catalog
from training.titles import quiz_title


@dataclass(frozen=True)
class Choice:
    """One option as shown: the value sent back and its text."""

    value: str
    label: str


@dataclass(frozen=True)
class Shown:
    """A question (or scenario part) on the take page."""

    field: str  # the form field name: the qualified question id
    dom_id: str  # a short id for labels and error links
    kind: str
    prompt: str
    choices: tuple[Choice, ...]
    case: str = ""
    picture_url: str | None = None
    picture_alt: str = ""
    parts: tuple["Shown", ...] = ()


@dataclass(frozen=True)
class Reviewed:
    """A question after submitting: what was given, how it went, and what review allows."""

    shown: Shown
    given: tuple[str, ...]  # the labels chosen, in order for ordering
    correct: bool
    earned: float
    key: tuple[str, ...]  # the right answer's labels; empty unless the rules show answers
    explanation: str
    parts: tuple["Reviewed", ...] = ()


def label(question: Question, option: str, language: str) -> str:
    """An option's text; True and False come from the interface's own translations."""
    if question.kind == "truefalse":
        return _("True") if option == "true" else _("False")
    return question.label(option, language)


def labels(question: Question, options: Sequence[str], language: str) -> list[str]:
    """The options' texts, in the order given."""
    return [label(question, option, language) for option in options]


def present(question: Question, shown: Mapping[str, list[str]], language: str, dom_id: str) -> Shown:
    """The question with its options in the order this attempt shows them."""
    slug = question.id.split(":", 1)[0]
    picture = question.picture and url_for("learn.media", slug=slug, filename=question.picture)
    alt = question.picture and catalog().modules[slug].picture_description(question.picture, language)
    return Shown(
        field=question.id, dom_id=dom_id, kind=question.kind, prompt=question.prompt_in(language),
        choices=tuple(Choice(o, label(question, o, language))
                      for o in shown.get(question.id, question.choices)),
        case=question.case_in(language), picture_url=picture or None, picture_alt=alt or "",
        parts=tuple(present(p, shown, language, f"{dom_id}-{n}") for n, p in enumerate(question.parts, 1)),
    )


def present_all(questions: list[Question], shown: Mapping[str, list[str]], language: str) -> list[Shown]:
    """Every drawn question, numbered for the page."""
    return [present(q, shown, language, f"q{n}") for n, q in enumerate(questions, 1)]


def review(question: Question, shown: Shown, responses: Mapping[str, Response], result: Result,
           language: str, show_key: bool, show_explanation: bool) -> Reviewed:
    """Per-question feedback; the key only when the rules allow it, and the explanation with it.

    Before the key may be shown, only a right answer is explained: an explanation names the right answer
    ("False. Naloxone ..."), so explaining a wrong one would give the next attempt its key.
    """
    response = responses.get(question.id, Response())
    return _reviewed(question, shown, response, result, language, show_key, show_explanation)


def _reviewed(question, shown, response, result, language, show_key, show_explanation) -> Reviewed:
    outcome = result.outcomes[question.id]
    parts = tuple(
        _reviewed(p, s, response.part(p.id), result, language, show_key, show_explanation)
        for p, s in zip(question.parts, shown.parts, strict=True)
    )
    return Reviewed(
        shown=shown, given=tuple(label(question, v, language) for v in response.values),
        correct=outcome.correct, earned=outcome.earned,
        key=tuple(label(question, v, language) for v in outcome.key) if show_key else (),
        explanation=question.explanation_in(language) if show_explanation and (show_key or outcome.correct) else "",
        parts=parts,
    )


def title_of(kind: str, target: str) -> str:
    """The quiz's name for headings, in the reader's language."""
    return quiz_title(kind, target, str(get_locale()))
