"""The follow-up panel's two buttons: answer the questions, or stop asking."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import RadioField
from wtforms.validators import InputRequired

from app import db
from training import followup as domain
from training.access import login_required
from training.fieldwork import FollowUp
from training.form_i18n import Form

bp = Blueprint("followup", __name__, url_prefix="/followup")


def yes_no():
    """Yes or no."""
    return [("yes", _l("Yes")), ("no", _l("No"))]


class FollowUpForm(Form):
    """Two yes/no questions."""

    carries = RadioField(_l("Do you carry naloxone now?"), choices=yes_no,
                         validators=[InputRequired(_l("Choose yes or no."))])
    used = RadioField(_l("Have you used naloxone since your training?"), choices=yes_no,
                      validators=[InputRequired(_l("Choose yes or no."))])


def get_followup_or_404(followup_id: int) -> FollowUp:
    """The current user's own follow-up; 404 for anyone else's."""
    row = db.session.get(FollowUp, followup_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    return row


@bp.post("/<int:followup_id>/answer")
@login_required
def answer(followup_id: int):
    """Record the two answers (the first answer stays if sent twice)."""
    row = get_followup_or_404(followup_id)
    form = FollowUpForm()
    if not form.validate_on_submit():
        flash(_("Please answer both questions, or choose “No thanks”."), "error")
        return redirect(url_for("learn.dashboard"))
    used = form.used.data == "yes"
    domain.answer(row, form.carries.data == "yes", used)
    db.session.commit()
    if used:  # the moment to ask what happened, while it is on their mind; the form says it is anonymous
        flash(_("Thank you for answering. If you want, tell us what happened when you used naloxone. You can "
                "skip this."), "success")
        return redirect(url_for("responses.new"))
    flash(_("Thank you for answering."), "success")
    return redirect(url_for("learn.dashboard"))


@bp.post("/<int:followup_id>/dismiss")
@login_required
def dismiss(followup_id: int):
    """Stop asking this follow-up."""
    row = get_followup_or_404(followup_id)
    domain.dismiss(row)
    db.session.commit()
    flash(_("We will not ask this again."), "success")
    return redirect(url_for("learn.dashboard"))
