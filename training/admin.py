"""Administration: users, their roles and their organisations."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SearchField, SelectField
from wtforms.validators import Length

from app import db
from training.access import admin_required
from training.audit import record
from training.form_i18n import Form
from training.forms import role_choices
from training.models import STAFF_ROLES, Organisation, User, utcnow
from training.roster_import import give_one_time_password
from training.roster_views import slips_page

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50
NO_ORGANISATION = "none"


def organisation_choices() -> list[tuple[str, str]]:
    """Every organisation by name, after the choice of none."""
    orgs = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
    return [(NO_ORGANISATION, _("No organisation")), *((str(i), n) for i, n in orgs)]


class AccountForm(Form):
    """Change one user's role and organisation."""

    role = SelectField(_l("Role"), choices=role_choices)
    organisation = SelectField(_l("Organisation"), choices=organisation_choices)


class UserFilters(Form):
    """Find accounts by part of the username, by role and by organisation (read from the query string)."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    q = SearchField(_l("Username contains"), [Length(max=40)])
    role = SelectField(_l("Role"), default="")
    organisation = SelectField(_l("Organisation"), default="")


def build_filters() -> UserFilters:
    """The filter form from the query string, with its choices, validated."""
    form = UserFilters(formdata=request.args)
    form.role.choices = [("", _("All roles")), *role_choices()]
    form.organisation.choices = [("", _("All organisations")), *organisation_choices()]
    form.validate()
    return form


def filtered_users(form: UserFilters):
    """Accounts matching the valid filters, newest first (an invalid filter is shown with its error, not applied)."""
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
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
    """Find accounts, newest first, a page at a time, and change their role and organisation."""
    page = request.args.get("page", 1, type=int)
    filters = build_filters()
    pagination = db.paginate(filtered_users(filters), page=page, per_page=PAGE_SIZE, error_out=False)
    # The pager's links keep the filters; only valid ones, so a link never carries an error forward.
    kept = {field.name: field.data for field in filters if field.data and not field.errors}
    return render_template("admin/users.html", pagination=pagination, form=AccountForm(), filters=filters,
                           kept=kept, filtered=bool(kept))


def account_problem(user: User, role: str, organisation_id: int | None) -> str | None:
    """Why this role and organisation cannot be given to the user, or None when they can."""
    if user.id == current_user.id and role != "admin":
        return _("You cannot remove your own administrator role.")
    if role in STAFF_ROLES and organisation_id is None:
        # Trainers and coordinators see and change what belongs to their organisation; without one they act for none.
        return _("A trainer or coordinator works for an organisation: choose one for %(name)s.", name=user.username)
    return None


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int):
    """Give a user another role or organisation."""
    user = db.get_or_404(User, user_id)
    form = AccountForm()
    if not form.validate_on_submit():  # the page offers only listed choices: this came from somewhere else
        flash(_("Nothing was changed: choose one of the roles in the list."), "error")
        return redirect(url_for("admin.users"))
    role = form.role.data
    organisation_id = None if form.organisation.data == NO_ORGANISATION else int(form.organisation.data)
    problem = account_problem(user, role, organisation_id)
    if problem:
        flash(problem, "error")
        return redirect(url_for("admin.users"))
    if role != user.role:
        record("role-changed", target=f"user:{user.id}", detail=f"{user.role} -> {role}",
               organisation_id=organisation_id or user.organisation_id)
    if organisation_id != user.organisation_id:
        names = dict(form.organisation.choices)
        record("organisation-changed", target=f"user:{user.id}", organisation_id=organisation_id,
               detail=f"{names[str(user.organisation_id or NO_ORGANISATION)]} → {names[form.organisation.data]}")
    user.role, user.organisation_id = role, organisation_id
    db.session.commit()
    flash(_("%(name)s is now: %(role)s.", name=user.username, role=dict(role_choices())[user.role]), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
@admin_required
def new_password(user_id: int):
    """Someone forgot their password: print them a slip with a new one-time password."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:  # an admin changes their own on the password page, knowing the old one
        abort(404)
    password = give_one_time_password(user)
    record("password-reset", target=f"user:{user.id}", organisation_id=user.organisation_id)
    db.session.commit()
    return slips_page(None, [(user.username, password)], back=url_for("admin.users", q=user.username))


@bp.post("/users/<int:user_id>/switch")
@admin_required
def switch(user_id: int):
    """Switch an account off (it cannot log in, and its sessions end) or on again; nothing in it is deleted."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        abort(404)
    if user.disabled_at is None:
        user.disabled_at = utcnow()
        user.end_sessions()
        record("account-disabled", target=f"user:{user.id}", organisation_id=user.organisation_id)
        flash(_("%(name)s is switched off: they cannot log in.", name=user.username), "success")
    else:
        user.disabled_at = None
        record("account-enabled", target=f"user:{user.id}", organisation_id=user.organisation_id)
        flash(_("%(name)s is switched on again.", name=user.username), "success")
    db.session.commit()
    return redirect(url_for("admin.users", q=user.username))
