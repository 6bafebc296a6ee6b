"""The certificate register."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import db
from training.models import Organisation, User, utcnow


class Certificate(db.Model):
    """A certificate as issued: what it said, to whom, until when, and whether it still stands."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(17), unique=True)  # canonical, without dashes
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    programme_slug: Mapped[str] = mapped_column(String(60))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    # "<user_id>:<programme>" while the certificate is the holder's current one, else NULL. Unique, so the
    # database itself allows one current certificate per person and programme, whatever races the app.
    current_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    name_printed: Mapped[str] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(5))
    signatory_name: Mapped[str | None] = mapped_column(String(120))
    signatory_title: Mapped[str | None] = mapped_column(String(120))
    content_versions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_on: Mapped[date] = mapped_column(Date)
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(Text)  # private: never shown on the verify page
    superseded_at: Mapped[datetime | None]
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    withdrawn_at: Mapped[datetime | None]  # the holder deleted their account: verification says not found
    manual_reason: Mapped[str | None] = mapped_column(Text)  # set for a coordinator's exception award
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    holder: Mapped[User | None] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation | None] = relationship()
