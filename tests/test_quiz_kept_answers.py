"""Quiz answers sent after the session ended are kept, and come back only to their owner after logging in."""
import re

from sqlalchemy import select

from app import db
from quizzes.models import QuizAttempt
from tests.conftest import PASSWORD
from tests.test_csrf import form_token as token
from tests.test_quiz_web import SLUG, answers
from training.models import User

TAKE = f"/quizzes/module/{SLUG}"


def trainee(username: str) -> None:
    """A trainee in the CSRF-protected app's database."""
    user = User(username=username, role="trainee")
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()


def log_in(client, username: str, shared: bool = False, next_page: str = ""):
    """Log in through the real form, with its token."""
    data = {"csrf_token": token(client, "/auth/login"), "username": username, "password": PASSWORD}
    return client.post(f"/auth/login{next_page}", data=data | ({"shared": "y"} if shared else {}))


def checked(html: str) -> dict[str, list[str]]:
    """The choices a take page shows as chosen, by field."""
    chosen: dict[str, list[str]] = {}
    for name, value in re.findall(r'name="([^"]+)" value="([^"]+)" checked', html):
        chosen.setdefault(name, []).append(value)
    return {name: sorted(values) for name, values in chosen.items()}


def start_quiz(client) -> tuple[QuizAttempt, dict]:
    """Start the module quiz; return the attempt and right answers to its choice questions."""
    client.post(TAKE, data={"csrf_token": token(client, TAKE)})
    attempt = db.session.scalar(select(QuizAttempt))
    picked = {name: sorted(values) for name, values in answers(attempt).items() if "." not in name}  # no orderings
    return attempt, picked


def send_after_lapse(client, clock, attempt, picked):
    """Send the answers with the token of a page shown 31 minutes ago, on a shared phone."""
    stale = token(client, TAKE)
    clock(31 * 60)
    return client.post(f"/quizzes/attempt/{attempt.id}/submit", data={"csrf_token": stale, **picked},
                       headers={"Referer": f"http://localhost{TAKE}"})


def test_answers_sent_after_the_session_ended_come_back_after_logging_in(csrf_app, clock):
    client = csrf_app.test_client()
    trainee("amal")
    log_in(client, "amal", shared=True)
    attempt, picked = start_quiz(client)
    answer = send_after_lapse(client, clock, attempt, picked)
    assert answer.headers["Location"] == f"/auth/login?next={TAKE}"
    login_page = client.get(answer.headers["Location"]).text
    assert "This page had expired, so the form was not sent." in login_page
    assert log_in(client, "amal", next_page=f"?next={TAKE}").headers["Location"] == TAKE
    page = client.get(TAKE).text
    assert "What you filled in before is back in the form." in page
    assert checked(page) == picked and picked
    assert db.session.get(QuizAttempt, attempt.id).submitted_at is None  # kept, not sent on the person's behalf
    assert checked(client.get(TAKE).text) == {}  # given back once: a reload shows what the browser keeps


def test_kept_answers_never_reach_the_next_person_on_the_phone(csrf_app, clock):
    client = csrf_app.test_client()
    trainee("amal")
    trainee("noor")
    log_in(client, "amal", shared=True)
    attempt, picked = start_quiz(client)
    send_after_lapse(client, clock, attempt, picked)
    log_in(client, "noor")
    client.post(TAKE, data={"csrf_token": token(client, TAKE)})  # the same quiz, noor's own attempt
    page = client.get(TAKE).text
    assert "What you filled in before" not in page and checked(page) == {}
