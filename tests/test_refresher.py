"""A passed final can be taken again as a refresher only when the certificate is about to lapse."""
from datetime import datetime, timedelta

from quizzes.attempts import programme_quiz, refresher_opens, refusal
from quizzes.models import QuizAttempt
from training.content import catalog

PROGRAMME = "community-response"


def passed_final(on: datetime) -> QuizAttempt:
    """A submitted, passed final assessment."""
    return QuizAttempt(kind="final", target=PROGRAMME, score=90, passed=True, started_at=on, submitted_at=on)


def test_a_recent_pass_cannot_be_retaken(app):
    quiz = programme_quiz(catalog().programmes[PROGRAMME], "final")
    now = datetime(2026, 11, 1)
    with app.test_request_context():
        reason = refusal(quiz, [passed_final(now - timedelta(days=30))], now)
    assert reason == "You have already passed this assessment."


def test_the_refresher_opens_sixty_days_before_the_two_years_end(app):
    passed_on = datetime(2024, 11, 1)
    opens = refresher_opens(passed_on, PROGRAMME)
    assert timedelta(days=660) < opens - passed_on < timedelta(days=675)
    quiz = programme_quiz(catalog().programmes[PROGRAMME], "final")
    with app.test_request_context():
        assert refusal(quiz, [passed_final(passed_on)], opens + timedelta(days=1)) is None
