"""A person's own data: read it, download it, delete the account."""
import json

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from app import db
from training.access import login_required
from training.audit import record
from training.form_i18n import Form
from training.privacy import delete_account, export_user_data

bp = Blueprint("privacy", __name__, url_prefix="/account")
# Headings for the keys of export_user_data(); the JSON file keeps the plain keys.
LABELS = {
    "username": _l("Username"), "display_name": _l("Name to show"), "language": _l("Language"),
    "audience": _l("Taking the training as"), "sex": _l("Sex"), "age_band": _l("Age"), "region": _l("Region"),
    "certificate_name": _l("Name on certificates"), "verify_name": _l("Name on the verify page"),
    "role": _l("Role"), "created_at": _l("Account created"), "last_seen_at": _l("Last logged in"),
    "consented_at": _l("Agreed to what is stored"), "assented_at": _l("Under-18 assent"),
    "organisation": _l("Organisation"), "module_slug": _l("Module"), "content_version": _l("Version"),
    "sections_read": _l("Parts read"), "sections_total": _l("Parts"), "seconds_spent": _l("Seconds spent"),
    "started_at": _l("Started"), "read_at": _l("Read"), "quiz_passed_at": _l("Quiz passed"),
    "completed_at": _l("Completed"), "id": _l("Number"), "code": _l("Code"), "programme_slug": _l("Programme"),
    "name_printed": _l("Name printed"), "issued_at": _l("Issued"), "expires_on": _l("Expires"),
    "revoked_at": _l("Revoked"), "superseded_at": _l("Replaced"), "form": _l("Kind of kit"),
    "quantity": _l("Quantity"), "lot": _l("Lot"), "handed_out_on": _l("Received on"), "place": _l("Place"),
    "name": _l("Group"), "joined_at": _l("Joined"), "held_on": _l("Session date"), "skill_id": _l("Skill"),
    "signed_at": _l("Signed off"), "round": _l("Months after the certificate"), "due_on": _l("Due"),
    "carries_naloxone": _l("Carries naloxone"), "used_since": _l("Used it since"), "answered_at": _l("Answered"),
    "dismissed_at": _l("Dismissed"), "key": _l("Reminder"), "hidden_at": _l("Hidden"), "at": _l("When"),
    "action": _l("Action"), "target": _l("Object"),
}


class DeleteForm(Form):
    """Deleting an account needs the password typed again."""

    password = PasswordField(_l("Your password"), [DataRequired(), Length(max=1024)])


@bp.get("/data")
@login_required
def my_data():
    """Show everything the site holds about the person, section by section."""
    return render_template("privacy/my_data.html", data=export_user_data(current_user), labels=LABELS)


@bp.get("/data.json")
@login_required
def my_data_json():
    """Download the same data as a JSON file."""
    data = export_user_data(current_user)
    record("data-exported", target=f"user:{current_user.id}", commit=True)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="naloxone-academy-my-data.json"'})


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    """Delete the account for good once the password is confirmed."""
    form = DeleteForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            form.password.errors.append(_("This is not your password."))
        else:
            delete_account(current_user._get_current_object())
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account and your data are deleted."), "success")
            return redirect(url_for("site.home"))
    return render_template("privacy/delete.html", form=form)
