"""The roster grid: every trainee of a cohort against the programme's modules, in five queries."""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import Date, DateTime, Integer, String, func, select, text

from app import db
from training.cohorts import Cohort, Membership, SkillCheck
from training.collation import name_key
from training.content import Programme
from training.models import ModuleProgress, User

STATUS_FILTERS = ("all", "stuck", "not-started", "completed", "certified")
SORTS = ("name", "progress", "activity")
STUCK_DAYS = 14


def code_words() -> dict[str, str]:
    """The grid's module and certificate codes in words, in the reader's language (the page and the XLSX)."""
    return {"not-started": _("Not started"), "in-progress": _("In progress"), "completed": _("Completed"),
            "valid": _("Valid"), "expired": _("Expired"), "revoked": _("Revoked"), "none": _("None")}

# training must never import quizzes or certificates (imports point certificates → quizzes → training), so
# their tables are read with plain SQL. Only bound parameters go in; no request value ever reaches it.
QUIZ_SQL = text(
    "SELECT qa.user_id, qa.kind, qa.target, MAX(qa.score) AS best, MAX(qa.submitted_at) AS last_at "
    "FROM quiz_attempt qa JOIN membership m ON m.user_id = qa.user_id "
    "WHERE m.cohort_id = :cohort_id AND qa.submitted_at IS NOT NULL "
    "GROUP BY qa.user_id, qa.kind, qa.target"
).columns(user_id=Integer, kind=String, target=String, best=Integer, last_at=DateTime)
CERTIFICATE_SQL = text(
    "SELECT c.user_id, c.current_key, c.expires_on, c.issued_at, c.revoked_at "
    "FROM certificate c JOIN membership m ON m.user_id = c.user_id "
    "WHERE m.cohort_id = :cohort_id AND c.programme_slug = :programme AND c.withdrawn_at IS NULL"
).columns(user_id=Integer, current_key=String, expires_on=Date, issued_at=DateTime, revoked_at=DateTime)


@dataclass
class Cell:
    """One trainee's standing in one module."""

    status: str = "not-started"  # not-started | in-progress | completed
    best: int | None = None


@dataclass
class RosterRow:
    """One trainee's line in the grid."""

    user_id: int
    username: str
    name: str
    joined_at: datetime
    cells: dict[str, Cell]
    pre: int | None = None
    final: int | None = None
    skills_signed: int = 0
    certificate: str = "none"  # valid | expired | revoked | none
    certificate_expires: date | None = None
    last_activity: datetime | None = None
    stuck: bool = False
    activity: list[datetime] = field(default_factory=list, repr=False)

    @property
    def completed(self) -> int:
        """How many of the programme's modules are completed."""
        return sum(cell.status == "completed" for cell in self.cells.values())

    @property
    def started(self) -> bool:
        """Whether anything at all has happened: a module opened or a quiz taken."""
        return bool(self.activity)


def certificate_status(rows: list, today: date) -> tuple[str, date | None]:
    """valid / expired for the current certificate; revoked when the latest one was revoked; else none."""
    current = next((row for row in rows if row.current_key is not None), None)
    if current is not None and current.revoked_at is None:
        return ("expired" if current.expires_on < today else "valid"), current.expires_on
    latest = max(rows, key=lambda row: row.issued_at, default=None)
    if latest is not None and latest.revoked_at is not None:
        return "revoked", None
    return "none", None


def aggregate(members: Iterable, progress: Iterable, quizzes: Iterable, skills: Iterable, certificates: Iterable,
              programme: Programme, now: datetime) -> list[RosterRow]:
    """Fold the query results into one row per trainee, in one pass over each (no queries here)."""
    rows = {m.id: RosterRow(m.id, m.username, m.display_name or m.username, m.joined_at,
                            {slug: Cell() for slug in programme.modules}) for m in members}
    for p in progress:
        row = rows[p.user_id]
        row.cells[p.module_slug].status = "completed" if p.completed_at else "in-progress"
        row.activity.append(p.updated_at)
    for q in quizzes:
        row = rows[q.user_id]
        row.activity.append(q.last_at)
        if q.kind == "module" and q.target in row.cells:
            row.cells[q.target].best = q.best
        elif q.kind == "pre" and q.target == programme.slug:
            row.pre = q.best
        elif q.kind == "final" and q.target == programme.slug:
            row.final = q.best
    for user_id, signed in skills:
        rows[user_id].skills_signed = signed
    by_user: dict[int, list] = {}
    for c in certificates:
        by_user.setdefault(c.user_id, []).append(c)
    for user_id, certs in by_user.items():
        rows[user_id].certificate, rows[user_id].certificate_expires = certificate_status(certs, now.date())
    quiet_since = now - timedelta(days=STUCK_DAYS)
    for row in rows.values():
        row.last_activity = max(row.activity, default=None)
        finished = row.completed == len(programme.modules)
        row.stuck = not finished and (row.last_activity or row.joined_at) < quiet_since
    return list(rows.values())


def build_roster(cohort: Cohort, programme: Programme, now: datetime) -> list[RosterRow]:
    """Load and aggregate the grid: five queries whatever the cohort's size."""
    member_ids = select(Membership.user_id).where(Membership.cohort_id == cohort.id)
    members = db.session.execute(
        select(User.id, User.username, User.display_name, Membership.joined_at)
        .join(Membership, Membership.user_id == User.id).where(Membership.cohort_id == cohort.id)
    ).all()
    progress = db.session.execute(
        select(ModuleProgress.user_id, ModuleProgress.module_slug, ModuleProgress.completed_at,
               ModuleProgress.updated_at)
        .where(ModuleProgress.user_id.in_(member_ids), ModuleProgress.module_slug.in_(programme.modules))
    ).all()
    quizzes = db.session.execute(QUIZ_SQL, {"cohort_id": cohort.id}).all()
    skill_ids = [skill["id"] for skill in programme.skills]
    skills = db.session.execute(
        select(SkillCheck.user_id, func.count())
        .where(SkillCheck.user_id.in_(member_ids), SkillCheck.programme_slug == programme.slug,
               SkillCheck.skill_id.in_(skill_ids))
        .group_by(SkillCheck.user_id)
    ).all()
    certificates = db.session.execute(CERTIFICATE_SQL, {"cohort_id": cohort.id, "programme": programme.slug}).all()
    return aggregate(members, progress, quizzes, skills, certificates, programme, now)


def keep(row: RosterRow, status: str, total: int) -> bool:
    """Whether a row passes the status filter."""
    if status == "stuck":
        return row.stuck
    if status == "not-started":
        return not row.started
    if status == "completed":
        return row.completed == total
    if status == "certified":
        return row.certificate == "valid"
    return True


def select_rows(rows: list[RosterRow], status: str, sort: str, total: int) -> list[RosterRow]:
    """Filter and sort the rows; unknown choices fall back to all rows by name (allow-lists, never SQL)."""
    status = status if status in STATUS_FILTERS else "all"
    sort = sort if sort in SORTS else "name"
    chosen = [row for row in rows if keep(row, status, total)]
    chosen.sort(key=lambda row: (name_key(row.name), row.username))
    if sort == "progress":
        chosen.sort(key=lambda row: row.completed, reverse=True)
    elif sort == "activity":
        chosen.sort(key=lambda row: row.last_activity or datetime.min, reverse=True)
    return chosen
