"""Anonymous overdose-response reports: open to all, nothing identifying stored, escaped, rate limited."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select

from app import db
from training.fieldwork import OverdoseReport
from training.models import ModuleProgress, utcnow


def report_data(**fields):
    """A valid report."""
    return {"occurred_on": date.today().isoformat(), "region": "Osh", "signs": ["breathing", "blue-lips"],
            "naloxone_given": "yes", "doses": "2", "form": "nasal-spray", "emergency_called": "unsure",
            "outcome": "alive", "helped": ["training", "kit"], "barriers": ["police"], "notes": "", **fields}


def add_report(org, **fields):
    """Store a report directly."""
    values = {"organisation_id": org.id, "occurred_on": date.today(), "naloxone_given": True, "outcome": "alive",
              **fields}
    db.session.add(OverdoseReport(**values))
    db.session.commit()


def test_anyone_can_report_without_an_account(client):
    assert client.get("/report").status_code == 200
    response = client.post("/report", data=report_data())
    assert response.status_code == 302 and "/report/thanks" in response.headers["Location"]
    row = db.session.scalar(select(OverdoseReport))
    assert (row.signs, row.emergency_called, row.doses, row.organisation_id) == (["breathing", "blue-lips"], None, 2,
                                                                                 None)


@pytest.mark.parametrize(("outcome", "called", "said", "not_said"), [
    ("died", "yes", "We are very sorry that the person died.", "If it happens again, call"),
    ("alive", "yes", "Calling for help was the right thing to do.", "If it happens again, call"),
    ("alive", "no", "If it happens again, call 112 as soon as you can.", "very sorry"),
])
def test_the_thank_you_fits_what_happened(client, outcome, called, said, not_said):
    page = client.post("/report", data=report_data(outcome=outcome, emergency_called=called),
                       follow_redirects=True).get_data(as_text=True)
    assert said in page and not_said not in page


def test_the_report_table_has_no_column_that_identifies_anyone(client, as_user, make_org):
    columns = {column["name"] for column in inspect(db.engine).get_columns("overdose_report")}
    assert not columns & {"user_id", "ip", "address", "address_hash", "created_at", "reporter_id"}
    as_user(organisation_id=make_org().id, age_band="under-18", username="findme")
    client.post("/report", data=report_data())
    row = db.session.scalar(select(OverdoseReport))
    values = [str(getattr(row, column)) for column in columns]
    assert not any("findme" in value for value in values)
    assert (row.reporter_under_18, row.reporter_trained, row.created_on) == (True, False, date.today())
    assert not any("127.0.0.1" in value for value in values)


def test_a_logged_in_reporter_counts_as_trained_and_files_under_their_organisation(client, as_user, make_org):
    org = make_org()
    user = as_user(organisation_id=org.id)
    progress = ModuleProgress.start(user.id, "naloxone")
    progress.completed_at = utcnow()
    db.session.add(progress)
    db.session.commit()
    client.post("/report?org=999", data=report_data())
    row = db.session.scalar(select(OverdoseReport))
    assert (row.reporter_trained, row.organisation_id) == (True, org.id)


def test_the_link_can_name_the_organisation(client, make_org):
    org = make_org(emergency_number="103")
    response = client.post(f"/report?org={org.id}", data=report_data(), follow_redirects=True)
    assert db.session.scalar(select(OverdoseReport.organisation_id)) == org.id
    assert "call 103" in response.get_data(as_text=True)


def test_a_future_date_or_a_long_note_is_refused(client):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    body = client.post("/report", data=report_data(occurred_on=tomorrow)).get_data(as_text=True)
    assert "This date is in the future." in body
    client.post("/report", data=report_data(notes="x" * 501, occurred_on="1999-12-31"))
    assert db.session.scalar(select(func.count(OverdoseReport.id))) == 0


def test_too_many_reports_from_one_address_get_429_and_keep_what_was_typed(client):
    for _ in range(3):  # refused forms store nothing, so they do not count against the five an hour
        client.post("/report", data=report_data(occurred_on="tomorrow"))
    for _ in range(5):
        assert client.post("/report", data=report_data()).status_code == 302
    response = client.post("/report", data=report_data(region="Jalal-Abad"))
    body = response.get_data(as_text=True)
    assert response.status_code == 429 and "Too many reports" in body and 'value="Jalal-Abad"' in body
    assert db.session.scalar(select(func.count(OverdoseReport.id))) == 5


def test_notes_are_escaped_on_the_coordinator_page(client, as_user, make_org):
    org = make_org()
    add_report(org, notes='<script>alert("x")</script>')
    as_user("coordinator", organisation_id=org.id)
    body = client.get("/report/list").get_data(as_text=True)
    assert "&lt;script&gt;" in body and '<script>alert' not in body


def test_coordinators_see_only_their_organisation_and_trainees_none(client, as_user, make_org):
    mine, other = make_org(), make_org()
    add_report(mine, region="Mine-region")
    add_report(other, region="Other-region")
    as_user("coordinator", organisation_id=mine.id)
    body = client.get("/report/list").get_data(as_text=True)
    assert "Mine-region" in body and "Other-region" not in body


def test_the_list_is_closed_to_trainees_trainers_and_nobody(client, as_user, make_org):
    assert client.get("/report/list").status_code == 302
    as_user("trainer", organisation_id=make_org().id)
    assert client.get("/report/list").status_code == 403


def test_reports_from_young_people_are_counted_but_not_listed(client, as_user, make_org):
    org = make_org()
    add_report(org, region="Adult-region")
    add_report(org, region="Young-region", reporter_under_18=True)
    as_user("admin")
    body = client.get("/report/list").get_data(as_text=True)
    assert "Young-region" not in body and "Adult-region" in body
    assert "1 report from a young person is counted in the totals" in body and "<strong>2</strong>" in body


@pytest.mark.parametrize(("doses", "shown"), [(1, "<td>Yes: 1 dose</td>"), (2, "<td>Yes: 2 doses</td>"),
                                             (None, "<td>Yes</td>")])
def test_the_list_counts_doses_in_plain_words(client, as_user, make_org, doses, shown):
    org = make_org()
    add_report(org, doses=doses)
    as_user("coordinator", organisation_id=org.id)
    assert shown in client.get("/report/list").get_data(as_text=True)
