"""A form sent after its session ended comes back filled in, once, to the person who typed it, and to no one else."""
import random
import re
from datetime import date

from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import PasswordField

from app import db
from tests.conftest import PASSWORD
from tests.test_csrf import form_token as token
from training.cohorts import Attendance, Cohort, CohortSession, CohortTrainer, Membership, SkillCheck
from training.content import catalog
from training.fieldwork import OverdoseReport
from training.models import Organisation, User
from training.unsent import SECRET_FIELDS

HOUR = 3600
WORDS = "وجدته في الدرج لا يتنفس أعطيته جرعتين من النالوكسون واتصلت بالإسعاف ثم وضعته على جنبه وبقيت معه"
NOTES = " ".join(random.Random(7).choices(WORDS.split(), k=100))[:500]  # Arabic, as long as the form takes


def person(username: str, role: str = "trainee", organisation_id: int | None = None) -> User:
    """Someone in the CSRF-protected app's database."""
    user = User(username=username, role=role, organisation_id=organisation_id)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def log_in(client, username: str, shared: bool = False, next_page: str = ""):
    """Log in through the real form, with its token."""
    data = {"csrf_token": token(client, "/auth/login"), "username": username, "password": PASSWORD}
    return client.post(f"/auth/login{next_page}", data=data | ({"shared": "y"} if shared else {}))


def report(client) -> dict:
    """An overdose report as a witness fills it in on /report, with the page's own token and key."""
    page = client.get("/report").text
    return {
        "csrf_token": re.search(r'name="csrf_token"[^>]* value="([^"]+)"', page).group(1),
        "once": re.search(r'name="once"[^>]* value="([^"]+)"', page).group(1),
        "occurred_on": "2026-11-20", "signs": ["breathing", "blue-lips"], "naloxone_given": "yes", "doses": "2",
        "emergency_called": "unsure", "outcome": "alive", "notes": NOTES,
    }


def send_late(client, clock, path: str, data: dict, idle: float = 31 * 60, page: str | None = None):
    """Send a form from its page after the session has been idle; the browser says which page sent it."""
    clock(idle)
    return client.post(path, data=data, headers={"Referer": f"http://localhost{page or path}"})


def session_of(app, client) -> dict:
    """What the browser's session cookie holds."""
    cookie = client.get_cookie("session")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


def reports() -> int:
    """How many overdose reports are stored."""
    return db.session.scalar(select(func.count()).select_from(OverdoseReport))


def test_a_report_sent_after_a_shared_phone_session_ended_comes_back_after_logging_in(csrf_app, clock):
    client = csrf_app.test_client()
    person("amal")
    log_in(client, "amal", shared=True)
    answer = send_late(client, clock, "/report", report(client))
    assert answer.headers["Location"] == "/auth/login?next=/report"  # a public page: logging in brings it back
    assert "This page had expired, so the form was not sent." in client.get(answer.headers["Location"]).text
    assert log_in(client, "amal", next_page="?next=/report").headers["Location"] == "/report"
    page = client.get("/report").text
    assert "What you filled in before is back in the form." in page
    assert NOTES.strip() in page
    assert '<input checked id="signs-2" name="signs" type="checkbox" value="blue-lips">' in page
    assert 'checked id="emergency_called-2" name="emergency_called" required type="radio" value="unsure">' in page
    assert reports() == 0  # kept, never sent on the person's behalf
    again = client.get("/report").text  # given back once
    assert NOTES.strip() not in again and "What you filled in before" not in again


def test_the_next_person_on_the_phone_never_sees_what_was_kept(csrf_app, clock):
    client = csrf_app.test_client()
    person("amal")
    person("noor")
    log_in(client, "amal", shared=True)
    send_late(client, clock, "/report", report(client))
    log_in(client, "noor")
    page = client.get("/report").text
    assert NOTES.strip() not in page and "What you filled in before" not in page
    assert "unsent_form" not in session_of(csrf_app, client)  # not even carried in noor's cookie


def test_a_form_sent_a_week_after_logging_in_comes_back_after_logging_in_again(csrf_app, clock):
    client = csrf_app.test_client()
    person("amal")
    log_in(client, "amal")
    for _ in range(27):  # in use every day, never idle for long: only the absolute lifetime ends it
        clock(6 * HOUR)
        client.get("/dashboard")
    data = {"csrf_token": token(client, "/account/profile"), "display_name": "Amal R.", "language": "", "audience": "",
            "sex": "", "age_band": "", "region": "", "emergency_number": "911"}
    answer = send_late(client, clock, "/account/profile", data, idle=7 * HOUR)
    assert answer.headers["Location"] == "/auth/login?next=/account/profile"
    log_in(client, "amal", next_page="?next=/account/profile")
    page = client.get("/account/profile").text
    assert 'value="Amal R."' in page and 'value="911"' in page
    assert db.session.scalar(select(User.display_name).where(User.username == "amal")) is None  # not saved behind them


def test_passwords_are_never_kept_and_the_page_says_to_fill_it_in_again(csrf_app, clock):
    client = csrf_app.test_client()
    person("amal")
    log_in(client, "amal")
    data = {"csrf_token": token(client, "/account/password"), "current": PASSWORD, "password": "a new long one 2026",
            "confirm": "a new long one 2026"}
    answer = send_late(client, clock, "/account/password", data, idle=9 * HOUR)
    assert answer.headers["Location"] == "/account/password"
    assert "unsent_form" not in session_of(csrf_app, client)
    login_page = client.get("/account/password", follow_redirects=True).text
    assert "This page had expired, so the form was not sent. Please fill it in again and send it." in login_page
    log_in(client, "amal", next_page="?next=/account/password")
    page = client.get("/account/password").text
    assert "a new long one" not in page and "What you filled in before" not in page


def test_a_form_too_big_for_the_cookie_is_not_kept_and_the_page_says_so(csrf_app, clock):
    client = csrf_app.test_client()
    person("amal")
    log_in(client, "amal")
    letters = [chr(code) for code in range(0x400, 0x4FF)] + [chr(code) for code in range(0x600, 0x6FF)]
    pasted = "".join(random.Random(7).choices(letters, k=3000))  # longer than the form takes, in two scripts
    answer = send_late(client, clock, "/report", report(client) | {"notes": pasted}, idle=9 * HOUR)
    assert "unsent_form" not in session_of(csrf_app, client)
    assert len(answer.headers["Set-Cookie"]) < 4096
    assert "This page had expired, so the form was not sent. Please fill it in again" in client.get("/report").text


def test_a_page_without_a_form_to_take_it_back_asks_for_it_again(csrf_app, clock):
    client = csrf_app.test_client()
    person("amal")
    log_in(client, "amal")
    page = f"/learn/{next(iter(catalog().modules))}/1"
    data = {"csrf_token": token(client, page), "shown_at": "0"}  # the section's hand-written "I have read this"
    send_late(client, clock, f"{page}/read", data, idle=9 * HOUR, page=page)
    log_in(client, "amal")
    assert "Please fill in the form again and send it." in client.get(page).text
    assert "Please fill in the form again" not in client.get(page).text  # said once, then forgotten


def test_a_join_code_sent_too_late_is_back_in_the_dashboard_box(csrf_app, clock):
    client = csrf_app.test_client()
    person("amal")
    log_in(client, "amal")
    data = {"csrf_token": token(client, "/dashboard"), "code": "K7M2QX"}  # the dashboard's hand-written join form
    send_late(client, clock, "/join", data, idle=9 * HOUR, page="/dashboard")
    log_in(client, "amal")
    page = client.get("/dashboard").text
    assert 'name="code" autocomplete="off" autocapitalize="characters" size="10" value="K7M2QX">' in page
    assert "What you filled in before is back in the form." in page
    assert 'value="K7M2QX"' not in client.get("/dashboard").text  # given back once


def trained_cohort() -> tuple[Cohort, list[User], CohortSession]:
    """A cohort whose trainer is olena, with three trainees and one session date."""
    org = Organisation(name="Harm Reduction Kyiv")
    db.session.add(org)
    db.session.commit()
    trainer = person("olena", "trainer", org.id)
    trainees = [person(name, organisation_id=org.id) for name in ("ana", "bo", "cy")]
    cohort = Cohort(organisation_id=org.id, name="Podil", programme_slug="community-response")
    db.session.add(cohort)
    db.session.flush()
    day = CohortSession(cohort_id=cohort.id, held_on=date(2026, 11, 20))
    db.session.add_all([day, CohortTrainer(cohort_id=cohort.id, user_id=trainer.id),
                        *(Membership(cohort_id=cohort.id, user_id=t.id) for t in trainees)])
    db.session.commit()
    return cohort, trainees, day


def table_sent_late(app, clock, table: str, field: str, ticked: list[str]) -> str:
    """Tick boxes of a trainer's table on a shared phone, send it after the session ended, log in again: the page."""
    client = app.test_client()
    log_in(client, "olena", shared=True)
    hidden = re.findall(r'<input type="hidden" name="(csrf_token|table)" value="([^"]*)">', client.get(table).text)
    sent = dict(hidden) | {field: ticked}  # what the page's form sends
    send_late(client, clock, table, sent)
    log_in(client, "olena", next_page=f"?next={table}")
    return client.get(table).text


def ticks(page: str) -> set[str]:
    """The boxes a table shows as ticked."""
    return {value for value, tick in re.findall(r'value="(\d+:[\w-]+)"[^>]*?( checked)?>', page) if tick}


def test_an_attendance_table_sent_too_late_comes_back_ticked_as_it_was(csrf_app, clock):
    cohort, trainees, day = trained_cohort()
    ticked = [f"{day.id}:{trainees[0].id}", f"{day.id}:{trainees[2].id}"]
    page = table_sent_late(csrf_app, clock, f"/cohorts/{cohort.id}/attendance", "present", ticked)
    assert ticks(page) == set(ticked)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0  # shown, not saved
    assert "What you filled in before is back in the form." in page


def test_a_table_sent_too_late_with_every_box_unticked_comes_back_unticked(csrf_app, clock):
    cohort, trainees, day = trained_cohort()
    db.session.add_all(Attendance(session_id=day.id, user_id=trainee.id) for trainee in trainees)
    db.session.commit()
    page = table_sent_late(csrf_app, clock, f"/cohorts/{cohort.id}/attendance", "present", [])
    assert ticks(page) == set() and "What you filled in before is back in the form." in page
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 3  # shown, not saved


def test_a_skills_table_sent_too_late_comes_back_ticked_as_it_was(csrf_app, clock):
    cohort, trainees, _day = trained_cohort()
    skill = catalog().programmes["community-response"].skills[0]["id"]
    ticked = [f"{trainees[1].id}:{skill}"]
    page = table_sent_late(csrf_app, clock, f"/cohorts/{cohort.id}/skills", "signed", ticked)
    assert ticks(page) == set(ticked)
    assert db.session.scalar(select(func.count()).select_from(SkillCheck)) == 0


def test_answers_kept_by_the_version_before_are_ignored_not_an_error(csrf_app):
    client = csrf_app.test_client()
    person("amal")
    log_in(client, "amal")
    with client.session_transaction() as session:
        session["unsent_form"] = {"attempt": 1, "answers": {"q-1": ["a"]}}  # the quiz's own shape, until now
    assert client.get("/account/profile").status_code == 200
    log_in(client, "amal")
    assert "unsent_form" not in session_of(csrf_app, client)


def test_the_names_never_kept_are_exactly_the_password_fields_names(app):  # the app imports every form
    """A password's names are never kept; any other field given one (a tick named "confirm") would never come back."""
    def forms(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from forms(sub)

    fields = [(name, field) for form in forms(FlaskForm) for name, field in vars(form).items()
              if hasattr(field, "field_class")]
    passwords = {name for name, field in fields if field.field_class is PasswordField}
    others = {name for name, field in fields if field.field_class is not PasswordField}
    assert passwords and passwords <= SECRET_FIELDS
    assert not others & SECRET_FIELDS
