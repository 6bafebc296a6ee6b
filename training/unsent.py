"""A form sent after its session ended: kept in the new session and given back, once, to the person who typed it.

On a shared phone a session ends after half an hour idle; a trainee who took longer over a report or a quiz must not
lose what they typed. The form travels in the signed session cookie (never stored on the server), so it is kept
only when it fits there, and never when it holds a password.
"""
from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app import db
from training.models import User

UNSENT_FORM = "unsent_form"
# A form with one of these is never kept: every password field's name (a test holds this to the forms).
SECRET_FIELDS = frozenset({"password", "confirm", "current"})
COOKIE_AT_MOST = 3600  # bytes of signed session; browsers drop a cookie over 4,096 with its name and attributes


def sender_id() -> int | None:
    """Who sent this request: the person logged in, or the one whose session has just ended."""
    if current_user.is_authenticated:
        return current_user.id
    token = getattr(session, "ended", {}).get("_user_id")  # the session interface kept what the ended one held
    return db.session.scalar(select(User.id).where(User.session_token == token)) if token else None


def keep_form(page: str) -> dict | None:
    """Keep what this request's form sent, for the page it came from; what was kept, or None."""
    fields = [(name, value) for name, value in request.form.items(multi=True) if name != "csrf_token"]
    if not fields or any(name in SECRET_FIELDS for name, _value in fields):
        return None
    if any(upload.filename for upload in request.files.values()):  # a file cannot be chosen again for the person
        return None
    kept = {"page": page, "action": request.path, "owner": sender_id(), "fields": fields}
    serializer = current_app.session_interface.get_signing_serializer(current_app)
    if serializer is None or len(serializer.dumps({**session, UNSENT_FORM: kept})) > COOKIE_AT_MOST:
        return None
    session[UNSENT_FORM] = kept
    return kept


def kept_for(user_id: int) -> dict | None:
    """The form this person sent before logging in again, to carry over the new session; nobody else's."""
    kept = session.get(UNSENT_FORM)
    return kept if kept and kept.get("owner") == user_id else None


def _kept_here() -> dict | None:
    """The form kept for this page, when the person looking at it is the one who sent it."""
    if UNSENT_FORM not in session or request.method != "GET":  # `in` does not mark the session as read
        return None
    kept = session[UNSENT_FORM]
    reader = current_user.id if current_user.is_authenticated else None
    # .get: a cookie from before this version may hold a kept form of another shape; it is never given back.
    return kept if kept.get("page") == request.path and kept.get("owner") == reader else None


def give_back(field_names: set[str] | None = None, action: str | None = None) -> MultiDict | None:
    """The form kept for this page, once: only to a form with all its fields, or sent to `action` when named."""
    kept = _kept_here()
    if kept is None or (action is not None and kept["action"] != action):
        return None
    names = [name for name, _value in kept["fields"]]
    if field_names is not None and not all(belongs(name, field_names) for name in names):
        return None
    del session[UNSENT_FORM]
    flash(_("What you filled in before is back in the form. Check it and send it again."), "info")
    return MultiDict(kept["fields"])


def belongs(name: str, field_names: set[str]) -> bool:
    """Whether a sent name is one of the form's fields, or a part of one (a subform's "address-city")."""
    return name in field_names or name.split("-", 1)[0] in field_names


def settle_unsent_form() -> dict:
    """A kept form its page did not take back (the page has no form for it): ask for it to be filled in again."""
    if _kept_here() is not None:
        del session[UNSENT_FORM]
        flash(_("Please fill in the form again and send it."), "info")
    return {}


def init_app(app: Flask) -> None:
    """Settle kept forms as pages are drawn: by then the page's forms have taken back what is theirs."""
    app.context_processor(settle_unsent_form)
