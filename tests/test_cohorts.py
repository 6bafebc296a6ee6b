"""Cohort pages: who may open them, creating and editing, joining by link or code, enrolling, the poster."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from app import db
from tests.conftest import count_queries, login
from training.cohorts import Cohort, CohortTrainer, Membership

ROLES = ("cohort-trainer", "org-trainer", "org-coordinator", "other-coordinator", "admin", "trainee", "anonymous")
SEES = {"cohort-trainer", "org-coordinator", "admin"}


@pytest.fixture
def world(make_org, make_user, make_cohort):
    """A cohort and one person of each kind around it."""
    org, other = make_org(), make_org()
    trainer = make_user("trainer", organisation_id=org.id)
    trainee = make_user("trainee", organisation_id=org.id)
    cohort = make_cohort(org=org, trainer=trainer, members=[trainee])
    people = {"cohort-trainer": trainer, "trainee": trainee,
              "org-trainer": make_user("trainer", organisation_id=org.id),
              "org-coordinator": make_user("coordinator", organisation_id=org.id),
              "other-coordinator": make_user("coordinator", organisation_id=other.id),
              "admin": make_user("admin")}
    return {"org": org, "cohort": cohort, "people": people}


def fresh(model, row_id):
    """A row as the database has it now, not as this test's session remembers it."""
    db.session.expire_all()
    return db.session.get(model, row_id)


def log_in_as(client, world, role):
    """Log the client in as one of the world's people (or stay anonymous)."""
    if role != "anonymous":
        login(client, world["people"][role].username)


def expected(role, sees_it=True):
    """The answer each role gets: 302 to log in, 403 for a trainee, 404 for a cohort out of sight."""
    if role == "anonymous":
        return 302
    if role == "trainee":
        return 403
    return 200 if role in SEES or not sees_it else 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["", "/edit", "/poster", "/enrol", "/attendance", "/skills"])
def test_cohort_pages_open_only_for_those_who_may_see_the_cohort(client, world, role, page):
    log_in_as(client, world, role)
    assert client.get(f"/cohorts/{world['cohort'].id}{page}").status_code == expected(role)


@pytest.mark.parametrize("role", ROLES)
def test_cohort_list_and_new_cohort_are_for_staff(client, world, role):
    log_in_as(client, world, role)
    codes = {client.get("/cohorts").status_code, client.get("/cohorts/new").status_code}
    assert codes == {expected(role, sees_it=False)}


@pytest.mark.parametrize("role", ROLES)
def test_archiving_is_refused_to_those_who_cannot_see_it(client, world, role):
    log_in_as(client, world, role)
    response = client.post(f"/cohorts/{world['cohort'].id}/archive", data={"archived": "1"})
    assert response.status_code == (302 if role in SEES or role == "anonymous" else expected(role))
    assert (fresh(Cohort, world["cohort"].id).archived_at is not None) == (role in SEES)


@pytest.mark.parametrize("role", ROLES)
def test_enrolling_and_removing_are_refused_to_those_who_cannot_see_it(client, world, role, make_user):
    newcomer = make_user()
    log_in_as(client, world, role)
    cohort_id, trainee_id = world["cohort"].id, world["people"]["trainee"].id
    client.post(f"/cohorts/{cohort_id}/enrol", data={"usernames": newcomer.username})
    client.post(f"/cohorts/{cohort_id}/members/{trainee_id}/remove")
    members = set(db.session.scalars(select(Membership.user_id).where(Membership.cohort_id == cohort_id)))
    assert members == ({newcomer.id} if role in SEES else {trainee_id})


def test_the_list_shows_active_and_archived_cohorts_apart(client, as_user, make_cohort, make_org):
    org = make_org()
    coordinator = as_user("coordinator", organisation_id=org.id)
    make_cohort(org=org, name="Osh spring")
    make_cohort(org=org, name="Naryn winter", archived_at=datetime(2026, 1, 1))
    make_cohort(name="Elsewhere")
    page = client.get("/cohorts").get_data(as_text=True)
    assert coordinator and page.index("Osh spring") < page.index("Archived") < page.index("Naryn winter")
    assert "Elsewhere" not in page and "Community overdose response" in page



def test_the_cohort_list_runs_the_same_queries_for_1_or_20_cohorts(app, client, as_user, make_org, make_cohort,
                                                                    make_user):
    org = make_org()
    as_user("admin")
    make_cohort(org=org, members=[make_user()])
    one = count_queries(client, "/cohorts")
    for _ in range(19):
        make_cohort(org=make_org(), members=[make_user(), make_user()])
    assert count_queries(client, "/cohorts") == one


def cohort_form(**changes):
    """A valid create/edit form, with some fields changed."""
    data = {"name": "Bishkek May", "programme": "community-response", "language": "ru", "delivery": "blended",
            "starts_on": "2026-05-04", "ends_on": "2026-05-05", "location": "Drop-in centre", "region": "Chui"}
    return data | changes


def test_a_trainer_creates_a_cohort_in_their_organisation_and_runs_it(client, as_user, make_org, make_user):
    org = make_org()
    trainer = as_user("trainer", organisation_id=org.id)
    colleague = make_user("trainer", organisation_id=org.id)
    response = client.post("/cohorts/new", data=cohort_form(trainers=[colleague.id]))
    cohort = db.session.scalar(select(Cohort))
    assert response.location.endswith(f"/cohorts/{cohort.id}") and cohort.organisation_id == org.id
    assert {t.id for t in cohort.trainers} == {trainer.id, colleague.id} and cohort.delivery == "blended"


@pytest.mark.parametrize(("changes", "message"), [
    ({"ends_on": "2026-05-01"}, "The end date cannot be before the start date."),
    ({"programme": "juggling"}, "Choose one of the options in the list."),
    ({"name": ""}, "This field is required."),
])
def test_bad_cohort_details_are_refused_and_nothing_is_created(client, as_user, make_org, changes, message):
    as_user("coordinator", organisation_id=make_org().id)
    response = client.post("/cohorts/new", data=cohort_form(**changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Cohort)) == 0


def test_a_trainer_of_another_organisation_cannot_be_made_co_trainer(client, as_user, make_org, make_user):
    as_user("coordinator", organisation_id=make_org().id)
    stranger = make_user("trainer", organisation_id=make_org().id)
    response = client.post("/cohorts/new", data=cohort_form(trainers=[stranger.id]))
    assert response.status_code == 200 and db.session.scalar(select(func.count()).select_from(Cohort)) == 0


def test_an_admin_picks_the_organisation(client, as_user, make_org):
    as_user("admin")
    org = make_org()
    client.post("/cohorts/new", data=cohort_form(organisation=org.id))
    assert db.session.scalar(select(Cohort.organisation_id)) == org.id


def test_editing_changes_details_and_keeps_the_editing_trainer(client, world):
    login(client, world["people"]["cohort-trainer"].username)
    cohort_id = world["cohort"].id
    client.post(f"/cohorts/{cohort_id}/edit", data=cohort_form(name="Renamed", delivery="online"))
    cohort = fresh(Cohort, cohort_id)
    assert cohort.name == "Renamed" and cohort.delivery == "online"
    assert [t.id for t in cohort.trainers] == [world["people"]["cohort-trainer"].id]


def test_an_archived_cohort_can_be_restored(client, world):
    login(client, world["people"]["org-coordinator"].username)
    cohort_id = world["cohort"].id
    client.post(f"/cohorts/{cohort_id}/archive", data={"archived": "1"})
    client.post(f"/cohorts/{cohort_id}/archive", data={"archived": "0"})
    assert fresh(Cohort, cohort_id).archived_at is None


def test_the_cohort_page_shows_the_join_link(client, world):
    login(client, world["people"]["cohort-trainer"].username)
    page = client.get(f"/cohorts/{world['cohort'].id}").get_data(as_text=True)
    assert f"https://academy.example/join/{world['cohort'].join_code}" in page


def test_the_poster_has_the_join_link_and_its_qr_code(client, world):
    login(client, world["people"]["cohort-trainer"].username)
    page = client.get(f"/cohorts/{world['cohort'].id}/poster").get_data(as_text=True)
    assert f"https://academy.example/join/{world['cohort'].join_code}" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'class="poster"' in page


def members_of(cohort_id):
    """The ids of a cohort's trainees."""
    return list(db.session.scalars(select(Membership.user_id).where(Membership.cohort_id == cohort_id)))


def test_a_visitor_with_the_link_is_sent_to_sign_up_or_log_in_and_back(client, make_cohort):
    cohort = make_cohort()
    page = client.get(f"/join/{cohort.join_code}").get_data(as_text=True)
    assert f"next=/join/{cohort.join_code}" in page and "Sign up" in page
    response = client.post(f"/join/{cohort.join_code}")
    assert "/auth/login?next=" in response.location and members_of(cohort.id) == []


def test_a_trainee_joins_by_link_once_and_takes_the_organisation(client, as_user, make_cohort):
    cohort = make_cohort()
    trainee = as_user()
    client.post(f"/join/{cohort.join_code.lower()}")
    response = client.post(f"/join/{cohort.join_code}")
    assert response.location.endswith("/dashboard") and members_of(cohort.id) == [trainee.id]
    assert fresh(type(trainee), trainee.id).organisation_id == cohort.organisation_id


def test_a_trainee_joins_with_a_typed_code_ignoring_case_and_spaces(client, as_user, make_cohort):
    cohort = make_cohort()
    trainee = as_user()
    typed = " ".join(cohort.join_code[i:i + 4] for i in (0, 4)).lower()
    client.post("/join", data={"code": typed})
    client.post("/join", data={"code": cohort.join_code})
    assert members_of(cohort.id) == [trainee.id]


@pytest.mark.parametrize(("code", "message"), [("NOPE2345", "No group has this code"), (None, "has ended")])
def test_unknown_and_archived_codes_are_refused(client, as_user, make_cohort, code, message):
    cohort = make_cohort(archived_at=datetime(2026, 1, 1))
    as_user()
    response = client.post("/join", data={"code": code or cohort.join_code})
    assert message in response.get_data(as_text=True) and members_of(cohort.id) == []


def test_the_link_of_an_archived_cohort_says_so_and_enrols_nobody(client, as_user, make_cohort):
    cohort = make_cohort(archived_at=datetime(2026, 1, 1))
    as_user()
    assert "has ended" in client.get(f"/join/{cohort.join_code}").get_data(as_text=True)
    assert client.post(f"/join/{cohort.join_code}").status_code == 403 and members_of(cohort.id) == []


def test_enrolling_by_username_enrols_each_once(client, world, make_user):
    login(client, world["people"]["cohort-trainer"].username)
    loner, colleague = make_user(), make_user(organisation_id=world["org"].id)
    names = f"{loner.username.upper()},\n{colleague.username}\n{world['people']['trainee'].username}"
    response = client.post(f"/cohorts/{world['cohort'].id}/enrol", data={"usernames": names}, follow_redirects=True)
    assert "2 enrolled, 1 already in the cohort." in response.get_data(as_text=True)
    assert sorted(members_of(world["cohort"].id)) == sorted([world["people"]["trainee"].id, loner.id, colleague.id])
    assert fresh(type(loner), loner.id).organisation_id == world["org"].id


@pytest.mark.parametrize("other_org", [False, True])
def test_one_unknown_or_foreign_username_enrols_nobody(client, world, make_user, make_org, other_org):
    login(client, world["people"]["cohort-trainer"].username)
    known = make_user()
    bad = make_user(organisation_id=make_org().id).username if other_org else "ghost-person"
    response = client.post(f"/cohorts/{world['cohort'].id}/enrol", data={"usernames": f"{known.username}, {bad}"})
    assert "Nobody was enrolled" in response.get_data(as_text=True) and bad in response.get_data(as_text=True)
    assert members_of(world["cohort"].id) == [world["people"]["trainee"].id]


def test_a_co_trainer_sees_the_cohort_but_not_other_trainers(client, world):
    cohort_id = world["cohort"].id
    db.session.add(CohortTrainer(cohort_id=cohort_id, user_id=world["people"]["org-trainer"].id))
    db.session.commit()
    login(client, world["people"]["org-trainer"].username)
    assert client.get(f"/cohorts/{cohort_id}").status_code == 200


def test_the_poster_speaks_the_cohort_language(client, world):
    world["cohort"].language = "ru"
    db.session.commit()
    login(client, world["people"]["cohort-trainer"].username)
    page = client.get(f"/cohorts/{world['cohort'].id}/poster").get_data(as_text=True)
    poster = page[page.index('<article class="poster"'):page.index("</article>")]
    assert '<article class="poster" lang="ru" dir="ltr"' in page
    assert "Помощь при передозировке в сообществе" in poster and "Присоединиться к обучению" in poster


def test_a_mixed_group_gets_the_poster_in_another_language_on_request(client, world):
    world["cohort"].language = "ru"
    db.session.commit()
    login(client, world["people"]["cohort-trainer"].username)
    page = client.get(f"/cohorts/{world['cohort'].id}/poster?language=ar").get_data(as_text=True)
    assert '<article class="poster" lang="ar" dir="rtl"' in page and '<option value="ar" lang="ar" selected>' in page
    unknown = client.get(f"/cohorts/{world['cohort'].id}/poster?language=xx").get_data(as_text=True)
    assert '<article class="poster" lang="ru"' in unknown  # an unknown language falls back to the sessions'


def test_around_the_poster_the_page_stays_in_the_staff_members_language(client, world):
    world["cohort"].language = "ru"
    world["people"]["cohort-trainer"].language = "ar"
    db.session.commit()
    login(client, world["people"]["cohort-trainer"].username)
    page = client.get(f"/cohorts/{world['cohort'].id}/poster").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in page and '<article class="poster" lang="ru" dir="ltr"' in page
    assert "العودة إلى الدفعة" in page and "Назад к группе" not in page  # the back link, in Arabic


def test_the_place_joins_location_and_region_with_the_languages_comma(client, as_user, make_org, make_cohort):
    org = make_org()
    trainer = as_user("trainer", organisation_id=org.id)
    cohort = make_cohort(org=org, trainer=trainer, location="Drop-in centre", region="Chui", language="ar")
    bare = make_cohort(org=org, trainer=trainer)
    assert "<dd>Drop-in centre, Chui</dd>" in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "<dd>—</dd>" in client.get(f"/cohorts/{bare.id}").get_data(as_text=True)
    assert "· Drop-in centre، Chui</p>" in client.get(f"/cohorts/{cohort.id}/poster").get_data(as_text=True)
