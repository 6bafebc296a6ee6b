"""Eligibility, renewal and expiry as plain functions over loaded facts."""
from datetime import date, datetime

from certificates.eligibility import Facts, Missing, add_months, missing, refresh_missing, status
from certificates.models import Certificate
from training.content import catalog

TODAY = date(2026, 6, 1)
COMMUNITY = "community-response"


def programme(slug=COMMUNITY):
    """A programme from the real catalogue."""
    return catalog().programmes[slug]


def done(slug=COMMUNITY, **changes) -> Facts:
    """Facts of someone who met every requirement of the programme except the changes."""
    p = programme(slug)
    fields = dict(completed=frozenset(p.modules), final_passes={slug: (datetime(2026, 5, 1),)},
                  skills={slug: frozenset(s["id"] for s in p.skills)}, in_person=frozenset({slug}))
    fields.update(changes)
    return Facts(**fields)


def held(slug=COMMUNITY, **fields) -> Certificate:
    """A current certificate issued on 1 May 2026."""
    versions = {m: catalog().modules[m].version for m in programme(slug).modules}
    values = dict(programme_slug=slug, issued_at=datetime(2026, 5, 1, 12), expires_on=date(2028, 5, 1),
                  current_key="1:" + slug, content_versions=versions)
    return Certificate(**{**values, **fields})


def test_everything_done_means_nothing_missing():
    assert missing(programme(), done(), TODAY) == []


def test_each_missing_module_is_named():
    facts = done(completed=frozenset(programme().modules[1:]))
    assert missing(programme(), facts, TODAY) == [Missing("module", programme().modules[0])]


def test_the_final_assessment_is_required():
    assert missing(programme(), done(final_passes={}), TODAY) == [Missing("final", COMMUNITY)]


def test_skills_are_required_for_an_in_person_cohort_only():
    facts = done(skills={COMMUNITY: frozenset({"check-response"})})
    lacking = missing(programme(), facts, TODAY)
    assert Missing("skill", "give-naloxone") in lacking and Missing("skill", "check-response") not in lacking
    online = done(skills={}, in_person=frozenset())
    assert missing(programme(), online, TODAY) == []


def test_trainer_programme_always_needs_skills_and_a_current_prerequisite():
    trainer = programme("naloxone-trainer")
    facts = done("naloxone-trainer", in_person=frozenset(), skills={})
    lacking = missing(trainer, facts, TODAY)
    assert Missing("skill", "run-practice") in lacking
    assert Missing("prerequisite", "community-response service-providers") in lacking


def test_trainer_prerequisite_is_met_by_a_valid_certificate_not_an_expired_one():
    trainer = programme("naloxone-trainer")
    valid = done("naloxone-trainer", current={COMMUNITY: held()})
    assert missing(trainer, valid, TODAY) == []
    expired = done("naloxone-trainer", current={COMMUNITY: held(expires_on=date(2026, 1, 1))})
    assert [m.kind for m in missing(trainer, expired, TODAY)] == ["prerequisite"]


def test_status_of_a_certificate():
    assert status(held(), TODAY) == "valid"
    assert status(held(), date(2028, 5, 2)) == "expired"
    assert status(held(revoked_at=datetime(2026, 5, 2)), TODAY) == "revoked"
    assert status(held(superseded_at=datetime(2026, 5, 2)), TODAY) == "superseded"
    assert status(held(withdrawn_at=datetime(2026, 5, 2)), TODAY) == "withdrawn"


def test_validity_adds_months_and_keeps_month_ends():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 24) == date(2028, 11, 15)


def test_a_refresher_needs_a_final_passed_after_the_certificate():
    facts = done(final_passes={COMMUNITY: (datetime(2026, 4, 1),)})
    assert refresh_missing(programme(), catalog(), facts, held()) == [Missing("final", COMMUNITY)]
    later = done(final_passes={COMMUNITY: (datetime(2026, 7, 1),)})
    assert refresh_missing(programme(), catalog(), later, held()) == []


def test_a_refresher_needs_every_module_changed_since_the_certificate_read_again():
    old = held()
    first = programme().modules[0]
    old.content_versions = {**old.content_versions, first: "old-version"}
    facts = done(final_passes={COMMUNITY: (datetime(2026, 7, 1),)}, module_versions={first: "old-version"})
    assert refresh_missing(programme(), catalog(), facts, old) == [Missing("refresh-module", first)]
    reread = done(final_passes={COMMUNITY: (datetime(2026, 7, 1),)},
                  module_versions={first: catalog().modules[first].version})
    assert refresh_missing(programme(), catalog(), reread, old) == []
