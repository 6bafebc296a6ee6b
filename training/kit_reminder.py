"""Remind a person on their dashboard when their naloxone has expired or soon will: it is apart from any certificate.

The newest kit recorded for them counts, so a replacement ends the reminder without anyone dismissing it.
"""
from datetime import date, timedelta

from flask import Flask, render_template
from markupsafe import Markup
from sqlalchemy import bindparam, func, select

from app import db
from training.fieldwork import KitHandout
from training.kits import EXPIRY_WARNING_DAYS
from training.models import User
from training.notices import add_notice, hidden_keys

_NEWEST_EXPIRY = select(func.max(KitHandout.expires_on)).where(KitHandout.user_id == bindparam("user_id"))


def kit_to_replace(user_id: int, today: date) -> date | None:
    """The expiry date of the person's newest kit when it has passed or is near, else None (one query)."""
    expires_on = db.session.scalar(_NEWEST_EXPIRY, {"user_id": user_id})
    if expires_on is None or expires_on > today + timedelta(days=EXPIRY_WARNING_DAYS):
        return None
    return expires_on


def notice_key(expires_on: date) -> str:
    """What hiding the reminder records: a new kit has another date, so it is reminded of in its turn."""
    return f"kit:{expires_on.isoformat()}"


def kit_notice(user: User) -> Markup | None:
    """The dashboard's reminder to replace naloxone, unless the person hid it."""
    today = date.today()
    expires_on = kit_to_replace(user.id, today)
    if expires_on is None or notice_key(expires_on) in hidden_keys(user.id):
        return None
    return Markup(render_template(  # noqa: S704 - an autoescaped template of ours
        "kits/_reminder.html", expires_on=expires_on, expired=expires_on < today, key=notice_key(expires_on)))


def init_app(app: Flask) -> None:
    """Show the reminder on the dashboard."""
    add_notice(app, kit_notice)
