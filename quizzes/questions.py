"""The shapes of a question bank: questions, responses, and the error a bad bank raises."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Text = Mapping[str, str]
Form = Mapping[str, Sequence[str]]


class BankError(Exception):
    """A question bank that cannot be used: where, and why in plain English."""

    def __init__(self, path_hint: str, reason: str) -> None:
        super().__init__(f"{path_hint}: {reason}" if path_hint else reason)
        self.path_hint, self.reason = path_hint, reason


@dataclass(frozen=True)
class Response:
    """A normalised answer: chosen ids (in order for ordering), or a scenario's parts by part id."""

    values: tuple[str, ...] = ()
    parts: tuple[tuple[str, Response], ...] = ()

    def part(self, part_id: str) -> Response:
        """Return the response to one part of a scenario (empty if unanswered)."""
        return dict(self.parts).get(part_id, Response())

    def to_data(self) -> list[str] | dict[str, list[str]]:
        """Return plain JSON data, as stored with an attempt."""
        if self.parts:
            return {pid: list(r.values) for pid, r in self.parts}
        return list(self.values)

    @classmethod
    def from_data(cls, data: Any) -> Response:
        """Rebuild a response from to_data(); anything malformed becomes unanswered."""
        if isinstance(data, Mapping):
            return cls(parts=tuple((str(k), cls.from_data(v)) for k, v in data.items()))
        if isinstance(data, list):
            return cls(tuple(v for v in data if isinstance(v, str)))
        return cls()


@dataclass(frozen=True)
class Question:
    """One question: ids and answer key once, texts per language."""

    id: str  # "<module-slug>:<qid>" once loaded by a bank; a part's is "<...>:<scenario>/<part>"
    kind: str
    choices: tuple[str, ...] = ()  # choice ids; ordering: item ids in the correct order
    answer: tuple[str, ...] = ()  # the key, shown at review
    prompt: Text = field(default_factory=dict)
    labels: Mapping[str, Text] = field(default_factory=dict)
    explanation: Text = field(default_factory=dict)
    scoring: str = "all-or-nothing"
    case: Text = field(default_factory=dict)
    picture: str | None = None
    parts: tuple[Question, ...] = ()
    same_idea: tuple[str, ...] = ()  # questions sharing a tag test one idea: an attempt draws one of them

    @property
    def local_id(self) -> str:
        """Return the id as written in quiz.yaml."""
        return self.id.split(":", 1)[-1]

    def prompt_in(self, lang: str) -> str:
        """Return the prompt in a language."""
        return _pick(self.prompt, lang)

    def label(self, option: str, lang: str) -> str:
        """Return a choice's or item's text; truefalse has none (the interface translates True/False)."""
        return _pick(self.labels.get(option, {}), lang) or option

    def explanation_in(self, lang: str) -> str:
        """Return the explanation in a language."""
        return _pick(self.explanation, lang)

    def case_in(self, lang: str) -> str:
        """Return a scenario's story in a language."""
        return _pick(self.case, lang)


def _pick(text: Text, lang: str) -> str:
    """A text in the language; a missing language falls back to English, so a page never shows a blank."""
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")
