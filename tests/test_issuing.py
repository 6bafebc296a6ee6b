"""Issuing once, racing requests, manual awards, expiry lists, renewal, revocation and reissue."""
import threading
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from app import db
from certificates.issuing import award_manually, exceptions, expiring, issue_if_eligible, reissue, revoke
from certificates.models import Certificate
from quizzes.models import QuizAttempt
from training.cohorts import SkillCheck
from training.content import catalog
from training.events import learning_progressed
from training.models import AuditEvent, ModuleProgress, utcnow

SLUG = "community-response"


def pass_final(user, when):
    """A passed final assessment (online or entered from paper) at a time."""
    db.session.add(QuizAttempt(user_id=user.id, kind="final", target=SLUG, language="en", seed=1, questions=[],
                               options={}, rules={}, content_versions={}, answers={}, score=90, passed=True,
                               started_at=when, submitted_at=when))
    db.session.commit()


def complete(user, when=None, final=True):
    """Every module of the community programme completed, its skills signed and (unless told) its final passed."""
    when = when or utcnow() - timedelta(days=1)
    programme = catalog().programmes[SLUG]
    for slug in programme.modules:
        version = catalog().modules[slug].version
        db.session.add(ModuleProgress(user_id=user.id, module_slug=slug, content_version=version,
                                      sections_total=1, sections_read=1, completed_at=when))
    db.session.add_all(SkillCheck(user_id=user.id, programme_slug=SLUG, skill_id=s["id"]) for s in programme.skills)
    db.session.commit()
    if final:
        pass_final(user, when)


def current(user):
    """The user's current certificates."""
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user.id,
                                                             Certificate.current_key.is_not(None))))


def test_an_eligible_person_gets_one_certificate_however_often_asked(make_user):
    user = make_user(certificate_name="Dana Okafor")
    complete(user)
    assert len(issue_if_eligible(user.id)) == 1
    assert issue_if_eligible(user.id) == [] and len(current(user)) == 1
    assert current(user)[0].name_printed == "Dana Okafor"


def test_nothing_is_issued_before_the_final_is_passed(make_user):
    user = make_user()
    complete(user, final=False)
    assert issue_if_eligible(user.id, SLUG) == []


def test_the_learning_signal_issues_and_saves_the_certificate(app, make_user):
    user = make_user()
    complete(user)
    learning_progressed.send(current_app._get_current_object(), user_id=user.id, programme_slug=None)
    db.session.rollback()  # whatever was not committed is gone
    assert len(current(user)) == 1
    assert db.session.scalar(select(AuditEvent.action)) == "certificate-issued"


def test_twenty_simultaneous_requests_make_exactly_one_current_certificate(app, make_user):
    user = make_user()
    complete(user)
    user_id, barrier, errors = user.id, threading.Barrier(20), []

    def request():
        # Each thread is a separate POST request with its own app context and database session.
        with app.test_request_context(method="POST"):
            try:
                barrier.wait()
                issue_if_eligible(user_id, SLUG)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)

    threads = [threading.Thread(target=request) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()  # end this session's snapshot to see what the threads wrote
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_revoked_certificates_are_not_reissued_automatically(make_user):
    user = make_user()
    complete(user)
    (certificate,) = issue_if_eligible(user.id)
    revoke(certificate, "issued by mistake", user, utcnow())
    db.session.commit()
    assert issue_if_eligible(user.id) == [] and current(user) == []


def test_a_manual_award_keeps_its_reason_and_is_listed_as_an_exception(make_org, make_user):
    org = make_org()
    coordinator, user = make_user("coordinator", organisation_id=org.id), make_user(organisation_id=org.id)
    certificate = award_manually(user, SLUG, "Assessed on paper in the field", coordinator, utcnow())
    db.session.commit()
    assert [c.manual_reason for c in exceptions(org.id)] == ["Assessed on paper in the field"]
    assert certificate.awarded_by_id == coordinator.id and exceptions(make_org().id) == []
    assert award_manually(user, SLUG, "twice is refused", coordinator, utcnow()) is None


def test_the_expiring_list_holds_the_next_60_days_of_one_organisation(make_org, make_user):
    org, other = make_org(), make_org()
    soon, later, elsewhere = (make_user(organisation_id=o.id) for o in (org, org, other))
    for user, days_ago in ((soon, 700), (later, 300), (elsewhere, 700)):
        complete(user)
        issue_if_eligible(user.id, SLUG, now=utcnow() - timedelta(days=days_ago))
    db.session.commit()
    assert [c.user_id for c in expiring(org.id, 60, utcnow().date())] == [soon.id]
    assert len(expiring(None, 60, utcnow().date())) == 2


def test_a_refresher_renews_and_supersedes_the_old_certificate(make_user):
    user = make_user()
    complete(user, when=utcnow() - timedelta(days=800))
    (old,) = issue_if_eligible(user.id, SLUG, now=utcnow() - timedelta(days=799))
    db.session.commit()
    assert issue_if_eligible(user.id, SLUG) == []  # no refresher yet
    pass_final(user, utcnow())
    (new,) = issue_if_eligible(user.id, SLUG)
    db.session.commit()
    assert new.supersedes_id == old.id and old.superseded_at is not None and old.current_key is None
    assert new.expires_on > utcnow().date() and current(user) == [new]


def test_reissue_prints_a_corrected_name_and_supersedes(make_user):
    user = make_user(certificate_name="Dana Okafr")
    complete(user)
    (old,) = issue_if_eligible(user.id)
    new = reissue(old, user, utcnow(), "Dana Okafor")
    db.session.commit()
    assert (new.name_printed, new.supersedes_id, new.expires_on) == ("Dana Okafor", old.id, old.expires_on)
    assert old.superseded_at and current(user) == [new] and new.code != old.code


@pytest.mark.parametrize("action", ["revoke", "supersede"])
def test_a_certificate_that_no_longer_stands_cannot_be_reissued(make_user, action):
    user = make_user()
    complete(user)
    (old,) = issue_if_eligible(user.id)
    if action == "revoke":
        revoke(old, "mistake", user, utcnow())
    else:
        reissue(old, user, utcnow())
    assert reissue(old, user, utcnow()) is None


def test_the_signatory_title_is_printed_in_the_holders_language_where_one_was_given(make_org, make_user):
    org = make_org(signatory_title="Programme coordinator", signatory_titles={"ar": "منسّقة البرنامج"})
    arabic, russian = make_user(organisation_id=org.id, language="ar"), make_user(organisation_id=org.id, language="ru")
    for user in (arabic, russian):
        complete(user)
    (in_arabic,), (in_russian,) = issue_if_eligible(arabic.id, SLUG), issue_if_eligible(russian.id, SLUG)
    assert (in_arabic.signatory_title, in_russian.signatory_title) == ("منسّقة البرنامج", "Programme coordinator")


def test_revoking_a_corrected_copy_revokes_every_copy_it_corrected(make_user):
    user = make_user()
    complete(user)
    (first,) = issue_if_eligible(user.id)
    second = reissue(first, user, utcnow(), "Dana Okafor")
    third = reissue(second, user, utcnow(), "Dana Okafor-Ali")
    revoke(third, "never attended", user, utcnow())
    db.session.commit()
    assert [(c.revoked_at is not None, c.revoke_reason) for c in (first, second, third)] == [
        (True, "never attended")] * 3
    revoked = db.session.scalars(select(AuditEvent.target).where(AuditEvent.action == "certificate-revoked"))
    assert sorted(revoked) == sorted(f"certificate:{c.id}" for c in (first, second, third))


def test_revoking_a_renewal_leaves_the_certificate_it_renewed(make_user):
    user = make_user()
    complete(user, when=utcnow() - timedelta(days=800))
    (old,) = issue_if_eligible(user.id, SLUG, now=utcnow() - timedelta(days=799))
    pass_final(user, utcnow())
    (renewed,) = issue_if_eligible(user.id, SLUG)
    revoke(renewed, "mistake", user, utcnow())
    db.session.commit()
    assert renewed.revoked_at and old.revoked_at is None and old.superseded_at
