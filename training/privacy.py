"""A person's rights over their data: see all of it, take it away, delete it; and the retention purge."""
import calendar
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, Table, delete, or_, select, text, update

from app import db
from training.audit import record
from training.cohorts import Attendance, Cohort, CohortSession, Membership, SkillCheck
from training.fieldwork import FollowUp, KitHandout
from training.models import AuditEvent, ModuleProgress, Organisation, User, utcnow
from training.notices import HiddenNotice

TOMBSTONE_NAME = "withdrawn"  # what a deleted holder's certificate register entry says instead of a name
PROFILE_FIELDS = ("username", "display_name", "language", "audience", "sex", "age_band", "region", "emergency_number",
                  "certificate_name", "verify_name", "role", "created_at", "last_seen_at", "consented_at",
                  "assented_at")
# The quiz and certificate tables belong to other packages; training reads them through plain SQL.
_ATTEMPTS = text(
    "SELECT id, kind, target, language, questions, answers, score, passed, started_at, submitted_at "
    "FROM quiz_attempt WHERE user_id = :user_id ORDER BY id"
).columns(id=Integer, kind=String, target=String, language=String, questions=JSON, answers=JSON,
          score=Integer, passed=Boolean, started_at=DateTime, submitted_at=DateTime)
_CERTIFICATES = text(
    "SELECT id, code, programme_slug, name_printed, language, issued_at, expires_on, revoked_at, superseded_at "
    "FROM certificate WHERE user_id = :user_id ORDER BY id"
).columns(id=Integer, code=String, programme_slug=String, name_printed=String, language=String,
          issued_at=DateTime, expires_on=Date, revoked_at=DateTime, superseded_at=DateTime)
_WITHDRAW_CERTIFICATES = text(
    "UPDATE certificate SET withdrawn_at = :now, user_id = NULL, name_printed = :tombstone, current_key = NULL, "
    "revoke_reason = NULL, manual_reason = NULL WHERE user_id = :user_id"
)


def _plain(value: Any) -> Any:
    """A value JSON can hold: dates as ISO strings (times to the second)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat() if isinstance(value, date) else value


def _rows(objects, *fields: str) -> list[dict]:
    """Chosen attributes of ORM objects (or mappings) as plain dictionaries."""
    return [{f: _plain(o[f] if isinstance(o, dict) else getattr(o, f)) for f in fields} for o in objects]


def export_user_data(user: User) -> dict[str, Any]:
    """Everything the site holds about one person, as plain data ready for JSON."""
    uid = user.id
    profile = {field: _plain(getattr(user, field)) for field in PROFILE_FIELDS}
    profile["organisation"] = user.organisation.name if user.organisation else None
    scalars = db.session.scalars
    memberships = db.session.execute(
        select(Cohort.name, Cohort.programme_slug, Membership.joined_at)
        .join(Cohort, Cohort.id == Membership.cohort_id).where(Membership.user_id == uid)
    ).mappings().all()
    attendance = db.session.execute(
        select(Cohort.name, CohortSession.held_on).select_from(Attendance)
        .join(CohortSession, CohortSession.id == Attendance.session_id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id).where(Attendance.user_id == uid)
    ).mappings().all()
    return {
        "profile": profile,
        "progress": _rows(scalars(select(ModuleProgress).where(ModuleProgress.user_id == uid)), "module_slug",
                          "content_version", "sections_read", "sections_total", "seconds_spent", "started_at",
                          "read_at", "quiz_passed_at", "completed_at"),
        "quiz_attempts": [{k: _plain(v) for k, v in row.items()}
                          for row in db.session.execute(_ATTEMPTS, {"user_id": uid}).mappings()],
        "certificates": [{k: _plain(v) for k, v in row.items()}
                         for row in db.session.execute(_CERTIFICATES, {"user_id": uid}).mappings()],
        "kits": _rows(scalars(select(KitHandout).where(KitHandout.user_id == uid)), "form", "quantity", "lot",
                      "expires_on", "handed_out_on", "place"),
        "memberships": _rows([dict(m) for m in memberships], "name", "programme_slug", "joined_at"),
        "attendance": _rows([dict(a) for a in attendance], "name", "held_on"),
        "skills": _rows(scalars(select(SkillCheck).where(SkillCheck.user_id == uid)), "programme_slug",
                        "skill_id", "signed_at"),
        "follow_ups": _rows(scalars(select(FollowUp).where(FollowUp.user_id == uid)), "programme_slug", "round",
                            "due_on", "carries_naloxone", "used_since", "answered_at", "dismissed_at"),
        "hidden_reminders": _rows(scalars(select(HiddenNotice).where(HiddenNotice.user_id == uid)), "key",
                                  "hidden_at"),
        "activity": _rows(scalars(select(AuditEvent).where(AuditEvent.actor_id == uid).order_by(AuditEvent.at)),
                          "at", "action", "target"),
    }


def _user_references() -> list[tuple[Table, Any]]:
    """Every column in the schema pointing at users.id, with its table, children first."""
    found = []
    for table in reversed(db.metadata.sorted_tables):
        for column in table.columns:
            if any(fk.column.table.name == "users" for fk in column.foreign_keys):
                found.append((table, column))
    return found


def delete_account(user: User, now: datetime | None = None) -> None:
    """Erase a person: sessions end, rows about them go, rows they touched lose the link; the caller commits.

    Certificates stay in the register as tombstones (withdrawn, no holder, no name) so that counts hold
    and a verifier learns only that the certificate no longer stands.
    """
    now = now or utcnow()
    user.end_sessions()
    organisation_id, uid = user.organisation_id, user.id
    db.session.execute(_WITHDRAW_CERTIFICATES, {"now": now, "tombstone": TOMBSTONE_NAME, "user_id": uid})
    # Walk the schema rather than a hand-kept list, so tables added later are covered too.
    for table, column in _user_references():
        if column.nullable:
            db.session.execute(update(table).where(column == uid).values({column.name: None}))
        else:
            db.session.execute(delete(table).where(column == uid))
    db.session.delete(user)
    db.session.flush()
    record("account-deleted", organisation_id=organisation_id, actor=None)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's last day)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def purge_inactive(now: datetime) -> dict[str, int]:
    """Delete trainee accounts idle longer than their organisation's retention period; counts per organisation."""
    removed: dict[str, int] = {}
    organisations = db.session.scalars(select(Organisation).where(Organisation.retention_months.is_not(None)))
    for org in organisations.all():
        cutoff = months_before(now, org.retention_months)
        idle = db.session.scalars(select(User).where(
            User.organisation_id == org.id, User.role == "trainee",
            or_(User.last_seen_at < cutoff, User.last_seen_at.is_(None) & (User.created_at < cutoff)),
        )).all()
        for user in idle:
            delete_account(user, now)
        if idle:
            record("accounts-purged", detail=str(len(idle)), organisation_id=org.id, actor=None)
            removed[org.name] = len(idle)
    db.session.commit()
    return removed
