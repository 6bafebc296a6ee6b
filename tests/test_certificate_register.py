"""The coordinator's register: search by name, username or code, what no longer stands, pages, query count."""
from datetime import date, timedelta

import pytest
from conftest import count_queries, login

from app import db
from certificates import manage
from certificates.codes import format_code, new_code
from certificates.models import Certificate
from training.models import utcnow

SLUG = "community-response"


@pytest.fixture
def register(make_org, make_user):
    """Factory: a certificate of an organisation, standing unless told it was revoked or replaced."""

    def make(org, name, holder=None, **fields) -> Certificate:
        holder = holder or make_user(organisation_id=org.id)
        ended = fields.get("revoked_at") or fields.get("superseded_at")
        certificate = Certificate(code=new_code(), user_id=holder.id, programme_slug=SLUG, organisation_id=org.id,
                                  current_key=None if ended else f"{holder.id}:{SLUG}", name_printed=name,
                                  language="en", **{"expires_on": date.today() + timedelta(days=700), **fields})
        db.session.add(certificate)
        db.session.commit()
        return certificate

    return make


def sections(client, **args) -> tuple[str, str]:
    """The register page's two lists: the certificates that stand, and those revoked or replaced."""
    body = client.get("/certificates/manage", query_string=args).get_data(as_text=True)
    return body[body.index('id="register"'):body.index('id="ended"')], body[body.index('id="ended"'):]


def test_a_search_finds_part_of_a_name_in_any_case(client, make_user, make_org, register):
    org = make_org()
    register(org, "Dana Okafor")
    register(org, "Олег Петренко")
    register(org, "Someone Else")
    login(client, make_user("coordinator", organisation_id=org.id).username)
    for typed, found in (("okaf", "Dana Okafor"), ("OKAFOR", "Dana Okafor"), ("олег", "Олег Петренко"),
                         ("ПЕТРЕНКО", "Олег Петренко"), ("петр", "Олег Петренко")):
        standing, _ended = sections(client, q=typed)
        assert found in standing and "Someone Else" not in standing, typed


def test_a_search_finds_a_username_and_a_code_typed_any_way(client, make_user, make_org, register):
    org = make_org()
    register(org, "Dana Okafor", holder=make_user(username="dana77", organisation_id=org.id))
    wanted = register(org, "Amira Haddad")
    register(org, "Someone Else")
    login(client, make_user("coordinator", organisation_id=org.id).username)
    assert "Dana Okafor" in sections(client, q="DANA7")[0]
    for typed in (format_code(wanted.code), format_code(wanted.code).lower(), wanted.code.lower(), f" {wanted.code} "):
        standing, _ended = sections(client, q=typed)
        assert "Amira Haddad" in standing and "Someone Else" not in standing and "Dana" not in standing, typed


def test_a_search_never_reaches_another_organisation(client, make_user, make_org, register):
    org, other = make_org(), make_org()
    theirs = register(other, "Dana Okafor")
    register(other, "Dana Other", revoked_at=utcnow(), revoke_reason="mistake")
    login(client, make_user("coordinator", organisation_id=org.id).username)
    for typed in ("Dana", theirs.code):
        standing, ended = sections(client, q=typed)
        assert "Dana" not in standing and "Dana" not in ended
        assert "No certificate matches" in standing


def test_revoked_and_replaced_certificates_are_listed_newest_first_with_links(client, make_user, make_org, register):
    org = make_org()
    now = utcnow()
    older = register(org, "Replaced Long Ago", superseded_at=now - timedelta(days=30))
    newer = register(org, "Revoked Yesterday", revoked_at=now - timedelta(days=1), revoke_reason="mistake")
    register(org, "Still Standing")
    login(client, make_user("coordinator", organisation_id=org.id).username)
    standing, ended = sections(client)
    assert "Still Standing" in standing and "Revoked Yesterday" not in standing and "Replaced Long" not in standing
    assert ended.index("Revoked Yesterday") < ended.index("Replaced Long Ago")
    assert '<span class="status">Revoked</span>' in ended and '<span class="status">Replaced</span>' in ended
    assert f"/certificates/{newer.id}\"" in ended and f"/certificates/{older.id}\"" in ended


def test_the_heading_says_what_the_list_holds_expired_ones_included(client, make_user, make_org, register):
    org = make_org()
    register(org, "Expired Holder", expires_on=date.today() - timedelta(days=3))
    login(client, make_user("coordinator", organisation_id=org.id).username)
    standing, _ended = sections(client)
    assert "Certificates not revoked or replaced" in standing and "Current certificates" not in standing
    assert "Expired Holder" in standing and '<span class="status">Expired</span>' in standing


def test_the_register_is_split_into_pages_that_keep_the_search(client, make_user, make_org, register, monkeypatch):
    monkeypatch.setattr(manage, "PAGE_SIZE", 2)
    org = make_org()
    for name in ("Ana One", "Ana Two", "Ana Three", "Bob Four"):
        register(org, name)
    login(client, make_user("coordinator", organisation_id=org.id).username)
    first, _ended = sections(client, q="ana")
    assert "Page 1 of 2" in first and "Bob Four" not in first
    assert "page=2" in first and "q=ana" in first
    second, _ended = sections(client, q="ana", page=2)
    assert "Ana Two" in second and "Ana One" not in second


def test_the_page_runs_the_same_queries_whatever_the_number_of_certificates(client, make_user, make_org, register):
    org = make_org()
    login(client, make_user("coordinator", organisation_id=org.id).username)
    register(org, "Dana First")
    register(org, "Dana Gone", revoked_at=utcnow(), revoke_reason="mistake")
    before = [count_queries(client, "/certificates/manage", query_string=args) for args in ({}, {"q": "dana"})]
    for i in range(6):
        register(org, f"Dana {i}")
        register(org, f"Dana Replaced {i}", superseded_at=utcnow())
    after = [count_queries(client, "/certificates/manage", query_string=args) for args in ({}, {"q": "dana"})]
    assert after == before
