"""The reports' page of each trainer's reach: people who joined their cohorts in the period, and what followed."""
import re
from datetime import timedelta

from sqlalchemy import update

from app import db
from certificates.issuing import award_manually
from tests.conftest import login
from training.cohorts import CohortTrainer, Membership
from training.models import ModuleProgress, utcnow

EN = {"Accept-Language": "en"}


def row_of(html: str, name: str) -> list[str]:
    """The cells of the table row headed by a trainer's name."""
    row = re.search(rf"<tr><th scope=\"row\"><bdi>{re.escape(name)}</bdi></th>(.*?)</tr>", html)
    assert row, f"no row for {name}"
    return re.findall(r"<td>(.*?)</td>", row.group(1))


def trainers_page(client, query: str = "", status: int = 200) -> str:
    """The trainers' reach page."""
    response = client.get(f"/reports/trainers{query}", headers=EN)
    assert response.status_code == status
    return response.get_data(as_text=True)


def test_each_trainer_counts_the_distinct_people_of_their_cohorts(client, make_org, make_user, make_cohort):
    org = make_org()
    ana, ben = (make_user("trainer", organisation_id=org.id, display_name=n) for n in ("Ana Trainer", "Ben Trainer"))
    first = [make_user(organisation_id=org.id) for _ in range(6)]
    second = [first[0], *(make_user(organisation_id=org.id) for _ in range(5))]  # one person in both cohorts
    make_cohort(org=org, trainer=ana, members=first)
    co_run = make_cohort(org=org, trainer=ana, members=second)
    db.session.add(CohortTrainer(cohort_id=co_run.id, user_id=ben.id))
    coordinator = make_user("coordinator", organisation_id=org.id)
    for trainee in first[1:]:  # the five who are only in Ana's own cohort
        award_manually(trainee, "community-response", "Trained in the field", coordinator, utcnow())
    qualification = award_manually(ana, "naloxone-trainer", "Trainer course", coordinator, utcnow())
    old = award_manually(ben, "naloxone-trainer", "Trainer course", coordinator, utcnow() - timedelta(days=800))
    db.session.commit()
    login(client, coordinator.username)
    html = trainers_page(client)
    day = qualification.expires_on
    # trainer certificate, cohorts, trained, certified, pass rate
    assert row_of(html, "Ana Trainer")[:5] == [f"{day:%b} {day.day}, {day.year}", "2", "11", "5", "–"]
    assert row_of(html, "Ben Trainer")[0] == f"expired {old.expires_on:%b} {old.expires_on.day}, {old.expires_on.year}"
    assert row_of(html, "Ben Trainer")[1:4] == ["1", "6", "0"]
    assert html.index("Ana Trainer") < html.index("Ben Trainer")  # the widest reach first


def test_small_counts_are_hidden_and_an_earlier_joiner_is_not_counted(client, make_org, make_user, make_cohort):
    org = make_org()
    trainer = make_user("trainer", organisation_id=org.id, display_name="Cleo Trainer")
    members = [make_user(organisation_id=org.id) for _ in range(7)]
    cohort = make_cohort(org=org, trainer=trainer, members=members)
    early = members[:4]  # joined two years ago; they study on their own this year, which the report counts
    db.session.execute(update(Membership).where(Membership.cohort_id == cohort.id, Membership.user_id.in_(
        [m.id for m in early])).values(joined_at=utcnow() - timedelta(days=800)))
    db.session.add_all(ModuleProgress.start(m.id, "naloxone") for m in early)
    db.session.commit()
    login(client, make_user("coordinator", organisation_id=org.id).username)
    page = trainers_page(client)
    row = row_of(page, "Cleo Trainer")
    assert row[0] == "–" and row[2] == "fewer than 5"  # no trainer certificate; 3 joined within the last year
    assert "any count of 1 to 4 people is shown as" in page  # the page says why


def test_a_coordinator_sees_only_their_organisations_trainers(client, make_org, make_user, make_cohort):
    mine, theirs = make_org(), make_org()
    for org, name in ((mine, "Dara Ours"), (theirs, "Eli Theirs")):
        make_cohort(org=org, trainer=make_user("trainer", organisation_id=org.id, display_name=name),
                    members=[make_user(organisation_id=org.id) for _ in range(5)])
    login(client, make_user("coordinator", organisation_id=mine.id).username)
    html = trainers_page(client)
    assert "Dara Ours" in html and "Eli Theirs" not in html


def test_a_period_that_ends_before_it_starts_is_refused_in_the_users_language(client, make_user, make_org):
    login(client, make_user("coordinator", organisation_id=make_org().id).username)
    html = trainers_page(client, "?start=2026-05-01&end=2026-04-01", status=400)
    assert "The end date must be on or after the start date." in html
    response = client.get("/reports/trainers?start=2026-05-01&end=2026-04-01", headers={"Accept-Language": "ar"})
    assert response.status_code == 400 and "The end date" not in response.get_data(as_text=True)


def test_the_reports_page_leads_to_the_trainers_page_with_its_filters(client, make_user, make_org):
    login(client, make_user("coordinator", organisation_id=make_org().id).username)
    html = client.get("/reports?start=2026-01-01", headers=EN).get_data(as_text=True)
    assert 'href="/reports/trainers?start=2026-01-01"' in html
    assert "Nobody joined a cohort in this period." in trainers_page(client, "?start=2026-01-01")


def test_the_table_downloads_as_csv_with_the_same_suppression(client, make_org, make_user, make_cohort):
    org = make_org()
    make_cohort(org=org, trainer=make_user("trainer", organisation_id=org.id, display_name="=Fay Trainer"),
                members=[make_user(organisation_id=org.id) for _ in range(3)])
    login(client, make_user("coordinator", organisation_id=org.id).username)
    response = client.get("/reports/trainers.csv", headers=EN)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel reads Cyrillic and Arabic names right only with the BOM
    lines = text.splitlines()
    assert lines[2].startswith("'=Fay Trainer,–,1,fewer than 5,")  # a formula-like name is neutralised
