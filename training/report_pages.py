"""Funder reports for coordinators and admins: filters, figures split by group, charts and a CSV export."""
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Blueprint, render_template, request, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from app import RTL_LANGUAGES, db
from training import report_tables, stats
from training.access import role_required, visible_cohorts
from training.audit import record
from training.charts import Bar, bar_chart
from training.cohorts import Cohort
from training.content import catalog
from training.exports import neutralise, report_file_name, to_csv
from training.fieldwork import OUTCOMES
from training.form_dates import plausible
from training.form_i18n import Form
from training.models import AGE_BANDS, AUDIENCES, SEXES, Organisation, User

bp = Blueprint("reports", __name__, url_prefix="/reports")


def group_labels() -> dict[str, dict[str, str]]:
    """Readable names of every group, per dimension, in the user's language."""
    unknown = {stats.UNKNOWN: _("Prefer not to say")}
    return {
        "sex": {"female": _("Female"), "male": _("Male"), "other": _("Another sex"), **unknown},
        "age_band": {"under-18": _("Under 18"), **{b: b for b in AGE_BANDS[1:-1]}, "55-plus": _("55 or older"),
                     **unknown},
        "audience": {"peer": _("Peers"), "family": _("Family and friends"), "responder": _("First responders"),
                     "provider": _("Service providers"), **unknown},
    }


def group_choices(dimension: str) -> list[tuple[str, str]]:
    """A filter's choices: everyone, each group, then "prefer not to say"."""
    return [("", _("Everyone")), *group_labels()[dimension].items()]


class ReportFilters(Form):
    """The report's filters, read from the query string; every choice comes from an allow-list."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    organisation = SelectField(_l("Organisation"), default="")
    start = DateField(_l("From"), [Optional(), plausible])
    end = DateField(_l("To"), [Optional(), plausible])
    programme = SelectField(_l("Programme"), default="")
    cohort = SelectField(_l("Cohort"), default="")
    region = SelectField(_l("Region"), default="")
    audience = SelectField(_l("Audience"), default="")
    sex = SelectField(_l("Sex"), default="")
    age_band = SelectField(_l("Age band"), default="")

    def validate_end(self, field) -> None:
        """The period must not end before it starts."""
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_("The end date must be on or after the start date."))


def build_form(user: User) -> ReportFilters:
    """The filter form with choices this user may pick: their organisation's cohorts and regions only."""
    form = ReportFilters(formdata=request.args)
    language = str(get_locale())
    if user.role == "admin":
        orgs = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
        form.organisation.choices = [("", _("All organisations")), *((str(i), n) for i, n in orgs)]
    else:  # not shown to coordinators, and ignored: they only ever see their own organisation
        form.organisation.choices = [(form.organisation.data or "", "")]
    org_ids = organisation_ids(user, form.organisation.data if form.organisation.data in
                               dict(form.organisation.choices) else "")
    cohorts = visible_cohorts(user).order_by(Cohort.name)
    regions = select(User.region).distinct().where(User.region.is_not(None)).order_by(User.region)
    if org_ids is not None:
        cohorts = cohorts.where(Cohort.organisation_id.in_(org_ids))
        regions = regions.where(User.organisation_id.in_(org_ids))
    form.cohort.choices = [("", _("All cohorts")), *((str(c.id), c.name) for c in db.session.scalars(cohorts))]
    form.region.choices = [("", _("All regions")), *((r, r) for r in db.session.scalars(regions)),
                           (stats.UNKNOWN, _("Not given"))]
    programmes = catalog().programmes.values()
    form.programme.choices = [("", _("All programmes")),
                              *((p.slug, p.title.get(language) or p.title["en"]) for p in programmes)]
    for dimension in ("audience", "sex", "age_band"):
        getattr(form, dimension).choices = group_choices(dimension)
    return form


def organisation_ids(user: User, chosen: str) -> tuple[int, ...] | None:
    """Whose figures the user sees: an admin's choice (or all), else their own organisation only."""
    if user.role == "admin":
        return (int(chosen),) if chosen else None
    return (user.organisation_id,) if user.organisation_id else ()


def filters_from(form: ReportFilters, user: User) -> stats.Filters:
    """The validated filters as plain values; the period defaults to the last 12 months."""
    end = form.end.data or date.today()
    start = form.start.data or (end - timedelta(days=365))
    programme = catalog().programmes.get(form.programme.data or "")
    return stats.Filters(
        start=start, end=end, organisation_ids=organisation_ids(user, form.organisation.data or ""),
        programme=programme.slug if programme else None, programme_modules=programme.modules if programme else None,
        cohort_id=int(form.cohort.data) if form.cohort.data else None, region=form.region.data or None,
        audience=form.audience.data or None, sex=form.sex.data or None, age_band=form.age_band.data or None)


@dataclass
class Table:
    """One table of the report as display strings, shared by the page and the CSV export."""

    key: str
    caption: str
    headers: list[str]
    rows: list[list[str]]
    chart: object = None
    note: str = ""
    extra: list = field(default_factory=list)


def show(value, percent: bool = False, rate: bool = False) -> str:
    """A count as text, "fewer than 5" when suppressed; a rate or share is a dash when hidden or undefined."""
    if value is None:
        return "–" if percent or rate else _("fewer than 5")
    return f"{value}%" if percent else str(value)


def build_tables(f: stats.Filters) -> list[Table]:
    """Run the report's three statements and lay every figure out as tables and charts."""
    cells = stats.group_totals(db.session, f)
    kit_cells, walk_ins = stats.kit_totals(db.session, f)
    for key, kits in kit_cells.items():
        cells[key] = cells.get(key, stats.Totals()) + kits
    overdoses = stats.overdose_totals(db.session, f)
    rtl = str(get_locale()) in RTL_LANGUAGES
    total = sum(cells.values(), stats.Totals())
    tables = [summary_table(total, walk_ins, overdoses), cascade_table(total, rtl)]
    labels = group_labels()
    headings = {"sex": _("By sex"), "age_band": _("By age band"), "audience": _("By audience"),
                "region": _("By region")}
    regions = tuple(sorted({key[3] for key in cells} - {stats.UNKNOWN}))
    labels["region"] = {**{r: r for r in regions}, stats.UNKNOWN: _("Not given")}
    orders = {"sex": SEXES, "age_band": AGE_BANDS, "audience": AUDIENCES, "region": regions}
    for dimension in stats.DIMENSIONS:
        rows = report_tables.split_rows(report_tables.rollup(cells, dimension, orders[dimension]))
        tables.append(split_table(dimension, headings[dimension], rows, labels[dimension], rtl))
    tables.append(outcome_table(report_tables.outcome_rows(overdoses, OUTCOMES)))
    return tables


def summary_table(total: stats.Totals, walk_ins: stats.Totals, overdoses: dict) -> Table:
    """The headline figures for the whole selection."""
    kits = total.kits + walk_ins.kits
    reports = sum(overdoses.values())
    given = sum(n for (_outcome, naloxone), n in overdoses.items() if naloxone)
    rows = [[_("People trained"), show(report_tables.total_cell(total.people))],
            [_("People certified"), show(report_tables.total_cell(total.certified))],
            [_("Pass rate of final assessments"), show(report_tables.pass_rate(total), percent=True)],
            [_("Knowledge gain, pre-test to best final (percentage points)"),
             show(report_tables.mean_gain(total), rate=True)],
            [_("Naloxone kits handed out (walk-ins included)"),
             show(report_tables.total_cell(kits, total.kit_recipients + walk_ins.kit_recipients))],
            [_("Overdose responses reported"), show(report_tables.total_cell(reports))],
            [_("Responses where naloxone was given"), show(report_tables.total_cell(given))]]
    return Table("summary", _("Summary"), [_("Figure"), _("Value")], rows)


def cascade_table(total: stats.Totals, rtl: bool) -> Table:
    """The 90-90-90 cascade with its chart."""
    names = {"trained": _("Trained"), "given": _("Received naloxone"), "carrying": _("Carrying naloxone at follow-up")}
    steps = report_tables.cascade(total)
    rows = [[names[s["step"]], show(s["count"]), show(s["of_previous"], True), show(s["of_first"], True)]
            for s in steps]
    caption = _("Cascade: trained, received naloxone, carrying it")
    bars = [Bar(row[0], step["count"], row[1]) for row, step in zip(rows, steps, strict=True)]
    chart = bar_chart("chart-cascade", caption, bars, rtl)
    return Table("cascade", caption, [_("Step"), _("People"), _("Share of the previous step"),
                                      _("Share of the trained")], rows, chart)


def split_table(dimension: str, heading: str, rows: list[dict], labels: dict[str, str], rtl: bool) -> Table:
    """Every figure for each group of one dimension, with a chart of the people trained."""
    body = [[labels[r["group"]] if r["group"] else _("Total"), show(r["people"]), show(r["certified"]),
             show(r["pass_rate"], True), show(r["gain"], rate=True), show(r["given"]), show(r["carrying"]),
             show(r["kits"])]
            for r in rows]
    caption = _("%(heading)s: people trained and what followed", heading=heading)
    bars = [Bar(line[0], r["people"], line[1]) for line, r in zip(body[:-1], rows[:-1], strict=True)]
    chart = bar_chart(f"chart-{dimension}", _("People trained: %(heading)s", heading=heading), bars, rtl)
    headers = [heading, _("Trained"), _("Certified"), _("Pass rate"), _("Knowledge gain (points)"),
               _("Received naloxone"), _("Carrying at follow-up"), _("Kits handed out")]
    return Table(f"by-{dimension}", caption, headers, body, chart if dimension != "audience" else None)


def outcome_table(rows: list[dict]) -> Table:
    """Overdose responses by outcome; the reports are anonymous, so only period and region narrow them."""
    names = {"alive": _("Alive"), "died": _("Died"), "unknown": _("Unknown")}
    body = [[names[r["outcome"]] if r["outcome"] else _("Total"), show(r["reports"]), show(r["naloxone"])]
            for r in rows]
    return Table("overdoses", _("Overdose responses reported, by outcome"),
                 [_("Outcome"), _("Responses"), _("Naloxone given")], body,
                 note=_("Reports are anonymous: only the period, organisation and region filters apply to them."))


def report_csv(tables: list[Table]) -> bytes:
    """Every table one after the other, each headed by its caption, cells formula-neutralised (UTF-8 with a BOM)."""
    lines: list[list[object]] = []
    for table in tables:
        lines += [[table.caption], table.headers, *table.rows, []]
    return to_csv([[neutralise(cell) for cell in line] for line in lines])


@bp.get("")
@role_required("coordinator")
def index():
    """The reports page: filters, then every figure as a table, with charts and the table under each."""
    form = build_form(current_user)
    tables = build_tables(filters_from(form, current_user)) if form.validate() else []
    return render_template("reports/index.html", form=form, tables=tables,
                           export_args=request.args.to_dict()), 200 if tables else 400


@bp.get("/export.csv")
@role_required("coordinator")
def export():
    """The page's tables as CSV, with the same filters and suppression, named after its period and filters."""
    form = build_form(current_user)
    if not form.validate():
        return render_template("reports/index.html", form=form, tables=[], export_args={}), 400
    filters = filters_from(form, current_user)
    body = report_csv(build_tables(filters))
    record("report-exported", detail="funder report CSV", commit=True)
    # The name, not the file, says which period and filters it holds: rows above the table would break scripts.
    response = send_file(io.BytesIO(body), "text/csv", as_attachment=True, download_name=report_file_name(filters))
    response.headers["Cache-Control"] = "no-store"
    return response
