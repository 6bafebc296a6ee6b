"""Demo data for `make run`: organisations and one account per role, created only when missing."""
from sqlalchemy import select

from app import db
from training.models import Organisation, User

DEMO_PASSWORD = "naloxone-demo-2026"  # noqa: S105 - printed in the README; demo installations only
ORGANISATIONS = (
    {"name": "Bishkek Harm Reduction Network (demo)", "country": "Kyrgyzstan", "emergency_number": "103",
     "signatory_name": "Aida Toktogulova", "signatory_title": "Programme coordinator",
     "signatory_titles": {"fr": "Coordinatrice du programme", "ru": "Координатор программы",
                          "uk": "Координаторка програми", "es": "Coordinadora del programa",
                          "ar": "منسّقة البرنامج"}},
    {"name": "Kyiv Community Health (demo)", "country": "Ukraine", "emergency_number": "103",
     "signatory_name": "Olena Kovalenko", "signatory_title": "Training lead",
     "signatory_titles": {"uk": "Керівниця навчання", "ru": "Руководитель обучения"}},
)
ACCOUNTS = (
    {"username": "trainee", "role": "trainee", "display_name": "Sam", "language": "en", "org": 0,
     "audience": "peer", "sex": "male", "age_band": "25-34", "region": "Bishkek"},
    {"username": "trainer", "role": "trainer", "display_name": "Nurlan (trainer)", "language": "en", "org": 0},
    {"username": "coordinator", "role": "coordinator", "display_name": "Aida", "language": "en", "org": 0},
    {"username": "admin", "role": "admin", "display_name": "Admin", "language": "en", "org": None},
    {"username": "trainer2", "role": "trainer", "display_name": "Taras", "language": "uk", "org": 1},
    {"username": "coordinator2", "role": "coordinator", "display_name": "Olena", "language": "uk", "org": 1},
)


def ensure_organisation(fields: dict) -> Organisation:
    """Return the named organisation, creating it the first time."""
    org = db.session.scalar(select(Organisation).where(Organisation.name == fields["name"]))
    if org is None:
        org = Organisation(**fields)
        db.session.add(org)
        db.session.flush()
    return org


def load_demo() -> int:
    """Create whatever demo rows are missing; return how many accounts were added."""
    orgs = [ensure_organisation(fields) for fields in ORGANISATIONS]
    added = 0
    for spec in ACCOUNTS:
        fields = dict(spec)
        org_index = fields.pop("org")
        if db.session.scalar(select(User.id).where(User.username == fields["username"])):
            continue
        user = User(**fields, organisation=orgs[org_index] if org_index is not None else None)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        added += 1
    db.session.commit()
    return added
