"""Trainer and coordinator views of a cohort's roster: the grid, its exports, and the CSV import."""
import io
from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import BuildError
from wtforms import HiddenField
from wtforms.validators import DataRequired

from app import db
from training import exports
from training.access import get_cohort_or_404, role_required
from training.audit import record
from training.cohorts import Cohort
from training.content import Programme, catalog
from training.form_i18n import Form
from training.forms import code_labels
from training.models import utcnow
from training.once import OnceField, claim, earlier
from training.roster import SORTS, STATUS_FILTERS, build_roster, code_words, select_rows
from training.roster_import import (
    CHOICES,
    FILE_MESSAGES,
    MAX_BYTES,
    ROW_MESSAGES,
    FileProblem,
    import_rows,
    new_slips_for_unused,
    read_rows,
    usernames_in,
)

bp = Blueprint("rosters", __name__, url_prefix="/cohorts")
NO_STORE = {"Cache-Control": "no-store"}


class UploadForm(Form):
    """Choose the CSV file to check."""

    file = FileField(_l("CSV file"), [FileRequired(_l("Choose a CSV file."))])


class ConfirmForm(Form):
    """The checked file, signed, sent back to import it."""

    once = OnceField()
    payload = HiddenField(validators=[DataRequired()])


def programme_of(cohort: Cohort) -> Programme:
    """The cohort's programme from the content; 404 if the content no longer has it."""
    programme = catalog().programmes.get(cohort.programme_slug)
    if programme is None:
        abort(404)
    return programme


def cohort_link(cohort: Cohort) -> str | None:
    """The cohort's own page, when that part of the site is installed."""
    try:
        return url_for("cohorts.show", cohort_id=cohort.id)
    except BuildError:
        return None


def signer() -> URLSafeSerializer:
    """Signs the checked file between preview and confirm, so nothing unchecked can be slipped in."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="roster-import")


def chosen(name: str, allowed: tuple[str, ...]) -> str:
    """A query parameter if it is on the allow-list, else the list's first value."""
    value = request.args.get(name, allowed[0])
    return value if value in allowed else allowed[0]


@bp.get("/<int:cohort_id>/roster")
@role_required("trainer", "coordinator")
def grid(cohort_id: int):
    """Trainees against modules, with scores, skills, certificate, last activity and who is stuck."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    programme = programme_of(cohort)
    status, sort = chosen("status", STATUS_FILTERS), chosen("sort", SORTS)
    everyone = build_roster(cohort, programme, utcnow())
    rows = select_rows(everyone, status, sort, len(programme.modules))
    modules = [catalog().modules[slug] for slug in programme.modules]
    return render_template("cohorts/roster.html", cohort=cohort, programme=programme, modules=modules,
                           rows=rows, total=len(everyone), status=status, sort=sort, statuses=STATUS_FILTERS,
                           sorts=SORTS, code_words=code_words(), language=str(get_locale()),
                           cohort_url=cohort_link(cohort))


@bp.get("/<int:cohort_id>/roster.<any(csv, xlsx):kind>")
@role_required("trainer", "coordinator")
def export(cohort_id: int, kind: str):
    """The grid's data with the same filter and sort: a CSV for scripts, an XLSX for people."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    programme = programme_of(cohort)
    now, status = utcnow(), chosen("status", STATUS_FILTERS)
    rows = select_rows(build_roster(cohort, programme, now), status, chosen("sort", SORTS), len(programme.modules))
    record("roster-exported", target=f"cohort:{cohort.id}", detail=f"{kind}, {len(rows)} rows",
           organisation_id=cohort.organisation_id, commit=True)  # personal data leaving the site is accountable
    if kind == "csv":
        body, mimetype = exports.to_csv(exports.table(rows, programme)), "text/csv"
    else:
        body, mimetype = exports.to_xlsx(rows, programme, str(get_locale())), exports.XLSX_MIMETYPE
    response = send_file(io.BytesIO(body), mimetype, as_attachment=True,
                         download_name=exports.roster_file_name(cohort.id, now.date(), status, kind))
    response.headers.update(NO_STORE)
    return response


def preview(cohort: Cohort, form: UploadForm, data: bytes | str):
    """Check a file and show every row with its problems; a confirm button only when all are right."""
    try:
        rows, valid = read_rows(data, cohort.organisation_id)
    except FileProblem as problem:
        form.file.errors = [FILE_MESSAGES[problem.key]]
        return render_template("cohorts/import.html", cohort=cohort, form=form, cohort_url=cohort_link(cohort))
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    confirm = ConfirmForm(payload=signer().dumps({"cohort": cohort.id, "csv": text})) if valid else None
    return render_template("cohorts/import_preview.html", cohort=cohort, rows=rows, valid=valid, confirm=confirm,
                           messages=ROW_MESSAGES, choices=CHOICES, cohort_url=cohort_link(cohort),
                           bad=sum(1 for row in rows if row.errors), value_labels=code_labels())


@bp.route("/<int:cohort_id>/import", methods=["GET", "POST"])
@role_required("trainer", "coordinator")
def import_form(cohort_id: int):
    """Upload a CSV of trainees; it is checked and previewed, never imported straight away."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    form = UploadForm()
    if form.validate_on_submit():  # one byte past the limit is enough to know the file is too big
        return preview(cohort, form, form.file.data.read(MAX_BYTES + 1))
    return render_template("cohorts/import.html", cohort=cohort, form=form, cohort_url=cohort_link(cohort))


@bp.post("/<int:cohort_id>/import/confirm")
@role_required("trainer", "coordinator")
def confirm_import(cohort_id: int):
    """Import a previewed file: check it again, create accounts, enrol everyone, show the slips once."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    form = ConfirmForm()
    try:
        payload = signer().loads(form.payload.data or "")
    except BadSignature:
        payload = None
    if not isinstance(payload, dict) or payload.get("cohort") != cohort.id or not isinstance(payload.get("csv"), str):
        flash(_("This import could not be confirmed. Upload the file again."), "error")
        return redirect(url_for("rosters.import_form", cohort_id=cohort.id))
    submission = claim(form.once.data)
    if submission is None:  # sent again: the answer with the slips may never have arrived
        return import_done_already(cohort, payload["csv"], earlier(form.once.data).created_at)
    try:
        rows, valid = read_rows(payload["csv"], cohort.organisation_id)
    except FileProblem:
        valid = False
    if not valid:  # something changed since the preview, e.g. a username was taken meanwhile
        return preview(cohort, UploadForm(), payload["csv"])
    try:
        slips = import_rows(rows, cohort)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(_("Someone changed these accounts meanwhile. Nothing was imported; please try again."), "error")
        return redirect(url_for("rosters.import_form", cohort_id=cohort.id))
    flash(ngettext("%(num)d person is enrolled.", "%(num)d people are enrolled.", len(rows)), "success")
    return slips_page(cohort, slips)


def import_done_already(cohort: Cohort, csv: str, since: datetime):
    """An import confirmed twice: nothing more is enrolled; slips again, with new passwords, for unused accounts."""
    slips = new_slips_for_unused(usernames_in(csv), cohort, since)
    db.session.commit()
    flash(_("This import was already done. Print these slips: their passwords replace the first ones."
            ) if slips else _("This import was already done."), "info")
    return slips_page(cohort, slips)


def slips_page(cohort: Cohort | None, slips: list[tuple[str, str]], back: str | None = None):
    """The one-time password slips to print and cut, never cached; where they lead back to when there are none."""
    back = back or url_for("rosters.grid", cohort_id=cohort.id)
    if not slips:
        return redirect(back)
    page = render_template("cohorts/slips.html", cohort=cohort, slips=slips, back=back,
                           site=current_app.config["PUBLIC_BASE_URL"])
    return page, 200, NO_STORE
