"""Sessions end after 8 hours without use and a week after logging in (ASVS 7.3.1, 7.3.2), with a frozen clock."""
import pytest

from tests.conftest import PASSWORD, login

HOUR = 3600


@pytest.fixture
def logged_in(client, make_user):
    """A trainee logged in through the form."""
    make_user(username="river")
    assert login(client, "river").status_code == 302
    return client


def test_eight_hours_without_use_ends_the_session(logged_in, clock):
    clock(8 * HOUR - 60)
    assert logged_in.get("/dashboard").status_code == 200
    clock(8 * HOUR + 60)
    assert logged_in.get("/dashboard").headers["Location"].startswith("/auth/login")


def test_a_session_in_use_stays_open_past_eight_hours(logged_in, clock):
    for _ in range(3):  # 21 hours after logging in, never 8 hours idle
        clock(7 * HOUR)
        assert logged_in.get("/dashboard").status_code == 200


def test_a_week_after_logging_in_the_password_is_asked_again(logged_in, clock):
    for _ in range(27):  # used every 6 hours for 6¾ days
        clock(6 * HOUR)
        assert logged_in.get("/dashboard").status_code == 200
    clock(6 * HOUR)
    answer = logged_in.get("/dashboard")
    assert answer.headers["Location"].startswith("/auth/login?next=/dashboard")
    assert "For your safety, please log in again." in logged_in.get(answer.headers["Location"]).text
    assert logged_in.get("/dashboard").headers["Location"].startswith("/auth/login")


def test_the_cookie_is_signed_again_only_every_few_minutes_and_ends_with_the_browser(logged_in, clock):
    logged_in.get("/dashboard")
    clock(60)
    assert "Set-Cookie" not in logged_in.get("/dashboard").headers  # nothing changed: no new cookie
    clock(20 * 60)
    cookie = logged_in.get("/dashboard").headers["Set-Cookie"]
    assert "Expires" not in cookie and "Max-Age" not in cookie


def test_a_form_sent_a_week_after_logging_in_leads_to_the_login_page(logged_in, clock):
    for _ in range(27):
        clock(6 * HOUR)
        logged_in.get("/dashboard")
    clock(7 * HOUR)
    answer = logged_in.post("/language", data={"language": "fr", "next": "/dashboard"})
    assert answer.headers["Location"] == "/auth/login"  # not back to an address only a form can open



def test_on_a_shared_phone_half_an_hour_without_use_ends_the_session(client, make_user, clock):
    make_user(username="shared")
    answer = client.post("/auth/login", data={"username": "shared", "password": PASSWORD, "shared": "y"})
    assert answer.status_code == 302
    for _ in range(3):  # an hour and a half in use, never half an hour idle
        clock(25 * 60)
        assert client.get("/dashboard").status_code == 200
    clock(31 * 60)
    assert client.get("/dashboard").headers["Location"].startswith("/auth/login")


def test_the_login_form_tells_the_browser_what_each_field_is(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'autocomplete="username"' in page and 'autocomplete="current-password"' in page
    assert "This is a shared phone or computer" in page


def test_a_session_ended_unused_still_shows_the_login_page_in_the_persons_language(client, make_user, clock):
    make_user(username="fatima", language="ar")
    login(client, "fatima")
    clock(9 * HOUR)
    answer = client.get("/dashboard", headers={"Accept-Language": "en"})
    page = client.get(answer.headers["Location"], headers={"Accept-Language": "en"}).text
    assert '<html lang="ar" dir="rtl">' in page
    assert client.get("/dashboard").headers["Location"].startswith("/auth/login")  # and nothing else carried over


def test_a_forged_session_cookie_carries_nothing_over(client):
    client.set_cookie("session", "eyJsYW5ndWFnZSI6ImFyIn0.aaaaaa.forged")  # {"language": "ar"}, not our signature
    assert '<html lang="en" dir="ltr">' in client.get("/auth/login", headers={"Accept-Language": "en"}).text
