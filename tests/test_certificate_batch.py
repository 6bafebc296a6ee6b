"""A cohort's certificates as one PDF or as wallet sheets: order, access, literal names, CLI, demo data."""
import time
from io import BytesIO

import pytest
from conftest import login
from pypdf import PdfReader
from test_issuing import SLUG, complete

from app import db
from certificates.demo import load_demo_certificates
from certificates.issuing import issue_if_eligible, revoke
from certificates.models import Certificate
from certificates.rendering import certificate_view
from tests.conftest import count_queries
from training.models import utcnow

NAMES = ("Zoë Adams", "Айгерим Садыкова", "<b>Bold</b> & Co", "anna Berg", "فاطمة علي")


@pytest.fixture
def cohort(make_org, make_user, make_cohort):
    """A cohort whose members all hold certificates, under the names above."""
    org = make_org(name="Harm Reduction Alliance")
    members = [make_user(organisation_id=org.id, certificate_name=name) for name in NAMES]
    cohort = make_cohort(org=org, members=members)
    for member in members:
        complete(member)
        issue_if_eligible(member.id, SLUG)
    db.session.commit()
    return cohort


def pages(response) -> list[str]:
    """The text of each page of a PDF response."""
    return [page.extract_text() for page in PdfReader(BytesIO(response.data)).pages]


def test_the_cohort_pdf_has_a_page_per_member_ordered_by_name(client, cohort):
    login(client, cohort.trainers[0].username)
    texts = pages(client.get(f"/certificates/cohort/{cohort.id}.pdf"))
    expected = sorted(NAMES, key=str.casefold)
    assert len(texts) == len(NAMES)
    assert [next(i for i, name in enumerate(expected) if name in text or name == "فاطمة علي") for text in texts[:4]] \
        == [0, 1, 2, 3]


def test_hostile_markup_in_a_name_prints_literally(client, cohort):
    login(client, cohort.trainers[0].username)
    assert any("<b>Bold</b> & Co" in text for text in pages(client.get(f"/certificates/cohort/{cohort.id}.pdf")))


def test_revoked_certificates_are_left_out(client, cohort):
    revoke(db.session.query(Certificate).first(), "mistake", cohort.trainers[0], utcnow())
    db.session.commit()
    login(client, cohort.trainers[0].username)
    assert len(pages(client.get(f"/certificates/cohort/{cohort.id}.pdf"))) == len(NAMES) - 1


def test_wallet_sheets_hold_ten_cards_front_and_back(client, cohort, make_user):
    login(client, cohort.trainers[0].username)
    response = client.get(f"/certificates/cohort/{cohort.id}-wallet.pdf")
    assert response.mimetype == "application/pdf" and len(pages(response)) == 2


@pytest.mark.parametrize(("who", "expected"), [("other-trainer", 404), ("other-coordinator", 404),
                                               ("coordinator", 200), ("trainee", 403)])
def test_who_may_print_a_cohort(client, cohort, make_user, make_org, who, expected):
    org_id = make_org().id if who.startswith("other-") else cohort.organisation_id
    login(client, make_user(who.removeprefix("other-"), organisation_id=org_id).username)
    assert client.get(f"/certificates/cohort/{cohort.id}.pdf").status_code == expected


def test_anonymous_printing_goes_to_login(client, cohort):
    assert "/auth/login" in client.get(f"/certificates/cohort/{cohort.id}.pdf").headers["Location"]


def test_batch_queries_do_not_grow_with_the_cohort(app, client, make_user, make_cohort, cohort):
    member = make_user(organisation_id=cohort.organisation_id, certificate_name="Solo")
    small = make_cohort(org=cohort.organisation, trainer=cohort.trainers[0], members=[member])
    complete(member)
    issue_if_eligible(member.id, SLUG)
    db.session.commit()
    login(client, cohort.trainers[0].username)
    assert count_queries(client, f"/certificates/cohort/{cohort.id}.pdf") == \
        count_queries(client, f"/certificates/cohort/{small.id}.pdf")


def test_the_qr_code_opens_the_public_verify_address(app, cohort):
    certificate = db.session.query(Certificate).first()
    view = certificate_view(certificate, cohort.organisation)
    assert view.verify_url == f"https://academy.example/verify/{certificate.code}"


def test_the_print_command_writes_the_cohort_with_a_progress_bar(runner, cohort, tmp_path):
    out = tmp_path / "cohort.pdf"
    result = runner.invoke(args=["certificates", "print", "--cohort", str(cohort.id), "--format", "wallet",
                                 "--out", str(out)])
    assert result.exit_code == 0 and "Wrote 2 pages for 5 people" in result.output
    assert len(PdfReader(out).pages) == 2


def test_the_print_command_explains_an_unknown_cohort(runner, tmp_path):
    result = runner.invoke(args=["certificates", "print", "--cohort", "999", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "there is no cohort number 999" in result.output


def test_demo_certificates_load_once_with_an_expired_and_a_revoked_one(app):
    assert load_demo_certificates() == 5 and load_demo_certificates() == 0
    certificates = db.session.query(Certificate).all()
    assert sum(c.revoked_at is not None for c in certificates) == 1
    assert sum(c.expires_on < utcnow().date() for c in certificates) == 1
    assert {"Айгерим Садыкова", "فاطمة الزهراء بن علي", "Dana Okafor"} <= {c.name_printed for c in certificates}


@pytest.fixture
def large(app, monkeypatch, tmp_path):
    """Treat more than two people as a large batch, with jobs kept in a temporary folder."""
    from certificates import batch

    monkeypatch.setattr(batch, "LARGE_BATCH", 2)
    app.config["PRINT_JOBS_DIR"] = str(tmp_path / "jobs")


def wait_until_ready(client, location: str) -> str:
    """Reload the progress page until the PDF is ready; return the page."""
    for _ in range(100):
        body = client.get(location).get_data(as_text=True)
        if "Download the PDF" in body or "could not be prepared" in body:
            return body
        time.sleep(0.1)
    raise AssertionError("the batch never finished")


def test_a_large_batch_is_drawn_in_the_background_with_progress(client, cohort, large):
    login(client, cohort.trainers[0].username)
    assert "Prepare the certificates" in client.get(f"/certificates/cohort/{cohort.id}.pdf").get_data(as_text=True)
    response = client.post(f"/certificates/cohort/{cohort.id}/print", data={"kind": "certificate"})
    location = response.headers["Location"]
    first = client.get(location)
    assert "drawn" in first.get_data(as_text=True) or "Ready" in first.get_data(as_text=True)
    assert "Ready: 5 people." in wait_until_ready(client, location)
    with client.get(f"{location}.pdf") as response:
        assert len(pages(response)) == len(NAMES)


def test_only_the_person_who_started_a_background_batch_sees_it(client, cohort, large, make_user):
    login(client, cohort.trainers[0].username)
    location = client.post(f"/certificates/cohort/{cohort.id}/print", data={"kind": "wallet"}).headers["Location"]
    wait_until_ready(client, location)
    login(client, make_user("coordinator", organisation_id=cohort.organisation_id).username)
    assert client.get(location).status_code == 404 and client.get(f"{location}.pdf").status_code == 404
