"""A person's own account: profile and password."""
from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app import db
from training.access import login_required
from training.forms import PasswordForm, ProfileForm
from training.models import emergency_number

bp = Blueprint("account", __name__, url_prefix="/account")
OPTIONAL_FIELDS = ("display_name", "audience", "sex", "age_band", "region", "emergency_number")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Edit the optional profile fields; every one can be left empty."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        form.populate_obj(current_user)
        for field in OPTIONAL_FIELDS:
            setattr(current_user, field, (getattr(current_user, field) or "").strip() or None)
        db.session.commit()
        if current_user.language:  # the login page's language once this session ends
            session["language"] = current_user.language
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("account.profile"))
    return render_template("account/profile.html", form=form,
                           usual_number=emergency_number(current_user.organisation))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the password; every other session of this account ends."""
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            current_user.set_password(form.password.data)
            current_user.must_change_password = False
            db.session.commit()
            login_user(current_user._get_current_object())  # this browser continues under the new token
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("learn.dashboard"))
    return render_template("account/password.html", form=form)
