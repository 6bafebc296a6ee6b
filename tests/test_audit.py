"""The audit trail: what is recorded, how the address is hidden, and who may read it."""
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app import db
from tests.conftest import login
from training.audit import ACTION_LABELS, keyed_hash, record
from training.models import AuditEvent


def events(action: str) -> list[AuditEvent]:
    """Stored events of one kind."""
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_failed_login_is_recorded_without_the_typed_name_or_raw_address(client, make_user):
    user = make_user(username="olena")
    login(client, "olena", "wrong password")
    [event] = events("login-failed")
    assert "olena" not in (event.target or "") and event.actor_id is None
    assert event.address_hash == keyed_hash("127.0.0.1") and "127.0.0.1" not in event.address_hash
    assert user.id  # the account itself is untouched


def test_a_role_change_is_recorded_with_the_old_and_new_role(client, as_user, make_user, make_org):
    admin = as_user("admin")
    other = make_user("trainee", organisation_id=make_org().id)
    client.post(f"/admin/users/{other.id}/role", data={"role": "trainer", "organisation": str(other.organisation_id)})
    [event] = events("role-changed")
    assert (event.actor_id, event.target, event.detail) == (admin.id, f"user:{other.id}", "trainee -> trainer")


def test_record_outside_a_request_has_no_actor_or_address(app, make_org):
    org = make_org()
    record("accounts-purged", detail="3", organisation_id=org.id, commit=True)
    [event] = events("accounts-purged")
    assert (event.actor_id, event.address_hash, event.organisation_id) == (None, None, org.id)


def test_admins_see_every_organisations_events(client, as_user, make_org):
    as_user("admin")
    for org in (make_org(), make_org()):
        record("certificate-issued", target=f"organisation:{org.id}", organisation_id=org.id, actor=None)
    db.session.commit()
    table = client.get("/audit").get_data(as_text=True).split("<table")[1]  # the filter's options carry codes
    assert table.count("<td>Certificate issued</td>") == 2 and "certificate-issued" not in table


def test_coordinators_see_only_their_organisations_events(client, as_user, make_org):
    mine, theirs = make_org(), make_org()
    as_user("coordinator", organisation_id=mine.id)
    record("roster-exported", target="cohort:1", organisation_id=mine.id, actor=None)
    record("roster-exported", target="cohort:2", organisation_id=theirs.id, actor=None)
    db.session.commit()
    body = client.get("/audit").get_data(as_text=True)
    assert '<a href="/cohorts/1">Cohort no. 1</a>' in body and "Cohort no. 2" not in body


@pytest.mark.parametrize("role", ["trainee", "trainer"])
def test_trainees_and_trainers_may_not_read_the_audit_trail(client, as_user, role):
    as_user(role)
    assert client.get("/audit").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    assert client.get("/audit").headers["Location"].startswith("/auth/login")


def test_no_route_edits_or_deletes_audit_events(app, client, as_user):
    as_user("admin")
    methods = {m for rule in app.url_map.iter_rules() if rule.endpoint.startswith("audit.") for m in rule.methods}
    assert methods <= {"GET", "HEAD", "OPTIONS"}
    assert client.post("/audit").status_code == 405


def test_the_audit_page_is_paginated_in_a_fixed_number_of_queries(app, client, as_user):
    as_user("admin")
    db.session.add_all(AuditEvent(action="data-exported", target=f"user:{n}") for n in range(60))
    db.session.commit()
    statements = []
    with db.engine.connect():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        first = client.get("/audit").get_data(as_text=True)
        second = client.get("/audit?page=2").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert len(statements) <= 8


def test_roster_and_report_exports_are_recorded(client, make_cohort, make_user):
    from sqlalchemy import select

    from app import db
    from tests.conftest import login
    from training.models import AuditEvent

    cohort = make_cohort()
    coordinator = make_user("coordinator", organisation_id=cohort.organisation_id)
    login(client, coordinator.username)
    assert client.get(f"/cohorts/{cohort.id}/roster.csv").status_code == 200
    assert client.get("/reports/export.csv").status_code == 200
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == coordinator.id)).all()
    assert {"roster-exported", "report-exported"} <= set(actions)


def test_the_audit_page_names_each_action_in_plain_words(client, as_user):
    as_user("admin")
    for action in ("certificate-revoked", "report-exported", "roster-exported", "login-failed", "made-up-action"):
        record(action, actor=None)
    db.session.commit()
    body = client.get("/audit").get_data(as_text=True)
    for words in ("Certificate revoked", "Report downloaded", "Roster downloaded", "Failed log-in"):
        assert words in body
    assert ">certificate-revoked<" not in body and ">report-exported<" not in body
    assert ">made-up-action<" in body  # a code without a label is still shown, as it is


def test_every_recorded_action_has_a_label():
    root = Path(__file__).parent.parent
    sources = "".join(p.read_text() for d in ("training", "quizzes", "certificates") for p in (root / d).rglob("*.py"))
    used = set(re.findall(r'(?:record|_audit|_audit_certificate)\(\s*"([a-z-]+)"', sources))
    used |= set(re.findall(r'"(certificate-[a-z]+)"', sources))
    assert used and used <= set(ACTION_LABELS)


def test_the_object_of_an_event_is_named_in_words_and_links_to_its_page(client, as_user, make_org):
    org = make_org()
    as_user("coordinator", organisation_id=org.id)
    for target in ("certificate:7", "user:46", "name-hash:ab12", "cohort:x"):
        record("certificate-revoked", target=target, organisation_id=org.id, actor=None)
    db.session.commit()
    body = client.get("/audit").get_data(as_text=True)
    assert '<a href="/certificates/7">Certificate no. 7</a>' in body and "<td>Account no. 46</td>" in body
    assert "<td>A username (kept scrambled)</td>" in body and "<td>Cohort no. x</td>" in body  # no link to nowhere


def test_details_the_code_writes_are_shown_in_words_and_typed_ones_as_written(client, as_user, make_org):
    org = make_org()
    as_user("coordinator", organisation_id=org.id)
    for action, detail in (("roster-exported", "xlsx, 4 rows"), ("report-exported", "funder report CSV"),
                           ("certificates-printed", "wallet: 3"), ("role-changed", "trainee -> trainer"),
                           ("organisation-settings", "paper_size, logo"),
                           ("certificate-revoked", "issued to the wrong person")):
        record(action, target=None, detail=detail, organisation_id=org.id, actor=None)
    db.session.commit()
    body = client.get("/audit").get_data(as_text=True)
    for shown in ("XLSX file, 4 rows", "Funder report (CSV)", "3 wallet cards", "Trainee → Trainer",
                  "Paper size and Logo", "issued to the wrong person"):
        assert f"<td>{shown}</td>" in body


def test_changed_settings_are_named_in_the_readers_language(client, as_user, make_org):
    org = make_org()
    as_user("coordinator", organisation_id=org.id, language="fr")
    record("organisation-settings", target=None, detail="paper_size, emergency_number", organisation_id=org.id,
           actor=None)
    db.session.commit()
    body = client.get("/audit").get_data(as_text=True)
    assert "paper_size" not in body and "<td>Format du papier et Numéro d&#39;urgence</td>" in body


def test_the_trail_narrows_by_action_person_and_dates_and_its_pages_keep_that(client, as_user, make_org, make_user):
    org = make_org()
    me = as_user("coordinator", organisation_id=org.id)
    other = make_user("trainer", username="kemal", organisation_id=org.id)
    for _ in range(60):
        record("roster-exported", target="cohort:1", detail="csv, 3 rows", organisation_id=org.id, actor=other)
    record("certificate-revoked", target="certificate:9", organisation_id=org.id, actor=me)
    old = record("certificate-revoked", target="certificate:8", organisation_id=org.id, actor=me)
    old.at = datetime(2024, 6, 1, 12)
    db.session.commit()
    page = client.get("/audit?action=certificate-revoked").get_data(as_text=True)
    assert "2 events" in page and "Roster downloaded" not in page.split("<table")[1]
    assert "1 event" in client.get("/audit?action=certificate-revoked&start=2025-01-01").get_data(as_text=True)
    kemal = client.get("/audit?who=KEM").get_data(as_text=True)
    next_page = re.search(r'href="/audit\?([^"]*)">Next', kemal).group(1)
    assert "60 events" in kemal and sorted(next_page.split("&amp;")) == ["page=2", "who=KEM"]
    wrong = client.get("/audit?start=2026-05-01&end=2026-04-01").get_data(as_text=True)
    assert "The end date must be on or after the start date." in wrong and "61 events" in wrong  # end not applied
