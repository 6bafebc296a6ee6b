"""A trainer types in a cohort's paper final-assessment results."""
import pytest
from sqlalchemy import select

from app import db
from quizzes.models import QuizAttempt
from tests.conftest import login


@pytest.fixture
def field_session(client, make_org, make_user, make_cohort):
    """A cohort of two trainees whose trainer is logged in."""
    org = make_org()
    trainer = make_user("trainer", organisation_id=org.id)
    members = [make_user(display_name=n, organisation_id=org.id) for n in ("Ana", "Bek")]
    cohort = make_cohort(org=org, trainer=trainer, members=members)
    login(client, trainer.username)
    return cohort, trainer, members


def post_scores(client, cohort, members, scores, **extra):
    """Send the paper-score form."""
    data = {"taken_on": "2026-11-01", "version": "Form A", "batch": "b-1", **extra}
    data |= {f"score-{m.id}": s for m, s in zip(members, scores, strict=True)}
    return client.post(f"/cohorts/{cohort.id}/paper-scores", data=data)


def test_scores_count_as_final_attempts_marked_paper(client, field_session):
    cohort, trainer, members = field_session
    assert post_scores(client, cohort, members, ["85", "60"]).status_code == 302
    attempts = db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.score.desc())).all()
    assert [(a.kind, a.target, a.score, a.passed, a.paper) for a in attempts] == [
        ("final", "community-response", 85, True, True), ("final", "community-response", 60, False, True)]
    assert {a.entered_by_id for a in attempts} == {trainer.id} and attempts[0].paper_version == "Form A"


def test_one_wrong_cell_saves_nothing_and_says_where(client, field_session):
    cohort, _, members = field_session
    response = post_scores(client, cohort, members, ["85", "abc"])
    assert "Type a whole number from 0 to 100" in response.get_data(as_text=True)
    assert db.session.scalar(select(QuizAttempt.id)) is None


def test_a_future_date_is_refused(client, field_session):
    cohort, _, members = field_session
    post_scores(client, cohort, members, ["85", ""], taken_on="2999-01-01")
    assert db.session.scalar(select(QuizAttempt.id)) is None


def test_sending_the_form_twice_saves_once(client, field_session):
    cohort, _, members = field_session
    post_scores(client, cohort, members, ["85", "90"])
    post_scores(client, cohort, members, ["85", "90"])
    assert len(db.session.scalars(select(QuizAttempt)).all()) == 2


def test_only_the_cohorts_trainers_and_coordinators_may_enter_scores(client, make_cohort, make_user, as_user):
    cohort = make_cohort()
    as_user("trainer", organisation_id=cohort.organisation_id)
    assert client.get(f"/cohorts/{cohort.id}/paper-scores").status_code == 404


def test_trainees_are_refused(client, make_cohort, as_user):
    cohort = make_cohort()
    as_user("trainee", organisation_id=cohort.organisation_id)
    assert client.get(f"/cohorts/{cohort.id}/paper-scores").status_code == 403


def test_the_page_shows_what_was_saved_for_each_trainee_and_leads_back_to_the_cohort(client, field_session):
    cohort, _trainer, members = field_session
    post_scores(client, cohort, members, ["85", ""])
    page = client.get(f"/cohorts/{cohort.id}/paper-scores").get_data(as_text=True)
    assert "85% on Nov 1, 2026" in page and page.count("<td>—</td>") == 1  # Bek has no score yet
    assert f'href="/cohorts/{cohort.id}"' in page  # the breadcrumb back to the cohort
