"""The funders' "certified" count: a reissue is a correction, not a new certification, and a revocation covers it."""
from datetime import date, timedelta

from test_issuing import SLUG, complete, pass_final

from app import db
from certificates.issuing import issue_if_eligible, reissue, revoke
from training import stats
from training.models import utcnow


def certified(org, start: date, end: date) -> int:
    """How many people of the organisation the report counts as certified in the period."""
    totals = stats.group_totals(db.session, stats.Filters(start=start, end=end, organisation_ids=(org.id,)))
    return sum(t.certified for t in totals.values())


def trainee(make_org, make_user, when=None):
    """A trainee of a new organisation who holds a certificate issued at `when` (default: now)."""
    org = make_org()
    person = make_user(organisation_id=org.id)
    complete(person, when=(when or utcnow()) - timedelta(days=1))
    (certificate,) = issue_if_eligible(person.id, SLUG, now=when or utcnow())
    db.session.commit()
    return org, person, certificate


def test_a_revoked_correction_does_not_leave_its_holder_certified(make_org, make_user):
    org, person, certificate = trainee(make_org, make_user)
    corrected = reissue(certificate, person, utcnow(), "Dana Okafor")
    db.session.commit()
    today = date.today()
    assert certified(org, today - timedelta(days=30), today) == 1
    revoke(corrected, "never attended", person, utcnow())
    db.session.commit()
    assert certified(org, today - timedelta(days=30), today) == 0


def test_a_correction_in_a_later_period_is_not_a_new_certification(make_org, make_user):
    org, person, certificate = trainee(make_org, make_user, when=utcnow() - timedelta(days=400))
    reissue(certificate, person, utcnow(), "Dana Okafor")
    db.session.commit()
    today = date.today()
    assert certified(org, today - timedelta(days=30), today) == 0


def test_a_renewal_in_a_later_period_counts_again(make_org, make_user):
    org, person, _certificate = trainee(make_org, make_user, when=utcnow() - timedelta(days=400))
    pass_final(person, utcnow())
    assert len(issue_if_eligible(person.id, SLUG)) == 1
    db.session.commit()
    today = date.today()
    assert certified(org, today - timedelta(days=30), today) == 1
