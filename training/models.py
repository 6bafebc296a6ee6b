"""People and organisations: the accounts everything else hangs on."""
import secrets
from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app import db

ROLES = ("trainee", "trainer", "coordinator", "admin")
STAFF_ROLES = ("trainer", "coordinator")  # they act for an organisation
AUDIENCES = ("peer", "family", "responder", "provider")
SEXES = ("female", "male", "other")
AGE_BANDS = ("under-18", "18-24", "25-34", "35-44", "45-54", "55-plus")
# For someone with neither a number of their own nor an organisation: 112 reaches help from any mobile in most of
# the world, and the profile lets a person put in their own where it does not.
DEFAULT_EMERGENCY_NUMBER = "112"


def utcnow() -> datetime:
    """The current time in UTC, naive, as every timestamp column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    """A fresh random token that identifies one generation of a user's sessions."""
    return secrets.token_urlsafe(32)


class Organisation(db.Model):
    """A programme running the training: an NGO, a country office, a health service."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    country: Mapped[str | None] = mapped_column(String(80))
    emergency_number: Mapped[str] = mapped_column(String(20), default="112")
    legal_note: Mapped[str | None] = mapped_column(Text)
    paper_size: Mapped[str] = mapped_column(String(10), default="A4")
    signatory_name: Mapped[str | None] = mapped_column(String(120))
    signatory_title: Mapped[str | None] = mapped_column(String(120))
    # The title as it should read on a certificate printed in each language, where the coordinator gave one.
    signatory_titles: Mapped[dict[str, str] | None] = mapped_column(JSON)
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)  # re-encoded on upload, never stored as sent
    retention_months: Mapped[int | None]  # inactive trainee accounts are purged after this long
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list["User"]] = relationship(back_populates="organisation")

    def signatory_title_in(self, language: str) -> str | None:
        """The signatory's title for a certificate in this language: its translation, else the title as typed."""
        return (self.signatory_titles or {}).get(language) or self.signatory_title


class User(UserMixin, db.Model):
    """An account: a username and a password; everything else is optional."""

    __tablename__ = "users"  # "user" is a reserved word in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Flask-Login identifies a session by this token, so changing it ends every copy of old sessions.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    role: Mapped[str] = mapped_column(String(20), default="trainee")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    display_name: Mapped[str | None] = mapped_column(String(80))
    language: Mapped[str | None] = mapped_column(String(5))
    audience: Mapped[str | None] = mapped_column(String(20))
    sex: Mapped[str | None] = mapped_column(String(10))
    age_band: Mapped[str | None] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(80))
    emergency_number: Mapped[str | None] = mapped_column(String(20))  # where the person lives, if they say
    certificate_name: Mapped[str | None] = mapped_column(String(120))  # the name to print, as the holder wants
    # How the public verify page shows the name: full | initials | hidden (the least identifying by default).
    verify_name: Mapped[str] = mapped_column(String(10), default="hidden", server_default="hidden")
    must_change_password: Mapped[bool] = mapped_column(default=False)
    assented_at: Mapped[datetime | None]  # under-18s: assent to what is stored
    consented_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]  # switched off by an admin: cannot log in until switched on again

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")

    def get_id(self) -> str:
        """Identify the session by its token rather than the row id (Flask-Login alternative ids)."""
        return self.session_token

    def set_password(self, password: str) -> None:
        """Store a slow salted hash of the password and end every existing session."""
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        """Whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        """Invalidate every session and remember-me cookie issued so far."""
        self.session_token = new_session_token()

    @property
    def name(self) -> str:
        """What the site calls this person: their display name, else their username."""
        return self.display_name or self.username

    @property
    def name_and_username(self) -> str:
        """The name people know, with the username that tells two of the same name apart."""
        return self.username if self.name == self.username else f"{self.name} ({self.username})"

    @property
    def acting_role(self) -> str:
        """The role this user acts in: trainers and coordinators act for an organisation, so without one they can't."""
        return "trainee" if self.role in STAFF_ROLES and self.organisation_id is None else self.role

    def has_role(self, *roles: str) -> bool:
        """Whether this user acts in one of the roles; admins hold every role."""
        return self.acting_role == "admin" or self.acting_role in roles



def emergency_number(organisation: Organisation | None, person: User | None = None) -> str:
    """The number to call in an overdose: the person's own, else their organisation's, else the default."""
    own = person.emergency_number if person is not None else None
    return own or (organisation.emergency_number if organisation else DEFAULT_EMERGENCY_NUMBER)

class ModuleProgress(db.Model):
    """How far one person got in one module, against the content version they read."""

    __table_args__ = (UniqueConstraint("user_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(60))
    content_version: Mapped[str] = mapped_column(String(16))
    sections_total: Mapped[int]
    sections_read: Mapped[int] = mapped_column(default=0)  # sections 1..n read in order
    last_section: Mapped[int] = mapped_column(default=1)  # where the person resumes
    seconds_spent: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]  # every section marked as read
    quiz_passed_at: Mapped[datetime | None]  # set by the quizzes package
    completed_at: Mapped[datetime | None]  # read and passed: the module is done
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @classmethod
    def start(cls, user_id: int, module_slug: str) -> "ModuleProgress":
        """A new row with every counter at zero (column defaults only apply when it is saved)."""
        return cls(user_id=user_id, module_slug=module_slug, content_version="", sections_total=0,
                   sections_read=0, last_section=1, seconds_spent=0, started_at=utcnow())

    @property
    def status(self) -> str:
        """'completed' or 'in-progress' (no row at all means 'not-started')."""
        return "completed" if self.completed_at else "in-progress"

    def complete_if_done(self, now: datetime) -> bool:
        """Mark the module completed once it is both read and passed; True when that happened now."""
        if self.completed_at is None and self.read_at and self.quiz_passed_at:
            self.completed_at = now
            return True
        return False


class AuditEvent(db.Model):
    """Something that must be accountable: who did what, when, from where (hashed). Never edited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(80))  # e.g. "certificate:12", never a name
    detail: Mapped[str | None] = mapped_column(Text)
    address_hash: Mapped[str | None] = mapped_column(String(64))
