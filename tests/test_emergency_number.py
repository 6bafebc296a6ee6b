"""The number lessons and cards say to call: the person's own if given, else their organisation's, else 112."""
from conftest import login
from test_certificate_views import holder, pdf_text  # noqa: F401 - holder is a fixture

from app import db

LESSON = "/learn/responding-step-by-step/1"  # says "call [[emergency_number]]"


def save_number(client, number: str):
    """Send the profile form, as a browser does, with only the emergency number filled in."""
    empty = dict.fromkeys(("display_name", "audience", "sex", "age_band", "region"), "")
    return client.post("/account/profile", data={**empty, "language": "en", "emergency_number": number})


def test_someone_without_an_organisation_can_put_in_the_number_where_they_live(client, as_user):
    user = as_user()
    lesson = client.get(LESSON).text
    assert "<strong>112</strong>" in lesson and "112 reaches help from mobile phones in most countries." in lesson
    assert "Your lessons say to call 112." in client.get("/account/profile").text
    assert save_number(client, " 911 ").status_code == 302
    assert user.emergency_number == "911"
    lesson = client.get(LESSON).text
    assert "<strong>911</strong>" in lesson and "<strong>112</strong>" not in lesson
    assert "reaches help from mobile phones" not in lesson  # nor the hint that 112 may not be theirs
    assert save_number(client, "").status_code == 302 and user.emergency_number is None  # back to the default
    assert "<strong>112</strong>" in client.get(LESSON).text


def test_a_number_that_is_not_digits_is_refused_and_nothing_changes(client, as_user):
    user = as_user(emergency_number="103")
    page = save_number(client, "call the police")
    assert page.status_code == 200 and "Use digits only, for example 112 or 911." in page.text
    db.session.refresh(user)
    assert user.emergency_number == "103"


def test_the_persons_own_number_comes_before_their_organisations(client, as_user, make_org):
    org = make_org(emergency_number="103")
    as_user(organisation_id=org.id)
    lesson = client.get(LESSON).text
    assert "<strong>103</strong>" in lesson and "reaches help from mobile phones" not in lesson
    assert "call 103" in client.get("/account/profile").text
    save_number(client, "911")
    assert "<strong>911</strong>" in client.get(LESSON).text


def test_the_holders_wallet_card_carries_their_number_and_a_coordinators_the_organisations(client, holder,  # noqa: F811
                                                                                          make_user):
    trainee, cohort, certificate = holder
    trainee.emergency_number = "911"
    db.session.commit()
    login(client, trainee.username)
    assert "911" in pdf_text(client.get(f"/certificates/{certificate.id}-wallet.pdf"))
    coordinator = make_user("coordinator", organisation_id=cohort.organisation_id)
    login(client, coordinator.username)
    card = pdf_text(client.get(f"/certificates/{certificate.id}-wallet.pdf"))
    assert "112" in card and "911" not in card  # printed by staff: the organisation's number
