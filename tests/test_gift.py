"""GIFT export: escaping, the shape of each kind, and every question exported once."""

import re

import pytest

from quizzes.bank import Bank
from quizzes.gift import escape, to_gift
from quizzes.kinds import parse_question

T = {"en": "Text", "fr": "Texte"}


def text(en):
    return {"en": en, "fr": f"{en} (fr)"}


def make_bank(*entries):
    questions = tuple(
        parse_question(
            {"prompt": text("Prompt?"), "explanation": text("Why."), **e}, ["en", "fr"], prefix="mod:"
        )
        for e in entries
    )
    return Bank("mod", questions, {q.local_id: q for q in questions})


def one(entry, lang="en"):
    out = to_gift(make_bank(entry), lang).strip()
    return [block for block in out.split("\n\n") if block.startswith("::")]


def test_escape_special_characters():
    assert escape("a~b=c#d{e}f:g\\h") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h"
    assert escape("two\nlines") == "two\\nlines"


def test_single_choice():
    entry = {
        "id": "s",
        "kind": "single",
        "choices": {"a": text("Wait"), "b": text("Call 112: now")},
        "answer": "b",
    }
    assert one(entry) == ["::mod-s::Prompt? {~Wait =Call 112\\: now ####Why.}"]
    assert one(entry, "fr") == ["::mod-s::Prompt? (fr) {~Wait (fr) =Call 112\\: now (fr) ####Why. (fr)}"]


@pytest.mark.parametrize(
    ("scoring", "weights"),
    [
        ("partial", ["%50%", "%-50%", "%50%"]),
        ("all-or-nothing", ["%50%", "%-100%", "%50%"]),
    ],
)
def test_multiple_uses_percentage_weights(scoring, weights):
    choices = {c: text(c.upper()) for c in "abc"}
    [block] = one(
        {"id": "m", "kind": "multiple", "choices": choices, "answer": ["a", "c"], "scoring": scoring}
    )
    assert re.findall(r"~(%-?\d+%)", block) == weights and "=" not in block


def test_multiple_weights_with_three_right_answers():
    choices = {c: text(c.upper()) for c in "abcd"}
    [block] = one(
        {"id": "m", "kind": "multiple", "choices": choices, "answer": ["a", "b", "c"], "scoring": "partial"}
    )
    assert "~%33.33333%A" in block and "~%-33.33333%D" in block


@pytest.mark.parametrize(("answer", "word"), [(True, "TRUE"), (False, "FALSE")])
def test_truefalse(answer, word):
    assert one({"id": "t", "kind": "truefalse", "answer": answer}) == [
        f"::mod-t::Prompt? {{{word} ####Why.}}"
    ]


def test_ordering_becomes_matching_item_to_position():
    items = {"safe": text("Check it is safe"), "call": text("Call -> help"), "give": text("Give naloxone")}
    [block] = one({"id": "o", "kind": "ordering", "items": items})
    assert "{=Check it is safe -> 1 =Call → help -> 2 =Give naloxone -> 3 ####Why.}" in block


def test_scenario_parts_are_questions_starting_with_the_case():
    parts = [
        {
            "id": "p1",
            "kind": "truefalse",
            "prompt": text("Overdose?"),
            "explanation": text("Yes."),
            "answer": True,
        },
        {
            "id": "p2",
            "kind": "truefalse",
            "prompt": text("Wait?"),
            "explanation": text("No."),
            "answer": False,
        },
    ]
    blocks = one({"id": "scn", "kind": "scenario", "case": text("Sam is on the floor."), "parts": parts})
    assert blocks == [
        "::mod-scn/p1::Sam is on the floor.\\n\\nOverdose? {TRUE ####Yes.}",
        "::mod-scn/p2::Sam is on the floor.\\n\\nWait? {FALSE ####No.}",
    ]


def test_every_question_appears_once():
    choices = {"a": text("A"), "b": text("B")}
    bank = make_bank(
        *[{"id": f"q{n}", "kind": "single", "choices": choices, "answer": "a"} for n in range(5)],
        {"id": "t", "kind": "truefalse", "answer": True},
    )
    names = re.findall(r"^::(.+?)::", to_gift(bank, "en"), flags=re.M)
    assert sorted(names) == sorted(f"mod-{q.local_id}" for q in bank.questions)
    assert to_gift(bank, "en").startswith("// mod (en)") and "$CATEGORY: mod" in to_gift(bank, "en")
