"""Roster exports: a CSV for scripts, an XLSX for people, and download names that say what a file holds.

The CSV is the stable machine format, the same whatever the downloader's language, so people's scripts
keep working. Columns, in order: username, display_name, modules_completed, modules_total, then for each
module of the programme `<module-slug>` (not-started | in-progress | completed) and `<module-slug>_best`
(best quiz score, %), then pre_test, final_best, skills_signed, skills_total, certificate (valid | expired |
revoked | none), certificate_expires, last_activity (YYYY-MM-DD), stuck (yes | no). A cell a spreadsheet
would run gets a leading quote.

The XLSX is for people opening it in Excel or LibreOffice: headings and status words in the downloader's
language, each module headed by its title, dates as date cells, scores as percentages, the header row
frozen and bold, right to left in Arabic. Every text cell is a string cell, so nothing in it is ever a
formula and it needs no quote.
"""
import csv
import io
import re
from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app import RTL_LANGUAGES
from training import stats
from training.content import Programme, catalog
from training.roster import RosterRow, code_words

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to Excel, LibreOffice or Sheets (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Number formats of the people's sheet. "@" is Excel's text format: a text cell edited by hand stays text.
TEXT, NUMBER, PERCENT, DATE = "@", "0", "0%", "yyyy-mm-dd"


def neutralise(value: object) -> object:
    """Drop control characters XLSX cannot hold, then prefix a single quote to text a spreadsheet would run."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)  # first, so "\x01=cmd" cannot turn into "=cmd" afterwards
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def header(programme: Programme) -> list[str]:
    """The CSV's column names."""
    modules = [name for slug in programme.modules for name in (slug, f"{slug}_best")]
    return ["username", "display_name", "modules_completed", "modules_total", *modules, "pre_test",
            "final_best", "skills_signed", "skills_total", "certificate", "certificate_expires",
            "last_activity", "stuck"]


def line(row: RosterRow, programme: Programme) -> list[object]:
    """One trainee's CSV values, in the header's order."""
    cells = [value for slug in programme.modules for value in (row.cells[slug].status, row.cells[slug].best)]
    return [row.username, row.name if row.name != row.username else "", row.completed, len(programme.modules),
            *cells, row.pre, row.final, row.skills_signed, len(programme.skills), row.certificate,
            row.certificate_expires.isoformat() if row.certificate_expires else "",
            row.last_activity.date().isoformat() if row.last_activity else "", "yes" if row.stuck else "no"]


def table(rows: Iterable[RosterRow], programme: Programme) -> list[list[object]]:
    """The CSV's header and every line, neutralised."""
    return [header(programme)] + [[neutralise(v) for v in line(row, programme)] for row in rows]


def to_csv(lines: list[list[object]]) -> bytes:
    """RFC 4180 CSV (quoted where needed, CRLF) in UTF-8 with a BOM so Excel reads the letters right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([["" if v is None else v for v in values] for values in lines])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sheet_columns(programme: Programme, language: str) -> list[tuple[str, str]]:
    """The people's sheet, in the grid's order: each column's heading in the language and its number format."""
    modules = [catalog().modules[slug] for slug in programme.modules]
    titles = [module.text(module.title, language) for module in modules]
    per_module = [column for title in titles
                  for column in ((title, TEXT), (_("%(module)s: best score", module=title), PERCENT))]
    return [(_("Trainee"), TEXT), (_("Username"), TEXT), (_("Certificate"), TEXT), (_("Valid until"), DATE),
            (_("Final"), PERCENT), (_("Practical skills signed off"), NUMBER), (_("Pre-test"), PERCENT),
            (_("Last activity"), DATE), (_("Stuck"), TEXT), (_("Modules completed"), NUMBER), *per_module]


def share(score: int | None) -> float | None:
    """A score in % as the fraction a percentage cell holds."""
    return None if score is None else score / 100


def sheet_line(row: RosterRow, programme: Programme, labels: dict[str, str]) -> list[object]:
    """One trainee's values for people, in sheet_columns' order: words for codes, dates as dates."""
    modules = [value for slug in programme.modules
               for value in (labels[row.cells[slug].status], share(row.cells[slug].best))]
    return [row.name, row.username, labels[row.certificate], row.certificate_expires, share(row.final),
            row.skills_signed, share(row.pre), row.last_activity.date() if row.last_activity else None,
            _("Yes") if row.stuck else _("No"), row.completed, *modules]


def cell(sheet, value: object, number_format: str, heading: bool = False) -> WriteOnlyCell:
    """One cell; text is always a string cell, whatever it starts with, so it can never be a formula."""
    text = isinstance(value, str)
    result = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value) if text else value)  # XML cannot hold them
    if text:
        result.data_type = "s"  # openpyxl takes any str starting with "=" for a formula unless told
    result.number_format = number_format
    if heading:
        result.font, result.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    return result


def widths(columns: list[tuple[str, str]], lines: list[list[object]]) -> list[int]:
    """Each column wide enough for its longest value and its heading on two or three lines, within reason."""
    wanted = [max([len(label) // 2, *(len(word) for word in label.split())]
                  + [len(str(values[i])) for values in lines if values[i] is not None])
              for i, (label, _format) in enumerate(columns)]
    return [min(max(n, 8), 36) + 2 for n in wanted]


def to_xlsx(rows: list[RosterRow], programme: Programme, language: str) -> bytes:
    """The roster as a workbook for people, in the language, with one sheet."""
    columns = sheet_columns(programme, language)
    labels = code_words()
    lines = [sheet_line(row, programme, labels) for row in rows]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "", _("Roster"))[:31] or "roster")  # Excel's rules
    sheet.sheet_view.rightToLeft = language in RTL_LANGUAGES
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths(columns, lines), 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([cell(sheet, label, TEXT, heading=True) for label, _format in columns])
    for values in lines:
        sheet.append([cell(sheet, value, fmt) for value, (_label, fmt) in zip(values, columns, strict=True)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def slug(text: str) -> str:
    """Letters and digits only, runs of anything else as one dash: safe in a file name, short."""
    return re.sub(r"[\W_]+", "-", text).strip("-")[:40] or "x"


def roster_file_name(cohort_id: int, day: date, status: str, kind: str) -> str:
    """The roster download's name: the cohort, the day, and the filter when it leaves people out."""
    parts = ["roster", f"cohort-{cohort_id}", day.isoformat(), *([slug(status)] if status != "all" else [])]
    return "_".join(parts) + f".{kind}"


def report_file_name(f: stats.Filters, name: str = "naloxone-report") -> str:
    """A report download's name: its period, then every filter that narrows it, so two files never look alike."""
    parts = [name, f.start.isoformat(), f.end.isoformat()]
    if f.organisation_ids is not None and len(f.organisation_ids) == 1:
        parts.append(f"organisation-{f.organisation_ids[0]}")
    chosen = {"programme": f.programme, "cohort": f.cohort_id, "region": f.region, "audience": f.audience,
              "sex": f.sex, "age": f.age_band}
    parts += [f"{key}-{slug(str(value))}" for key, value in chosen.items() if value is not None]
    return "_".join(parts) + ".csv"
