"""A person's data: see it, download it, delete it; retention; under-18 assent."""
from datetime import date, datetime

from sqlalchemy import JSON, String, Text, inspect, select, text

from app import db
from certificates.models import Certificate
from quizzes.models import QuizAttempt
from tests.conftest import PASSWORD, login
from training.models import AuditEvent, ModuleProgress, User
from training.privacy import TOMBSTONE_NAME, months_before, purge_inactive

SECRET_ANSWER = "my-typed-answer-xyz"


def give_history(user, code: str = "ABCDEFGHJKMNPQRS") -> Certificate:
    """A progress row, a quiz attempt and a certificate for the user."""
    db.session.add(ModuleProgress.start(user.id, "naloxone"))
    db.session.add(QuizAttempt(user_id=user.id, kind="module", target="naloxone", language="en", seed=1,
                               questions=["q1"], options={}, rules={}, content_versions={},
                               answers={"q1": SECRET_ANSWER}, score=80, passed=True))
    cert = Certificate(code=code, user_id=user.id, programme_slug="community-response", organisation_id=None,
                       current_key=f"{user.id}:community-response", name_printed=user.certificate_name or "x",
                       language="en", expires_on=date(2030, 1, 1))
    db.session.add(cert)
    db.session.commit()
    return cert


def text_matches(needle: str) -> list[str]:
    """Every table.column whose text (or JSON) contains the needle, across the whole database."""
    hits = []
    inspector = inspect(db.engine)
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if isinstance(column["type"], String | Text | JSON):
                sql = text(f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column["name"]}" AS TEXT) LIKE :n')  # noqa: S608
                if db.session.scalar(sql, {"n": f"%{needle}%"}):
                    hits.append(f"{table}.{column['name']}")
    return hits


def test_my_data_page_shows_profile_progress_and_certificates(client, as_user):
    user = as_user(display_name="Dana", certificate_name="Dana Q")
    give_history(user)
    body = client.get("/account/data").get_data(as_text=True)
    assert "Dana Q" in body and "naloxone" in body and "ABCDEFGHJKMNPQRS" in body


def test_the_profile_leads_to_my_data_and_to_deleting_my_account(client, as_user):
    as_user()
    body = client.get("/account/profile", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/account/data"' in body and 'href="/account/delete"' in body


def test_the_download_holds_my_data_and_nothing_of_anyone_else(client, as_user, make_user):
    other = make_user(display_name="Someone Else")
    give_history(other, code="ZZZZZZZZZZZZZZZZ")
    me = as_user(display_name="Dana")
    response = client.get("/account/data.json")
    data = response.get_json(force=True)
    assert "attachment" in response.headers["Content-Disposition"]
    assert data["profile"]["username"] == me.username and data["certificates"] == []
    assert "Someone Else" not in response.get_data(as_text=True)


def test_the_download_includes_quiz_answers_and_is_audited(client, as_user):
    user = as_user()
    give_history(user)
    data = client.get("/account/data.json").get_json(force=True)
    assert data["quiz_attempts"][0]["answers"] == {"q1": SECRET_ANSWER}
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.actor_id == user.id)) == "data-exported"


def test_a_wrong_password_deletes_nothing(client, as_user):
    user = as_user()
    body = client.post("/account/delete", data={"password": "not it"}).get_data(as_text=True)
    assert "This is not your password." in body
    assert db.session.get(User, user.id) is not None


def test_deleting_leaves_no_trace_but_a_withdrawn_tombstone(client, as_user):
    user = as_user(username="uniqueperson", display_name="Marisol Q", certificate_name="Marisol Quintero")
    cert = give_history(user)
    client.get("/account/data.json")  # leaves an audit event behind
    assert text_matches(SECRET_ANSWER) == ["quiz_attempt.answers"]  # the search does reach JSON columns
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    db.session.expire_all()
    for needle in ("uniqueperson", "Marisol", SECRET_ANSWER):
        assert text_matches(needle) == []
    tomb = db.session.get(Certificate, cert.id)
    assert (tomb.user_id, tomb.name_printed, tomb.current_key) == (None, TOMBSTONE_NAME, None)
    assert tomb.withdrawn_at is not None and db.session.scalar(select(QuizAttempt.id)) is None


def test_deleting_ends_every_session(app, client, as_user):
    user = as_user()
    other_device = app.test_client()
    login(other_device, user.username)
    client.post("/account/delete", data={"password": PASSWORD})
    assert other_device.get("/account/data").status_code == 302
    assert client.get("/account/data").status_code == 302


def test_the_purge_deletes_only_idle_trainees_past_their_organisations_retention(app, make_org, make_user):
    org, keeper = make_org(retention_months=12), make_org()
    idle = make_user(organisation_id=org.id, last_seen_at=datetime(2024, 1, 1))
    recent = make_user(organisation_id=org.id, last_seen_at=datetime(2025, 6, 1))
    trainer = make_user("trainer", organisation_id=org.id, last_seen_at=datetime(2020, 1, 1))
    elsewhere = make_user(organisation_id=keeper.id, last_seen_at=datetime(2020, 1, 1))
    ids = (idle.id, recent.id, trainer.id, elsewhere.id)
    assert purge_inactive(datetime(2025, 12, 1)) == {org.name: 1}
    assert db.session.scalars(select(User.id).where(User.id.in_(ids))).all() == sorted(ids[1:])


def test_the_purge_command_says_what_it_removed(runner, make_org, make_user):
    org = make_org(name="Harm Reduction Kyiv", retention_months=1)
    make_user(organisation_id=org.id, created_at=datetime(2020, 1, 1))
    result = runner.invoke(args=["privacy", "purge"])
    assert "Harm Reduction Kyiv: 1 inactive trainee account(s) deleted." in result.output


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert months_before(datetime(2025, 3, 31, 9), 1) == datetime(2025, 2, 28, 9)
    assert months_before(datetime(2025, 1, 15), 13) == datetime(2023, 12, 15)


SIGNUP = {"username": "young.one", "password": "river stone lantern", "confirm": "river stone lantern",
          "consent": "y", "language": "en", "age_band": "under-18"}


def test_under_18s_see_what_is_stored_without_javascript(client):
    body = client.get("/auth/signup").get_data(as_text=True)
    assert "<details" in body and "Under 18? Read what we store about you" in body


def test_under_18s_must_assent_to_sign_up(client):
    body = client.post("/auth/signup", data=SIGNUP).get_data(as_text=True)
    assert "please read what is stored and tick the box" in body
    assert db.session.scalar(select(User.id)) is None


def test_an_under_18s_assent_is_recorded(client):
    assert client.post("/auth/signup", data={**SIGNUP, "assented_at": "y"}).status_code == 302
    assert db.session.scalar(select(User.assented_at)) is not None


def test_changing_the_profile_to_under_18_asks_for_assent(client, as_user):
    user = as_user()
    form = {"language": "en", "audience": "", "sex": "", "age_band": "under-18"}
    assert "tick the box" in client.post("/account/profile", data=form).get_data(as_text=True)
    assert db.session.get(User, user.id).age_band is None
    client.post("/account/profile", data={**form, "assented_at": "y"})
    db.session.expire_all()
    assert db.session.get(User, user.id).assented_at is not None


def test_privacy_pages_need_login(client):
    for path in ("/account/data", "/account/data.json", "/account/delete"):
        assert client.get(path).headers["Location"].startswith("/auth/login")


def test_my_data_page_shows_coded_values_in_words_and_titles_not_slugs(client, as_user, make_cohort):
    user = as_user(audience="peer", sex="male", verify_name="hidden", language="en")
    give_history(user)
    db.session.add(QuizAttempt(user_id=user.id, kind="pre", target="community-response", language="en", seed=2,
                               questions=[], options={}, rules={}, content_versions={}, answers={}))
    make_cohort(members=[user], name="Osh outreach")
    db.session.commit()
    body = client.get("/account/data").get_data(as_text=True)
    for words in ("A person who uses drugs, or a peer worker", "Male", "No name: only that the certificate is valid",
                  "Trainee", "English", "Naloxone: what it is and how to give it",
                  "Pre-test: Community overdose response"):
        assert words in body
    for code in (">peer<", ">male<", ">hidden<", ">trainee<", ">en<", "module: naloxone", "pre: community-response",
                 ">community-response<"):
        assert code not in body
    assert body.count(">Groups you joined<") == 1  # a heading, not a heading and a caption
    assert str(user.created_at.year) in body and user.created_at.isoformat(sep=" ", timespec="seconds") not in body


def test_my_data_page_is_in_the_readers_language(client, as_user):
    as_user(audience="family", language="ru")
    body = client.get("/account/data").get_data(as_text=True)
    assert "Член семьи или друг" in body and ">Профиль<" in body  # the audience's label, translated
    assert ">family<" not in body and ">ru<" not in body
