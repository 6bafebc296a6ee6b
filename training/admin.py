"""Administration: users and their roles."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectField

from app import db
from training.access import admin_required
from training.audit import record
from training.models import User

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


def role_choices():
    """The roles an admin can give, in the interface language."""
    return [
        ("trainee", _l("Trainee")),
        ("trainer", _l("Trainer")),
        ("coordinator", _l("Coordinator")),
        ("admin", _l("Administrator")),
    ]


class RoleForm(FlaskForm):
    """Change one user's role."""

    role = SelectField(_l("Role"), choices=role_choices)


@bp.get("/users")
@admin_required
def users():
    """List accounts, newest first, a page at a time."""
    page = request.args.get("page", 1, type=int)
    query = select(User).options(joinedload(User.organisation)).order_by(User.created_at.desc(), User.id.desc())
    pagination = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/users.html", pagination=pagination, form=RoleForm())


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
    return redirect(url_for("admin.users"))
