"""Banks: loading quiz.yaml, each problem check_bank names, quiz rules, drawing and resolving ids."""

import pytest
import yaml

from quizzes.bank import Bank, QuizRules, check_bank, draw, load_bank, resolve
from quizzes.kinds import parse_question
from quizzes.questions import BankError

LANGS = ["en", "fr"]
T = {"en": "Text", "fr": "Texte"}
KINDS = {
    "single": {"choices": {"a": T, "b": T}, "answer": "a"},
    "multiple": {"choices": {"a": T, "b": T, "c": T}, "answer": ["a", "c"], "scoring": "partial"},
    "truefalse": {"answer": False},
    "ordering": {"items": {"x": T, "y": T, "z": T}},
}


def entry(qid, kind="single", **over):
    return {"id": qid, "kind": kind, "prompt": T, "explanation": T, **KINDS[kind], **over}


def scenario(qid="scn", parts=2, **over):
    return {"id": qid, "kind": "scenario", "case": T, "parts": [entry(f"p{n}") for n in range(parts)], **over}


def good_questions():
    kinds = ["single", "multiple", "truefalse", "ordering"] * 2
    return [entry(f"q{n}", kind) for n, kind in enumerate(kinds)] + [scenario()]


def module(tmp_path, questions=None, slug="test-module", folder="03-test", text=None, **rules):
    folder = tmp_path / folder
    folder.mkdir()
    (folder / "module.yaml").write_text(yaml.safe_dump({"slug": slug, "languages": LANGS}))
    body = {"questions": good_questions() if questions is None else questions, **rules}
    (folder / "quiz.yaml").write_text(text if text is not None else yaml.safe_dump(body, allow_unicode=True))
    return folder


def test_load_good_bank(tmp_path):
    bank = load_bank(module(tmp_path, pass_mark=70), LANGS)
    assert bank.slug == "test-module" and [q.local_id for q in bank.questions][:2] == ["q0", "q1"]
    assert bank.by_id["scn/p1"].id == "test-module:scn/p1" and bank.by_id["q0"].id == "test-module:q0"
    assert bank.rules.pass_mark == 70 and check_bank(module(tmp_path, folder="04-ok"), LANGS) == []


def test_slug_falls_back_to_the_folder_name(tmp_path):
    folder = module(tmp_path, folder="07-rights")
    (folder / "module.yaml").unlink()
    assert load_bank(folder, LANGS).slug == "rights"


@pytest.mark.parametrize(
    ("questions", "text", "reason"),
    [
        (None, "questions: [unclosed", "not valid YAML"),
        (None, "- just a list", "needs a top-level 'questions:' list"),
        (good_questions() + [entry("q1")], None, "question 'q1': duplicate id"),
        (
            good_questions()[1:] + [entry("q0", prompt={"en": "Only English"})],
            None,
            "missing 'fr' text for prompt",
        ),
        (
            good_questions() + [entry("bad", answer="z")],
            None,
            "question 'bad': answer 'z' is not one of its choices",
        ),
        (good_questions() + [entry("o", "ordering", items={"x": T, "y": T})], None, "needs at least 3 items"),
        (good_questions() + [scenario("s5", parts=5)], None, "a scenario needs 2 to 4 parts, it has 5"),
        (good_questions() + [scenario("s1", parts=1)], None, "a scenario needs 2 to 4 parts, it has 1"),
    ],
)
def test_check_bank_names_file_and_reason(tmp_path, questions, text, reason):
    folder = module(tmp_path, questions, text=text)
    problems = check_bank(folder, LANGS)
    assert any(p.startswith(str(folder / "quiz.yaml") + ": ") and reason in p for p in problems), problems
    with pytest.raises(BankError, match="quiz.yaml"):
        load_bank(folder, LANGS)


def test_check_bank_counts_questions_and_kinds(tmp_path):
    problems = check_bank(module(tmp_path, [entry(f"q{n}") for n in range(3)] + [scenario()]), LANGS)
    assert any("has 4 questions, needs at least 8" in p for p in problems)
    assert any("uses 2 kinds (scenario, single), needs at least 3" in p for p in problems)


def test_check_bank_reports_a_missing_picture(tmp_path):
    folder = module(tmp_path, good_questions() + [scenario("pic", picture="floor.svg")])
    assert check_bank(folder, LANGS) == [
        f"{folder / 'quiz.yaml'}: question 'pic': picture 'floor.svg' does not exist"
    ]
    (folder / "floor.svg").write_text("<svg/>")
    assert check_bank(folder, LANGS) == [
        f"{folder / 'quiz.yaml'}: question 'pic': picture 'floor.svg' has no description in en.md: "
        "show it there as ![description](floor.svg)"
    ]
    (folder / "en.md").write_text("## Look\n\n![A person lying on the floor](floor.svg)\n")
    assert check_bank(folder, LANGS) == []


def test_check_bank_reports_a_missing_file_and_bad_rules(tmp_path):
    assert check_bank(tmp_path, LANGS) == [f"{tmp_path / 'quiz.yaml'}: file is missing"]
    assert any("quiz rules: pass_mark" in p for p in check_bank(module(tmp_path, pass_mark=120), LANGS))


def test_quiz_rules_defaults_round_trip_and_validation():
    rules = QuizRules.from_mapping({"pass_mark": 70, "attempts": 3, "questions": []})
    assert QuizRules.from_mapping(rules.to_dict()) == rules and QuizRules().to_dict()["attempts"] is None
    for bad in ({"pass_mark": "80"}, {"draw": 0}, {"attempts": 0}, {"review": "sometimes"}, {"shuffle": 1}):
        with pytest.raises(ValueError):
            QuizRules.from_mapping(bad)


def test_answers_shown_only_after_pass_or_last_attempt():
    rules = QuizRules(attempts=3)
    assert not rules.shows_answers(passed=False, attempts_used=2)
    assert rules.shows_answers(passed=True, attempts_used=1) and rules.shows_answers(False, 3)
    assert not QuizRules().shows_answers(False, 99) and QuizRules(review="always").shows_answers(False, 0)
    assert not QuizRules(attempts=3, wait_hours=24).shows_answers(False, 3)  # more tries come after the wait


def bank(slug, size, ideas=None):
    """A bank of `size` questions; `ideas` maps question numbers to their same_idea tag."""
    tags = ideas or {}
    questions = tuple(parse_question(entry(f"q{n}", **({"same_idea": tags[n]} if n in tags else {})), LANGS,
                                     prefix=f"{slug}:") for n in range(size))
    return Bank(slug, questions, {q.local_id: q for q in questions})


def test_draw_one_bank_distinct_and_deterministic():
    one = [bank("m", 10)]
    ids = draw(one, 5, seed=7)
    assert len(ids) == len(set(ids)) == 5 and all(i.startswith("m:") for i in ids)
    assert draw(one, 5, seed=7) == ids and len({tuple(draw(one, 5, seed=s)) for s in range(10)}) > 1
    assert sorted(draw(one, 50, seed=1)) == sorted(q.id for q in one[0].questions)


def test_draw_several_banks_covers_each_and_spreads_evenly():
    banks = [bank("a", 10), bank("b", 10), bank("c", 2)]
    for seed in range(30):
        counts = [sum(i.startswith(f"{b.slug}:") for i in draw(banks, 10, seed)) for b in banks]
        assert sum(counts) == 10 and min(counts) >= 1 and counts[2] <= 2 and abs(counts[0] - counts[1]) <= 1
    assert draw(banks, 10, seed=3) == draw(banks, 10, seed=3)


def test_draw_never_puts_two_questions_on_one_idea_in_an_attempt():
    # The same idea asked in two modules, and twice within module b: a test must not repeat itself.
    banks = [bank("a", 3, {0: "only-opioids"}), bank("b", 4, {1: "only-opioids", 2: "only-opioids"})]
    drawn_a = set()
    for seed in range(60):
        ids = draw(banks, 4, seed)
        twins = {"a:q0", "b:q1", "b:q2"} & set(ids)
        assert len(ids) == len(set(ids)) == 4 and len(twins) <= 1, ids
        drawn_a |= twins
    assert drawn_a == {"a:q0", "b:q1", "b:q2"}  # each twin still gets its turn


def test_draw_keeps_the_attempt_long_when_only_twins_are_left():
    ids = draw([bank("a", 2, {0: "x", 1: "x"})], 2, seed=5)
    assert sorted(ids) == ["a:q0", "a:q1"]


def test_same_idea_tag_must_be_a_plain_id(tmp_path):
    questions = good_questions()
    questions[0]["same_idea"] = "Not A Tag"
    problems = check_bank(module(tmp_path, questions), LANGS)
    assert any("same_idea 'Not A Tag' must be lowercase-with-dashes" in p for p in problems)


def test_a_question_on_two_ideas_is_kept_apart_from_both():
    scenario_bank = bank("a", 2, {0: ["second-dose", "injection-site"]})
    others = bank("b", 3, {0: "second-dose", 1: "injection-site"})
    draws = [set(draw([scenario_bank, others], 2, seed)) for seed in range(60)]
    assert not [d for d in draws if "a:q0" in d and d & {"b:q0", "b:q1"}]
    assert {"a:q0", "b:q2"} in draws


def test_draw_needs_at_least_one_question_per_bank():
    with pytest.raises(ValueError, match="at least one each"):
        draw([bank("a", 5), bank("b", 5), bank("c", 5)], 2, seed=1)


def test_resolve_qualified_ids(tmp_path):
    banks = [load_bank(module(tmp_path), LANGS), bank("other", 3)]
    assert (
        resolve(banks, "test-module:q2").kind == "truefalse" and resolve(banks, "other:q1").id == "other:q1"
    )
    assert resolve(banks, "test-module:scn/p0").id == "test-module:scn/p0"
    with pytest.raises(KeyError):
        resolve(banks, "other:q9")
