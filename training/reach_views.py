"""The reports' page of trainers' reach, with the report's filters."""
import io
from datetime import date

from flask import Blueprint, render_template, request, send_file
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from app import db
from training.access import role_required
from training.audit import record
from training.exports import report_file_name
from training.reach import reach_rows, trainer_reach
from training.report_pages import Table, build_form, filters_from, report_csv, show

# Beside the reports, under their address, but a blueprint of its own: it builds on report_pages, not in it.
bp = Blueprint("reach", __name__, url_prefix="/reports")


def qualified(until: date | None, today: date) -> str:
    """The end of a trainer's certificate as text, saying so when it is over."""
    if until is None:
        return "–"
    day = format_date(until, "medium")
    return day if until >= today else _("expired %(date)s", date=day)


def reach_table(rows: list[dict]) -> Table:
    """The trainers' figures as display strings."""
    today = date.today()
    body = [[r["trainer"], qualified(r["qualified_until"], today), str(r["cohorts"]), show(r["people"]),
             show(r["certified"]), show(r["pass_rate"], True), show(r["gain"], rate=True), show(r["given"]),
             show(r["carrying"])] for r in rows]
    headers = [_("Trainer"), _("Trainer certificate until"), _("Cohorts"), _("Trained"), _("Certified"),
               _("Pass rate"), _("Knowledge gain (points)"), _("Received naloxone"), _("Carrying at follow-up")]
    return Table("trainers", _("Trainers: people who joined their cohorts and what followed"), headers, body)


def filtered_table() -> tuple:
    """The filter form, its filters and, when it is valid, the trainers' table."""
    form = build_form(current_user)
    if not form.validate():
        return form, None, None
    filters = filters_from(form, current_user)
    return form, filters, reach_table(reach_rows(trainer_reach(db.session, filters)))


@bp.get("/trainers")
@role_required("coordinator")
def trainers():
    """Each trainer's reach in the period, for cascade programmes that report who trained how many."""
    form, _filters, table = filtered_table()
    return render_template("reports/trainers.html", form=form, table=table,
                           report_args=request.args.to_dict()), 200 if table else 400


@bp.get("/trainers.csv")
@role_required("coordinator")
def trainers_export():
    """The trainers' table as CSV, with the same filters and the same suppression."""
    form, filters, table = filtered_table()
    if table is None:
        return render_template("reports/trainers.html", form=form, table=None, report_args={}), 400
    record("report-exported", detail="trainers' reach CSV", commit=True)
    response = send_file(io.BytesIO(report_csv([table])), "text/csv", as_attachment=True,
                         download_name=report_file_name(filters, "naloxone-trainers"))
    response.headers["Cache-Control"] = "no-store"
    return response
