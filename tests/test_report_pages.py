"""The funder reports page: scoping by role, filters, suppression, escaping, export and a fixed query count."""
from datetime import date, datetime, timedelta

import pytest

from app import db
from certificates.models import Certificate
from quizzes.models import QuizAttempt
from tests.conftest import count_queries
from training.fieldwork import FollowUp, KitHandout, OverdoseReport
from training.models import ModuleProgress

TODAY = date.today()
NOW = datetime.now().replace(microsecond=0) - timedelta(hours=1)


@pytest.fixture
def trained(make_user):
    """Factory: n trainees of an organisation who started a module this year."""

    def make(org, n=1, **fields):
        people = [make_user(organisation_id=org.id, **fields) for _ in range(n)]
        db.session.add_all(ModuleProgress(user_id=p.id, module_slug="naloxone", content_version="v", sections_total=7,
                                          started_at=NOW) for p in people)
        db.session.commit()
        return people

    return make


def kit(org, person=None, quantity=1):
    """Hand a kit to a person (or a walk-in) today."""
    db.session.add(KitHandout(organisation_id=org.id, user_id=person.id if person else None, form="nasal-spray",
                              quantity=quantity, lot="L1", expires_on=TODAY, handed_out_on=TODAY))
    db.session.commit()


def page(client, **args) -> str:
    """The reports page's text for these filters."""
    return client.get("/reports", query_string=args).get_data(as_text=True)


def test_a_group_of_three_shows_fewer_than_5_in_page_and_csv(client, as_user, make_org, trained):
    org = make_org()
    trained(org, 6, sex="female")
    trained(org, 3, sex="male")
    as_user("coordinator", organisation_id=org.id)
    body = page(client)
    assert "fewer than 5" in body and "<td>9</td>" in body
    assert "any count of 1 to 4 people is shown as" in body  # the page says why
    csv = client.get("/reports/export.csv").get_data(as_text=True)
    assert "Male,fewer than 5" in csv and "Female,fewer than 5" in csv  # the one other group is hidden too


def test_zero_is_shown_and_a_total_below_5_is_hidden(client, as_user, make_org, trained):
    org = make_org()
    trained(org, 3, sex="male")
    as_user("coordinator", organisation_id=org.id)
    csv = client.get("/reports/export.csv").get_data(as_text=True)
    assert "People trained,fewer than 5" in csv and "Female,0," in csv
    assert csv.startswith("\ufeff")  # Excel reads Cyrillic and Arabic text right only with the BOM


def test_cascade_arithmetic(client, as_user, make_org, trained):
    org = make_org()
    people = trained(org, 20)
    for person in people[:10]:
        kit(org, person)
    for i, person in enumerate(people[:10]):
        db.session.add(FollowUp(user_id=person.id, programme_slug="community-response", round=3, due_on=TODAY,
                                carries_naloxone=i < 5, answered_at=NOW))
    db.session.commit()
    as_user("coordinator", organisation_id=org.id)
    csv = client.get("/reports/export.csv").get_data(as_text=True)
    assert "Trained,20,–,–" in csv and "Received naloxone,10,50%,50%" in csv
    assert "Carrying naloxone at follow-up,5,50%,25%" in csv


def test_carrying_counts_each_persons_latest_answer(client, as_user, make_org, trained):
    """Yes at 3 months then no at 6 is not carrying; no then yes is; a 6-month question not yet answered waits."""
    org = make_org()
    people = trained(org, 15)
    for person in people:
        kit(org, person)
    earlier = NOW - timedelta(days=90)
    for i, person in enumerate(people):
        first, second = [(True, False), (False, True), (True, None)][i % 3]
        db.session.add(FollowUp(user_id=person.id, programme_slug="community-response", round=3, due_on=TODAY,
                                carries_naloxone=first, answered_at=earlier))
        db.session.add(FollowUp(user_id=person.id, programme_slug="community-response", round=6, due_on=TODAY,
                                carries_naloxone=second, answered_at=None if second is None else NOW))
    db.session.commit()
    as_user("coordinator", organisation_id=org.id)
    csv = client.get("/reports/export.csv").get_data(as_text=True)
    assert "Carrying naloxone at follow-up,10,67%,67%" in csv


def test_splits_by_sex_and_age_band(client, as_user, make_org, trained):
    org = make_org()
    trained(org, 5, sex="female", age_band="18-24")
    trained(org, 7, sex="male", age_band="25-34")
    trained(org, 6, age_band="25-34")
    as_user("coordinator", organisation_id=org.id)
    csv = client.get("/reports/export.csv").get_data(as_text=True)
    assert "Female,5," in csv and "Male,7," in csv and "Prefer not to say,6," in csv
    assert "18-24,5," in csv and "25-34,13," in csv


def test_filters_narrow_the_figures(client, as_user, make_org, trained):
    org = make_org()
    trained(org, 5, sex="female", region="North")
    trained(org, 7, sex="male", region="South")
    as_user("coordinator", organisation_id=org.id)
    assert "People trained,7" in client.get("/reports/export.csv?region=South").get_data(as_text=True)
    assert "People trained,5" in client.get("/reports/export.csv?sex=female").get_data(as_text=True)
    long_ago = {"start": "2001-01-01", "end": "2001-12-31"}
    assert "People trained,0" in client.get("/reports/export.csv", query_string=long_ago).get_data(as_text=True)


def test_pass_rate_and_knowledge_gain(client, as_user, make_org, trained):
    org = make_org()
    for person in trained(org, 5):
        db.session.add_all([attempt(person, "pre", 40, False), attempt(person, "final", 70, False),
                            attempt(person, "final", 90, True)])
    db.session.commit()
    as_user("coordinator", organisation_id=org.id)
    csv = client.get("/reports/export.csv").get_data(as_text=True)
    assert "Pass rate of final assessments,50%" in csv and "percentage points)\",50.0" in csv


def attempt(person, kind, score, passed):
    """A submitted quiz attempt."""
    return QuizAttempt(user_id=person.id, kind=kind, target="community-response", language="en", seed=1,
                       questions=[], options={}, rules={}, content_versions={}, score=score, passed=passed,
                       submitted_at=NOW)


def test_certified_counts_only_unrevoked_certificates_of_the_period(client, as_user, make_org, trained):
    org = make_org()
    for i, person in enumerate(trained(org, 7)):
        db.session.add(Certificate(code=f"C{i}", user_id=person.id, programme_slug="community-response",
                                   organisation_id=org.id, name_printed="x", language="en", expires_on=TODAY,
                                   issued_at=NOW, revoked_at=NOW if i == 6 else None))
    db.session.commit()
    as_user("coordinator", organisation_id=org.id)
    assert "People certified,6" in client.get("/reports/export.csv").get_data(as_text=True)


def test_kits_include_walk_ins_and_overdose_outcomes(client, as_user, make_org, trained):
    org = make_org()
    kit(org, quantity=4)
    for person in trained(org, 5):
        kit(org, person, quantity=2)
    db.session.add_all(OverdoseReport(organisation_id=org.id, occurred_on=TODAY, naloxone_given=i < 6,
                                      outcome="alive" if i < 7 else "died") for i in range(9))
    db.session.commit()
    as_user("coordinator", organisation_id=org.id)
    csv = client.get("/reports/export.csv").get_data(as_text=True)
    assert "(walk-ins included),14" in csv and "Overdose responses reported,9" in csv
    assert "Died,fewer than 5,0" in csv and "Alive,fewer than 5,6" in csv  # else 9 - 7 would give the 2 away


def test_a_coordinator_of_another_organisation_sees_nothing_of_this_one(client, as_user, make_org, make_cohort,
                                                                      trained):
    org, other = make_org(), make_org()
    trained(org, 8)
    cohort = make_cohort(org=org, name="Riverside evening")
    as_user("coordinator", organisation_id=other.id)
    body = page(client)
    assert "Riverside evening" not in body and "<td>8</td>" not in body
    response = client.get("/reports", query_string={"cohort": cohort.id})
    assert response.status_code == 400 and "Choose one of the options in the list." in response.get_data(as_text=True)


def test_an_admin_sees_every_organisation_or_one(client, as_user, make_org, trained):
    first, second = make_org(), make_org()
    trained(first, 6)
    trained(second, 7)
    as_user("admin")
    assert "People trained,13" in client.get("/reports/export.csv").get_data(as_text=True)
    one = client.get("/reports/export.csv", query_string={"organisation": second.id}).get_data(as_text=True)
    assert "People trained,7" in one


@pytest.mark.parametrize("role, status", [("trainee", 403), ("trainer", 403), ("coordinator", 200)])
def test_who_may_open_reports(client, as_user, make_org, role, status):
    as_user(role, organisation_id=make_org().id)
    assert client.get("/reports").status_code == status
    assert client.get("/reports/export.csv").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert "/auth/login" in client.get("/reports").headers["Location"]
    assert "/auth/login" in client.get("/reports/export.csv").headers["Location"]


def test_bad_filters_get_a_message_and_no_figures(client, as_user, make_org):
    as_user("coordinator", organisation_id=make_org().id)
    response = client.get("/reports", query_string={"start": "2025-05-01", "end": "2025-01-01", "sex": "x' OR 1=1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "The end date must be on or after" in body and "Summary" not in body


HOSTILE = '<script>alert(1)</script>"><svg onload=x>'


def test_a_hostile_region_name_is_escaped(client, as_user, make_org, trained):
    org = make_org()
    trained(org, 5, region=HOSTILE)
    as_user("coordinator", organisation_id=org.id)
    body = page(client, region=HOSTILE)
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body
    assert "People trained</th><td>5</td>" in body
    svg = body[body.index('id="chart-region-title"'):]
    assert "&lt;script&gt;" in svg[:svg.index("</svg>")]


def test_the_charts_are_described_and_followed_by_their_tables(client, as_user, make_org, trained):
    org = make_org()
    trained(org, 6, sex="female")
    as_user("coordinator", organisation_id=org.id)
    body = page(client)
    assert body.count('role="img"') == 4 and "<title id=\"chart-sex-title\">" in body
    assert body.index("chart-sex-title") < body.index("<th scope=\"col\">By sex</th>")



def test_the_query_count_does_not_grow_with_the_data(app, client, as_user, make_org, make_cohort, trained):
    org = make_org()
    trained(org, 2)
    user = as_user("coordinator", organisation_id=org.id)
    before = count_queries(client, "/reports"), count_queries(client, "/reports/export.csv")
    people = trained(org, 30, sex="male", region="East")
    make_cohort(org=org, members=people)
    for person in people:
        kit(org, person)
    after = count_queries(client, "/reports"), count_queries(client, "/reports/export.csv")
    assert before == after and after[0] <= 8, (before, after, user.id)


def test_the_export_neutralises_formulas(client, as_user, make_org, trained):
    org = make_org()
    trained(org, 5, region="=HYPERLINK(\"http://x\")")
    as_user("coordinator", organisation_id=org.id)
    csv = client.get("/reports/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv


@pytest.mark.parametrize("args", [{"end": "9999-12-31"}, {"start": "0001-01-01"},
                                  {"start": "9999-12-31", "end": "9999-12-31"}])
def test_a_far_off_date_is_refused_with_a_message_not_a_crash(client, as_user, make_org, args):
    as_user("coordinator", organisation_id=make_org().id)
    response = client.get("/reports", query_string=args)
    assert response.status_code == 400
    assert "Enter a date between the years 2000 and 2100." in response.get_data(as_text=True)


def test_a_kit_given_to_a_member_from_the_ledger_counts_for_their_cohort(client, as_user, make_org, make_cohort,
                                                                         trained):
    org = make_org()
    people = trained(org, 6)
    cohort, other = make_cohort(org=org, members=people[:5]), make_cohort(org=org, members=people[5:])
    for person in people:
        kit(org, person, quantity=2)  # recorded from the kits page, which names no cohort
    as_user("coordinator", organisation_id=org.id)
    mine = client.get("/reports/export.csv", query_string={"cohort": cohort.id}).get_data(as_text=True)
    theirs = client.get("/reports/export.csv", query_string={"cohort": other.id}).get_data(as_text=True)
    assert "(walk-ins included),10" in mine and "(walk-ins included),10" not in theirs
