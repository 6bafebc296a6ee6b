"""One result per form, however often it is sent: two clicks, two tabs, or a resend after a slow answer was lost.

Each form shown carries a random key. Sending it claims the key in the same transaction as what the form does,
so a second send of the same form finds the key taken, changes nothing, and is led to what the first one did.
"""
import secrets
from datetime import datetime, timedelta

from flask import flash, redirect
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from app import db
from training.models import utcnow

KEPT_FOR = timedelta(days=2)  # longer than any page stays open, so a late resend is still recognised


class FormSubmission(db.Model):
    """A form that was sent and acted on, and where its answer led."""

    key: Mapped[str] = mapped_column(String(43), primary_key=True)
    outcome: Mapped[str | None] = mapped_column(String(200))  # the page the first send was sent on to
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # an account it made
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def new_key() -> str:
    """A key nobody can guess."""
    return secrets.token_urlsafe(32)


class OnceField(HiddenField):
    """The hidden key of one showing of a form; a form sent again keeps the key it was shown with."""

    def __init__(self, **kwargs):
        super().__init__(default=new_key, **kwargs)


def claim(key: str | None) -> FormSubmission | None:
    """Claim a form's key for this request, or None when another request already did (the caller commits)."""
    if not key or len(key) > 43:
        key = new_key()  # a page shown before forms had keys: acted on, as it would have been
    submission = FormSubmission(key=key)
    try:
        with db.session.begin_nested():  # a simultaneous send waits here for the first to commit, then is refused
            db.session.add(submission)
    except IntegrityError:
        return None
    return submission


def earlier(key: str | None) -> FormSubmission | None:
    """The earlier send of this form that claimed its key."""
    return db.session.get(FormSubmission, key) if key else None


def resent(key: str, fallback: str):
    """Answer a form sent again: nothing more was done; show where the first send led."""
    flash(_("This form was already sent. It is recorded once."), "info")
    first = earlier(key)
    return redirect(first.outcome if first and first.outcome else fallback)


def forget_old(now: datetime) -> int:
    """Delete keys older than anyone could resend; how many."""
    return db.session.execute(delete(FormSubmission).where(FormSubmission.created_at < now - KEPT_FOR)).rowcount
