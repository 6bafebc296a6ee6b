"""What happens when a cohort meets: session dates, attendance and the practical skills sign-off."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app import db
from training import cohort_service as service
from training.access import get_cohort_or_404, is_trainer_of, role_required
from training.cohort_forms import SessionForm
from training.cohort_service import CohortError
from training.cohorts import Cohort
from training.content import catalog
from training.models import utcnow
from training.unsent import give_back

bp = Blueprint("meetings", __name__, url_prefix="/cohorts")


def posted_pairs(name: str, sent: MultiDict | None = None) -> set[tuple[str, str]]:
    """The checked boxes of a table form, each sent as 'row:column'."""
    return {tuple(value.split(":", 1)) for value in (request.form if sent is None else sent).getlist(name)
            if ":" in value}


def ticked_present(sent: MultiDict | None = None) -> set[tuple[int, int]]:
    """The (session id, trainee id) boxes ticked in the attendance table."""
    return {(int(s), int(u)) for s, u in posted_pairs("present", sent) if s.isdecimal() and u.isdecimal()}


def ticked_skills(sent: MultiDict | None = None) -> set[tuple[int, str]]:
    """The (trainee id, skill id) boxes ticked in the skills table."""
    return {(int(u), s) for u, s in posted_pairs("signed", sent) if u.isdecimal()}


def attendance_page(cohort: Cohort, can_record: bool, form: SessionForm, kept: MultiDict | None = None) -> str:
    """The attendance table: trainees × session dates, with the add-a-date form for the cohort's trainers.

    A table sent after its session ended comes back with the boxes as they were ticked, not as saved.
    """
    sessions, members = service.sessions_of(cohort), service.members_of(cohort)
    present = dict.fromkeys(ticked_present(kept), True) if kept else service.attendance_of(
        cohort, [s.id for s in sessions])
    return render_template("cohorts/attendance.html", cohort=cohort, sessions=sessions, members=members,
                           present=present, can_record=can_record, form=form)


@bp.route("/<int:cohort_id>/attendance", methods=["GET", "POST"])
@role_required("trainer", "coordinator")
def attendance(cohort_id: int):
    """Trainees × session dates; the cohort's trainers tick who was present, everyone else sees it."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    can_record = is_trainer_of(cohort, current_user)
    if request.method == "POST":
        if not can_record:
            abort(403)
        service.save_attendance(cohort, ticked_present(), current_user, utcnow())
        db.session.commit()
        flash(_("Attendance saved."), "success")
        return redirect(url_for("meetings.attendance", cohort_id=cohort.id))
    form = SessionForm()  # takes back a date sent too late; the table's boxes are taken back next
    return attendance_page(cohort, can_record, form, give_back(action=request.path) if can_record else None)


@bp.post("/<int:cohort_id>/sessions")
@role_required("trainer", "coordinator")
def add_session(cohort_id: int):
    """Add a session date to the attendance table."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    if not is_trainer_of(cohort, current_user):
        abort(403)
    form = SessionForm()
    if form.validate_on_submit():
        try:
            service.add_session(cohort, form.held_on.data)
        except CohortError:
            form.held_on.errors.append(_("This date is already in the table."))
        else:
            db.session.commit()
            flash(_("Session date added."), "success")
            return redirect(url_for("meetings.attendance", cohort_id=cohort.id))
    return attendance_page(cohort, True, form)


@bp.post("/<int:cohort_id>/sessions/<int:session_id>/remove")
@role_required("trainer", "coordinator")
def remove_session(cohort_id: int, session_id: int):
    """Remove a session date added by mistake, while nobody is ticked present at it."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    if not is_trainer_of(cohort, current_user):
        abort(403)
    try:
        removed = service.remove_session(cohort, session_id)
    except CohortError:
        flash(_("Someone is ticked present on this date. Untick them and save, then remove the date."), "error")
    else:
        if not removed:
            abort(404)
        db.session.commit()
        flash(_("The session date is removed."), "success")
    return redirect(url_for("meetings.attendance", cohort_id=cohort.id))


@bp.route("/<int:cohort_id>/skills", methods=["GET", "POST"])
@role_required("trainer", "coordinator")
def skills(cohort_id: int):
    """The programme's practical skills checklist × trainees; the cohort's trainers sign items off."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    can_sign = is_trainer_of(cohort, current_user)
    if request.method == "POST":
        if not can_sign:
            abort(403)
        service.save_skills(cohort, ticked_skills(), current_user, utcnow())
        db.session.commit()
        flash(_("Skills sign-off saved."), "success")
        return redirect(url_for("meetings.skills", cohort_id=cohort.id))
    programme = catalog().programmes.get(cohort.programme_slug)
    members = service.members_of(cohort)
    checks = service.skill_checks_of(cohort, [m.id for m in members])
    kept = give_back(action=request.path) if can_sign else None  # boxes ticked in a table sent too late
    return render_template("cohorts/skills.html", cohort=cohort, items=programme.skills if programme else (),
                           members=members, checks=checks, can_sign=can_sign,
                           kept=ticked_skills(kept) if kept else None)
