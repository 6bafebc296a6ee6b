"""Who may open what: the role matrix for administration."""
import pytest

from app import db
from training.access import role_required
from training.models import ROLES

ADMIN_PAGES = ["/admin/users"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, path):
    assert client.get(path).headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize(("role", "status"), [("trainee", 403), ("trainer", 403), ("coordinator", 403), ("admin", 200)])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_only_admins_see_administration(client, as_user, role, status, path):
    as_user(role)
    assert client.get(path).status_code == status


def test_admin_changes_a_role(client, as_user, make_user):
    as_user("admin")
    other = make_user("trainee")
    response = client.post(f"/admin/users/{other.id}/role", data={"role": "trainer"})
    assert response.status_code == 302
    db.session.refresh(other)
    assert other.role == "trainer"


def test_an_unknown_role_is_refused(client, as_user, make_user):
    as_user("admin")
    other = make_user("trainee")
    answer = client.post(f"/admin/users/{other.id}/role", data={"role": "superuser"}, follow_redirects=True)
    db.session.refresh(other)
    assert other.role == "trainee" and "Nothing was changed" in answer.get_data(as_text=True)


def test_admin_cannot_remove_their_own_admin_role(client, as_user):
    me = as_user("admin")
    client.post(f"/admin/users/{me.id}/role", data={"role": "trainee"})
    db.session.refresh(me)
    assert me.role == "admin"


def test_a_trainee_cannot_change_roles(client, as_user, make_user):
    as_user("trainee")
    other = make_user("trainee")
    assert client.post(f"/admin/users/{other.id}/role", data={"role": "admin"}).status_code == 403
    db.session.refresh(other)
    assert other.role == "trainee"


@pytest.mark.parametrize("role", ROLES)
def test_role_required_lets_in_the_named_role_and_admins(app, client, as_user, role):
    app.add_url_rule("/only-trainers", "only_trainers", role_required("trainer")(lambda: "ok"))
    as_user(role)
    expected = 200 if role in ("trainer", "admin") else 403
    assert client.get("/only-trainers").status_code == expected
