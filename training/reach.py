"""Each trainer's reach: the people who joined their cohorts in the period, and what followed for them.

Cascade programmes (Treatnet, S-O-S) report how many people each trainer trained and how those people did. A person
in two cohorts of one trainer counts once for that trainer; a cohort with two trainers counts for both, so the rows
need not add up to the report's total, and the table has none.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from training import report_tables, stats
from training.cohorts import Cohort, CohortTrainer, Membership
from training.collation import name_key
from training.models import User

# The programme whose certificate qualifies someone to train others (a slug is never renamed: programmes.yaml).
TRAINER_PROGRAMME = "naloxone-trainer"


@dataclass(frozen=True)
class Reach:
    """One trainer's figures before small counts are hidden."""

    trainer: User
    cohorts: int
    totals: stats.Totals
    qualified_until: date | None  # the end of their latest trainer certificate, if they hold one


def reached_query(f: stats.Filters):
    """(trainer, person, cohort) for every trainee who joined a matching cohort in the period."""
    query = select(CohortTrainer.user_id.label("trainer_id"), Membership.user_id.label("person_id"),
                   Membership.cohort_id.label("cohort_id")).join(
        Membership, Membership.cohort_id == CohortTrainer.cohort_id).join(
        Cohort, Cohort.id == CohortTrainer.cohort_id).where(
        Membership.joined_at >= f.since, Membership.joined_at < f.until)
    if f.organisation_ids is not None:
        query = query.where(Cohort.organisation_id.in_(f.organisation_ids))
    if f.programme:
        query = query.where(Cohort.programme_slug == f.programme)
    if f.cohort_id is not None:
        query = query.where(Cohort.id == f.cohort_id)
    return query.subquery("reached")


def trainer_reach(session: Session, f: stats.Filters) -> list[Reach]:
    """Every trainer with someone reached, most people first: four statements whatever the data size."""
    reached = reached_query(f)
    pairs = select(reached.c.trainer_id, reached.c.person_id).distinct().subquery("pairs")
    people, quizzes = stats.people_query(f), stats.attempts_query(f)  # the same people and figures as the report
    statement = select(  # the columns of stats.Totals, in its order, as stats.group_totals counts them
        pairs.c.trainer_id, func.count(), func.sum(people.c.certified),
        func.count(quizzes.c.submitted).filter(quizzes.c.submitted > 0),
        func.coalesce(func.sum(quizzes.c.submitted), 0), func.coalesce(func.sum(quizzes.c.passed), 0),
        func.count(quizzes.c.gain), func.coalesce(func.sum(quizzes.c.gain), 0),
        func.sum(people.c.given), func.sum(people.c.carrying),
    ).select_from(pairs).join(people, people.c.id == pairs.c.person_id).outerjoin(
        quizzes, quizzes.c.user_id == pairs.c.person_id).group_by(pairs.c.trainer_id)
    totals = {}
    for trainer_id, *counts, gain_sum, given, carrying in session.execute(statement):
        totals[trainer_id] = stats.Totals(*(int(v or 0) for v in counts), float(gain_sum or 0), int(given or 0),
                                          int(carrying or 0))
    if not totals:
        return []
    cohorts = dict(session.execute(select(reached.c.trainer_id, func.count(reached.c.cohort_id.distinct()))
                                   .group_by(reached.c.trainer_id)).all())
    trainers = session.scalars(select(User).where(User.id.in_(totals)))
    credentials = trainer_credentials(session, list(totals))
    reach = [Reach(t, cohorts.get(t.id, 0), totals[t.id], credentials.get(t.id)) for t in trainers]
    return sorted(reach, key=lambda r: (-r.totals.people, name_key(r.trainer.name)))


def trainer_credentials(session: Session, trainer_ids: list[int]) -> dict[int, date]:
    """When each trainer's latest unrevoked trainer certificate ends (cascade programmes re-qualify trainers)."""
    c = stats.certificate
    query = select(c.c.user_id, func.max(c.c.expires_on)).where(
        c.c.user_id.in_(trainer_ids), c.c.programme_slug == TRAINER_PROGRAMME, c.c.revoked_at.is_(None),
    ).group_by(c.c.user_id)
    return dict(session.execute(query).all())


def reach_rows(reach: list[Reach]) -> list[dict]:
    """One row per trainer with small counts hidden column by column, as in the report's other tables."""
    rows = report_tables.split_rows({str(r.trainer.id): r.totals for r in reach})[:-1]  # no total: see above
    for row, r in zip(rows, reach, strict=True):
        row.update(trainer=r.trainer.name, cohorts=r.cohorts, qualified_until=r.qualified_until)
    return rows
