"""The public verify page: each answer, the holder's name as they chose, rate limits, and nothing else."""
import re
from datetime import timedelta

import pytest
from test_issuing import SLUG, complete

from app import db
from certificates.codes import format_code, new_code
from certificates.issuing import issue_if_eligible, reissue, revoke
from training.models import utcnow


@pytest.fixture
def issue(make_org, make_user):
    """Issue a certificate to a new trainee with these account fields, optionally some days ago."""

    def make(days_ago: int = 0, **fields):
        org = make_org(name="Harm Reduction Alliance")
        user = make_user(organisation_id=org.id, **{"certificate_name": "Dana Okafor", **fields})
        complete(user, when=utcnow() - timedelta(days=days_ago + 1))
        (certificate,) = issue_if_eligible(user.id, SLUG, now=utcnow() - timedelta(days=days_ago))
        db.session.commit()
        return certificate

    return make


def page(client, code: str) -> str:
    """The verify page's text for a code."""
    return client.get(f"/verify/{code}").get_data(as_text=True)


def test_a_valid_certificate_shows_programme_organisation_and_dates(client, issue):
    certificate = issue(verify_name="full")
    body = page(client, certificate.code)
    assert "Valid certificate" in body and "Community overdose response" in body
    assert "Harm Reduction Alliance" in body and "Dana Okafor" in body and format_code(certificate.code) in body


@pytest.mark.parametrize(("choice", "shown", "absent"), [
    ("full", "Dana Okafor", None), ("initials", "D. O.", "Dana"), ("hidden", "Not shown, as the holder chose", "Dana"),
])
def test_the_name_is_shown_as_the_holder_chose(client, issue, choice, shown, absent):
    body = page(client, issue(verify_name=choice).code)
    assert shown in body and (absent is None or absent not in body)


def test_an_expired_certificate_says_since_when(client, issue):
    certificate = issue(days_ago=800)
    body = page(client, certificate.code)
    assert f"Expired on {certificate.expires_on.strftime('%B')}" in body and "Valid certificate" not in body


def test_a_revoked_certificate_says_since_when_but_never_why(client, issue):
    certificate = issue()
    revoke(certificate, "Secret reason about the holder", certificate.holder, utcnow())
    db.session.commit()
    body = page(client, certificate.code)
    assert "Revoked on" in body and "Secret reason" not in body


def test_a_superseded_certificate_points_to_its_replacement_date(client, issue):
    certificate = issue()
    reissue(certificate, certificate.holder, utcnow(), "Dana O.")
    db.session.commit()
    assert "Replaced by a newer certificate on" in page(client, certificate.code)


def test_unknown_and_withdrawn_codes_get_the_same_answer(client, issue):
    certificate = issue()
    certificate.withdrawn_at = utcnow()
    db.session.commit()
    other = new_code()
    unknown, withdrawn = client.get(f"/verify/{other}"), client.get(f"/verify/{certificate.code}")
    assert unknown.status_code == withdrawn.status_code == 404
    assert "No certificate has this code." in withdrawn.get_data(as_text=True)
    assert same_page(unknown.get_data(as_text=True).replace(other, "CODE")) == \
        same_page(withdrawn.get_data(as_text=True).replace(certificate.code, "CODE"))


def same_page(html: str) -> str:
    """The page without its form tokens, which carry the second they were signed in."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)


def test_a_typo_is_caught_by_the_check_character(client, issue):
    code = issue().code
    typo = code[:3] + ("X" if code[3] != "X" else "Y") + code[4:]
    assert "This code has a typo." in page(client, typo)


def test_the_form_accepts_a_code_as_printed_and_redirects(client, issue):
    code = issue().code
    response = client.post("/verify", data={"code": format_code(code).lower().replace("-", " ")})
    assert response.headers["Location"].endswith(f"/verify/{code}")
    typo = client.post("/verify", data={"code": code[:-1] + ("0" if code[-1] != "0" else "1")})
    assert "This code has a typo." in typo.get_data(as_text=True)


def test_the_page_tells_nothing_else(client, issue):
    certificate = issue(verify_name="full", audience="peer", display_name="Dee")
    body = page(client, certificate.code)
    assert certificate.holder.username not in body and "Dee" not in body
    assert not re.search(r"[\w.]+@[\w.]+\.\w+", body)
    assert "peer" not in body.lower() and "drug" not in body.lower()


def test_hostile_markup_in_a_name_is_escaped(client, issue):
    body = page(client, issue(verify_name="full", certificate_name="<script>alert(1)</script>").code)
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_verification_is_rate_limited(client):
    code = new_code()
    statuses = [client.get(f"/verify/{code}").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


def test_the_verify_page_needs_no_login(client):
    assert client.get("/verify").status_code == 200
