"""Anonymous overdose-response reports: the open form, the thank-you page and the coordinator's list."""
from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user

from app import db
from training import reports_form as reports
from training.access import public, role_required
from training.fieldwork import OverdoseReport
from training.models import Organisation, emergency_number
from training.once import claim, resent
from training.ratelimit import client_address, hit

bp = Blueprint("responses", __name__, url_prefix="/report")
RATES = ("5 per hour", "20 per day")  # enough for a busy outreach worker, too few to flood the counts
PAGE_SIZE = 20


def report_organisation() -> Organisation | None:
    """The logged-in reporter's organisation, else the one named on the link (?org=), else none."""
    if current_user.is_authenticated and current_user.organisation_id:
        return db.session.get(Organisation, current_user.organisation_id)
    org_id = request.args.get("org", type=int)
    return db.session.get(Organisation, org_id) if org_id else None


@bp.route("", methods=["GET", "POST"])
@public
def new():
    """Tell us what happened: open to everyone, stores nothing that identifies anyone."""
    org = report_organisation()
    form = reports.ReportForm()
    thanks_page = url_for("responses.thanks", org=org.id if org else None)
    if form.validate_on_submit():
        submission = claim(form.once.data)
        if submission is None:
            return resent(form.once.data, thanks_page)
        # Only reports that would be stored count; the page comes back with what was typed.
        if not all(hit(rate, "overdose-report", client_address()) for rate in RATES):
            return render_template("responses/new.html", form=form, org=org, limited=True), 429
        submission.outcome = thanks_page
        user = current_user if current_user.is_authenticated else None
        db.session.add(reports.build_report(form.data, org.id if org else None, *reports.reporter_facts(user)))
        db.session.commit()
        # For the thank-you page only, kept in the session rather than the address, which stays in the history.
        session["report_answers"] = {"died": form.outcome.data == "died", "called": form.emergency_called.data}
        return redirect(thanks_page)
    return render_template("responses/new.html", form=form, org=org)


@bp.get("/thanks")
@public
def thanks():
    """Thank the reporter and remind them of the emergency number."""
    org = report_organisation()
    answers = session.pop("report_answers", {})
    reporter = current_user if current_user.is_authenticated else None
    return render_template("responses/thanks.html", died=answers.get("died", False),
                           called=answers.get("called") == "yes", emergency_number=emergency_number(org, reporter))


@bp.get("/list")
@role_required("coordinator")
def index():
    """Reports of the coordinator's organisation (all for an admin); young reporters only in the totals."""
    query = reports.visible_reports(current_user)
    listed = query.where(OverdoseReport.reporter_under_18.is_(False)).order_by(
        OverdoseReport.occurred_on.desc(), OverdoseReport.id.desc())
    pagination = db.paginate(listed, page=request.args.get("page", 1, type=int), per_page=PAGE_SIZE,
                             error_out=False)
    return render_template("responses/index.html", pagination=pagination, totals=reports.totals(query),
                           signs=dict(reports.sign_choices()), helped=dict(reports.helped_choices()),
                           barriers=dict(reports.barrier_choices()), forms=dict(reports.form_choices()))
