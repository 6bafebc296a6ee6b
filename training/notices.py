"""Dashboard notices (reminders that other parts add) and hiding one for good."""
import re
from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Flask, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import ForeignKey, String, UniqueConstraint, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app import db
from training.access import login_required
from training.models import User, utcnow

bp = Blueprint("notices", __name__, url_prefix="/notices")
# What a notice names when it is hidden: its kind and the thing it is about, e.g. "kit:2027-03-31".
KEY = re.compile(r"[a-z]{1,15}:[\w.-]{1,60}")  # fits the 80-character column
Notice = Callable[[User], Markup | None]


class HiddenNotice(db.Model):
    """A reminder its reader chose not to see again."""

    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique constraint's index, led by user_id, also serves "what has this person hidden".
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    hidden_at: Mapped[datetime] = mapped_column(default=utcnow)


_HIDDEN = select(HiddenNotice.key).where(HiddenNotice.user_id == bindparam("user_id"))  # built once


def hidden_keys(user_id: int) -> set[str]:
    """The notices this person has hidden; read at most once a request, and only by a notice that has news."""
    known = g.setdefault("hidden_notices", {})
    if user_id not in known:
        known[user_id] = set(db.session.scalars(_HIDDEN, {"user_id": user_id}))
    return known[user_id]


def hide(user_id: int, key: str) -> None:
    """Hide a notice for this person; hiding it again (a second click, a second tab) changes nothing."""
    try:
        with db.session.begin_nested():
            db.session.add(HiddenNotice(user_id=user_id, key=key))
    except IntegrityError:
        pass  # already hidden


def dashboard_notices(user: User) -> list[Markup]:
    """What every part that adds notices has to say to this person now."""
    notices = (notice(user) for notice in current_app.extensions["dashboard_notices"])
    return [notice for notice in notices if notice]


def add_notice(app: Flask, notice: Notice) -> None:
    """Show a notice on the dashboard: a callable taking the user and returning HTML, or None to say nothing."""
    app.extensions["dashboard_notices"].append(notice)


@bp.post("/hide")
@login_required
def hide_view():
    """Hide the notices named by the form's keys, and go back to the dashboard."""
    keys = request.form.getlist("key")
    if not keys or not all(KEY.fullmatch(key) for key in keys):
        flash(_("This reminder could not be hidden. Please try again."), "error")
        return redirect(url_for("learn.dashboard"))
    for key in keys:
        hide(current_user.id, key)
    db.session.commit()
    flash(_("The reminder is hidden."), "success")
    return redirect(url_for("learn.dashboard"))


def init_app(app: Flask) -> None:
    """Start the list of dashboard notices."""
    app.extensions["dashboard_notices"] = []
