"""Administration: users and their roles."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SearchField, SelectField
from wtforms.validators import Length

from app import db
from training.access import admin_required
from training.audit import record
from training.form_i18n import Form
from training.forms import role_choices
from training.models import Organisation, User

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50



class RoleForm(Form):
    """Change one user's role."""

    role = SelectField(_l("Role"), choices=role_choices)


class UserFilters(Form):
    """Find accounts by part of the username, by role and by organisation (read from the query string)."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    q = SearchField(_l("Username contains"), [Length(max=40)])
    role = SelectField(_l("Role"), default="")
    organisation = SelectField(_l("Organisation"), default="")


NO_ORGANISATION = "none"


def build_filters() -> UserFilters:
    """The filter form from the query string, with its choices, validated."""
    form = UserFilters(formdata=request.args)
    form.role.choices = [("", _("All roles")), *role_choices()]
    orgs = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
    form.organisation.choices = [("", _("All organisations")), (NO_ORGANISATION, _("No organisation")),
                                 *((str(i), n) for i, n in orgs)]
    form.validate()
    return form


def filtered_users(form: UserFilters):
    """Accounts matching the valid filters, newest first (an invalid filter is shown with its error, not applied)."""
    query = select(User).options(joinedload(User.organisation)).order_by(User.created_at.desc(), User.id.desc())
    if form.q.data and not form.q.errors:
        # Usernames are stored in lower case; autoescape makes % and _ match themselves.
        query = query.where(User.username.contains(form.q.data.strip().lower(), autoescape=True))
    if form.role.data and not form.role.errors:
        query = query.where(User.role == form.role.data)
    if form.organisation.data and not form.organisation.errors:
        chosen = form.organisation.data
        query = query.where(User.organisation_id.is_(None) if chosen == NO_ORGANISATION
                            else User.organisation_id == int(chosen))
    return query


@bp.get("/users")
@admin_required
def users():
    """Find accounts, newest first, a page at a time, and change their role."""
    page = request.args.get("page", 1, type=int)
    filters = build_filters()
    pagination = db.paginate(filtered_users(filters), page=page, per_page=PAGE_SIZE, error_out=False)
    # The pager's links keep the filters; only valid ones, so a link never carries an error forward.
    kept = {field.name: field.data for field in filters if field.data and not field.errors}
    return render_template("admin/users.html", pagination=pagination, form=RoleForm(), filters=filters,
                           kept=kept, filtered=bool(kept))


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int):
    """Give a user another role."""
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != "admin":
            flash(_("You cannot remove your own administrator role."), "error")
        else:
            record("role-changed", target=f"user:{user.id}", detail=f"{user.role} -> {form.role.data}",
                   organisation_id=user.organisation_id)
            user.role = form.role.data
            db.session.commit()
            flash(_("%(name)s is now: %(role)s.", name=user.username, role=dict(role_choices())[user.role]), "success")
    else:  # the page offers only the four roles: this came from somewhere else, and nothing changes
        flash(_("Nothing was changed: choose one of the roles in the list."), "error")
    return redirect(url_for("admin.users"))
