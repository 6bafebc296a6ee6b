"""Field records: naloxone kits received and handed out, anonymous overdose-response reports, follow-ups."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import db
from training.models import User, utcnow

KIT_FORMS = ("ampoule", "prefilled-syringe", "nasal-spray")
OUTCOMES = ("alive", "died", "unknown")


class KitReceipt(db.Model):
    """Kits received into an organisation's stock."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    form: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int]
    lot: Mapped[str] = mapped_column(String(40))
    expires_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class KitHandout(db.Model):
    """Kits handed out to a trainee or to an unnamed walk-in (no user)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="SET NULL"), index=True)
    form: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int]
    lot: Mapped[str] = mapped_column(String(40))
    expires_on: Mapped[date] = mapped_column(Date)
    handed_out_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(120))
    handed_out_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class OverdoseReport(db.Model):
    """An anonymous account of an overdose response: nothing identifies the reporter or the person helped."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    region: Mapped[str | None] = mapped_column(String(80))
    signs: Mapped[list[str]] = mapped_column(JSON, default=list)
    naloxone_given: Mapped[bool]
    doses: Mapped[int | None]
    form: Mapped[str | None] = mapped_column(String(20))
    emergency_called: Mapped[bool | None]
    outcome: Mapped[str] = mapped_column(String(10))
    helped: Mapped[list[str]] = mapped_column(JSON, default=list)
    barriers: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    # Linked to training only in counts: whether the reporter was trained, never who they are.
    reporter_trained: Mapped[bool] = mapped_column(default=False)
    reporter_under_18: Mapped[bool] = mapped_column(default=False)
    created_on: Mapped[date] = mapped_column(Date, default=date.today)  # a date, not a time: harder to link


class FollowUp(db.Model):
    """The 3- and 6-month questions after certification: carrying naloxone? used it since?"""

    __table_args__ = (UniqueConstraint("user_id", "programme_slug", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    programme_slug: Mapped[str] = mapped_column(String(60))
    round: Mapped[int]  # months after certification: 3 or 6
    due_on: Mapped[date] = mapped_column(Date)
    carries_naloxone: Mapped[bool | None]
    used_since: Mapped[bool | None]
    answered_at: Mapped[datetime | None]
    dismissed_at: Mapped[datetime | None]
