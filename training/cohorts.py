"""Cohorts: a group of trainees, its trainers, sessions, attendance and practical skills sign-off."""
import secrets
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import db
from training.models import Organisation, User, utcnow

DELIVERIES = ("online", "in-person", "blended")
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are read aloud and typed on phones


def new_join_code() -> str:
    """A short random code a trainee types to join a cohort."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(8))


class Cohort(db.Model):
    """A group trained together: online, in person or blended."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    programme_slug: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(5), default="en")
    delivery: Mapped[str] = mapped_column(String(12), default="in-person")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str | None] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(80))
    join_code: Mapped[str] = mapped_column(String(12), unique=True, default=new_join_code)
    archived_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    trainers: Mapped[list[User]] = relationship(secondary="cohort_trainer", order_by="User.username")

    @property
    def needs_skills_check(self) -> bool:
        """Whether trainees must be signed off in person (in-person and blended cohorts)."""
        return self.delivery in ("in-person", "blended")


class CohortTrainer(db.Model):
    """A trainer who runs a cohort (the first one and any co-trainers)."""

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class Membership(db.Model):
    """A trainee enrolled in a cohort."""

    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class CohortSession(db.Model):
    """One day a cohort met, for attendance."""

    __table_args__ = (UniqueConstraint("cohort_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)


class Attendance(db.Model):
    """A trainee was present at a session; who recorded it and when."""

    session_id: Mapped[int] = mapped_column(ForeignKey("cohort_session.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class SkillCheck(db.Model):
    """One item of a programme's practical skills checklist, signed off for a trainee by a trainer."""

    __table_args__ = (UniqueConstraint("user_id", "programme_slug", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    programme_slug: Mapped[str] = mapped_column(String(60))
    skill_id: Mapped[str] = mapped_column(String(40))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
