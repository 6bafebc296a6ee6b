"""Someone who forgot their password gets a new one-time password from their trainer or an admin; admins switch
accounts off and on."""
from sqlalchemy import select

from app import db
from tests.conftest import PASSWORD, login
from training.models import AuditEvent, User


def slip_password(page: str) -> str:
    """The one-time password printed on the slip."""
    return page.split("One-time password</dt><dd dir=\"ltr\"><code>")[1].split("</code>")[0]


def test_a_trainer_gives_a_member_a_new_one_time_password(client, make_user, make_cohort, app):
    trainee = make_user()
    cohort = make_cohort(members=[trainee])
    trainer = db.session.scalar(select(User).where(User.role == "trainer"))
    login(client, trainer.username)
    answer = client.post(f"/cohorts/{cohort.id}/members/{trainee.id}/password")
    assert answer.status_code == 200 and answer.headers["Cache-Control"].startswith("no-store")
    password = slip_password(answer.get_data(as_text=True))
    other = app.test_client()
    assert login(other, trainee.username, PASSWORD).status_code == 200  # the old password no longer works
    assert login(other, trainee.username, password).headers["Location"] == "/account/password"  # choose anew
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "password-reset"))
    assert event.target == f"user:{trainee.id}" and event.actor_id == trainer.id


def test_a_trainer_cannot_reset_someone_outside_their_cohort_or_a_colleague(client, make_user, make_cohort):
    outsider = make_user()
    cohort = make_cohort(members=[make_user()])
    trainer = db.session.scalar(select(User).where(User.role == "trainer"))
    colleague = make_user("trainer", organisation_id=cohort.organisation_id)
    login(client, trainer.username)
    for person in (outsider, colleague):
        assert client.post(f"/cohorts/{cohort.id}/members/{person.id}/password").status_code == 404
        db.session.refresh(person)
        assert person.check_password(PASSWORD)


def test_an_admin_gives_anyone_a_new_one_time_password_and_their_sessions_end(client, as_user, make_user, app):
    coordinator = make_user("coordinator")
    theirs = app.test_client()
    login(theirs, coordinator.username)
    as_user("admin")
    password = slip_password(client.post(f"/admin/users/{coordinator.id}/password").get_data(as_text=True))
    assert theirs.get("/dashboard").status_code == 302  # the session they had is over
    assert login(theirs, coordinator.username, password).headers["Location"] == "/account/password"


def test_a_switched_off_account_cannot_log_in_and_its_session_ends(client, as_user, make_user, app):
    trainee = make_user()
    theirs = app.test_client()
    login(theirs, trainee.username)
    as_user("admin")
    client.post(f"/admin/users/{trainee.id}/switch")
    assert theirs.get("/dashboard").status_code == 302
    page = login(theirs, trainee.username).get_data(as_text=True)
    assert "This account is switched off." in page and theirs.get("/dashboard").status_code == 302
    client.post(f"/admin/users/{trainee.id}/switch")  # and on again
    assert login(theirs, trainee.username).status_code == 302
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.target == f"user:{trainee.id}")).all()
    assert actions == ["account-disabled", "account-enabled"]


def test_an_admin_cannot_switch_off_or_reset_their_own_account(client, as_user):
    me = as_user("admin")
    assert client.post(f"/admin/users/{me.id}/switch").status_code == 404
    assert client.post(f"/admin/users/{me.id}/password").status_code == 404
    db.session.refresh(me)
    assert me.disabled_at is None and me.check_password(PASSWORD)


def test_the_language_chosen_stays_after_logging_out(client, as_user):
    as_user()
    client.post("/language", data={"language": "ru"})
    client.post("/auth/logout")
    assert '<html lang="ru"' in client.get("/auth/login").get_data(as_text=True)
