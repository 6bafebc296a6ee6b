"""The trainer's "difficult questions" page for a cohort."""
from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField

from quizzes.difficulty import cohort_answers, tally
from quizzes.presenting import label, labels
from training.access import get_cohort_or_404, role_required
from training.content import catalog
from training.form_i18n import Form

bp = Blueprint("difficulty", __name__, url_prefix="/cohorts")


def scope_choices() -> list[tuple[str, str]]:
    """Whose answers the page counts, in the interface language."""
    return [("after", _("Quizzes and final assessment")), ("pre", _("Pre-test, before the training"))]


class ScopeForm(Form):
    """Which answers to count: after learning, or the pre-test taken before it (read from the query string)."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    scope = SelectField(_l("Answers from"), default="after", choices=scope_choices)


@bp.get("/<int:cohort_id>/questions")
@role_required("trainer", "coordinator")
def questions(cohort_id: int):
    """The questions the cohort's trainees last answered wrongly, hardest first, with the usual mistake."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    programme = catalog().programmes[cohort.programme_slug]
    form = ScopeForm(formdata=request.args)
    scope = form.scope.data if form.validate() else "after"  # an unknown choice shows its error and the default
    tallies = tally(cohort_answers(cohort, programme, scope))
    language = str(get_locale())
    return render_template("quizzes/difficult.html", cohort=cohort, programme=programme, form=form,
                           missed=[t for t in tallies if t.wrong], all_right=sum(1 for t in tallies if not t.wrong),
                           modules=catalog().modules, language=language, label=label, labels=labels)
