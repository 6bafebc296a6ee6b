"""Question kinds: parse a quiz.yaml entry, order its options, read a form, grade a response.

Adding a kind means one class here, decorated with @register("name"). Pages work without JavaScript, so
`read` takes plain form fields: a mapping of field name to submitted values, e.g.
`request.form.to_dict(flat=False)`.
"""

from __future__ import annotations

import random
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from quizzes.questions import BankError, Form, Question, Response, Text

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
POSITION = re.compile(r"^[1-9][0-9]?$")


KINDS: dict[str, type[Kind]] = {}


def register(name: str) -> Callable[[type[Kind]], type[Kind]]:
    """Add a kind to KINDS under the name used in quiz.yaml."""

    def add(cls: type[Kind]) -> type[Kind]:
        cls.name, KINDS[name] = name, cls
        return cls

    return add


def parse_question(raw: Any, languages: Sequence[str], prefix: str = "") -> Question:
    """Parse one quiz.yaml entry into a Question whose id is prefix + its id, or raise BankError."""
    if not isinstance(raw, Mapping):
        raise BankError("", f"question entry {raw!r} is not a mapping")
    qid, kind = str(raw.get("id", "")), raw.get("kind")
    if not ID.match(qid):
        raise _fail(prefix + qid, "id must be lowercase-with-dashes")
    if kind not in KINDS:
        raise _fail(prefix + qid, f"unknown kind '{kind}' (use {', '.join(KINDS)})")
    return KINDS[kind].parse(raw, prefix + qid, languages)


def options(question: Question, rng: random.Random | None = None) -> list[str]:
    """Return the ids to display, in display order."""
    return KINDS[question.kind].options(question, rng)


def read(question: Question, form: Form) -> Response:
    """Turn submitted form fields into a normalised Response."""
    return KINDS[question.kind].read(question, form)


def grade(question: Question, response: Response) -> float:
    """Return the fraction earned, 0 to 1."""
    return min(1.0, max(0.0, KINDS[question.kind].grade(question, response)))


def _fail(qid: str, reason: str) -> BankError:
    return BankError("", f"question '{qid.split(':', 1)[-1]}': {reason}")


def _text(raw: Mapping, key: str, qid: str, languages: Sequence[str], what: str = "") -> dict[str, str]:
    value, what = raw.get(key), what or key
    if not isinstance(value, Mapping):
        raise _fail(qid, f"missing {what} text")
    for lang in languages:
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            raise _fail(qid, f"missing '{lang}' text for {what}")
    return {str(lang): str(text).strip() for lang, text in value.items()}


def _labels(raw: Mapping, key: str, qid: str, languages: Sequence[str], least: int) -> dict[str, Text]:
    entries = raw.get(key)
    if not isinstance(entries, Mapping) or len(entries) < least:
        raise _fail(qid, f"needs at least {least} {key}")
    for cid in entries:
        if not ID.match(str(cid)):
            raise _fail(qid, f"{key[:-1]} id '{cid}' must be lowercase-with-dashes")
    return {str(cid): _text(entries, cid, qid, languages, f"{key[:-1]} '{cid}'") for cid in entries}


def _picture(raw: Mapping, qid: str) -> str | None:
    name = raw.get("picture")
    if name is not None and (not isinstance(name, str) or not re.fullmatch(r"[\w-]+\.(svg|png|jpg)", name)):
        raise _fail(qid, f"picture '{name}' must be a file name in the module folder")
    return name


def _same_idea(raw: Mapping, qid: str) -> tuple[str, ...]:
    # One tag, or a list for a scenario that repeats questions of several ideas.
    given = raw.get("same_idea", [])
    tags = given if isinstance(given, list) else [given]
    for tag in tags:
        if not isinstance(tag, str) or not ID.match(tag):
            raise _fail(qid, f"same_idea '{tag}' must be lowercase-with-dashes, or a list of such tags")
    return tuple(tags)


def _common(raw: Mapping, qid: str, languages: Sequence[str]) -> dict[str, Any]:
    return {
        "prompt": _text(raw, "prompt", qid, languages),
        "explanation": _text(raw, "explanation", qid, languages),
        "picture": _picture(raw, qid),
        "same_idea": _same_idea(raw, qid),
    }


def _values(form: Form, name: str) -> list[str]:
    got = form.get(name)
    if isinstance(got, str):
        return [got.strip()]
    return [v.strip() for v in got if isinstance(v, str)] if isinstance(got, list | tuple) else []


class Kind(ABC):
    """What every kind provides; by default choices are shown as written or shuffled."""

    name = ""

    @classmethod
    @abstractmethod
    def parse(cls, raw: Mapping, qid: str, languages: Sequence[str]) -> Question:
        """Parse and validate one entry."""

    @staticmethod
    def options(question: Question, rng: random.Random | None) -> list[str]:
        """Return the option ids, shuffled when given a random generator."""
        shown = list(question.choices)
        if rng is not None:
            rng.shuffle(shown)
        return shown

    @staticmethod
    def read(question: Question, form: Form) -> Response:
        """Accept exactly one known choice; anything else is unanswered."""
        picked = set(_values(form, question.id))
        return Response(tuple(picked)) if len(picked) == 1 and picked <= set(question.choices) else Response()

    @staticmethod
    def grade(question: Question, response: Response) -> float:
        """Give full credit for exactly the key."""
        return 1.0 if response.values == question.answer else 0.0


@register("single")
class Single(Kind):
    """One right choice among several."""

    @classmethod
    def parse(cls, raw: Mapping, qid: str, languages: Sequence[str]) -> Question:
        """Parse choices and a single answer id."""
        labels, answer = _labels(raw, "choices", qid, languages, 2), raw.get("answer")
        if not isinstance(answer, str) or answer not in labels:
            raise _fail(qid, f"answer '{answer}' is not one of its choices")
        common = _common(raw, qid, languages)
        return Question(qid, cls.name, tuple(labels), (answer,), labels=labels, **common)


@register("multiple")
class Multiple(Kind):
    """Several right choices; all-or-nothing unless `scoring: partial`."""

    @classmethod
    def parse(cls, raw: Mapping, qid: str, languages: Sequence[str]) -> Question:
        """Parse choices, a list of answer ids and the scoring rule."""
        labels, answer = _labels(raw, "choices", qid, languages, 2), raw.get("answer")
        if not isinstance(answer, list) or not answer or len(set(map(str, answer))) != len(answer):
            raise _fail(qid, "answer must be a list of distinct choice ids")
        for aid in answer:
            if aid not in labels:
                raise _fail(qid, f"answer '{aid}' is not one of its choices")
        scoring = raw.get("scoring", "all-or-nothing")
        if scoring not in ("all-or-nothing", "partial"):
            raise _fail(qid, f"scoring '{scoring}' must be all-or-nothing or partial")
        key = tuple(c for c in labels if c in answer)
        common = _common(raw, qid, languages)
        return Question(qid, cls.name, tuple(labels), key, labels=labels, scoring=scoring, **common)

    @staticmethod
    def read(question: Question, form: Form) -> Response:
        """Keep the known choices ticked, in choice order."""
        picked = set(_values(form, question.id))
        return Response(tuple(c for c in question.choices if c in picked))

    @staticmethod
    def grade(question: Question, response: Response) -> float:
        """All-or-nothing, or (right picks - wrong picks) / number right, never below 0."""
        picked, key = set(response.values), set(question.answer)
        if question.scoring != "partial":
            return 1.0 if picked == key else 0.0
        return max(0.0, (len(picked & key) - len(picked - key)) / len(key))


@register("truefalse")
class TrueFalse(Kind):
    """A statement that is true or false; shown as True then False, never shuffled."""

    @classmethod
    def parse(cls, raw: Mapping, qid: str, languages: Sequence[str]) -> Question:
        """Parse a boolean answer."""
        if not isinstance(raw.get("answer"), bool):
            raise _fail(qid, "answer must be true or false")
        key = ("true",) if raw["answer"] else ("false",)
        return Question(qid, cls.name, ("true", "false"), key, **_common(raw, qid, languages))

    @staticmethod
    def options(question: Question, rng: random.Random | None) -> list[str]:
        """Return true then false: a shuffled pair only confuses."""
        return list(question.choices)


@register("ordering")
class Ordering(Kind):
    """Items to put in order; only the whole order right earns the point.

    All-or-nothing because the order is the lesson: half a right sequence (e.g. naloxone before
    calling for help) is still the wrong response.
    """

    @classmethod
    def parse(cls, raw: Mapping, qid: str, languages: Sequence[str]) -> Question:
        """Parse items, listed in the correct order."""
        labels = _labels(raw, "items", qid, languages, 3)
        common = _common(raw, qid, languages)
        return Question(qid, cls.name, tuple(labels), tuple(labels), labels=labels, **common)

    @staticmethod
    def options(question: Question, rng: random.Random | None) -> list[str]:
        """Always shuffle, and never show the answer itself."""
        shown = list(question.choices)
        # Shown shuffled even when the quiz does not shuffle: seeded by id, so the page is stable.
        (rng if rng is not None else random.Random(question.id)).shuffle(shown)  # noqa: S311
        # A rotation of three or more distinct items is always a different order.
        return shown[1:] + shown[:1] if shown == list(question.answer) else shown

    @staticmethod
    def read(question: Question, form: Form) -> Response:
        """Read one position select per item (`<qid>.<item>`), or an ordered `<qid>` list from script."""
        items, positions = question.choices, {}
        for item in items:
            got = _values(form, f"{question.id}.{item}")
            if len(got) != 1 or not POSITION.match(got[0]):
                break
            positions[item] = int(got[0])
        if sorted(positions.values()) == list(range(1, len(items) + 1)):
            return Response(tuple(sorted(positions, key=positions.__getitem__)))
        order = _values(form, question.id)
        return Response(tuple(order)) if sorted(order) == sorted(items) else Response()


@register("scenario")
class Scenario(Kind):
    """A short case with 2 to 4 linked parts; each part is graded as its own question."""

    @classmethod
    def parse(cls, raw: Mapping, qid: str, languages: Sequence[str]) -> Question:
        """Parse the case, an optional picture and the parts."""
        case, entries = _text(raw, "case", qid, languages), raw.get("parts")
        if not isinstance(entries, list) or not 2 <= len(entries) <= 4:
            raise _fail(qid, f"a scenario needs 2 to 4 parts, it has {len(entries or ())}")
        if any(isinstance(e, Mapping) and e.get("kind") == "scenario" for e in entries):
            raise _fail(qid, "a scenario part cannot itself be a scenario")
        parts = [parse_question(entry, languages, qid + "/") for entry in entries]
        if len({p.id for p in parts}) != len(parts):
            raise _fail(qid, "two parts share an id")
        explanation = _text(raw, "explanation", qid, languages) if "explanation" in raw else {}
        return Question(
            qid,
            cls.name,
            tuple(p.id for p in parts),
            case=case,
            explanation=explanation,
            picture=_picture(raw, qid),
            parts=tuple(parts),
            same_idea=_same_idea(raw, qid),
        )

    @staticmethod
    def options(question: Question, rng: random.Random | None) -> list[str]:
        """Return the part ids as written: the story runs in that order."""
        return list(question.choices)

    @staticmethod
    def read(question: Question, form: Form) -> Response:
        """Read every part."""
        return Response(parts=tuple((p.id, read(p, form)) for p in question.parts))

    @staticmethod
    def grade(question: Question, response: Response) -> float:
        """Return the mean of the parts' grades (grading counts each part as one point)."""
        return sum(grade(p, response.part(p.id)) for p in question.parts) / len(question.parts)
