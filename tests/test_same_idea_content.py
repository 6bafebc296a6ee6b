"""The real question banks: no quiz of the course asks one idea twice, and every same_idea tag joins questions."""
from collections import Counter

from quizzes.attempts import bank_of, module_quiz, programme_quiz
from quizzes.bank import draw, resolve
from training.content import catalog


def quizzes():
    """Every quiz a trainee can take: each module's, and each programme's final (the pre-test draws alike)."""
    content = catalog()
    yield from (module_quiz(module) for module in content.modules.values())
    yield from (programme_quiz(programme, "final") for programme in content.programmes.values())


def test_no_attempt_of_any_quiz_asks_the_same_idea_twice(app):
    for quiz in quizzes():
        banks = [bank_of(module.slug) for module in quiz.modules]
        for seed in range(150):
            tags = Counter(tag for qid in draw(banks, quiz.rules.draw, seed) for tag in resolve(banks, qid).same_idea)
            assert not [tag for tag, n in tags.items() if n > 1], (quiz.kind, quiz.target, seed)


def test_every_same_idea_tag_is_shared_so_none_is_a_typo(app):
    uses = Counter(tag for module in catalog().modules.values() for question in bank_of(module.slug).questions
                   for tag in question.same_idea)
    assert uses and not [tag for tag, n in uses.items() if n < 2]
