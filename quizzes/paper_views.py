"""The trainer's form for a cohort's paper final-assessment results."""
import uuid

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import DateField, HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from app import db
from quizzes.models import QuizAttempt
from quizzes.paper import PaperEntry, paper_attempts, parse_scores
from training.access import get_cohort_or_404, role_required
from training.cohorts import Membership
from training.collation import name_key
from training.content import catalog
from training.events import learning_progressed
from training.form_dates import not_in_future
from training.form_i18n import Form
from training.models import User

bp = Blueprint("paper", __name__, url_prefix="/cohorts")


class PaperForm(Form):
    """The session's date and paper version; scores come as one field per trainee."""

    taken_on = DateField(_l("Date of the test"), [InputRequired(), not_in_future])
    version = StringField(_l("Paper version used (e.g. 'Form A, March')"), [DataRequired(), Length(max=60)])
    batch = HiddenField()


def members_of(cohort_id: int) -> list[User]:
    """The cohort's trainees, by name, in one query."""
    query = select(User).join(Membership, Membership.user_id == User.id).where(Membership.cohort_id == cohort_id)
    return sorted(db.session.scalars(query), key=lambda u: name_key(u.name))


@bp.route("/<int:cohort_id>/paper-scores", methods=["GET", "POST"])
@role_required("trainer", "coordinator")
def paper_scores(cohort_id: int):
    """Enter every trainee's paper score at once; any wrong cell saves nothing."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    programme = catalog().programmes[cohort.programme_slug]
    members = members_of(cohort.id)
    form = PaperForm(batch=request.form.get("batch") or str(uuid.uuid4()))
    scores, errors = parse_scores([PaperEntry(m.id, request.form.get(f"score-{m.id}", "")) for m in members])
    if form.validate_on_submit() and not errors and scores:
        db.session.add_all(paper_attempts(programme, scores, form.taken_on.data, form.version.data,
                                          current_user.id, cohort.language, form.batch.data))
        try:
            db.session.commit()
        except IntegrityError:  # the same form was sent twice: the first one saved everything
            db.session.rollback()
            flash(_("These scores were already saved."), "info")
            return redirect(url_for("paper.paper_scores", cohort_id=cohort.id))
        for user_id in scores:
            learning_progressed.send(current_app._get_current_object(), user_id=user_id)
        flash(ngettext("%(num)d paper score saved.", "%(num)d paper scores saved.", len(scores)), "success")
        return redirect(url_for("paper.paper_scores", cohort_id=cohort.id))
    if request.method == "POST" and not scores and not errors:
        flash(_("Type at least one score."), "error")
    return render_template("quizzes/paper.html", cohort=cohort, programme=programme, members=members,
                           form=form, errors=errors, pass_mark=programme.final.get("pass_mark", 80),
                           saved=latest_paper_scores([m.id for m in members], programme.slug))


def latest_paper_scores(user_ids: list[int], programme_slug: str) -> dict[int, QuizAttempt]:
    """Each trainee's latest paper score for the programme's final, so what was saved shows beside the form."""
    rows = db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id.in_(user_ids), QuizAttempt.paper.is_(True), QuizAttempt.kind == "final",
        QuizAttempt.target == programme_slug).order_by(QuizAttempt.submitted_at, QuizAttempt.id))
    return {attempt.user_id: attempt for attempt in rows}  # later rows overwrite earlier ones
