"""Export a bank to Moodle's GIFT format (https://docs.moodle.org/en/GIFT_format), one language at a time.

Each question is named "::<module-slug>-<qid>::" and carries its explanation as general feedback
("####"). A scenario becomes one question per part, each starting with the case.
"""

from __future__ import annotations

from collections.abc import Callable

from quizzes.bank import Bank
from quizzes.questions import Question

# Backslash first, so the backslashes added for the others are not doubled.
SPECIAL = ("\\", "~", "=", "#", "{", "}", ":")


def escape(text: str) -> str:
    """Escape GIFT's special characters; newlines become \\n so a question stays one block."""
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def to_gift(bank: Bank, language: str) -> str:
    """Return the whole bank as GIFT text in one language."""
    blocks = [f"// {bank.slug} ({language}), exported from Naloxone Academy", f"$CATEGORY: {bank.slug}"]
    for question in bank.questions:
        if question.parts:
            case = question.case_in(language)
            blocks += [_question(bank.slug, part, language, case) for part in question.parts]
        else:
            blocks.append(_question(bank.slug, question, language))
    return "\n\n".join(blocks) + "\n"


def _question(slug: str, question: Question, lang: str, case: str = "") -> str:
    name = escape(f"{slug}-{question.local_id}")
    text = escape(f"{case}\n\n{question.prompt_in(lang)}" if case else question.prompt_in(lang))
    feedback = question.explanation_in(lang)
    answers = ANSWERS[question.kind](question, lang) + (f" ####{escape(feedback)}" if feedback else "")
    return f"::{name}::{text} {{{answers}}}"


def _single(question: Question, lang: str) -> str:
    marks = ("=" if c in question.answer else "~" for c in question.choices)
    return " ".join(m + escape(question.label(c, lang)) for m, c in zip(marks, question.choices, strict=True))


def _multiple(question: Question, lang: str) -> str:
    # Right picks share 100%; a wrong pick takes back one right pick's share under partial scoring,
    # everything under all-or-nothing (GIFT cannot say all-or-nothing exactly: a subset of the right
    # picks still earns its share in Moodle).
    right = 100 / len(question.answer)
    wrong = -right if question.scoring == "partial" else -100
    weights = {c: right if c in question.answer else wrong for c in question.choices}
    return " ".join(f"~%{_percent(weights[c])}%{escape(question.label(c, lang))}" for c in question.choices)


def _percent(value: float) -> str:
    # Five decimals, as Moodle writes them, so 33.33333 matches one of its grade options.
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _truefalse(question: Question, lang: str) -> str:
    return "TRUE" if question.answer == ("true",) else "FALSE"


def _ordering(question: Question, lang: str) -> str:
    # A matching question, item -> position: the same shape as our page without JavaScript (a position
    # select per item), and Moodle shuffles the items itself. "->" cannot be escaped, so it becomes an arrow.
    return " ".join(
        f"={escape(question.label(item, lang).replace('->', '→'))} -> {position}"
        for position, item in enumerate(question.answer, start=1)
    )


ANSWERS: dict[str, Callable[[Question, str], str]] = {
    "single": _single,
    "multiple": _multiple,
    "truefalse": _truefalse,
    "ordering": _ordering,
}
