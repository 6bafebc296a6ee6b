"""A person's own data: read it, download it, delete the account."""
import json
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from app import db
from training.access import login_required
from training.audit import action_label, record
from training.content import catalog
from training.form_i18n import Form
from training.forms import code_labels
from training.kit_views import form_choices
from training.privacy import delete_account, export_user_data
from training.titles import programme_title, quiz_title

bp = Blueprint("privacy", __name__, url_prefix="/account")
# Headings for the keys of export_user_data(); the JSON file keeps the plain keys.
LABELS = {
    "username": _l("Username"), "display_name": _l("Name to show"), "language": _l("Language"),
    "audience": _l("Taking the training as"), "sex": _l("Sex"), "age_band": _l("Age"), "region": _l("Region"),
    "emergency_number": _l("Emergency number"),
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
# The words the forms offer for each stored code.
CODED = {**code_labels(), "form": dict(form_choices())}
DATE_KEYS = {"expires_on", "handed_out_on", "held_on", "due_on"}


def skill_text(programme_slug: str, skill_id: str, language: str) -> str:
    """A practical skill's wording from its programme's checklist, or its id when the checklist changed."""
    programme = catalog().programmes.get(programme_slug)
    texts = next((s["text"] for s in programme.skills if s["id"] == skill_id), None) if programme else None
    return (texts.get(language) or texts["en"]) if texts else skill_id


def shown(key: str, value: Any, row: dict, language: str) -> Any:
    """One exported value as the page shows it: codes as words, slugs as titles, dates in the reader's style."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if not isinstance(value, str):
        return value  # numbers and None
    if key in CODED:
        return str(CODED[key].get(value, value))
    if key == "action":
        return action_label(value)
    if key == "module_slug" and (module := catalog().modules.get(value)):
        return module.text(module.title, language)
    if key == "programme_slug":
        return programme_title(value, language)
    if key == "skill_id":
        return skill_text(row.get("programme_slug", ""), value, language)
    if key in DATE_KEYS:
        return format_date(date.fromisoformat(value), "medium")
    if key == "at" or key.endswith("_at"):
        return format_datetime(datetime.fromisoformat(value), "medium")
    return value


def readable(data: dict[str, Any]) -> dict[str, Any]:
    """The exported data for reading on screen; the JSON download keeps the codes, which programs need."""
    language = str(get_locale())
    out = {section: [{k: shown(k, v, row, language) for k, v in row.items()} for row in rows]
           for section, rows in data.items() if section not in ("profile", "quiz_attempts")}
    out["profile"] = {k: shown(k, v, data["profile"], language) for k, v in data["profile"].items()}
    out["quiz_attempts"] = [{"quiz": quiz_title(a["kind"], a["target"], language),
                             "started_at": shown("started_at", a["started_at"], a, language),
                             "score": a["score"], "passed": _("yes") if a["passed"] else _("no")}
                            for a in data["quiz_attempts"]]
    return out


class DeleteForm(Form):
    """Deleting an account needs the password typed again."""

    password = PasswordField(_l("Your password"), [DataRequired(), Length(max=1024)])


@bp.get("/data")
@login_required
def my_data():
    """Show everything the site holds about the person, section by section."""
    return render_template("privacy/my_data.html", data=readable(export_user_data(current_user)), labels=LABELS)


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
