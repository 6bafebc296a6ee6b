"""The read-only audit trail page: newest first, a page at a time, narrowed by action, person and dates."""
from datetime import datetime, time, timedelta

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import DateField, SearchField, SelectField, ValidationError
from wtforms.validators import Length, Optional

from app import db
from training.access import role_required
from training.audit import ACTION_LABELS, action_label, detail_text, target_label
from training.form_dates import plausible
from training.form_i18n import Form
from training.models import AuditEvent, User

bp = Blueprint("audit", __name__)
PAGE_SIZE = 50


class AuditFilters(Form):
    """Narrow the trail (read from the query string); an invalid filter is explained and not applied."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    action = SelectField(_l("Action"), default="")
    who = SearchField(_l("Username contains"), [Length(max=40)])
    start = DateField(_l("From"), [Optional(), plausible])
    end = DateField(_l("To"), [Optional(), plausible])

    def validate_end(self, field) -> None:
        """The period must not end before it starts."""
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_("The end date must be on or after the start date."))


def visible_events(user: User):
    """A select of (event, actor username) this user may read: all for admins, their organisation's otherwise."""
    query = select(AuditEvent, User.username).outerjoin(User, User.id == AuditEvent.actor_id)
    if user.role != "admin":
        query = query.where(AuditEvent.organisation_id == user.organisation_id)
    return query


def filtered(query, form: AuditFilters):
    """The events matching the filters that are valid."""
    valid = {field.name: field.data for field in form if field.data and not field.errors}
    if "action" in valid:
        query = query.where(AuditEvent.action == valid["action"])
    if "who" in valid:  # usernames are stored in lower case; autoescape makes % and _ match themselves
        query = query.where(User.username.contains(valid["who"].strip().lower(), autoescape=True))
    if "start" in valid:
        query = query.where(AuditEvent.at >= datetime.combine(valid["start"], time.min))
    if "end" in valid:  # the whole last day
        query = query.where(AuditEvent.at < datetime.combine(valid["end"] + timedelta(days=1), time.min))
    return query


@bp.get("/audit")
@role_required("coordinator")
def index():
    """The audit trail, newest first, a page at a time; nothing here edits or deletes it."""
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    form = AuditFilters(formdata=request.args)
    form.action.choices = [("", _("All actions")), *sorted(((code, str(label)) for code, label in
                                                            ACTION_LABELS.items()), key=lambda choice: choice[1])]
    form.validate()
    query = filtered(visible_events(current_user), form)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    # The pager's links keep the valid filters, so the next page is of the same events.
    kept = {field.name: field.raw_data[0] for field in form if field.data and not field.errors}
    return render_template("audit/index.html", rows=rows, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)),
                           form=form, kept=kept, action_label=action_label, target_label=target_label,
                           detail_text=detail_text)
