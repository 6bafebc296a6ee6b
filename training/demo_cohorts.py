"""Demo cohorts for `make run`: one per demo organisation, with trainees, a session and some skills signed."""
from datetime import date, timedelta

from sqlalchemy import select

from app import db
from training.cohorts import Attendance, Cohort, CohortSession, Membership, SkillCheck
from training.content import catalog
from training.demo import DEMO_PASSWORD, ORGANISATIONS, ensure_organisation
from training.models import User, utcnow

# Display names in Latin, Cyrillic and Arabic script, so every page is tried with all three.
TRAINEES = (
    {"username": "aigul", "display_name": "Айгуль", "language": "ru", "org": 0, "audience": "peer"},
    {"username": "maria", "display_name": "María", "language": "es", "org": 0, "audience": "family"},
    {"username": "fatima", "display_name": "فاطمة", "language": "ar", "org": 0, "audience": "responder"},
    {"username": "oksana", "display_name": "Оксана", "language": "uk", "org": 1, "audience": "provider"},
    {"username": "jean", "display_name": "Jean", "language": "fr", "org": 1, "audience": "provider"},
)
COHORTS = (
    {"name": "Bishkek outreach, spring (demo)", "org": 0, "trainer": "trainer", "programme": "community-response",
     "language": "ru", "delivery": "in-person", "location": "Drop-in centre, Bishkek", "region": "Chui",
     "members": ("trainee", "aigul", "maria", "fatima")},
    {"name": "Kyiv service providers (demo)", "org": 1, "trainer": "trainer2", "programme": "service-providers",
     "language": "uk", "delivery": "blended", "location": "Kyiv Community Health", "region": "Kyiv",
     "members": ("oksana", "jean")},
)


def ensure_trainee(spec: dict, orgs: list) -> User:
    """Return the demo trainee, creating them the first time."""
    user = db.session.scalar(select(User).where(User.username == spec["username"]))
    if user is None:
        fields = {k: v for k, v in spec.items() if k != "org"}
        user = User(**fields, role="trainee", organisation=orgs[spec["org"]])
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


def ensure_cohort(spec: dict, orgs: list, people: dict[str, User]) -> Cohort | None:
    """Create the demo cohort with its members, a session with attendance and some skills; None if it exists."""
    if db.session.scalar(select(Cohort.id).where(Cohort.name == spec["name"])) or spec["trainer"] not in people:
        return None
    trainer = people[spec["trainer"]]
    start = date.today() - timedelta(days=7)
    cohort = Cohort(organisation_id=orgs[spec["org"]].id, name=spec["name"], programme_slug=spec["programme"],
                    language=spec["language"], delivery=spec["delivery"], starts_on=start,
                    ends_on=start + timedelta(days=1), location=spec["location"], region=spec["region"])
    cohort.trainers = [trainer]
    db.session.add(cohort)
    db.session.flush()
    members = [people[name] for name in spec["members"] if name in people]
    db.session.add_all(Membership(cohort_id=cohort.id, user_id=m.id) for m in members)
    session = CohortSession(cohort_id=cohort.id, held_on=start)
    db.session.add(session)
    db.session.flush()
    now = utcnow()
    db.session.add_all(Attendance(session_id=session.id, user_id=m.id, recorded_by_id=trainer.id, recorded_at=now)
                       for m in members[:-1])  # the last one missed the day
    items = [skill["id"] for skill in catalog().programmes[spec["programme"]].skills]
    signed = db.session.scalars(select(SkillCheck.skill_id).where(SkillCheck.user_id == members[0].id,
                                                                  SkillCheck.programme_slug == spec["programme"]))
    missing = [item for item in items[:3] if item not in set(signed)]
    db.session.add_all(SkillCheck(user_id=members[0].id, programme_slug=spec["programme"], skill_id=item,
                                  signed_by_id=trainer.id, signed_at=now) for item in missing)
    return cohort


def load_demo_cohorts() -> int:
    """Create whatever demo cohorts are missing (run after load_demo); return how many were added."""
    orgs = [ensure_organisation(fields) for fields in ORGANISATIONS]
    for spec in TRAINEES:
        ensure_trainee(spec, orgs)
    names = {name for spec in COHORTS for name in (spec["trainer"], *spec["members"])}
    people = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))}
    added = sum(ensure_cohort(spec, orgs, people) is not None for spec in COHORTS)
    db.session.commit()
    return added
