"""Sign-up, log-in, log-out, passwords and sessions."""
import re

import pytest
from sqlalchemy import select

from app import db
from tests.conftest import PASSWORD, login
from training.models import User

GOOD = {"username": "river", "password": "blue kettle morning", "confirm": "blue kettle morning", "consent": "y"}


def test_signup_needs_only_username_password_and_consent(client):
    response = client.post("/auth/signup", data=GOOD)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "river"))
    assert user.display_name is None and user.sex is None and user.age_band is None
    assert user.consented_at is not None and user.last_seen_at is not None  # "My data" shows the first log-in
    assert user.password_hash.startswith("scrypt:") and "blue" not in user.password_hash


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "at least 10"), ("password123", "too common"), ("river-and-sea-1", "username"),
     ("x" * 1025, "at most 1024")],  # longer than the login form takes: the account could never be used
)
def test_signup_refuses_weak_passwords(client, password, message):
    response = client.post("/auth/signup", data=GOOD | {"password": password, "confirm": password})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "river")) is None


def test_signup_accepts_a_long_emoji_password(client):
    emoji = "🌿" * 64
    assert client.post("/auth/signup", data=GOOD | {"password": emoji, "confirm": emoji}).status_code == 302


def test_signup_refuses_a_taken_username_whatever_its_case(client, make_user):
    make_user(username="river")
    response = client.post("/auth/signup", data=GOOD | {"username": "River"})
    assert "This username is taken" in response.get_data(as_text=True)


def test_signup_refuses_a_username_with_a_newline(client):
    response = client.post("/auth/signup", data=GOOD | {"username": "eve\nINFO admin logged in"})
    assert response.status_code == 200
    assert db.session.scalar(select(User.id)) is None


def test_signup_requires_consent(client):
    response = client.post("/auth/signup", data={k: v for k, v in GOOD.items() if k != "consent"})
    assert response.status_code == 200 and db.session.scalar(select(User.id)) is None


def test_login_ignores_case_and_redirects_to_dashboard(client, make_user):
    make_user(username="river")
    response = login(client, "  River ")
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")


def test_unknown_user_and_wrong_password_get_the_same_answer(client, make_user):
    make_user(username="river")
    unknown = login(client, "nobody", follow_redirects=True).get_data(as_text=True)
    wrong = login(client, "river", "wrong password!!", follow_redirects=True).get_data(as_text=True)
    assert "Wrong username or password." in unknown
    without_tokens = re.compile(r'name="csrf_token" value="[^"]*"')  # signed with the current second
    assert without_tokens.sub("", unknown).replace("nobody", "river") == without_tokens.sub("", wrong)


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "\\/evil"]
)
def test_next_never_leaves_the_site(client, make_user, target):
    make_user(username="river")
    response = login(client, "river", query_string={"next": target})
    assert response.headers["Location"] == "/dashboard"


def test_next_keeps_a_local_path(client, make_user):
    make_user(username="river")
    assert login(client, "river", query_string={"next": "/account/profile"}).headers["Location"] == "/account/profile"


def test_pages_behind_login_send_visitors_to_login_with_next(client):
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=/account/profile")


def test_logout_ends_every_copy_of_the_session(app, client, make_user):
    make_user(username="river")
    login(client, "river")
    other = app.test_client()
    login(other, "river")
    client.post("/auth/logout")
    assert client.get("/account/profile").status_code == 302
    assert other.get("/account/profile").status_code == 302


def test_a_replayed_session_cookie_is_dead_after_logout(app, client, make_user):
    make_user(username="river")
    login(client, "river")
    cookie = client.get_cookie("session").value
    client.post("/auth/logout")
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/account/profile").status_code == 302


def test_password_change_logs_out_other_devices_but_not_this_one(app, client, make_user):
    make_user(username="river")
    login(client, "river")
    other = app.test_client()
    login(other, "river")
    data = {"current": PASSWORD, "password": "new lantern harbour", "confirm": "new lantern harbour"}
    assert client.post("/account/password", data=data).status_code == 302
    assert client.get("/account/profile").status_code == 200
    assert other.get("/account/profile").status_code == 302
    assert login(app.test_client(), "river", "new lantern harbour").status_code == 302


def test_password_change_needs_the_current_password(client, as_user):
    as_user()
    data = {"current": "not it at all", "password": "new lantern harbour", "confirm": "new lantern harbour"}
    assert "This is not your current password." in client.post("/account/password", data=data).get_data(True)


def test_profile_fields_are_optional_and_saved(client, as_user):
    user = as_user(display_name="Sam")
    data = {"display_name": "", "language": "fr", "audience": "family", "sex": "", "age_band": "", "region": " "}
    assert client.post("/account/profile", data=data).status_code == 302
    db.session.refresh(user)
    assert (user.display_name, user.language, user.audience, user.region) == (None, "fr", "family", None)


def test_one_time_password_forces_a_new_password(client, make_user):
    make_user(username="river", must_change_password=True)
    assert login(client, "river").headers["Location"] == "/account/password"


def test_one_time_password_holder_cannot_go_elsewhere_first(client, make_user):
    make_user(username="river", must_change_password=True)
    login(client, "river")
    assert client.get("/dashboard").headers["Location"] == "/account/password"


def test_signup_returns_to_a_local_next_page(client):
    response = client.post("/auth/signup", query_string={"next": "/join/ABCD2345"}, data=GOOD)
    assert response.headers["Location"] == "/join/ABCD2345"


def test_a_nul_character_sent_in_a_form_is_dropped_not_stored(client):
    # Nobody types one, but a crafted form may carry it; PostgreSQL refuses it in text and the page would crash.
    data = GOOD | {"username": "river", "display_name": "Ana\x00María", "region": "O\x00sh"}
    assert client.post("/auth/signup", data=data).status_code == 302
    user = db.session.scalar(select(User).where(User.username == "river"))
    assert (user.display_name, user.region) == ("AnaMaría", "Osh")


def test_a_form_sent_back_with_mistakes_starts_with_a_summary_linking_each_field(client):
    page = client.post("/auth/signup", data={"username": "river", "password": "x", "confirm": "x"}).get_data(
        as_text=True)
    start = page.index('class="error-summary" role="alert"')
    summary = page[start:page.index("</ul>", start)]
    assert '<a href="#password">Password</a> <span>Use at least 10 characters.</span>' in summary
    assert '<a href="#consent">' in summary  # a tick box is announced as wrong too
    assert re.search(r'<input aria-describedby="consent-error" aria-invalid="true" id="consent"', page)
    assert "error-summary" not in client.get("/auth/signup").get_data(as_text=True)


def test_sign_up_promises_nothing_its_own_questions_break(client):
    page = client.get("/auth/signup").get_data(as_text=True)
    assert "A person who uses drugs" in page  # an optional answer, so the page may not say it never asks
    assert "never ask" not in page and "You never have to say whether you use drugs" in page
