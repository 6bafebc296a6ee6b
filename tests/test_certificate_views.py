"""Certificates pages: my certificates, settings, downloads by role, and the coordinator's actions."""
import re
from io import BytesIO

import pytest
from conftest import login
from pypdf import PdfReader
from sqlalchemy import func, select
from test_issuing import SLUG, complete, current
from test_unsent_forms import log_in, person, send_late

from app import db
from certificates.issuing import issue_if_eligible
from certificates.models import Certificate
from tests.test_csrf import form_token as token
from training.models import AuditEvent, Organisation


@pytest.fixture
def holder(make_org, make_user, make_cohort):
    """A trainee of an organisation's cohort who holds a certificate; returns (trainee, cohort, certificate)."""
    org = make_org(name="Harm Reduction Alliance")
    trainee = make_user(organisation_id=org.id, certificate_name="Dana Okafor")
    cohort = make_cohort(org=org, members=[trainee])
    complete(trainee)
    (certificate,) = issue_if_eligible(trainee.id, SLUG)
    db.session.commit()
    return trainee, cohort, certificate


def pdf_text(response) -> str:
    """All the text of a PDF response."""
    return "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)


def test_my_certificates_lists_them_with_download_links(client, holder):
    trainee, _cohort, certificate = holder
    login(client, trainee.username)
    body = client.get("/certificates/").get_data(as_text=True)
    assert "Community overdose response" in body and "Valid" in body
    assert f"/certificates/{certificate.id}.pdf" in body and f"/certificates/{certificate.id}-wallet.pdf" in body


def test_the_holder_downloads_their_certificate_and_wallet_card(client, holder):
    trainee, _cohort, certificate = holder
    login(client, trainee.username)
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.mimetype == "application/pdf" and "Dana Okafor" in pdf_text(response)
    assert len(PdfReader(BytesIO(client.get(f"/certificates/{certificate.id}-wallet.pdf").data)).pages) == 2


@pytest.mark.parametrize(("who", "expected"), [
    ("trainer", 200), ("coordinator", 200), ("other-coordinator", 404), ("other-trainee", 404),
    ("other-trainer", 404), ("admin", 200),
])
def test_who_may_download_a_certificate(client, holder, make_user, make_org, who, expected):
    _trainee, cohort, certificate = holder
    if who == "trainer":
        user = cohort.trainers[0]
    elif who.startswith("other-"):
        user = make_user(who.removeprefix("other-"), organisation_id=make_org().id)
    else:
        user = make_user(who, organisation_id=cohort.organisation_id)
    login(client, user.username)
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == expected
    assert client.get(f"/certificates/{certificate.id}-wallet.pdf").status_code == expected


def test_a_trainer_of_the_same_organisation_but_another_cohort_gets_404(client, holder, make_user):
    _trainee, cohort, certificate = holder
    login(client, make_user("trainer", organisation_id=cohort.organisation_id).username)
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 404


def test_anonymous_downloads_go_to_the_login_page(client, holder):
    response = client.get(f"/certificates/{holder[2].id}.pdf")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_settings_save_the_name_and_the_verify_choice(client, as_user):
    user = as_user()
    response = client.post("/certificates/settings", data={"certificate_name": " Айгерим ", "verify_name": "initials"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.certificate_name, user.verify_name) == ("Айгерим", "initials")


def test_settings_refuse_an_unknown_verify_choice(client, as_user):
    user = as_user()
    response = client.post("/certificates/settings", data={"certificate_name": "X", "verify_name": "everything"})
    assert response.status_code == 200 and "Choose one of the options in the list." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.certificate_name is None


def test_the_coordinator_page_is_for_coordinators_only(client, as_user):
    as_user("trainer")
    assert client.get("/certificates/manage").status_code == 403


def test_a_coordinator_awards_by_hand_and_sees_the_exception(client, make_user, make_org):
    org = make_org()
    trainee = make_user(organisation_id=org.id, certificate_name="Élodie Martin")
    login(client, make_user("coordinator", organisation_id=org.id).username)
    response = client.post("/certificates/award", data={"username": trainee.username, "programme": SLUG,
                                                         "reason": "Assessed on paper at the field session"})
    assert response.status_code == 302
    body = client.get("/certificates/manage").get_data(as_text=True)
    assert "Élodie Martin" in body and "Assessed on paper at the field session" in body


def test_a_coordinator_cannot_award_to_another_organisations_trainee(client, make_user, make_org):
    trainee = make_user(organisation_id=make_org().id)
    login(client, make_user("coordinator", organisation_id=make_org().id).username)
    response = client.post("/certificates/award", data={"username": trainee.username, "programme": SLUG,
                                                         "reason": "no reason at all, really"})
    assert "Nobody in your organisation has this username." in response.get_data(as_text=True)
    assert current(trainee) == []


def test_revoke_needs_a_reason_and_is_audited(client, holder, make_user):
    _trainee, cohort, certificate = holder
    login(client, make_user("coordinator", organisation_id=cohort.organisation_id).username)
    blank = {"reason": "", "understood": "y"}
    assert client.post(f"/certificates/{certificate.id}/revoke", data=blank).status_code == 200
    unconfirmed = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "issued by mistake"})
    assert "Tick the box to confirm" in unconfirmed.get_data(as_text=True)
    assert "issued by mistake" in unconfirmed.get_data(as_text=True)  # what was typed is kept
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    confirmed = {"reason": "issued by mistake", "understood": "y"}
    response = client.post(f"/certificates/{certificate.id}/revoke", data=confirmed)
    assert response.status_code == 302
    revoked = db.session.get(Certificate, certificate.id)
    assert revoked.revoked_at and revoked.current_key is None
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "certificate-revoked"))


@pytest.mark.parametrize("change", ["revoke", "reissue"])
def test_a_certificate_that_no_longer_stands_is_never_downloaded_again(client, holder, make_user, change):
    trainee, cohort, certificate = holder
    coordinator = make_user("coordinator", organisation_id=cohort.organisation_id)
    login(client, coordinator.username)
    client.post(f"/certificates/{certificate.id}/{change}",
                data={"reason": "issued by mistake", "name": "Dana Okafor", "understood": "y", "checked": "y"})
    for pdf in (f"/certificates/{certificate.id}.pdf", f"/certificates/{certificate.id}-wallet.pdf"):
        refused = client.get(pdf, follow_redirects=True)
        assert refused.mimetype == "text/html" and "can no longer be downloaded" in refused.get_data(as_text=True)
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert f"/certificates/{certificate.id}.pdf" not in page
    client.post("/auth/logout")
    login(client, trainee.username)
    assert client.get(f"/certificates/{certificate.id}.pdf").headers["Location"].endswith("/certificates/")


def test_reissue_with_a_corrected_name(client, holder, make_user):
    trainee, cohort, certificate = holder
    login(client, make_user("coordinator", organisation_id=cohort.organisation_id).username)
    sent = {"name": " Dana Okafor-Ali ", "checked": "y"}  # spaces around the name are not printed
    response = client.post(f"/certificates/{certificate.id}/reissue", data=sent)
    (new,) = current(trainee)
    assert response.headers["Location"].endswith(f"/certificates/{new.id}")
    assert new.name_printed == "Dana Okafor-Ali" and new.supersedes_id == certificate.id


def test_the_reissue_form_starts_with_the_printed_name_and_a_tick_to_confirm(client, holder, make_user):
    trainee, cohort, certificate = holder
    trainee.certificate_name = "Dana Okafor-Ali"  # chosen after the certificate was printed
    db.session.commit()
    login(client, make_user("coordinator", organisation_id=cohort.organisation_id).username)
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert re.search(r'<input[^>]* name="name"[^>]* value="Dana Okafor"', page) and 'id="checked"' in page
    assert "Name the holder chose: Dana Okafor-Ali" in page


@pytest.mark.parametrize(("sent", "error"), [
    ({"name": "Dana Okafor"}, "Tick the box to confirm"),
    ({"name": "", "checked": "y"}, "Type the name to print on the certificate."),
    ({"name": "   ", "checked": "y"}, "Type the name to print on the certificate."),
])
def test_a_reissue_needs_a_name_and_a_tick_and_changes_nothing_without(client, holder, make_user, sent, error):
    trainee, cohort, certificate = holder
    login(client, make_user("coordinator", organisation_id=cohort.organisation_id).username)
    response = client.post(f"/certificates/{certificate.id}/reissue", data=sent)
    assert response.status_code == 200 and error in response.get_data(as_text=True)
    assert current(trainee) == [certificate] and db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_revoking_a_corrected_copy_makes_the_old_code_say_revoked(client, holder, make_user):
    _trainee, cohort, certificate = holder
    login(client, make_user("coordinator", organisation_id=cohort.organisation_id).username)
    client.post(f"/certificates/{certificate.id}/reissue", data={"name": "Dana Okafor", "checked": "y"})
    corrected = db.session.scalar(select(Certificate).where(Certificate.supersedes_id == certificate.id))
    client.post(f"/certificates/{corrected.id}/revoke", data={"reason": "never trained", "understood": "y"})
    for code in (certificate.code, corrected.code):
        page = client.get(f"/verify/{code}").get_data(as_text=True)
        assert "Revoked on" in page and "Replaced by a newer certificate" not in page


def test_the_audit_trail_says_which_certificate_a_reissue_replaces(client, holder, make_user):
    _trainee, cohort, certificate = holder
    login(client, make_user("coordinator", organisation_id=cohort.organisation_id).username)
    client.post(f"/certificates/{certificate.id}/reissue", data={"name": "Dana Okafor", "checked": "y"})
    page = client.get("/audit").get_data(as_text=True)
    assert f"Replaces certificate no. {certificate.id}" in page and "supersedes certificate:" not in page


def test_another_organisations_coordinator_cannot_see_or_revoke(client, holder, make_user, make_org):
    certificate = holder[2]
    login(client, make_user("coordinator", organisation_id=make_org().id).username)
    assert client.get(f"/certificates/{certificate.id}").status_code == 404
    assert client.post(f"/certificates/{certificate.id}/revoke",
                       data={"reason": "x" * 10, "understood": "y"}).status_code == 404


def test_the_coordinator_page_lists_who_expires_within_60_days(client, make_user, make_org):
    from datetime import timedelta

    from training.models import utcnow

    org = make_org()
    trainee = make_user(organisation_id=org.id, certificate_name="Олег Петренко")
    complete(trainee)
    issue_if_eligible(trainee.id, SLUG, now=utcnow() - timedelta(days=700))
    db.session.commit()
    login(client, make_user("coordinator", organisation_id=org.id).username)
    body = client.get("/certificates/manage").get_data(as_text=True)
    section = body[body.index('id="expiring"'):body.index('id="exceptions"')]
    assert "Олег Петренко" in section


def test_the_coordinator_page_runs_the_same_queries_whatever_the_register_size(app, client, holder, make_user):
    from tests.conftest import count_queries

    _trainee, cohort, _certificate = holder
    login(client, make_user("coordinator", organisation_id=cohort.organisation_id).username)
    before = count_queries(client, "/certificates/manage")
    for _ in range(3):
        more = make_user(organisation_id=cohort.organisation_id)
        complete(more)
        issue_if_eligible(more.id, SLUG)
    db.session.commit()
    assert count_queries(client, "/certificates/manage") == before


def test_the_print_list_links_only_cohorts_with_certificates_to_print(client, holder, make_user, make_cohort):
    trainee, cohort, _certificate = holder
    other_programme = make_cohort(org=db.session.get(Organisation, cohort.organisation_id), members=[trainee],
                                  programme="service-providers", name="Night shift")
    login(client, make_user("coordinator", organisation_id=cohort.organisation_id).username)
    body = client.get("/certificates/manage").get_data(as_text=True)
    prints = body[body.index('id="print"'):body.index('id="register"')]
    assert f"/certificates/cohort/{cohort.id}.pdf" in prints and "1 certificate:" in prints
    # Dana's certificate is for another programme than the night shift's: nothing to print there, and no dead link.
    night = prints[prints.index("Night shift"):]
    assert "no current certificates to print yet" in night and f"/cohort/{other_programme.id}" not in night


def test_an_award_finds_the_username_whatever_its_case_but_not_a_reason_of_spaces(client, make_user, make_org):
    org = make_org()
    trainee = make_user(organisation_id=org.id)
    login(client, make_user("coordinator", organisation_id=org.id).username)
    padded = {"username": trainee.username.upper(), "programme": SLUG, "reason": " " * 9 + "x"}
    assert "between 10 and 2000 characters" in client.post("/certificates/award", data=padded).get_data(as_text=True)
    assert current(trainee) == []
    given = client.post("/certificates/award", data={**padded, "reason": "  Assessed on paper at the session  "})
    assert given.status_code == 302 and current(trainee)[0].manual_reason == "Assessed on paper at the session"


def test_the_holder_reprints_their_certificate_with_a_new_name(client, holder):
    trainee, _cohort, certificate = holder
    login(client, trainee.username)
    page = client.post("/certificates/settings", data={"certificate_name": "Dana O.", "verify_name": "initials",
                                                      "reprint": "y"}, follow_redirects=True).get_data(as_text=True)
    (new,) = current(trainee)
    assert new.name_printed == "Dana O." and new.supersedes_id == certificate.id
    assert "1 certificate now shows this name." in page
    assert "Replaced by a newer certificate" in client.get(f"/verify/{certificate.code}").get_data(as_text=True)


def test_changing_the_name_alone_leaves_issued_certificates_as_they_are(client, holder):
    trainee, _cohort, certificate = holder
    login(client, trainee.username)
    client.post("/certificates/settings", data={"certificate_name": "Dana O.", "verify_name": "initials"})
    assert current(trainee) == [certificate] and certificate.name_printed == "Dana Okafor"


@pytest.mark.parametrize(("change", "typed"), [("revoke", {"reason": "Trained by someone else", "understood": "y"}),
                                               ("reissue", {"name": "Dana Okafor-Ali", "checked": "y"})])
def test_a_correction_sent_after_the_session_ended_comes_back_filled_in_not_done(csrf_app, clock, change, typed):
    org = Organisation(name="Harm Reduction Alliance")
    db.session.add(org)
    db.session.commit()
    person("rosa", "coordinator", org.id)
    trainee = person("dana", organisation_id=org.id)
    complete(trainee)
    (certificate,) = issue_if_eligible(trainee.id, SLUG)
    db.session.commit()
    client = csrf_app.test_client()
    log_in(client, "rosa", shared=True)
    page = f"/certificates/{certificate.id}"
    data = {"csrf_token": token(client, page)} | typed
    answer = send_late(client, clock, f"{page}/{change}", data, page=page)
    log_in(client, "rosa", next_page=answer.headers["Location"].removeprefix("/auth/login"))
    shown = client.get(page).text
    assert "What you filled in before is back in the form." in shown
    for name, value in typed.items():  # a tick comes back ticked, text as it was typed
        field = re.search(rf'<(input|textarea)[^>]* name="{name}"[^>]*>(\s[^<]*</textarea>)?', shown).group(0)
        assert ("checked" if value == "y" else value) in field, name
    kept = db.session.get(Certificate, certificate.id)
    assert kept.revoked_at is None and kept.superseded_at is None  # shown again, never done behind their back
