"""Throttling, CSRF, headers and error pages."""
import pytest
from sqlalchemy import select

from app import create_app, db
from tests.conftest import login
from training.models import User


def fail(client, username, address="10.0.0.1", **headers):
    """One failed login from an address."""
    return login(client, username, "wrong password!!", environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_repeated_failures_on_one_account_answer_429(client, make_user):
    make_user(username="river")
    statuses = [fail(client, "river", address=f"10.0.0.{i}").status_code for i in range(12)]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]


def test_the_right_password_is_refused_too_while_blocked(client, make_user):
    make_user(username="river")
    for _ in range(10):
        fail(client, "river")
    assert login(client, "river", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 429


def test_failures_spread_over_accounts_are_limited_per_address(client):
    statuses = [fail(client, f"user{i}").status_code for i in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_a_forged_forwarded_for_header_does_not_reset_the_limit(client):
    for i in range(30):
        fail(client, f"user{i}", **{"X-Forwarded-For": f"203.0.113.{i}"})
    assert fail(client, "another", **{"X-Forwarded-For": "198.51.100.7"}).status_code == 429


def test_the_429_page_is_translated(client):
    for i in range(30):
        fail(client, f"user{i}")
    response = fail(client, "x", **{"Accept-Language": "fr"})
    assert response.status_code == 429 and "Trop de tentatives" in response.get_data(as_text=True)


@pytest.fixture
def csrf_client(tmp_path):
    """A client of an app with CSRF protection on, as in production."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/c.db"})
    with app.app_context():
        db.create_all()
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def test_post_without_csrf_token_is_refused_and_changes_nothing(csrf_client):
    data = {"username": "river", "password": "blue kettle morning", "confirm": "blue kettle morning", "consent": "y"}
    response = csrf_client.post("/auth/signup", data=data)
    assert response.status_code == 400
    assert db.session.scalar(select(User.id)) is None


def test_security_headers_on_every_page(client):
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_behind_login_are_not_stored(client, as_user):
    as_user()
    assert client.get("/dashboard").headers["Cache-Control"] == "no-store"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "max-age" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_session_cookie_is_httponly_and_lax(client, make_user):
    make_user(username="river")
    cookie = login(client, "river").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_crash_shows_a_translated_page_without_a_trace(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom", headers={"Accept-Language": "ru"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "secret internals" not in body and "Traceback" not in body
    assert "Что-то пошло не так" in body


@pytest.mark.parametrize(("path", "code"), [("/nowhere", 404), ("/auth/logout", 405)])
def test_error_pages_are_translated(client, path, code):
    response = client.get(path, headers={"Accept-Language": "es"})
    assert response.status_code == code and 'lang="es"' in response.get_data(as_text=True)
