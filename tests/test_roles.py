"""Who may open what: the role matrix for administration."""
import pytest
from sqlalchemy import select

from app import db
from tests.conftest import login
from training.access import role_required
from training.models import ROLES, AuditEvent

ADMIN_PAGES = ["/admin/users"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, path):
    assert client.get(path).headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize(("role", "status"), [("trainee", 403), ("trainer", 403), ("coordinator", 403), ("admin", 200)])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_only_admins_see_administration(client, as_user, role, status, path):
    as_user(role)
    assert client.get(path).status_code == status


def test_admin_makes_a_trainee_a_trainer_of_an_organisation(client, as_user, make_user, make_org):
    as_user("admin")
    org, other = make_org(), make_user("trainee")
    response = client.post(f"/admin/users/{other.id}/role", data={"role": "trainer", "organisation": str(org.id)})
    assert response.status_code == 302
    db.session.refresh(other)
    assert (other.role, other.organisation_id) == ("trainer", org.id)


@pytest.mark.parametrize("role", ["trainer", "coordinator"])
def test_staff_roles_need_an_organisation(client, as_user, make_user, role):
    as_user("admin")
    other = make_user("trainee")
    page = client.post(f"/admin/users/{other.id}/role", data={"role": role, "organisation": "none"},
                       follow_redirects=True).get_data(as_text=True)
    db.session.refresh(other)
    assert other.role == "trainee" and "works for an organisation: choose one for" in page


def test_a_coordinator_left_without_an_organisation_manages_nothing(client, make_user, make_org):
    org = make_org()
    make_user("trainee", organisation_id=org.id)
    login(client, make_user("coordinator").username)  # as older data or a deleted link could leave one
    for path in ("/certificates/manage", "/cohorts", "/reports", "/audit", "/kits/"):
        assert client.get(path).status_code == 403, path
    assert 'href="/cohorts"' not in client.get("/dashboard").get_data(as_text=True)  # no staff pages offered


def test_moving_an_account_to_another_organisation_is_recorded(client, as_user, make_user, make_org):
    as_user("admin")
    old, new = make_org(name="Old Town"), make_org(name="New Town")
    other = make_user("trainer", organisation_id=old.id)
    client.post(f"/admin/users/{other.id}/role", data={"role": "trainer", "organisation": str(new.id)})
    db.session.refresh(other)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation-changed"))
    assert other.organisation_id == new.id and event.detail == "Old Town → New Town"


def test_an_unknown_role_is_refused(client, as_user, make_user):
    as_user("admin")
    other = make_user("trainee")
    answer = client.post(f"/admin/users/{other.id}/role", data={"role": "superuser"}, follow_redirects=True)
    db.session.refresh(other)
    assert other.role == "trainee" and "Nothing was changed" in answer.get_data(as_text=True)


def test_admin_cannot_remove_their_own_admin_role(client, as_user):
    me = as_user("admin")
    client.post(f"/admin/users/{me.id}/role", data={"role": "trainee", "organisation": "none"})
    db.session.refresh(me)
    assert me.role == "admin"


def test_a_trainee_cannot_change_roles(client, as_user, make_user):
    as_user("trainee")
    other = make_user("trainee")
    assert client.post(f"/admin/users/{other.id}/role", data={"role": "admin"}).status_code == 403
    db.session.refresh(other)
    assert other.role == "trainee"


@pytest.mark.parametrize("role", ROLES)
def test_role_required_lets_in_the_named_role_and_admins(app, client, as_user, make_org, role):
    app.add_url_rule("/only-trainers", "only_trainers", role_required("trainer")(lambda: "ok"))
    as_user(role, organisation_id=make_org().id)
    expected = 200 if role in ("trainer", "admin") else 403
    assert client.get("/only-trainers").status_code == expected
