"""Question banks (a module's quiz.yaml), the rules of a quiz, and drawing questions.

Id scheme: every loaded Question.id is qualified, "<module-slug>:<qid>" (a scenario part:
"<module-slug>:<scenario>/<part>"), for one bank or several, so ids are unique across modules and the
web layer stores exactly what draw() returns. Bank.by_id is keyed by the ids as written in quiz.yaml.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from quizzes.kinds import KINDS, parse_question
from quizzes.questions import BankError, Question
from training.content import picture_description

QUIZ_FILE = "quiz.yaml"
LESSON_FILE = "en.md"  # every module has an English lesson; other languages fall back to it
MIN_QUESTIONS, MIN_KINDS = 8, 3
REVIEW_MODES = ("after-pass-or-last", "always", "never")


@dataclass(frozen=True)
class QuizRules:
    """The rules of a quiz, stored with each attempt as they were when it was taken."""

    pass_mark: int = 80  # percent
    draw: int = 5  # questions per attempt
    shuffle: bool = True  # shuffle choices (ordering items are always shuffled)
    attempts: int | None = None  # None: unlimited
    wait_hours: int = 0  # between a failed attempt and the next
    review: str = "after-pass-or-last"  # when the right answers are shown

    def __post_init__(self) -> None:
        whole = {"pass_mark": self.pass_mark, "draw": self.draw, "wait_hours": self.wait_hours}
        for name, value in whole.items():
            if type(value) is not int or value < (1 if name == "draw" else 0):
                raise ValueError(f"{name} must be a whole number, not {value!r}")
        if self.pass_mark > 100:
            raise ValueError(f"pass_mark must be 0 to 100, not {self.pass_mark}")
        if self.attempts is not None and (type(self.attempts) is not int or self.attempts < 1):
            raise ValueError(f"attempts must be 1 or more, or empty for unlimited, not {self.attempts!r}")
        if type(self.shuffle) is not bool or self.review not in REVIEW_MODES:
            raise ValueError(f"shuffle must be true or false and review one of {', '.join(REVIEW_MODES)}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> QuizRules:
        """Build rules from a mapping, ignoring keys that are not rules; raise ValueError if invalid."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def to_dict(self) -> dict[str, Any]:
        """Return the rules as plain data."""
        return asdict(self)

    def shows_answers(self, passed: bool, attempts_used: int) -> bool:
        """Say whether review may show the right answers."""
        if self.review != "after-pass-or-last":
            return self.review == "always"
        # With a wait, tries start again after it from the same bank: the key would be learned by heart.
        return passed or (self.attempts is not None and not self.wait_hours and attempts_used >= self.attempts)


@dataclass(frozen=True)
class Bank:
    """The questions of one module, in file order."""

    slug: str
    questions: tuple[Question, ...]
    by_id: Mapping[str, Question]  # "qid" and "scenario/part", as written in quiz.yaml
    rules: QuizRules = QuizRules()  # from optional top-level keys of quiz.yaml (pass_mark, draw, ...)


def load_bank(module_dir: Path, languages: list[str]) -> Bank:
    """Load a module's quiz.yaml; raise BankError naming the file and the first problem."""
    bank, problems, _ = _read(Path(module_dir), languages)
    if problems or bank is None:
        raise problems[0]
    return bank


def check_bank(module_dir: Path, languages: list[str]) -> list[str]:
    """Return every problem of a module's quiz.yaml, each naming the file and the reason."""
    module_dir = Path(module_dir)
    bank, problems, entries = _read(module_dir, languages)
    where, found = str(module_dir / QUIZ_FILE), [str(p) for p in problems]
    if bank is None:
        return found
    if len(entries) < MIN_QUESTIONS:
        found.append(f"{where}: has {len(entries)} questions, needs at least {MIN_QUESTIONS}")
    lesson = module_dir / LESSON_FILE
    english_lesson = lesson.read_text(encoding="utf-8") if lesson.is_file() else ""
    kinds = sorted({e["kind"] for e in entries if isinstance(e, Mapping) and e.get("kind") in KINDS})
    if len(kinds) < MIN_KINDS:
        found.append(f"{where}: uses {len(kinds)} kinds ({', '.join(kinds)}), needs at least {MIN_KINDS}")
    for q in bank.by_id.values():
        if q.picture and not (module_dir / q.picture).is_file():
            found.append(f"{where}: question '{q.local_id}': picture '{q.picture}' does not exist")
        elif q.picture and not picture_description(english_lesson, q.picture):
            # The quiz shows the lesson's own description to people who cannot see the picture.
            found.append(f"{where}: question '{q.local_id}': picture '{q.picture}' has no description in "
                         f"{LESSON_FILE}: show it there as ![description]({q.picture})")
    return found


def _read(module_dir: Path, languages: list[str]) -> tuple[Bank | None, list[BankError], list]:
    where = str(module_dir / QUIZ_FILE)
    try:
        raw = yaml.safe_load((module_dir / QUIZ_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [BankError(where, "file is missing")], []
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        return None, [BankError(where, f"not valid YAML{line}: {getattr(err, 'problem', None) or err}")], []
    if not isinstance(raw, Mapping) or not isinstance(raw.get("questions"), list):
        return None, [BankError(where, "needs a top-level 'questions:' list")], []
    slug = _slug(module_dir)
    questions, problems = _parse_all(raw["questions"], languages, f"{slug}:", where)
    try:
        rules = QuizRules.from_mapping(raw)
    except (TypeError, ValueError) as err:
        problems.append(BankError(where, f"quiz rules: {err}"))
        rules = QuizRules()
    by_id = {q.local_id: q for q in questions} | {p.local_id: p for q in questions for p in q.parts}
    return Bank(slug, tuple(questions), by_id, rules), problems, raw["questions"]


def _parse_all(entries: list, languages: list[str], prefix: str, where: str) -> tuple[list, list]:
    questions, problems, seen = [], [], set()
    for entry in entries:
        try:
            question = parse_question(entry, languages, prefix)
        except BankError as err:
            problems.append(BankError(where, err.reason))
            continue
        if question.id in seen:
            problems.append(BankError(where, f"question '{question.local_id}': duplicate id"))
            continue
        seen.add(question.id)
        questions.append(question)
    return questions, problems


def _slug(module_dir: Path) -> str:
    # module.yaml's slug is the stable key; the folder name without "NN-" is only a fallback.
    try:
        meta = yaml.safe_load((module_dir / "module.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        meta = None
    if isinstance(meta, Mapping) and isinstance(meta.get("slug"), str):
        return meta["slug"]
    return re.sub(r"^\d+-", "", module_dir.name)


def draw(banks: Sequence[Bank], count: int, seed: int) -> list[str]:
    """Draw question ids at random, the same for the same seed.

    One bank: `count` distinct questions (all of them if the bank is smaller). Several banks: at
    least one from each and the rest spread as evenly as the banks allow; `count` >= len(banks).
    Questions that share a `same_idea` tag are not drawn together while another question can stand in.
    """
    if not banks or len({b.slug for b in banks}) != len(banks) or not all(b.questions for b in banks):
        raise ValueError("draw needs banks with questions and distinct slugs")
    if count < len(banks):
        raise ValueError(f"cannot draw {count} questions from {len(banks)} banks: at least one each")
    rng = random.Random(seed)  # noqa: S311 - a fair draw, not a secret
    quotas = _quotas([len(b.questions) for b in banks], count, rng)
    shuffled = [rng.sample(b.questions, len(b.questions)) for b in banks]
    drawn, ideas = [], set()
    for i in rng.sample(range(len(banks)), len(banks)):  # banks in random order: either of two twins may come
        chosen = []
        for question in shuffled[i]:
            if len(chosen) < quotas[i] and ideas.isdisjoint(question.same_idea):
                chosen.append(question)
                ideas.update(question.same_idea)
        # A bank left with only repeats still gives its share: the attempt keeps its length.
        chosen += [q for q in shuffled[i] if q not in chosen][:quotas[i] - len(chosen)]
        drawn.extend(q.id for q in chosen)
    rng.shuffle(drawn)
    return drawn


def _quotas(sizes: list[int], count: int, rng: random.Random) -> list[int]:
    # Each bank gets one, then each further question goes to a bank with the fewest so far (ties at random).
    quotas = [1] * len(sizes)
    for _ in range(min(count, sum(sizes)) - len(sizes)):
        open_ = [i for i, size in enumerate(sizes) if quotas[i] < size]
        fewest = min(quotas[i] for i in open_)
        quotas[rng.choice([i for i in open_ if quotas[i] == fewest])] += 1
    return quotas


def resolve(banks: Sequence[Bank], qualified_id: str) -> Question:
    """Return the question "<module-slug>:<qid>" (or a part, ".../<part>"); raise KeyError if unknown."""
    slug, _, local = qualified_id.partition(":")
    for bank in banks:
        if bank.slug == slug and local in bank.by_id:
            return bank.by_id[local]
    raise KeyError(f"no question '{qualified_id}' in these banks")
