"""The dashboard reminds a holder whose certificate has expired or soon will, and leads to how to renew it."""
from datetime import date, timedelta

from app import db
from certificates.issuing import award_manually, revoke
from tests.conftest import count_queries
from training.models import utcnow

SLUG = "community-response"  # valid for two years


def certificate_from(user, coordinator, days_ago: int):
    """A certificate awarded to the user that many days ago."""
    certificate = award_manually(user, SLUG, "Trained in the field", coordinator, utcnow() - timedelta(days=days_ago))
    db.session.commit()
    return certificate


def long_date(day: date) -> str:
    """A date as the English pages write it."""
    return f"{day:%B} {day.day}, {day.year}"


def dashboard(client, language: str = "en") -> str:
    """The dashboard's HTML."""
    response = client.get("/dashboard", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_certificate_expiring_within_60_days_is_announced_with_its_date(client, as_user, make_user):
    user = as_user()
    certificate = certificate_from(user, make_user("coordinator"), days_ago=700)
    html = dashboard(client)
    assert "Time to renew your certificate" in html and 'href="/certificates/"' in html
    assert f"Community overdose response: valid until {long_date(certificate.expires_on)}." in html


def test_an_expired_certificate_says_when_it_expired(client, as_user, make_user):
    user = as_user()
    certificate = certificate_from(user, make_user("coordinator"), days_ago=760)
    assert f"Community overdose response: expired on {long_date(certificate.expires_on)}." in dashboard(client)


def test_nothing_is_announced_far_from_expiry_nor_for_someone_elses_certificate(client, as_user, make_user):
    user, coordinator = as_user(), make_user("coordinator")
    certificate_from(user, coordinator, days_ago=300)
    certificate_from(make_user(), coordinator, days_ago=700)
    assert "Time to renew" not in dashboard(client)


def test_a_revoked_certificate_is_not_announced(client, as_user, make_user):
    user, coordinator = as_user(), make_user("coordinator")
    revoke(certificate_from(user, coordinator, days_ago=700), "issued by mistake", coordinator, utcnow())
    db.session.commit()
    assert "Time to renew" not in dashboard(client)


def test_the_reminder_is_in_the_holders_language(client, as_user, make_user):
    user = as_user(language="ar")
    certificate_from(user, make_user("coordinator"), days_ago=700)
    html = dashboard(client, "ar")
    assert "Time to renew" not in html and "حان وقت تجديد شهادتك" in html and "طريقة التجديد" in html


def test_the_reminder_costs_one_query_however_many_certificates(client, as_user, make_user):
    user, coordinator = as_user(), make_user("coordinator")
    certificate_from(user, coordinator, days_ago=700)
    one = count_queries(client, "/dashboard")
    award_manually(user, "service-providers", "Trained in the field", coordinator, utcnow() - timedelta(days=700))
    db.session.commit()
    assert count_queries(client, "/dashboard") == one and dashboard(client).count("valid until") == 2


def test_hiding_the_reminder_hides_those_certificates_only(client, as_user, make_user):
    user, coordinator = as_user(), make_user("coordinator")
    certificate = certificate_from(user, coordinator, days_ago=760)
    assert f'name="key" value="certificate:{certificate.id}"' in dashboard(client)
    page = client.post("/notices/hide", data={"key": f"certificate:{certificate.id}"}, follow_redirects=True)
    assert "The reminder is hidden." in page.get_data(as_text=True) and "Time to renew" not in dashboard(client)
    award_manually(user, "service-providers", "Trained in the field", coordinator, utcnow() - timedelta(days=700))
    db.session.commit()
    html = dashboard(client)
    assert html.count("valid until") == 1 and "expired on" not in html  # the new certificate, not the hidden one
