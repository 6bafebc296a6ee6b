"""Cohort decisions and changes, with no request in them: trainers, joining, enrolling, attendance, skills."""
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from app import db
from training.cohorts import Attendance, Cohort, CohortSession, Membership, SkillCheck
from training.collation import name_key
from training.content import catalog
from training.models import User

USERNAME_SEPARATORS = re.compile(r"[,;\s]+")


class CohortError(Exception):
    """A change that must not happen; `reason` says which (archived, wrong-trainer, duplicate-date...)."""

    def __init__(self, reason: str, names: tuple[str, ...] = ()):
        super().__init__(reason)
        self.reason, self.names = reason, names


def organisation_trainers(organisation_id: int | None) -> list[User]:
    """The trainers of an organisation (of every organisation when None, for admins), by username."""
    query = select(User).where(User.role == "trainer").order_by(User.username)
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    return list(db.session.scalars(query))


def set_trainers(cohort: Cohort, trainer_ids: set[int]) -> None:
    """Make exactly these trainers run the cohort; each must be a trainer of the cohort's organisation."""
    trainers = organisation_trainers(cohort.organisation_id)
    if trainer_ids - {t.id for t in trainers}:
        raise CohortError("wrong-trainer")
    cohort.trainers = [t for t in trainers if t.id in trainer_ids]


def set_archived(cohort: Cohort, archived: bool, now: datetime) -> None:
    """Archive (no more joining, kept for history) or bring back a cohort."""
    cohort.archived_at = now if archived else None


def normalise_code(text: str) -> str:
    """Codes are read aloud and typed on phones: ignore case, spaces and dashes."""
    return re.sub(r"[\s-]+", "", text or "").upper()


def find_by_code(text: str) -> Cohort | None:
    """The cohort whose join code this is, whatever the case and spacing."""
    code = normalise_code(text)
    return db.session.scalar(select(Cohort).where(Cohort.join_code == code)) if code else None


def is_member(cohort_id: int, user_id: int) -> bool:
    """Whether the person is already enrolled in the cohort."""
    return db.session.scalar(
        select(Membership.id).where(Membership.cohort_id == cohort_id, Membership.user_id == user_id)
    ) is not None


def join(cohort: Cohort, user: User) -> bool:
    """Enrol a person who has the code; True when newly enrolled, False when they already were.

    A person with no organisation joins the cohort's; one with an organisation keeps it (they chose to join).
    """
    if cohort.archived_at is not None:
        raise CohortError("archived")
    if is_member(cohort.id, user.id):
        return False
    if user.organisation_id is None:
        user.organisation_id = cohort.organisation_id
    try:
        with db.session.begin_nested():  # a double click may insert the same row first: that one counts
            db.session.add(Membership(cohort_id=cohort.id, user_id=user.id))
    except IntegrityError:
        return False
    return True


def parse_usernames(text: str) -> list[str]:
    """Usernames separated by commas, semicolons, spaces or new lines; lowercased, each once, in order."""
    return list(dict.fromkeys(name.lower() for name in USERNAME_SEPARATORS.split(text or "") if name))


@dataclass
class EnrolResult:
    """What enrolling a list of usernames did."""

    enrolled: list[User] = field(default_factory=list)
    already: list[User] = field(default_factory=list)


def enrol_usernames(cohort: Cohort, names: list[str]) -> EnrolResult:
    """Enrol every named account, or nobody when one is unknown or belongs to another organisation.

    People from another organisation are refused: they may be enrolled only while they have none,
    and then they join this cohort's organisation.
    """
    users = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))}
    unknown = tuple(n for n in names if n not in users)
    if unknown:
        raise CohortError("unknown", unknown)
    foreign = tuple(n for n in names if users[n].organisation_id not in (None, cohort.organisation_id))
    if foreign:
        raise CohortError("other-organisation", foreign)
    staff = tuple(n for n in names if users[n].role != "trainee")
    if staff:  # a trainer on a roster would count as a trainee in every report
        raise CohortError("staff", staff)
    members = set(db.session.scalars(select(Membership.user_id).where(Membership.cohort_id == cohort.id)))
    result = EnrolResult()
    for name in names:
        user = users[name]
        if user.id in members:
            result.already.append(user)
            continue
        user.organisation_id = cohort.organisation_id
        db.session.add(Membership(cohort_id=cohort.id, user_id=user.id))
        result.enrolled.append(user)
    return result


def remove_member(cohort: Cohort, user_id: int) -> bool:
    """Take a person out of a cohort (their attendance and skills stay recorded); True when they were in it."""
    return db.session.execute(
        delete(Membership).where(Membership.cohort_id == cohort.id, Membership.user_id == user_id)
    ).rowcount > 0


def members_of(cohort: Cohort) -> list[User]:
    """The cohort's trainees, by name."""
    query = select(User).join(Membership, Membership.user_id == User.id).where(Membership.cohort_id == cohort.id)
    return sorted(db.session.scalars(query), key=lambda u: (name_key(u.name), u.id))


def member_counts(cohort_ids: list[int]) -> dict[int, int]:
    """How many trainees each cohort has, in one query."""
    query = (select(Membership.cohort_id, func.count()).where(Membership.cohort_id.in_(cohort_ids))
             .group_by(Membership.cohort_id))
    return dict(db.session.execute(query).all()) if cohort_ids else {}


def remove_session(cohort: Cohort, session_id: int) -> bool:
    """Remove a session date added by mistake (False: no such date); refused once anyone is ticked present at it."""
    session = db.session.scalar(select(CohortSession).where(CohortSession.id == session_id,
                                                            CohortSession.cohort_id == cohort.id))
    if session is None:
        return False
    if db.session.scalar(select(Attendance.user_id).where(Attendance.session_id == session.id).limit(1)) is not None:
        raise CohortError("has-attendance")  # ticks are a record of who was there: they are undone one by one
    db.session.delete(session)
    return True


def add_session(cohort: Cohort, held_on: date) -> CohortSession:
    """A new session date; the same date twice is refused."""
    if db.session.scalar(select(CohortSession.id).where(CohortSession.cohort_id == cohort.id,
                                                        CohortSession.held_on == held_on)):
        raise CohortError("duplicate-date")
    session = CohortSession(cohort_id=cohort.id, held_on=held_on)
    db.session.add(session)
    return session


def sessions_of(cohort: Cohort) -> list[CohortSession]:
    """The cohort's session dates, oldest first."""
    return list(db.session.scalars(select(CohortSession).where(CohortSession.cohort_id == cohort.id)
                                   .order_by(CohortSession.held_on)))


def save_attendance(cohort: Cohort, present: set[tuple[int, int]], by: User, now: datetime) -> None:
    """Make the table say exactly who was present at each session (pairs of session id and trainee id)."""
    session_ids = [s.id for s in sessions_of(cohort)]
    member_ids = {u.id for u in members_of(cohort)}
    present = {(s, u) for s, u in present if s in session_ids and u in member_ids}
    rows = db.session.scalars(select(Attendance).where(Attendance.session_id.in_(session_ids),
                                                       Attendance.user_id.in_(member_ids)))
    recorded = set()
    for row in rows:
        if (row.session_id, row.user_id) in present:
            recorded.add((row.session_id, row.user_id))
        else:
            db.session.delete(row)
    db.session.add_all(Attendance(session_id=s, user_id=u, recorded_by_id=by.id, recorded_at=now)
                       for s, u in present - recorded)


def attendance_of(cohort: Cohort, session_ids: list[int]) -> dict[tuple[int, int], Attendance]:
    """Who was present at each of these sessions, keyed by (session id, trainee id), in one query."""
    rows = db.session.scalars(select(Attendance).where(Attendance.session_id.in_(session_ids)))
    return {(row.session_id, row.user_id): row for row in rows}


def skill_ids(programme_slug: str) -> list[str]:
    """The ids of a programme's practical skills checklist (none for an unknown programme)."""
    programme = catalog().programmes.get(programme_slug)
    return [skill["id"] for skill in programme.skills] if programme else []


def save_skills(cohort: Cohort, signed: set[tuple[int, str]], by: User, now: datetime) -> None:
    """Make the checklist say exactly which items are signed for each trainee; earlier signatures keep their signer."""
    items = set(skill_ids(cohort.programme_slug))
    member_ids = {u.id for u in members_of(cohort)}
    signed = {(u, s) for u, s in signed if u in member_ids and s in items}
    rows = db.session.scalars(select(SkillCheck).where(SkillCheck.programme_slug == cohort.programme_slug,
                                                       SkillCheck.user_id.in_(member_ids)))
    kept = set()
    for row in rows:
        if (row.user_id, row.skill_id) in signed:
            kept.add((row.user_id, row.skill_id))
        elif row.skill_id in items:
            db.session.delete(row)
    db.session.add_all(SkillCheck(user_id=u, programme_slug=cohort.programme_slug, skill_id=s,
                                  signed_by_id=by.id, signed_at=now) for u, s in signed - kept)


def skill_checks_of(cohort: Cohort, member_ids: list[int]) -> dict[tuple[int, str], tuple[SkillCheck, str]]:
    """Signed items of the cohort's programme with the signer's name, keyed by (trainee id, skill id)."""
    signer = aliased(User)
    query = (select(SkillCheck, signer).outerjoin(signer, signer.id == SkillCheck.signed_by_id)
             .where(SkillCheck.programme_slug == cohort.programme_slug, SkillCheck.user_id.in_(member_ids)))
    return {(check.user_id, check.skill_id): (check, by.name if by else "—")
            for check, by in db.session.execute(query).all()}
