"""Hostile text typed anywhere comes out escaped on every page, inert in spreadsheets and literal in PDFs."""
import csv
import html
import io
import re
from datetime import date
from io import BytesIO

import pytest
from conftest import make_app, running
from markupsafe import escape
from openpyxl import load_workbook
from pypdf import PdfReader
from test_access_matrix import build_world, log_in

from app import db
from certificates.models import Certificate
from training.models import Organisation, User

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(1+1)",
    "-2+3",
    '<font color="[[[x]]]">',
    '<unichar name="x"/>',
    '<para><img src="/etc/passwd"/></para>',
    "Ana\nMaría\rLópez",
    "\u202eexe.txt Ana",
    "Naloxone saves lives " * 14 + "!" * 6,  # 300 characters
]
FORMULA = tuple("=+-@")
# Column limits, so the same strings would also fit PostgreSQL's VARCHARs.
LIMITS = {"org": 120, "cohort": 120, "tra": 80, "run": 80, "certificate_name": 120, "lot": 40, "region": 80,
          "location": 120, "place": 120, "notes": None, "legal_note": None}
# What each page shows of organisation A's hostile fields: (who, url, fields).
PAGES = [
    ("tra", "/dashboard", ["tra"]),
    ("tra", "/learn/opioids-and-overdose/handout", ["legal_note"]),  # the lesson text puts the legal note in
    ("tra", "/certificates/", ["certificate_name"]),
    ("tra", "/account/data", ["certificate_name", "cohort", "lot", "org", "place", "region", "tra"]),
    ("run", "/cohorts", ["cohort"]),
    ("run", "/cohorts/{cohort}", ["cohort", "location", "region", "run"]),
    ("run", "/cohorts/{cohort}/roster", ["cohort", "tra"]),
    ("run", "/cohorts/{cohort}/poster", ["cohort", "location", "region"]),
    ("run", "/cohorts/{cohort}/edit", ["cohort", "location", "region"]),
    ("run", "/cohorts/{cohort}/enrol", ["cohort", "tra"]),
    ("run", "/cohorts/{cohort}/attendance", ["cohort"]),
    ("run", "/cohorts/{cohort}/skills", ["cohort", "tra"]),
    ("run", "/cohorts/{cohort}/paper-scores", ["cohort", "tra"]),
    ("run", "/cohorts/{cohort}/import", ["cohort"]),
    ("run", "/kits/", ["lot", "org", "place"]),
    ("run", "/kits/hand-out?cohort={cohort}", ["cohort", "lot", "org"]),
    ("coo", "/certificates/manage", ["certificate_name", "cohort"]),
    ("coo", "/certificates/{certificate}", ["certificate_name"]),
    ("coo", "/reports", ["cohort", "region"]),  # the page and its inline SVG charts
    ("coo", "/report/list", ["notes", "region"]),
    ("coo", "/audit", []),
    ("coo", "/organisations/{org}", ["legal_note", "org"]),
    ("adm", "/organisations/", ["org"]),
    ("adm", "/admin/users", ["org"]),
    ("anon", "/verify/{code}", ["certificate_name", "org"]),
]


def fit(value: str, limit: int | None) -> str:
    """The value cut to a column's length."""
    return value[:limit] if limit else value


@pytest.fixture(scope="module", params=HOSTILE, ids=lambda value: repr(value[:24]))
def hostile(request, tmp_path_factory):
    """A world whose organisation A carries the hostile string in every field people type."""
    app = make_app(tmp_path_factory.mktemp("hostile") / "test.sqlite")
    names = {key: fit(request.param, limit) for key, limit in LIMITS.items()}
    app.world = build_world(app, names)
    with running(app):
        db.session.get(User, app.world.ids["trainee"]).verify_name = "full"
        app.world.ids["code"] = db.session.get(Certificate, app.world.ids["certificate"]).code
        db.session.commit()
        app.names = names
        yield app


def get_as(app, role: str, url: str, **kwargs):
    """A response to one request by one role of the world."""
    client = app.test_client()
    log_in(client, app.world.users.get(role))
    response = client.open(url.format(**app.world.ids), **kwargs)
    response.get_data()
    response.close()
    return response


def assert_escaped(body: str, value: str) -> None:
    """The page holds no raw markup of the value, and shows it in its escaped form."""
    assert "<script>alert" not in body and "<img src=x" not in body and "<img src=\"/etc" not in body
    assert "<font color" not in body and "<unichar" not in body and 'href="javascript:' not in body
    if any(char in value for char in "<>\"&'"):
        assert value not in body
    assert str(escape(value)) in body


@pytest.mark.parametrize(("role", "url", "fields"), PAGES, ids=[url for _role, url, _fields in PAGES])
def test_every_page_shows_hostile_text_escaped(hostile, role, url, fields):
    response = get_as(hostile, role, url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for name in fields:
        assert_escaped(body, hostile.names[name])


def test_the_template_engine_never_evaluates_typed_text(hostile):
    body = get_as(hostile, "run", "/cohorts/{cohort}").get_data(as_text=True)
    assert ("{{7*7}}" in body) == ("{{7*7}}" in hostile.names["cohort"])


def test_exports_neutralise_formulas(hostile):
    """The CSV quotes text a spreadsheet would run; the XLSX holds it as string cells, never as formulas."""
    name = hostile.names["tra"]
    body = get_as(hostile, "coo", "/cohorts/{cohort}/roster.csv").get_data(as_text=True)
    cells = [cell for line in csv.reader(io.StringIO(body)) for cell in line if name[:6] in cell]
    assert cells and all(not c.startswith(FORMULA) and (c.startswith("'") or not name.startswith(FORMULA))
                         for c in cells)
    sheet = load_workbook(BytesIO(get_as(hostile, "coo", "/cohorts/{cohort}/roster.xlsx").data)).active
    named = [cell for line in sheet.iter_rows() for cell in line if name[:6] in str(cell.value)]
    assert named and all(cell.data_type == "s" for cell in named)
    assert not any(cell.data_type == "f" for line in sheet.iter_rows() for cell in line)


def test_the_report_export_neutralises_formulas(hostile):
    region = hostile.names["region"]
    body = get_as(hostile, "coo", "/reports/export.csv").get_data(as_text=True)
    cells = [cell for line in csv.reader(io.StringIO(body)) for cell in line if region[:6] in cell]
    assert cells  # the trainees' region is a row of the "by region" tables
    assert all(cell.startswith("'") for cell in cells) if region.startswith(FORMULA) else True
    assert not any(cell.startswith(FORMULA) for cell in cells)


def pdf_text(response) -> str:
    """All the text of a PDF response."""
    return "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)


@pytest.mark.parametrize(("role", "url"), [
    ("tra", "/certificates/{certificate}.pdf"), ("tra", "/certificates/{certificate}-wallet.pdf"),
    ("coo", "/certificates/cohort/{cohort}.pdf"), ("coo", "/certificates/cohort/{cohort}-wallet.pdf"),
])
def test_certificate_pdfs_and_wallet_sheets_print_the_name_literally(hostile, role, url):
    response = get_as(hostile, role, url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(pdf_text(response).split())
    assert "root:" not in text  # no file was read into the PDF
    assert " ".join(hostile.names["certificate_name"].split())[:40] in text  # line breaks print as spaces


def import_file(hostile, name: str):
    """Upload a one-person CSV whose display name and region are the hostile string; the preview page."""
    data = io.StringIO()
    csv.writer(data).writerows([["username", "display_name", "region"], ["imported-person", name, fit(name, 80)]])
    upload = {"file": (BytesIO(data.getvalue().encode()), "roster.csv")}
    return get_as(hostile, "run", "/cohorts/{cohort}/import", method="POST", data=upload)


def test_an_imported_roster_shows_hostile_names_escaped_in_the_preview_and_the_slips(hostile):
    name = hostile.names["tra"]
    preview = import_file(hostile, name).get_data(as_text=True)
    payload = re.search(r'name="payload"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="payload"', preview)
    assert payload, "the file was refused"
    assert_escaped(preview, name)
    slips = get_as(hostile, "run", "/cohorts/{cohort}/import/confirm", method="POST",
                   data={"payload": html.unescape(payload.group(1) or payload.group(2))})
    assert slips.status_code == 200
    assert_escaped(slips.get_data(as_text=True), name)


# The same strings typed through the site's own forms: (who, url, form data, (model, field) stored, page shown).
FORMS = [
    ("tra", "/account/profile", lambda v: {"display_name": fit(v, 80), "region": fit(v, 80), "language": "en",
                                                "audience": "", "sex": "", "age_band": ""},
     (User, "trainee", "display_name"), "/dashboard"),
    ("tra", "/certificates/settings", lambda v: {"certificate_name": fit(v, 120), "verify_name": "full"},
     (User, "trainee", "certificate_name"), "/certificates/settings"),
    ("coo", "/organisations/{org}", lambda v: {"name": fit(v, 120), "legal_note": v, "emergency_number": "112",
                                               "paper_size": "A4"},
     (Organisation, "org", "legal_note"), "/organisations/{org}"),
    ("anon", "/report?org={org}", lambda v: {"occurred_on": date.today().isoformat(), "region": fit(v, 80),
                                             "naloxone_given": "yes", "emergency_called": "yes", "outcome": "alive",
                                             "notes": v},
     None, None),
]


@pytest.mark.parametrize(("role", "url", "data", "stored", "page"), FORMS, ids=[form[1] for form in FORMS])
def test_hostile_text_typed_into_forms_is_stored_as_typed_and_shown_escaped(hostile, role, url, data, stored, page):
    value = hostile.names["notes"]
    response = get_as(hostile, role, url, method="POST", data=data(value))
    assert response.status_code == 302, re.findall(r'error[^>]*>([^<]+)<', response.text)  # accepted
    if stored:
        model, key, column = stored
        typed = data(value)[column]
        assert getattr(db.session.get(model, hostile.world.ids[key]), column) in (typed, typed.strip())
        assert_escaped(get_as(hostile, role, page).text, getattr(db.session.get(model, hostile.world.ids[key]), column))
