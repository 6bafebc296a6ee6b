"""Downloads are named after what they hold, so two exports sent to a funder can be told apart."""
from datetime import date, timedelta

import pytest

from training.models import utcnow


def disposition(response) -> str:
    """The Content-Disposition header of a download that worked and is never cached."""
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return response.headers["Content-Disposition"]


def test_the_report_name_carries_the_period_and_the_cohort(client, as_user, make_org, make_cohort):
    org = make_org()
    cohort = make_cohort(org=org)
    as_user("coordinator", organisation_id=org.id)
    response = client.get("/reports/export.csv", query_string={"start": "2024-01-01", "end": "2024-12-31",
                                                              "cohort": cohort.id, "sex": "female"})
    name = f"naloxone-report_2024-01-01_2024-12-31_organisation-{org.id}_cohort-{cohort.id}_sex-female.csv"
    assert disposition(response) == f"attachment; filename={name}"


def test_the_report_name_without_filters_is_the_last_12_months(client, as_user, make_org):
    org = make_org()
    as_user("coordinator", organisation_id=org.id)
    today = date.today()
    name = f"naloxone-report_{today - timedelta(days=365)}_{today}_organisation-{org.id}.csv"
    assert disposition(client.get("/reports/export.csv")).endswith(name)


def test_the_trainers_table_is_named_after_its_period_too(client, as_user, make_org):
    org = make_org()
    as_user("coordinator", organisation_id=org.id)
    response = client.get("/reports/trainers.csv", query_string={"start": "2024-01-01", "end": "2024-12-31"})
    assert disposition(response).endswith(f"naloxone-trainers_2024-01-01_2024-12-31_organisation-{org.id}.csv")


def test_an_admin_report_names_the_chosen_organisation_and_programme_only_when_chosen(client, as_user, make_org):
    org = make_org()
    as_user("admin")
    everyone = disposition(client.get("/reports/export.csv", query_string={"end": "2025-06-30"}))
    assert everyone.endswith("naloxone-report_2024-06-30_2025-06-30.csv")
    one = disposition(client.get("/reports/export.csv", query_string={
        "end": "2025-06-30", "organisation": org.id, "programme": "community-response"}))
    assert one.endswith(f"_2025-06-30_organisation-{org.id}_programme-community-response.csv")


def test_a_region_in_another_script_is_kept_safely_in_the_name(client, as_user, make_org, make_user):
    org = make_org()
    make_user(organisation_id=org.id, region='Алматы "/..\\')
    as_user("coordinator", organisation_id=org.id)
    response = client.get("/reports/export.csv", query_string={"region": 'Алматы "/..\\', "end": "2025-01-31"})
    header = disposition(response)
    assert "filename*=UTF-8''" in header and "%D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B.csv" in header
    assert "/" not in header.split("filename")[1] and ".." not in header and "\\" not in header


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_roster_name_carries_the_cohort_the_day_and_the_filter(client, make_cohort, kind):
    from conftest import login

    cohort = make_cohort()
    login(client, cohort.trainers[0].username)
    day = utcnow().date().isoformat()
    everyone = disposition(client.get(f"/cohorts/{cohort.id}/roster.{kind}"))
    assert everyone == f"attachment; filename=roster_cohort-{cohort.id}_{day}.{kind}"
    stuck = disposition(client.get(f"/cohorts/{cohort.id}/roster.{kind}?status=stuck&sort=activity"))
    assert stuck == f"attachment; filename=roster_cohort-{cohort.id}_{day}_stuck.{kind}"
