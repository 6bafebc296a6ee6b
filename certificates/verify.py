"""The public verify page: is this certificate valid, expired, revoked, or unknown? Nothing more is told."""
from dataclasses import dataclass
from datetime import date, datetime

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app import db
from certificates.codes import format_code, normalise_code
from certificates.eligibility import status
from certificates.models import Certificate
from training.access import public
from training.content import catalog
from training.form_i18n import Form
from training.models import Organisation, User, utcnow
from training.ratelimit import rate_limited

bp = Blueprint("verify", __name__)
RATE = "30 per minute"


class VerifyForm(Form):
    """A code as typed from a printed certificate."""

    code = StringField(_l("Certificate code"), validators=[DataRequired(), Length(max=60)],
                       render_kw={"dir": "ltr", "autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false"})


@dataclass(frozen=True)
class Verdict:
    """What the public may know about a code: its state and, when found, the certificate's public facts."""

    state: str  # valid | expired | revoked | superseded | not-found | typo
    code: str = ""
    holder: str | None = None
    programme: str = ""
    organisation: str = ""
    issued: date | None = None
    expires: date | None = None
    since: date | datetime | None = None


def shown_name(name: str, choice: str) -> str | None:
    """The name as its holder chose to show it: in full, as initials, or not at all."""
    if choice == "full":
        return name
    if choice == "initials":
        return " ".join(f"{word[0]}." for word in name.split()) or None
    return None


def verdict(typed: str, today: date, language: str) -> Verdict:
    """Look a code up: a mistyped code is caught by its check symbol before the database is asked."""
    code = normalise_code(typed)
    if code is None:
        return Verdict("typo")
    row = db.session.execute(
        select(Certificate, User.verify_name, Organisation.name)
        .outerjoin(User, User.id == Certificate.user_id)
        .outerjoin(Organisation, Organisation.id == Certificate.organisation_id)
        .where(Certificate.code == code)
    ).first()
    state = status(row[0], today) if row else "withdrawn"
    if state == "withdrawn":
        return Verdict("not-found", format_code(code))  # the same answer as an unknown code
    certificate, choice, organisation = row
    since = {"expired": certificate.expires_on, "revoked": certificate.revoked_at,
             "superseded": certificate.superseded_at}.get(state)
    programme = catalog().programmes.get(certificate.programme_slug)
    title = (programme.title.get(language) or programme.title["en"]) if programme else certificate.programme_slug
    return Verdict(state, format_code(code), shown_name(certificate.name_printed, choice or "hidden"), title,
                   organisation or "", certificate.issued_at.date(), certificate.expires_on, since)


def _language() -> str:
    """The page's language, for the programme title."""
    return str(get_locale() or "en")


@bp.route("/verify", methods=["GET", "POST"])
@rate_limited(RATE, "verify")
@public
def form():
    """Type a code to check a certificate."""
    form = VerifyForm()
    if form.validate_on_submit():
        code = normalise_code(form.code.data)
        if code is not None:
            return redirect(url_for("verify.show", code=code))
        form.code.errors.append(_l("This code has a typo. Check each character against the certificate."))
    return render_template("verify/form.html", form=form)


@bp.get("/verify/<code>")
@rate_limited(RATE, "verify")
@public
def show(code: str):
    """What a certificate's QR code opens: its state and public facts, never kept in any cache."""
    result = verdict(code, utcnow().date(), _language())
    page = render_template("verify/show.html", verdict=result, form=VerifyForm(formdata=None))
    status_code = 404 if result.state in ("not-found", "typo") else 200
    return page, status_code, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
