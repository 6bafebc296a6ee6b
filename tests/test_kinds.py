"""Question kinds: parsing errors, display order, reading hostile form data."""

import random
import re

import pytest

from quizzes.kinds import KINDS, grade, options, parse_question, read
from quizzes.questions import BankError, Response

LANGS = ["en", "fr"]


def t(word):
    return {"en": word, "fr": f"{word} (fr)"}


def single(**over):
    raw = {
        "id": "q",
        "kind": "single",
        "prompt": t("Which?"),
        "explanation": t("Because."),
        "choices": {"a": t("A"), "b": t("B"), "c": t("C")},
        "answer": "b",
    }
    return {**raw, **over}


def multiple(**over):
    return single(**{"kind": "multiple", "answer": ["a", "c"], **over})


def ordering(**over):
    raw = single(kind="ordering", items={"one": t("1"), "two": t("2"), "three": t("3"), "four": t("4")})
    del raw["choices"], raw["answer"]
    return {**raw, **over}


def scenario(parts=None):
    if parts is None:
        parts = [single(id="p1"), {**single(id="p2", kind="truefalse"), "answer": True}]
    return {"id": "scn", "kind": "scenario", "case": t("A friend is on the floor."), "parts": parts}


def test_registry_has_every_kind():
    assert set(KINDS) == {"single", "multiple", "truefalse", "ordering", "scenario"}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (single(answer="d"), "question 'q': answer 'd' is not one of its choices"),
        (single(prompt={"en": "Which?"}), "question 'q': missing 'fr' text for prompt"),
        (single(choices={"a": t("A"), "b": {"en": "B"}}), "question 'q': missing 'fr' text for choice 'b'"),
        (single(choices={"a": t("A")}), "question 'q': needs at least 2 choices"),
        (single(id="Bad Id"), "question 'Bad Id': id must be lowercase-with-dashes"),
        (single(kind="essay"), "question 'q': unknown kind 'essay'"),
        (single(explanation=None), "question 'q': missing explanation text"),
        (single(picture="../secret.svg"), "must be a file name in the module folder"),
        (multiple(answer=["a", "z"]), "question 'q': answer 'z' is not one of its choices"),
        (multiple(answer=["a", "a"]), "answer must be a list of distinct choice ids"),
        (multiple(scoring="generous"), "scoring 'generous' must be all-or-nothing or partial"),
        (single(kind="truefalse", answer="yes"), "answer must be true or false"),
        (ordering(items={"one": t("1"), "two": t("2")}), "question 'q': needs at least 3 items"),
        (scenario(parts=[single(id="p1")]), "a scenario needs 2 to 4 parts, it has 1"),
        (scenario(parts=[single(id=f"p{i}") for i in range(5)]), "a scenario needs 2 to 4 parts, it has 5"),
        (scenario(parts=[single(id="p"), single(id="p")]), "two parts share an id"),
        (scenario(parts=[single(id="p"), scenario()]), "a scenario part cannot itself be a scenario"),
        (scenario(parts=[single(id="p"), single(id="r", answer="x")]), "question 'scn/r': answer 'x' is not"),
    ],
)
def test_parse_errors_say_what_is_wrong(raw, reason):
    with pytest.raises(BankError, match=re.escape(reason)):
        parse_question(raw, LANGS)


def test_parse_keeps_ids_once_and_text_per_language():
    q = parse_question(single(), LANGS, prefix="mod:")
    assert (q.id, q.local_id, q.choices, q.answer) == ("mod:q", "q", ("a", "b", "c"), ("b",))
    assert q.prompt_in("fr") == "Which? (fr)" and q.label("b", "fr") == "B (fr)"
    assert q.explanation_in("ar") == "Because."  # a missing language falls back to English


def test_scenario_parts_are_named_scenario_slash_part():
    q = parse_question(scenario(), LANGS, prefix="mod:")
    assert [p.id for p in q.parts] == ["mod:scn/p1", "mod:scn/p2"]
    assert q.case_in("en") == "A friend is on the floor." and options(q, random.Random(1)) == list(q.choices)


def test_choices_keep_file_order_unless_shuffled():
    q = parse_question(single(choices={c: t(c) for c in "abcdef"}, answer="a"), LANGS)
    assert options(q) == list("abcdef")
    shown = {tuple(options(q, random.Random(seed))) for seed in range(20)}
    assert len(shown) > 1 and all(sorted(s) == list("abcdef") for s in shown)


def test_truefalse_is_never_shuffled():
    q = parse_question(single(kind="truefalse", answer=False), LANGS)
    assert options(q, random.Random(3)) == ["true", "false"] and q.answer == ("false",)


@pytest.mark.parametrize("count", [3, 4, 5])
def test_ordering_is_never_shown_in_the_right_order(count):
    items = {f"i{n}": t(str(n)) for n in range(count)}
    q = parse_question(ordering(items=items), LANGS)
    for seed in range(500):
        shown = options(q, random.Random(seed))
        assert shown != list(q.answer) and sorted(shown) == sorted(q.answer)
    assert options(q) != list(q.answer) and options(q) == options(q)  # shuffled even without a generator


@pytest.mark.parametrize(
    ("form", "values"),
    [
        ({"q": ["b"]}, ("b",)),
        ({"q": "b"}, ("b",)),
        ({"q": ["z"]}, ()),
        ({"q": ["a", "b"]}, ()),
        ({"q": []}, ()),
        ({"q": 5}, ()),
        ({}, ()),
        ({"q": ["b"], "other": ["a"], "q.a": ["1"]}, ("b",)),
    ],
)
def test_single_reads_exactly_one_known_choice(form, values):
    assert read(parse_question(single(), LANGS), form) == Response(values)


@pytest.mark.parametrize(
    ("form", "values"),
    [
        ({"q": ["c", "a"]}, ("a", "c")),
        ({"q": ["a", "a", "zzz", "../b"]}, ("a",)),
        ({"q": []}, ()),
        ({"x": ["a"]}, ()),
    ],
)
def test_multiple_keeps_known_choices_in_choice_order(form, values):
    assert read(parse_question(multiple(), LANGS), form) == Response(values)


def test_truefalse_reads_true_or_false_only():
    q = parse_question(single(kind="truefalse", answer=True), LANGS)
    assert read(q, {"q": ["true"]}).values == ("true",)
    assert read(q, {"q": ["maybe"]}).values == () and read(q, {"q": ["true", "false"]}).values == ()


def positions(**pos):
    return {f"q.{item}": [str(p)] for item, p in pos.items()}


@pytest.mark.parametrize(
    ("form", "values"),
    [
        (positions(one=1, two=2, three=3, four=4), ("one", "two", "three", "four")),
        (positions(one=2, two=1, three=4, four=3), ("two", "one", "four", "three")),
        (positions(one=1, two=1, three=3, four=4), ()),
        (positions(one=1, two=2, three=3), ()),
        (positions(one=1, two=2, three=3, four=9), ()),
        (positions(one="x", two=2, three=3, four=4), ()),
        ({**positions(one=1, two=2, three=3), "q.four": ["4", "4"]}, ()),
        ({**positions(one=1, two=2, three=3, four=4), "q.five": ["5"]}, ("one", "two", "three", "four")),
        ({"q": ["two", "one", "three", "four"]}, ("two", "one", "three", "four")),
        ({"q": ["two", "two", "three", "four"]}, ()),
    ],
)
def test_ordering_reads_a_position_per_item(form, values):
    assert read(parse_question(ordering(), LANGS), form) == Response(values)


def test_scenario_reads_each_part_under_its_own_name():
    q = parse_question(scenario(), LANGS)
    got = read(q, {"scn/p1": ["b"], "scn/p2": ["true"], "p1": ["a"]})
    assert got.part("scn/p1").values == ("b",) and got.part("scn/p2").values == ("true",)
    assert grade(q, got) == 1.0


def test_response_data_round_trip_and_garbage():
    r = Response(parts=(("s/a", Response(("x",))),))
    assert Response.from_data(r.to_data()) == r and Response.from_data(["b"]) == Response(("b",))
    assert Response.from_data(42) == Response() and Response.from_data(["a", 3]).values == ("a",)
