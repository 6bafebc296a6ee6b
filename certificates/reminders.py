"""Remind holders on their dashboard when a certificate has expired or soon will, and how to renew it.

Many trainees give no e-mail address, so the dashboard is where the reminder reaches them.
"""
from datetime import date, timedelta

from flask import Flask, render_template
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import select

from app import db
from certificates.eligibility import RENEWAL_WINDOW_DAYS, is_due_for_renewal, status
from certificates.models import Certificate
from training.content import catalog
from training.models import User, utcnow


def due_for_renewal(user_id: int, today: date) -> list[Certificate]:
    """The person's current certificates that have expired or expire within the renewal window, soonest first."""
    query = select(Certificate).where(
        Certificate.user_id == user_id, Certificate.current_key.is_not(None),  # not revoked, not replaced
        Certificate.withdrawn_at.is_(None), Certificate.expires_on <= today + timedelta(days=RENEWAL_WINDOW_DAYS),
    ).order_by(Certificate.expires_on)
    return [c for c in db.session.scalars(query) if is_due_for_renewal(c, today)]


def renewal_notice(user: User) -> Markup | None:
    """The dashboard's reminder for certificates due for renewal, or None."""
    today = utcnow().date()
    due = due_for_renewal(user.id, today)
    if not due:
        return None
    return Markup(render_template(  # noqa: S704 - an autoescaped template of ours
        "certificates/_renewal_notice.html", rows=[(c, status(c, today)) for c in due],
        content=catalog(), language=str(get_locale())))


def init_app(app: Flask) -> None:
    """Show the reminder on the dashboard."""
    app.extensions["dashboard_notices"].append(renewal_notice)
