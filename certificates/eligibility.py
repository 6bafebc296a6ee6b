"""What a person still lacks for a programme's certificate, its renewal, and a certificate's standing.

The decisions are plain functions over `Facts`; `load_facts` is the one place that reads the database for them.
"""
import calendar
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from app import db
from certificates.models import Certificate
from quizzes.models import QuizAttempt
from training.cohorts import Cohort, Membership, SkillCheck
from training.content import Catalog, Programme
from training.models import ModuleProgress

IN_PERSON = ("in-person", "blended")
RENEWAL_WINDOW_DAYS = 60  # a certificate this close to expiry can be renewed, and its holder is reminded


@dataclass(frozen=True)
class Missing:
    """One requirement not met: kind is module, final, skill, prerequisite or refresh-module."""

    kind: str
    slug: str


@dataclass(frozen=True)
class Facts:
    """What is known about one person's learning, as loaded from the database."""

    completed: frozenset[str] = frozenset()  # modules completed
    module_versions: dict[str, str] = field(default_factory=dict)  # module -> content version last read
    final_passes: dict[str, tuple[datetime, ...]] = field(default_factory=dict)  # programme -> when passed
    skills: dict[str, frozenset[str]] = field(default_factory=dict)  # programme -> skill ids signed off
    in_person: frozenset[str] = frozenset()  # programmes of an in-person or blended cohort they belong to
    current: dict[str, Certificate] = field(default_factory=dict)  # programme -> current certificate
    cohort_organisations: dict[str, int] = field(default_factory=dict)  # programme -> a cohort's organisation
    revoked: frozenset[str] = frozenset()  # programmes with a revoked certificate: only a coordinator re-awards


def add_months(day: date, months: int) -> date:
    """The same day some months later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def status(certificate: Certificate, today: date) -> str:
    """Whether a certificate is valid, expired, revoked, superseded or withdrawn today."""
    if certificate.withdrawn_at:
        return "withdrawn"
    if certificate.revoked_at:
        return "revoked"
    if certificate.superseded_at:
        return "superseded"
    return "expired" if certificate.expires_on < today else "valid"


def is_due_for_renewal(certificate: Certificate, today: date) -> bool:
    """Whether a certificate has expired or expires within the renewal window."""
    state = status(certificate, today)
    return state == "expired" or (state == "valid" and (certificate.expires_on - today).days <= RENEWAL_WINDOW_DAYS)


def skills_required(programme: Programme, in_person: bool) -> bool:
    """Whether the practical checklist must be signed off: always, or when the person trains in person."""
    return programme.skills_check == "always" or (programme.skills_check == "in-person" and in_person)


def missing(programme: Programme, facts: Facts, today: date) -> list[Missing]:
    """Every requirement of a first certificate this person has not met yet, in the programme's order."""
    lacking = [Missing("module", slug) for slug in programme.modules if slug not in facts.completed]
    if not facts.final_passes.get(programme.slug):
        lacking.append(Missing("final", programme.slug))
    if skills_required(programme, programme.slug in facts.in_person):
        signed = facts.skills.get(programme.slug, frozenset())
        lacking += [Missing("skill", skill["id"]) for skill in programme.skills if skill["id"] not in signed]
    if programme.requires_any and not any(
        slug in facts.current and status(facts.current[slug], today) == "valid" for slug in programme.requires_any
    ):
        lacking.append(Missing("prerequisite", " ".join(programme.requires_any)))
    return lacking


def refresh_missing(programme: Programme, content: Catalog, facts: Facts, held: Certificate) -> list[Missing]:
    """What a holder lacks for a refresher: a final passed after the certificate, and every changed module re-read."""
    lacking = []
    for slug in programme.modules:
        version = content.modules[slug].version
        if held.content_versions.get(slug) != version and facts.module_versions.get(slug) != version:
            lacking.append(Missing("refresh-module", slug))
    if not any(passed > held.issued_at for passed in facts.final_passes.get(programme.slug, ())):
        lacking.append(Missing("final", programme.slug))
    return lacking


def load_facts(user_id: int) -> Facts:
    """Read everything the decisions above need about one person, in a fixed handful of queries."""
    progress = db.session.execute(
        select(ModuleProgress.module_slug, ModuleProgress.content_version, ModuleProgress.completed_at)
        .where(ModuleProgress.user_id == user_id)
    ).all()
    finals: dict[str, list[datetime]] = {}
    for target, when in db.session.execute(
        select(QuizAttempt.target, QuizAttempt.submitted_at)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.kind == "final", QuizAttempt.passed.is_(True))
    ):
        finals.setdefault(target, []).append(when)
    skills: dict[str, set[str]] = {}
    for programme_slug, skill_id in db.session.execute(
        select(SkillCheck.programme_slug, SkillCheck.skill_id).where(SkillCheck.user_id == user_id)
    ):
        skills.setdefault(programme_slug, set()).add(skill_id)
    cohorts = db.session.execute(
        select(Cohort.programme_slug, Cohort.delivery, Cohort.organisation_id)
        .join(Membership, Membership.cohort_id == Cohort.id).where(Membership.user_id == user_id)
    ).all()
    held = list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)))
    return Facts(
        completed=frozenset(slug for slug, _v, done in progress if done),
        module_versions={slug: version for slug, version, _d in progress},
        final_passes={target: tuple(times) for target, times in finals.items()},
        skills={slug: frozenset(ids) for slug, ids in skills.items()},
        in_person=frozenset(slug for slug, delivery, _o in cohorts if delivery in IN_PERSON),
        current={c.programme_slug: c for c in held if c.current_key},
        cohort_organisations={slug: org for slug, _d, org in cohorts},
        revoked=frozenset(c.programme_slug for c in held if c.revoked_at),
    )
