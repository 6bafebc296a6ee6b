"""Logs: nothing a person typed or any secret ends up there, and no value can forge a log line."""
import logging

from tests.conftest import login

SIGNUP = {"username": "lognewbie", "password": "violet harbour kettle", "confirm": "violet harbour kettle",
          "consent": "y", "language": "en", "audience": "", "sex": "", "age_band": "",
          "display_name": "Zoryana Display"}
ANSWER = "typed-answer-7731"


def test_signup_login_and_form_posts_leave_no_secret_in_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/auth/signup", data=SIGNUP)
    client.post("/auth/logout")
    login(client, "lognewbie", "a wrong password here")
    login(client, "lognewbie", SIGNUP["password"])
    client.post("/quizzes/attempt/1/submit", data={"q1": ANSWER, "free_text": ANSWER})
    cookie = client.get_cookie("session").value
    assert "login-failed" in caplog.text  # the capture did see the site's log lines
    for secret in (SIGNUP["password"], "a wrong password here", cookie, "Zoryana", ANSWER, "lognewbie"):
        assert secret not in caplog.text


def test_a_newline_in_a_logged_value_cannot_forge_a_line(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("training.example").info("login by %s", "bob\n2026-01-01 INFO admin logged in")
    assert caplog.records[-1].getMessage() == "login by bob\\n2026-01-01 INFO admin logged in"
    assert caplog.text.count("\n") == 1


def test_other_control_characters_are_shown_escaped(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("training.example").warning("name=%s", "a\rb\x1b[31mc\u2028d\tе")
    assert caplog.records[-1].getMessage() == "name=a\\rb\\x1b[31mc\\u2028d\\tе"


def test_the_message_template_is_ours_and_printed_as_written(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("training.example").info("two\nlines by %s", "eve\nforged")
    assert caplog.records[-1].getMessage() == "two\nlines by eve\\nforged"
