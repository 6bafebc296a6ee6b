"""Funder figures: the SQL that counts people per group, over the finest cells.

Every figure is aggregated in the database with GROUP BY over the finest cells (sex × age band × audience × region),
so a report costs the same three statements whatever the data size; training.report_tables adds up those few cells
and hides the small ones.
"""
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from sqlalchemy import Boolean, Date, DateTime, Integer, String, and_, case, column, exists, func, or_, select, table
from sqlalchemy.orm import Session

from training.cohorts import Cohort, Membership
from training.fieldwork import FollowUp, KitHandout, OverdoseReport
from training.models import ModuleProgress, User

# `training` must never import `quizzes` or `certificates` (dependencies point certificates → quizzes → training),
# so their tables are described here by name, with only the columns the reports read.
quiz_attempt = table("quiz_attempt", column("user_id", Integer), column("kind", String), column("target", String),
                     column("score", Integer), column("passed", Boolean), column("submitted_at", DateTime))
certificate = table("certificate", column("id", Integer), column("supersedes_id", Integer), column("user_id", Integer),
                    column("programme_slug", String), column("organisation_id", Integer), column("issued_at", DateTime),
                    column("expires_on", Date), column("revoked_at", DateTime))

UNKNOWN = "unknown"  # "prefer not to say": a NULL in the database, a group of its own in every table
DIMENSIONS = ("sex", "age_band", "audience", "region")


@dataclass(frozen=True)
class Filters:
    """A validated report request: the period (inclusive dates), the organisations and optional narrowing."""

    start: date
    end: date
    organisation_ids: tuple[int, ...] | None  # None: every organisation (admins only)
    programme_modules: tuple[str, ...] | None = None  # the chosen programme's module slugs
    programme: str | None = None
    cohort_id: int | None = None
    region: str | None = None
    audience: str | None = None
    sex: str | None = None
    age_band: str | None = None

    @property
    def since(self) -> datetime:
        """The first instant of the period."""
        return datetime.combine(self.start, time.min)

    @property
    def until(self) -> datetime:
        """The first instant after the period."""
        return datetime.combine(self.end + timedelta(days=1), time.min)


@dataclass(frozen=True)
class Totals:
    """Counts for one group of people; adding two groups adds every count."""

    people: int = 0
    certified: int = 0
    finalists: int = 0  # people who submitted a final assessment in the period
    submitted: int = 0
    passed: int = 0
    gainers: int = 0  # people with both a pre-test and a final
    gain_sum: float = 0.0
    given: int = 0
    carrying: int = 0
    kits: int = 0
    kit_recipients: int = 0

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def person_filter(f: Filters, user=User) -> list:
    """Conditions on a person's own fields: organisation, region, audience, sex and age band."""
    conditions = [] if f.organisation_ids is None else [user.organisation_id.in_(f.organisation_ids)]
    for name in ("region", "audience", "sex", "age_band"):
        value = getattr(f, name)
        if value is not None:
            conditions.append(getattr(user, name).is_(None) if value == UNKNOWN else getattr(user, name) == value)
    return conditions


def trained_condition(f: Filters):
    """Enrolled in a (matching) cohort or started a (matching) module during the period."""
    enrolled = select(Membership.id).join(Cohort, Cohort.id == Membership.cohort_id).where(
        Membership.user_id == User.id, Membership.joined_at >= f.since, Membership.joined_at < f.until)
    started = select(ModuleProgress.id).where(
        ModuleProgress.user_id == User.id, ModuleProgress.started_at >= f.since, ModuleProgress.started_at < f.until)
    if f.programme:
        enrolled = enrolled.where(Cohort.programme_slug == f.programme)
        started = started.where(ModuleProgress.module_slug.in_(f.programme_modules or ()))
    condition = or_(exists(enrolled), exists(started))
    if f.cohort_id is not None:
        member = select(Membership.id).where(Membership.user_id == User.id, Membership.cohort_id == f.cohort_id)
        condition = and_(exists(member), or_(exists(enrolled.where(Cohort.id == f.cohort_id)), exists(started)))
    return condition


def flag(condition) -> case:
    """1 when the condition holds, else 0, so that SUM counts people."""
    return case((condition, 1), else_=0)


def people_query(f: Filters):
    """One row per trained person: their groups and 0/1 flags for every step they reached."""
    # Each step is a set of user ids computed once and joined (a hash join), never a lookup per person.
    # A reissue (a corrected copy: same programme and expiry as the certificate it replaces) is not a new
    # certification, so only the first copy counts, in the period it was issued; renewals count again.
    c, replaced = certificate, certificate.alias("replaced")
    certified = select(c.c.user_id).distinct().select_from(
        c.outerjoin(replaced, replaced.c.id == c.c.supersedes_id)).where(
        c.c.issued_at >= f.since, c.c.issued_at < f.until, c.c.revoked_at.is_(None),
        or_(replaced.c.id.is_(None), replaced.c.expires_on != c.c.expires_on,
            replaced.c.programme_slug != c.c.programme_slug),
        *([c.c.programme_slug == f.programme] if f.programme else [])).subquery("certified")
    given = select(KitHandout.user_id).distinct().where(
        KitHandout.user_id.is_not(None), KitHandout.handed_out_on <= f.end).subquery("given")
    # Carrying now = the latest answered follow-up said yes: its time equals the time of the latest "yes".
    answers = select(FollowUp.user_id, func.max(FollowUp.answered_at).label("last"), func.max(
        case((FollowUp.carries_naloxone.is_(True), FollowUp.answered_at))).label("last_yes")).where(
        FollowUp.answered_at.is_not(None), FollowUp.answered_at < f.until).group_by(FollowUp.user_id).subquery()
    carrying = select(answers.c.user_id).where(answers.c.last_yes == answers.c.last).subquery("carrying")
    has_kit = given.c.user_id.is_not(None)
    return select(User.id, User.sex, User.age_band, User.audience, User.region,
                  flag(certified.c.user_id.is_not(None)).label("certified"), flag(has_kit).label("given"),
                  flag(and_(has_kit, carrying.c.user_id.is_not(None))).label("carrying")).outerjoin(
        certified, certified.c.user_id == User.id).outerjoin(given, given.c.user_id == User.id).outerjoin(
        carrying, carrying.c.user_id == User.id).where(
        User.role == "trainee", trained_condition(f), *person_filter(f)).subquery("people")


def attempts_query(f: Filters):
    """Per person, in one pass over the attempts: finals submitted and passed in the period, and mean gain."""
    qa = quiz_attempt
    final, in_period = qa.c.kind == "final", and_(qa.c.submitted_at >= f.since, qa.c.submitted_at < f.until)
    per_quiz = select(
        qa.c.user_id, func.sum(flag(and_(final, in_period))).label("submitted"),
        func.sum(flag(and_(final, in_period, qa.c.passed.is_(True)))).label("passed"),
        func.max(case((and_(final, qa.c.submitted_at < f.until), qa.c.score))).label("best"),
        func.max(case((qa.c.kind == "pre", qa.c.score))).label("pre"),
    ).where(qa.c.kind.in_(("pre", "final")), qa.c.submitted_at.is_not(None),
            *([qa.c.target == f.programme] if f.programme else [])).group_by(qa.c.user_id, qa.c.target).subquery()
    return select(  # a pre-test or final of another programme does not make a gain: both must share a target
        per_quiz.c.user_id, func.sum(per_quiz.c.submitted).label("submitted"),
        func.sum(per_quiz.c.passed).label("passed"), func.avg(per_quiz.c.best - per_quiz.c.pre).label("gain"),
    ).group_by(per_quiz.c.user_id).subquery("quizzes")


def group_totals(session: Session, f: Filters) -> dict[tuple, Totals]:
    """Totals per (sex, age band, audience, region) cell, computed by one GROUP BY statement."""
    people = people_query(f)
    quizzes = attempts_query(f)
    keys = (people.c.sex, people.c.age_band, people.c.audience, people.c.region)
    statement = select(*keys, func.count(), func.sum(people.c.certified), func.count(quizzes.c.submitted).filter(
                           quizzes.c.submitted > 0), func.coalesce(func.sum(quizzes.c.submitted), 0),
                       func.coalesce(func.sum(quizzes.c.passed), 0), func.count(quizzes.c.gain),
                       func.coalesce(func.sum(quizzes.c.gain), 0), func.sum(people.c.given),
                       func.sum(people.c.carrying)).select_from(people).outerjoin(
        quizzes, quizzes.c.user_id == people.c.id).group_by(*keys)
    result: dict[tuple, Totals] = {}
    for row in session.execute(statement):
        key = tuple(value or UNKNOWN for value in row[:4])
        counts = [int(v or 0) for v in row[4:]]
        counts[6] = float(row[10] or 0)
        result[key] = result.get(key, Totals()) + Totals(*counts)
    return result


def handed_out_in(cohort_ids):
    """A hand-out recorded for one of these cohorts, or recorded without a cohort to a member of one of them."""
    # The ledger's own hand-out form names no cohort: a kit given to a trainee there still counts for their cohort.
    member = select(Membership.id).where(Membership.user_id == KitHandout.user_id, Membership.cohort_id.in_(cohort_ids))
    return or_(KitHandout.cohort_id.in_(cohort_ids), and_(KitHandout.cohort_id.is_(None), exists(member)))


def kit_totals(session: Session, f: Filters) -> tuple[dict[tuple, Totals], Totals]:
    """Kits handed out in the period per recipient's cell, and to walk-ins (who have no groups)."""
    walk_in = KitHandout.user_id.is_(None)
    keys = (User.sex, User.age_band, User.audience, User.region)
    statement = select(walk_in.label("walk_in"), *keys, func.sum(KitHandout.quantity), func.count(KitHandout.id),
                       func.count(KitHandout.user_id.distinct())).outerjoin(User, User.id == KitHandout.user_id)
    statement = statement.where(KitHandout.handed_out_on >= f.start, KitHandout.handed_out_on <= f.end)
    if f.organisation_ids is not None:
        statement = statement.where(KitHandout.organisation_id.in_(f.organisation_ids))
    if f.cohort_id is not None:
        statement = statement.where(handed_out_in(select(Cohort.id).where(Cohort.id == f.cohort_id)))
    if f.programme:
        statement = statement.where(handed_out_in(select(Cohort.id).where(Cohort.programme_slug == f.programme)))
    personal = person_filter(f)[0 if f.organisation_ids is None else 1:]
    if personal:  # walk-ins have no sex, age or region, so a filter on people leaves them out
        statement = statement.where(~walk_in, *personal)
    cells: dict[tuple, Totals] = {}
    walk_ins = Totals()
    for row in session.execute(statement.group_by(walk_in, *keys)):
        if row[0]:
            walk_ins += Totals(kits=int(row[5] or 0), kit_recipients=int(row[6]))
        else:
            key = tuple(value or UNKNOWN for value in row[1:5])
            cells[key] = cells.get(key, Totals()) + Totals(kits=int(row[5] or 0), kit_recipients=int(row[7]))
    return cells, walk_ins


def overdose_totals(session: Session, f: Filters) -> dict[tuple[str, bool], int]:
    """Overdose responses in the period per (outcome, naloxone given): reports are anonymous, so no groups."""
    statement = select(OverdoseReport.outcome, OverdoseReport.naloxone_given, func.count()).where(
        OverdoseReport.occurred_on >= f.start, OverdoseReport.occurred_on <= f.end)
    if f.organisation_ids is not None:
        statement = statement.where(OverdoseReport.organisation_id.in_(f.organisation_ids))
    if f.region is not None:
        statement = statement.where(OverdoseReport.region.is_(None) if f.region == UNKNOWN
                                    else OverdoseReport.region == f.region)
    statement = statement.group_by(OverdoseReport.outcome, OverdoseReport.naloxone_given)
    return {(outcome, bool(given)): count for outcome, given, count in session.execute(statement)}
