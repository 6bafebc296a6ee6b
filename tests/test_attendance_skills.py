"""Attendance and the practical skills sign-off: who records them, who/when is kept, and the certificate rules."""
from datetime import date

import pytest
from sqlalchemy import select

from app import db
from certificates.eligibility import load_facts, missing
from tests.conftest import login
from training.cohorts import Attendance, CohortSession, CohortTrainer, SkillCheck
from training.content import catalog

PROGRAMME = "community-response"
ITEMS = [skill["id"] for skill in catalog().programmes[PROGRAMME].skills]


@pytest.fixture
def setup(make_org, make_user, make_cohort):
    """A cohort with its trainer, two trainees and a coordinator of the same organisation."""
    org = make_org()
    trainer = make_user("trainer", organisation_id=org.id)
    ana, bo = make_user(display_name="Ana"), make_user(display_name="Бо")
    cohort = make_cohort(org=org, trainer=trainer, members=[ana, bo], delivery="blended")
    coordinator = make_user("coordinator", organisation_id=org.id)
    return {"cohort": cohort, "trainer": trainer, "ana": ana, "bo": bo, "coordinator": coordinator}


def add_session(cohort, day):
    """A session row, made directly."""
    session = CohortSession(cohort_id=cohort.id, held_on=day)
    db.session.add(session)
    db.session.commit()
    return session


def test_a_trainer_adds_a_session_date_once(client, setup):
    login(client, setup["trainer"].username)
    url = f"/cohorts/{setup['cohort'].id}/sessions"
    client.post(url, data={"held_on": "2026-05-04"})
    response = client.post(url, data={"held_on": "2026-05-04"})
    assert "already in the table" in response.get_data(as_text=True)
    assert db.session.scalars(select(CohortSession.held_on)).all() == [date(2026, 5, 4)]


def test_saving_the_table_records_who_was_present_by_whom(client, setup):
    first, second = add_session(setup["cohort"], date(2026, 5, 4)), add_session(setup["cohort"], date(2026, 5, 5))
    login(client, setup["trainer"].username)
    url = f"/cohorts/{setup['cohort'].id}/attendance"
    client.post(url, data={"present": [f"{first.id}:{setup['ana'].id}", f"{second.id}:{setup['ana'].id}"]})
    client.post(url, data={"present": [f"{first.id}:{setup['ana'].id}", f"{first.id}:{setup['bo'].id}"]})
    rows = db.session.scalars(select(Attendance).order_by(Attendance.user_id)).all()
    assert [(r.session_id, r.user_id) for r in rows] == [(first.id, setup["ana"].id), (first.id, setup["bo"].id)]
    assert all(r.recorded_by_id == setup["trainer"].id and r.recorded_at for r in rows)


def test_a_coordinator_sees_attendance_but_cannot_change_it(client, setup, make_user):
    session = add_session(setup["cohort"], date(2026, 5, 4))
    login(client, setup["coordinator"].username)
    url = f"/cohorts/{setup['cohort'].id}/attendance"
    assert "disabled" in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"present": [f"{session.id}:{setup['ana'].id}"]}).status_code == 403
    assert client.post(f"/cohorts/{setup['cohort'].id}/sessions", data={"held_on": "2026-06-01"}).status_code == 403


def test_people_outside_the_cohort_are_never_recorded(client, setup, make_user):
    session = add_session(setup["cohort"], date(2026, 5, 4))
    stranger = make_user()
    login(client, setup["trainer"].username)
    client.post(f"/cohorts/{setup['cohort'].id}/attendance", data={"present": [f"{session.id}:{stranger.id}"]})
    assert db.session.scalars(select(Attendance)).all() == []


def sign(client, setup, *pairs):
    """Post the skills table with these (trainee, item) boxes ticked."""
    data = {"signed": [f"{setup[who].id}:{item}" for who, item in pairs]}
    return client.post(f"/cohorts/{setup['cohort'].id}/skills", data=data, follow_redirects=True)


def test_a_trainer_signs_skills_off_with_name_and_date(client, setup):
    login(client, setup["trainer"].username)
    page = sign(client, setup, ("ana", ITEMS[0]), ("bo", ITEMS[1])).get_data(as_text=True)
    checks = db.session.scalars(select(SkillCheck).order_by(SkillCheck.user_id)).all()
    assert [(c.user_id, c.skill_id) for c in checks] == [(setup["ana"].id, ITEMS[0]), (setup["bo"].id, ITEMS[1])]
    assert all(c.signed_by_id == setup["trainer"].id and c.signed_at for c in checks)
    assert f"Signed by {setup['trainer'].name} on" in page and str(checks[0].signed_at.year) in page


def test_unticking_withdraws_a_sign_off(client, setup):
    login(client, setup["trainer"].username)
    sign(client, setup, ("ana", ITEMS[0]), ("ana", ITEMS[1]))
    sign(client, setup, ("ana", ITEMS[1]))
    assert db.session.scalars(select(SkillCheck.skill_id)).all() == [ITEMS[1]]


def test_a_coordinator_sees_the_skills_but_cannot_sign(client, setup):
    login(client, setup["coordinator"].username)
    assert "Checks for a response" in client.get(f"/cohorts/{setup['cohort'].id}/skills").get_data(as_text=True)
    assert sign(client, setup, ("ana", ITEMS[0])).status_code == 403
    assert db.session.scalars(select(SkillCheck)).all() == []


def test_the_checklist_is_shown_in_the_trainer_language(client, setup):
    setup["trainer"].language = "ru"
    db.session.commit()
    login(client, setup["trainer"].username)
    assert "Проверяет реакцию" in client.get(f"/cohorts/{setup['cohort'].id}/skills").get_data(as_text=True)


def skills_missing(user_id: int, slug: str = PROGRAMME) -> list[str]:
    """The checklist items a certificate still waits for, as the certificates package reads them from the database."""
    facts = load_facts(user_id)
    return [m.slug for m in missing(catalog().programmes[slug], facts, date.today()) if m.kind == "skill"]


def test_skills_are_complete_only_when_every_item_is_signed(setup):
    user_id = setup["ana"].id
    db.session.add_all(SkillCheck(user_id=user_id, programme_slug=PROGRAMME, skill_id=item) for item in ITEMS[:-1])
    db.session.commit()
    assert skills_missing(user_id) == ITEMS[-1:]
    db.session.add(SkillCheck(user_id=user_id, programme_slug=PROGRAMME, skill_id=ITEMS[-1]))
    db.session.commit()
    assert skills_missing(user_id) == [] and skills_missing(setup["bo"].id) == ITEMS


@pytest.mark.parametrize(("delivery", "required"), [("in-person", True), ("blended", True), ("online", False)])
def test_skills_are_required_for_members_of_cohorts_that_meet(make_cohort, make_user, delivery, required):
    trainee = make_user()
    make_cohort(members=[trainee], delivery=delivery)
    assert (skills_missing(trainee.id) == ITEMS) is required
    assert skills_missing(make_user().id) == []


def test_skills_are_always_required_when_the_programme_says_so(make_user):
    always = [p for p in catalog().programmes.values() if p.skills_check == "always"]
    assert always
    for programme in always:
        assert skills_missing(make_user().id, programme.slug) == [s["id"] for s in programme.skills]


def test_a_co_trainer_may_also_sign(client, setup, make_user):
    colleague = make_user("trainer", organisation_id=setup["cohort"].organisation_id)
    db.session.add(CohortTrainer(cohort_id=setup["cohort"].id, user_id=colleague.id))
    db.session.commit()
    login(client, colleague.username)
    sign(client, setup, ("bo", ITEMS[2]))
    assert db.session.scalar(select(SkillCheck.signed_by_id)) == colleague.id


def test_demo_cohorts_load_twice_without_change(app):
    from training.demo import load_demo
    from training.demo_cohorts import load_demo_cohorts

    load_demo()
    assert load_demo_cohorts() == 2 and load_demo_cohorts() == 0
    bishkek = db.session.scalar(select(CohortSession).limit(1))
    assert bishkek and db.session.scalars(select(SkillCheck)).all() and db.session.scalars(select(Attendance)).all()


@pytest.mark.parametrize(("typed", "message"), [("2026-02-30", "Not a valid date value."),
                                                ("9999-12-31", "Enter a date between the years 2000 and 2100.")])
def test_a_session_date_typed_wrong_is_named_as_such_and_not_added(client, setup, typed, message):
    login(client, setup["trainer"].username)
    body = client.post(f"/cohorts/{setup['cohort'].id}/sessions", data={"held_on": typed}).get_data(as_text=True)
    assert message in body and "This field is required." not in body  # it was typed: it is wrong, not missing
    assert db.session.scalars(select(CohortSession)).all() == []


def test_a_crafted_tick_is_ignored_rather_than_crashing(client, setup):
    session = add_session(setup["cohort"], date(2026, 5, 4))
    login(client, setup["trainer"].username)
    url = f"/cohorts/{setup['cohort'].id}"
    # "²" counts as a digit to str.isdigit, but int() refuses it.
    attended = client.post(f"{url}/attendance", data={"present": ["²:1", f"{session.id}:{setup['ana'].id}"]})
    signed = client.post(f"{url}/skills", data={"signed": [f"²:{ITEMS[0]}"]})
    assert (attended.status_code, signed.status_code) == (302, 302)
    assert [row.user_id for row in db.session.scalars(select(Attendance))] == [setup["ana"].id]


def test_after_a_date_error_the_attendance_ticks_still_go_to_the_attendance(client, setup):
    add_session(setup["cohort"], date(2026, 5, 4))
    login(client, setup["trainer"].username)
    url = f"/cohorts/{setup['cohort'].id}"
    page = client.post(f"{url}/sessions", data={"held_on": "2026-05-04"}).get_data(as_text=True)
    assert "already in the table" in page  # shown at /sessions, where the tick form must not post to itself
    assert f'<form method="post" action="{url}/attendance" class="stack">' in page


def test_a_date_added_by_mistake_is_removed_but_not_once_someone_is_ticked_present(client, setup):
    wrong = add_session(setup["cohort"], date(2026, 5, 14)).id
    held = add_session(setup["cohort"], date(2026, 5, 4)).id
    db.session.add(Attendance(session_id=held, user_id=setup["ana"].id))
    db.session.commit()
    login(client, setup["trainer"].username)
    url = f"/cohorts/{setup['cohort'].id}/sessions"
    kept = client.post(f"{url}/{held}/remove", follow_redirects=True).get_data(as_text=True)
    assert "Someone is ticked present on this date" in kept
    assert "The session date is removed." in client.post(f"{url}/{wrong}/remove", follow_redirects=True).text
    assert db.session.scalars(select(CohortSession.held_on)).all() == [date(2026, 5, 4)]
    assert client.post(f"{url}/{wrong}/remove").status_code == 404


def test_only_the_cohorts_trainers_remove_dates(client, setup):
    session = add_session(setup["cohort"], date(2026, 5, 14))
    login(client, setup["coordinator"].username)
    assert client.post(f"/cohorts/{setup['cohort'].id}/sessions/{session.id}/remove").status_code == 403
    assert db.session.get(CohortSession, session.id) is not None
