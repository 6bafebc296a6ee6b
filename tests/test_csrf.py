"""With CSRF protection on, as in production, every POST without a token is refused and changes nothing."""
import re

from sqlalchemy import func, select

from app import db
from tests.conftest import PASSWORD
from training.models import User


def post_rules(app):
    """Every URL rule that accepts POST, with a made-up id for each argument."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            values = {name: sorted(getattr(rule._converters[name], "items", None) or [1])[0]  # noqa: SLF001
                      for name in rule.arguments}
            yield rule.endpoint, adapter.build(rule.endpoint, values)


def row_counts() -> dict[str, int]:
    """Rows per table."""
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def test_every_post_without_a_token_is_refused(csrf_app):
    client, before = csrf_app.test_client(), row_counts()
    answers = {endpoint: client.post(url, data={"username": "x"}).status_code for endpoint, url in post_rules(csrf_app)}
    assert {e: s for e, s in answers.items() if s != 400} == {} and len(answers) > 30
    assert row_counts() == before


def form_token(client, path: str) -> str:
    """The form token a page gives its forms."""
    return re.search(r'name="csrf_token"[^>]* value="([^"]+)"', client.get(path).text).group(1)


def logged_in(app, role: str = "trainee") -> tuple:
    """A new user of a role, logged in through the form with its token (which must go through); client and user."""
    user = User(username="river", role=role)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    client = app.test_client()
    login = {"csrf_token": form_token(client, "/auth/login"), "username": "river", "password": PASSWORD}
    assert client.post("/auth/login", data=login).status_code == 302
    return client, user


def test_a_logged_in_admin_is_refused_too(csrf_app):
    client, _admin = logged_in(csrf_app, "admin")
    before = row_counts()
    answers = {endpoint: client.post(url).status_code for endpoint, url in post_rules(csrf_app)}
    assert {e: s for e, s in answers.items() if s != 400} == {}
    assert row_counts() == before


def test_a_page_left_open_for_hours_still_sends_until_logout(csrf_app, clock):
    client, user = logged_in(csrf_app)
    token = form_token(client, "/dashboard")
    clock(5 * 3600)
    answer = client.post("/language", data={"csrf_token": token, "language": "fr", "next": "/dashboard"})
    assert answer.status_code == 302
    db.session.refresh(user)
    assert user.language == "fr"
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert client.post("/language", data={"csrf_token": token, "language": "es", "next": "/"}).status_code == 400


def test_a_form_sent_after_the_session_ended_returns_to_its_page_and_says_why(csrf_app, clock):
    client, _user = logged_in(csrf_app)
    token = form_token(client, "/learn/naloxone/3")
    clock(9 * 3600)  # past the 8 hours a session may stay unused
    sent = client.post("/learn/naloxone/3/read", data={"csrf_token": token},
                       headers={"Referer": "http://localhost/learn/naloxone/3?x=1"})
    assert sent.headers["Location"] == "/learn/naloxone/3?x=1"
    page = client.get(sent.headers["Location"])
    assert page.headers["Location"].startswith("/auth/login?next=/learn/naloxone/3")  # the page asks for a log-in
    assert "the form was not sent" in client.get(page.headers["Location"]).text
    forged = client.post("/learn/naloxone/3/read", data={"csrf_token": token},
                         headers={"Referer": "http://evil.example/learn/naloxone/3"})
    assert forged.status_code == 400
