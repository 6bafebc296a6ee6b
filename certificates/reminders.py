"""Remind holders on their dashboard when a certificate has expired or soon will, and how to renew it.

Many trainees give no e-mail address, so the dashboard is where the reminder reaches them.
"""
from datetime import date, timedelta

from flask import Flask, render_template
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import bindparam, select

from app import db
from certificates.eligibility import RENEWAL_WINDOW_DAYS, is_due_for_renewal, status
from certificates.models import Certificate
from training.content import catalog
from training.models import User, utcnow
from training.notices import add_notice, hidden_keys

# Built once, as the dashboard's other queries: it runs on every dashboard, and building costs more than running.
_ENDING = select(Certificate).where(
    Certificate.user_id == bindparam("user_id"), Certificate.current_key.is_not(None),  # not revoked or replaced
    Certificate.withdrawn_at.is_(None), Certificate.expires_on <= bindparam("until"),
).order_by(Certificate.expires_on)


def due_for_renewal(user_id: int, today: date) -> list[Certificate]:
    """The person's current certificates that have expired or expire within the renewal window, soonest first."""
    ending = db.session.scalars(_ENDING, {"user_id": user_id, "until": today + timedelta(days=RENEWAL_WINDOW_DAYS)})
    return [c for c in ending if is_due_for_renewal(c, today)]


def notice_key(certificate: Certificate) -> str:
    """What hiding this certificate's reminder records; a renewed certificate is a new one, reminded again."""
    return f"certificate:{certificate.id}"


def renewal_notice(user: User) -> Markup | None:
    """The dashboard's reminder for certificates due for renewal that the holder has not hidden, or None."""
    today = utcnow().date()
    due = due_for_renewal(user.id, today)
    if due:  # the hidden ones are read only when there is something to remind of
        due = [c for c in due if notice_key(c) not in hidden_keys(user.id)]
    if not due:
        return None
    return Markup(render_template(  # noqa: S704 - an autoescaped template of ours
        "certificates/_renewal_notice.html", rows=[(c, status(c, today)) for c in due],
        keys=[notice_key(c) for c in due], content=catalog(), language=str(get_locale())))


def init_app(app: Flask) -> None:
    """Show the reminder on the dashboard."""
    add_notice(app, renewal_notice)
