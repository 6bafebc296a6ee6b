"""The roster grid: who may see it, what it shows, filters and sorting, and a fixed number of queries."""
import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from conftest import login

from app import db
from certificates.models import Certificate
from quizzes.models import QuizAttempt
from tests.conftest import count_queries
from training.cohorts import SkillCheck
from training.content import catalog
from training.models import ModuleProgress, utcnow

PROGRAMME = catalog().programmes["community-response"]
FIRST, SECOND = PROGRAMME.modules[:2]


@pytest.fixture
def cohort(make_org, make_user, make_cohort):
    """A cohort of two trainees with its trainer, in its own organisation."""
    org = make_org()
    members = [make_user(display_name="Zoe Quiet"), make_user(display_name="Ann Busy")]
    return make_cohort(org=org, members=members, name="Tuesday group")


def progress(user, slug, days_ago=0, completed=False):
    """Save a progress row last touched some days ago."""
    when = utcnow() - timedelta(days=days_ago)
    row = ModuleProgress.start(user.id, slug)
    row.updated_at, row.completed_at = when, (when if completed else None)
    db.session.add(row)
    db.session.commit()


def attempt(user, kind, target, score):
    """Save a submitted quiz attempt."""
    db.session.add(QuizAttempt(user_id=user.id, kind=kind, target=target, language="en", seed=1, questions=[],
                               options={}, rules={}, content_versions={}, score=score, passed=score >= 80,
                               submitted_at=utcnow()))
    db.session.commit()


def members_of(cohort):
    """The cohort's trainees, by display name."""
    from training.cohorts import Membership

    rows = db.session.scalars(db.select(Membership).where(Membership.cohort_id == cohort.id))
    return {m.user.display_name: m.user for m in rows}


def role_user(make_user, make_org, cohort, role, same_org):
    """A user of a role, in the cohort's organisation or another one."""
    return make_user(role, organisation_id=cohort.organisation_id if same_org else make_org().id)


@pytest.mark.parametrize("path", ["/cohorts/{id}/roster", "/cohorts/{id}/roster.csv", "/cohorts/{id}/roster.xlsx",
                                  "/cohorts/{id}/import"])
@pytest.mark.parametrize(("role", "same_org", "status"), [
    ("trainer", True, 404), ("trainer", False, 404), ("coordinator", True, 200), ("coordinator", False, 404),
    ("admin", False, 200), ("trainee", True, 403)])
def test_role_matrix(client, make_user, make_org, cohort, path, role, same_org, status):
    login(client, role_user(make_user, make_org, cohort, role, same_org).username)
    response = client.get(path.format(id=cohort.id))
    assert response.status_code == status
    if path.endswith(("roster", ".csv")):  # an .xlsx is compressed, so only these show the name as such
        assert (b"Zoe Quiet" in response.data) == (status == 200)


@pytest.mark.parametrize("path", ["/cohorts/{id}/roster", "/cohorts/{id}/roster.csv", "/cohorts/{id}/import"])
def test_the_cohorts_own_trainer_gets_in_and_nobody_else_is_asked_to_log_in(app, client, cohort, path):
    assert client.get(path.format(id=cohort.id)).status_code == 302
    login(client, cohort.trainers[0].username)
    assert client.get(path.format(id=cohort.id)).status_code == 200


def test_grid_shows_statuses_scores_and_who_is_stuck(client, cohort):
    people = members_of(cohort)
    progress(people["Zoe Quiet"], FIRST, days_ago=20)
    progress(people["Ann Busy"], FIRST, completed=True)
    attempt(people["Ann Busy"], "module", FIRST, 92)
    attempt(people["Ann Busy"], "pre", PROGRAMME.slug, 40)
    login(client, cohort.trainers[0].username)
    page = client.get(f"/cohorts/{cohort.id}/roster?status=stuck").get_data(as_text=True)
    assert "Zoe Quiet" in page and "Ann Busy" not in page and "Stuck" in page and "In progress" in page
    page = client.get(f"/cohorts/{cohort.id}/roster?status=completed").get_data(as_text=True)
    assert "No trainee matches" in page
    page = client.get(f"/cohorts/{cohort.id}/roster").get_data(as_text=True)
    assert "Completed" in page and "92%" in page and "40%" in page


def test_certificate_and_skills_columns(client, cohort):
    ann = members_of(cohort)["Ann Busy"]
    db.session.add(Certificate(code="ABC", user_id=ann.id, programme_slug=PROGRAMME.slug, name_printed="Ann",
                               language="en", current_key=f"{ann.id}:{PROGRAMME.slug}",
                               expires_on=date.today() + timedelta(days=300)))
    db.session.add(SkillCheck(user_id=ann.id, programme_slug=PROGRAMME.slug, skill_id=PROGRAMME.skills[0]["id"]))
    db.session.commit()
    login(client, cohort.trainers[0].username)
    page = client.get(f"/cohorts/{cohort.id}/roster?status=certified").get_data(as_text=True)
    assert "Ann Busy" in page and "Zoe Quiet" not in page and "Valid" in page
    assert f"1/{len(PROGRAMME.skills)}" in page


def test_sorting_by_progress_puts_the_furthest_first(client, cohort):
    progress(members_of(cohort)["Zoe Quiet"], FIRST, completed=True)
    login(client, cohort.trainers[0].username)
    by_name = client.get(f"/cohorts/{cohort.id}/roster?sort=name").get_data(as_text=True)
    by_progress = client.get(f"/cohorts/{cohort.id}/roster?sort=progress").get_data(as_text=True)
    assert by_name.index("Ann Busy") < by_name.index("Zoe Quiet")
    assert by_progress.index("Zoe Quiet") < by_progress.index("Ann Busy")


@pytest.mark.parametrize("query", ["sort=name%20desc;%20drop%20table%20users", "status=%27%20OR%201=1--",
                                   "sort[]=x&status=", "status=" + "x" * 5000])
def test_hostile_parameters_fall_back_to_everyone_by_name(client, cohort, query):
    login(client, cohort.trainers[0].username)
    response = client.get(f"/cohorts/{cohort.id}/roster?{query}")
    assert response.status_code == 200 and "2 of 2 trainees" in response.get_data(as_text=True)


def test_hostile_display_name_is_escaped(client, make_user, make_cohort):
    evil = make_user(display_name='<img src=x onerror="alert(1)">')
    cohort = make_cohort(members=[evil])
    login(client, cohort.trainers[0].username)
    page = client.get(f"/cohorts/{cohort.id}/roster").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x" in page



def test_queries_do_not_grow_with_the_cohort(app, client, make_user, make_cohort):
    small = make_cohort(members=[make_user() for _ in range(2)])
    people = [make_user() for _ in range(30)]
    big = make_cohort(org=small.organisation, trainer=small.trainers[0], members=people)
    for user in people[:5]:
        progress(user, SECOND)
        attempt(user, "module", SECOND, 70)
    login(client, small.trainers[0].username)
    assert count_queries(client, f"/cohorts/{small.id}/roster") == \
        count_queries(client, f"/cohorts/{big.id}/roster")


def test_grid_is_not_cached_and_scrolls_inside_a_wrapper(client, cohort):
    login(client, cohort.trainers[0].username)
    response = client.get(f"/cohorts/{cohort.id}/roster")
    assert response.headers["Cache-Control"] == "no-store"
    assert 'class="table-scroll roster-scroll"' in response.get_data(as_text=True)


def test_names_sort_as_ukrainian_and_russian_dictionaries_do():
    from training.collation import name_key

    names = ["Олена", "Ірина", "Яна", "Ґанна", "Гнат", "Єва", "Євген", "Ельвіра", "Їжак", "Йосип", "Иван", "ёлка",
             "Жанна"]
    assert sorted(names, key=name_key) == ["Гнат", "Ґанна", "Ельвіра", "Єва", "Євген", "ёлка", "Жанна", "Иван",
                                           "Ірина", "Їжак", "Йосип", "Олена", "Яна"]


def test_the_columns_a_trainer_looks_for_first_come_before_the_modules(client, cohort):
    login(client, cohort.trainers[0].username)
    page = client.get(f"/cohorts/{cohort.id}/roster").get_data(as_text=True)
    header = re.findall(r'<th scope="col"[^>]*>([^<]+)<', page[page.index("<thead>"):page.index("</thead>")])
    assert header[:6] == ["Trainee", "Certificate", "Final", "Skills", "Pre-test", "Last activity"]


def test_last_activity_is_a_date_in_the_readers_language(client, cohort):
    people = members_of(cohort)
    progress(people["Zoe Quiet"], FIRST, days_ago=3)
    trainer = cohort.trainers[0]
    trainer.language = "fr"
    db.session.commit()
    login(client, trainer.username)
    page = client.get(f"/cohorts/{cohort.id}/roster").text
    day = (utcnow() - timedelta(days=3)).date()
    assert format_date(day, "medium", locale="fr") in page and day.isoformat() not in page
