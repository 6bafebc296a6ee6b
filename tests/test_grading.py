"""Grading: per kind, scenarios, tampering, determinism, the pass mark and knowledge gain."""

import pytest

from quizzes.grading import grade_attempt, knowledge_gain
from quizzes.kinds import parse_question
from quizzes.questions import Response

LANGS = ["en"]
T = {"en": "text"}


def make(qid, kind, **fields):
    return parse_question({"id": qid, "kind": kind, "prompt": T, "explanation": T, **fields}, LANGS)


def choose(qid, answer="b"):
    return make(qid, "single", choices={c: T for c in "abcd"}, answer=answer)


def pick_many(qid="m", scoring="all-or-nothing"):
    return make(qid, "multiple", choices={c: T for c in "abcd"}, answer=["a", "b", "c"], scoring=scoring)


def case(qid="scn"):
    parts = [
        {"id": f"p{n}", "kind": "truefalse", "prompt": T, "explanation": T, "answer": True} for n in range(3)
    ]
    return parse_question({"id": qid, "kind": "scenario", "case": T, "parts": parts}, LANGS)


def r(*values):
    return Response(values)


@pytest.mark.parametrize(
    ("question", "response", "earned"),
    [
        (choose("s"), r("b"), 1.0),
        (choose("s"), r("a"), 0.0),
        (choose("s"), r(), 0.0),
        (make("t", "truefalse", answer=False), r("false"), 1.0),
        (make("t", "truefalse", answer=False), r("true"), 0.0),
        (make("o", "ordering", items={"x": T, "y": T, "z": T}), r("x", "y", "z"), 1.0),
        (make("o", "ordering", items={"x": T, "y": T, "z": T}), r("x", "z", "y"), 0.0),
        (pick_many(), r("a", "b", "c"), 1.0),
        (pick_many(), r("a", "b"), 0.0),
        (pick_many(scoring="partial"), r("a", "b"), 2 / 3),
        (pick_many(scoring="partial"), r("a", "b", "d"), 1 / 3),
        (pick_many(scoring="partial"), r("a", "d"), 0.0),
        (pick_many(scoring="partial"), r("a", "b", "c", "d"), 2 / 3),
    ],
)
def test_each_kind_earns_its_fraction(question, response, earned):
    result = grade_attempt([question], {question.id: response}, 80)
    assert result.outcomes[question.id].earned == pytest.approx(earned)
    assert result.outcomes[question.id].correct is (earned == 1.0)


def test_scenario_is_worth_one_point_per_part():
    scn = case()
    answers = Response(parts=(("scn/p0", r("true")), ("scn/p1", r("false")), ("scn/p2", r("true"))))
    result = grade_attempt([scn, choose("s")], {"scn": answers, "s": r("b")}, 80)
    assert (result.points, result.possible, result.score, result.passed) == (3.0, 4, 75, False)
    assert result.outcomes["scn/p1"].correct is False and result.outcomes["scn/p1"].key == ("true",)
    assert result.outcomes["scn"].earned == pytest.approx(2 / 3) and not result.outcomes["scn"].correct


def test_answers_to_questions_not_drawn_are_ignored():
    drawn = [choose("s1"), choose("s2")]
    result = grade_attempt(drawn, {"s1": r("b"), "s2": r("a"), "s3": r("b"), "s9": r("b")}, 50)
    assert (result.points, result.possible, result.score) == (1.0, 2, 50)
    assert set(result.outcomes) == {"s1", "s2"}


@pytest.mark.parametrize(
    "tampered",
    [
        r("b", "b"),
        r("a", "b", "c", "d"),
        Response(parts=(("s", r("b")),)),
        "b",
        ["b"],
        None,
    ],
)
def test_tampered_responses_earn_nothing(tampered):
    result = grade_attempt([choose("s"), choose("t")], {"s": tampered, "t": r("a")}, 1)
    assert result.points == 0 and result.score == 0 and not result.passed


def test_score_never_exceeds_100_even_if_a_question_is_listed_twice():
    question = choose("s")
    result = grade_attempt([question, question], {"s": r("b")}, 80)
    assert (result.score, result.possible, result.points) == (100, 1, 1.0)


def test_same_answers_give_the_same_result():
    drawn = [choose("s"), pick_many(scoring="partial"), case()]
    answers = {"s": r("b"), "m": r("a", "d"), "scn": Response(parts=(("scn/p0", r("true")),))}
    assert grade_attempt(drawn, answers, 80) == grade_attempt(drawn, dict(answers), 80)


@pytest.mark.parametrize(("right", "passed"), [(79, False), (80, True)])
def test_pass_mark_boundary(right, passed):
    drawn = [choose(f"q{n}") for n in range(100)]
    answers = {f"q{n}": r("b" if n < right else "a") for n in range(100)}
    result = grade_attempt(drawn, answers, 80)
    assert (result.score, result.passed) == (right, passed)


def test_score_rounds_half_up():
    drawn = [pick_many(f"m{n}", scoring="partial") for n in range(2)] + [choose(f"s{n}") for n in range(6)]
    answers = {"m0": r("a"), "s0": r("b")}  # 1/3 + 1 = 4/3 of 8 points = 16.67%
    assert grade_attempt(drawn, answers, 80).score == 17
    assert grade_attempt([choose(f"s{n}") for n in range(8)], {"s0": r("b")}, 80).score == 13  # 12.5


def test_nothing_drawn_scores_zero_and_fails():
    result = grade_attempt([], {"s": r("b")}, 0)
    assert (result.score, result.passed, result.possible) == (0, False, 0)


@pytest.mark.parametrize(
    ("pre", "final", "gain"), [(40, 90, 50), (90, 80, -10), (None, 80, None), (40, None, None)]
)
def test_knowledge_gain_in_percentage_points(pre, final, gain):
    assert knowledge_gain(pre, final) == gain
