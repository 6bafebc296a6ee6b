"""Follow-ups 3 and 6 months after certification: which one is due, answering it and dismissing it."""
import calendar
from datetime import date, datetime

from sqlalchemy import bindparam, select, update

from app import db
from training.fieldwork import FollowUp
from training.models import User, utcnow

ROUNDS = (3, 6)  # months after certification


def add_months(day: date, months: int) -> date:
    """The same day some months later, or the month's last day when it has no such day (31 Jan + 3 = 30 Apr)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def create_followups(user_id: int, programme_slug: str, certified_on: date) -> list[FollowUp]:
    """Add the missing 3- and 6-month follow-ups for a certification (idempotent; the caller commits)."""
    existing = set(db.session.scalars(select(FollowUp.round).where(
        FollowUp.user_id == user_id, FollowUp.programme_slug == programme_slug)))
    added = [FollowUp(user_id=user_id, programme_slug=programme_slug, round=months,
                      due_on=add_months(certified_on, months)) for months in ROUNDS if months not in existing]
    db.session.add_all(added)
    return added


# Built once: it runs on every dashboard, and building a select costs more than running this one.
_DUE = select(FollowUp).where(
    FollowUp.user_id == bindparam("user_id"), FollowUp.due_on <= bindparam("today"),
    FollowUp.answered_at.is_(None), FollowUp.dismissed_at.is_(None),
).order_by(FollowUp.due_on.desc(), FollowUp.id.desc()).limit(1)


def due_followup(user: User, today: date | None = None) -> FollowUp | None:
    """The latest follow-up due and still open for this user, if any (one query)."""
    return db.session.scalar(_DUE, {"user_id": user.id, "today": today or date.today()})


def answer(followup: FollowUp, carries_naloxone: bool, used_since: bool, now: datetime | None = None) -> bool:
    """Record the answers unless already answered (the first answer stays); True when recorded now."""
    now = now or utcnow()
    # Compare-and-set, so a second click or a second tab cannot overwrite the first answer.
    result = db.session.execute(update(FollowUp).where(FollowUp.id == followup.id, FollowUp.answered_at.is_(None))
                                .values(carries_naloxone=carries_naloxone, used_since=used_since, answered_at=now))
    if result.rowcount:
        # An earlier round still open asks the same question about the same present: it is settled too.
        db.session.execute(update(FollowUp).where(
            FollowUp.user_id == followup.user_id, FollowUp.programme_slug == followup.programme_slug,
            FollowUp.due_on < followup.due_on, FollowUp.answered_at.is_(None), FollowUp.dismissed_at.is_(None),
        ).values(dismissed_at=now))
    return bool(result.rowcount)


def dismiss(followup: FollowUp, now: datetime | None = None) -> bool:
    """Stop asking this follow-up unless it was already answered or dismissed; True when dismissed now."""
    result = db.session.execute(update(FollowUp).where(
        FollowUp.id == followup.id, FollowUp.answered_at.is_(None), FollowUp.dismissed_at.is_(None),
    ).values(dismissed_at=now or utcnow()))
    return bool(result.rowcount)
