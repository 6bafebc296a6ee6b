"""Roster exports as CSV and XLSX, with every cell a spreadsheet could run neutralised.

Columns, in order (names are stable, so people's spreadsheets keep working):
username, display_name, modules_completed, modules_total, then for each module of the programme
`<module-slug>` (not-started | in-progress | completed) and `<module-slug>_best` (best quiz score, %),
then pre_test, final_best, skills_signed, skills_total, certificate (valid | expired | revoked | none),
certificate_expires, last_activity (YYYY-MM-DD), stuck (yes | no).
"""
import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from training.content import Programme
from training.roster import RosterRow

# A cell starting with one of these is a formula to Excel, LibreOffice or Sheets (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Drop control characters XLSX cannot hold, then prefix a single quote to text a spreadsheet would run."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)  # first, so "\x01=cmd" cannot turn into "=cmd" afterwards
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def header(programme: Programme) -> list[str]:
    """The export's column names."""
    modules = [name for slug in programme.modules for name in (slug, f"{slug}_best")]
    return ["username", "display_name", "modules_completed", "modules_total", *modules, "pre_test",
            "final_best", "skills_signed", "skills_total", "certificate", "certificate_expires",
            "last_activity", "stuck"]


def line(row: RosterRow, programme: Programme) -> list[object]:
    """One trainee's values, in the header's order."""
    cells = [value for slug in programme.modules for value in (row.cells[slug].status, row.cells[slug].best)]
    return [row.username, row.name if row.name != row.username else "", row.completed, len(programme.modules),
            *cells, row.pre, row.final, row.skills_signed, len(programme.skills), row.certificate,
            row.certificate_expires.isoformat() if row.certificate_expires else "",
            row.last_activity.date().isoformat() if row.last_activity else "", "yes" if row.stuck else "no"]


def table(rows: Iterable[RosterRow], programme: Programme) -> list[list[object]]:
    """The header and every line, neutralised, ready for either writer."""
    return [header(programme)] + [[neutralise(v) for v in line(row, programme)] for row in rows]


def to_csv(lines: list[list[object]]) -> bytes:
    """RFC 4180 CSV (quoted where needed, CRLF) in UTF-8 with a BOM so Excel reads the letters right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([["" if v is None else v for v in values] for values in lines])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(lines: list[list[object]]) -> bytes:
    """An XLSX workbook with one sheet named roster (the lines are already neutralised)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="roster")
    for values in lines:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
