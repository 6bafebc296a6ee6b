"""The reports bench data set: one organisation, 20,000 trainees, 200 cohorts, 400,000 quiz attempts and field records.

Run: .venv/bin/python bench/seed.py --database-url sqlite:////tmp/bench.sqlite   (or postgresql+psycopg://...)
or call `seed(connection)` from a benchmark. Rows go in with executemany batches, so it takes seconds, not hours.
"""
import random
import secrets
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import click  # noqa: E402
from sqlalchemy import Connection, insert, select, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

ORGANISATION = "Bench organisation"
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway bench account
TRAINEES = 20_000
COHORTS = 200
BIG_COHORT = 500
BATCH = 5_000
REGIONS = ("Almaty", "Bishkek", "Dushanbe", "Kyiv", "Osh", "Shymkent", "Kharkiv", "Lviv", None)
SEXES = ("female", "male", "other", None)
AGES = ("under-18", "18-24", "25-34", "35-44", "45-54", "55-plus", None)
AUDIENCES = ("peer", "family", "responder", "provider", None)
PROGRAMME = "community-response"
MODULES = ("opioids-and-overdose", "recognising-an-overdose", "responding-step-by-step", "naloxone",
           "after-naloxone", "myths-and-mistakes", "rights-and-community", "situations-that-need-care")


def batched(rows: Iterator[dict], size: int = BATCH) -> Iterator[list[dict]]:
    """Cut a stream of rows into lists for executemany."""
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def when(rng: random.Random, today: date) -> datetime:
    """A moment in the last eleven months, so the default 12-month report sees it."""
    return datetime.combine(today, datetime.min.time()) - timedelta(minutes=rng.randrange(60, 330 * 24 * 60))


def answer(rng: random.Random, question) -> list[str] | dict[str, list[str]]:
    """A stored answer to a question: right seven times in ten, else a wrong option (or the steps reversed)."""
    if question.parts:
        return {part.id: answer(rng, part) for part in question.parts}
    if rng.random() < 0.7:
        return list(question.answer)
    if question.kind == "ordering":
        return list(reversed(question.answer))
    return [rng.choice([c for c in question.choices if c not in question.answer] or list(question.choices))]


def answered(rng: random.Random, slugs: tuple[str, ...], draw: int) -> dict:
    """The drawn questions of an attempt and the answers given, as the site stores them."""
    from quizzes.attempts import bank_of

    pool = [q for slug in slugs for q in bank_of(slug).questions]
    drawn = rng.sample(pool, min(draw, len(pool)))
    return {"questions": [q.id for q in drawn], "answers": {q.id: answer(rng, q) for q in drawn}}


def attempts(rng: random.Random, user_ids: list[int], joined: dict[int, datetime],
             with_answers: set[int] = frozenset()) -> Iterator[dict]:
    """20 submitted attempts a trainee: one pre-test, two per module quiz, three finals that improve.

    Trainees in `with_answers` have the questions drawn and the answers given, as the difficult-questions page
    reads them; the others only scores, which is all the reports read.
    """
    common = {"language": "en", "seed": 1, "questions": [], "answers": None, "options": {}, "rules": {},
              "content_versions": {}}

    def detail(slugs: tuple[str, ...], draw: int, uid: int) -> dict:
        return answered(rng, slugs, draw) if uid in with_answers else {}

    for uid in user_ids:
        at = joined[uid]
        pre = rng.randint(20, 70)
        yield {**common, "user_id": uid, "kind": "pre", "target": PROGRAMME, "score": pre, "passed": pre >= 80,
               "started_at": at, "submitted_at": at, **detail(MODULES, 16, uid)}
        for module in MODULES:
            for _ in range(2):
                score = rng.randint(50, 100)
                yield {**common, "user_id": uid, "kind": "module", "target": module, "score": score,
                       "passed": score >= 80, "started_at": at, "submitted_at": at + timedelta(days=1),
                       **detail((module,), 5, uid)}
        for attempt in range(3):
            score = min(100, pre + rng.randint(0, 25) + 10 * attempt)
            yield {**common, "user_id": uid, "kind": "final", "target": PROGRAMME, "score": score,
                   "passed": score >= 80, "started_at": at, "submitted_at": at + timedelta(days=10 + attempt),
                   **detail(MODULES, 16, uid)}


def seed(conn: Connection, progress: Callable[[int], None] = lambda n: None, rng_seed: int = 2026) -> int:
    """Insert the whole data set (once) and return the organisation's id; `progress(n)` hears of each batch."""
    from certificates.models import Certificate
    from quizzes.models import QuizAttempt
    from training.cohorts import Cohort, CohortTrainer, Membership
    from training.fieldwork import FollowUp, KitHandout, OverdoseReport
    from training.models import ModuleProgress, Organisation, User

    found = conn.scalar(select(Organisation.id).where(Organisation.name == ORGANISATION))
    if found:
        return found
    rng, today = random.Random(rng_seed), date.today()
    org_id = conn.execute(insert(Organisation).values(name=ORGANISATION, emergency_number="112",
                                                      paper_size="A4")).inserted_primary_key[0]
    password = generate_password_hash(PASSWORD)

    def add(model, rows: Iterator[dict]) -> None:
        for batch in batched(rows):
            conn.execute(insert(model), batch)
            progress(len(batch))

    def person(username: str, role: str, **fields) -> dict:
        return {"username": username, "role": role, "password_hash": password, "organisation_id": org_id,
                "session_token": secrets.token_urlsafe(24), "language": "en", "verify_name": "hidden",
                "must_change_password": False, "created_at": when(rng, today), **fields}

    add(User, iter([person("bench-coordinator", "coordinator"), person("bench-trainer", "trainer")]))
    trainer_id = conn.scalar(select(User.id).where(User.username == "bench-trainer"))
    add(User, (person(f"bench-{i:05d}", "trainee", sex=rng.choice(SEXES), age_band=rng.choice(AGES),
                      audience=rng.choice(AUDIENCES), region=rng.choice(REGIONS)) for i in range(TRAINEES)))
    user_ids = list(conn.scalars(select(User.id).where(User.organisation_id == org_id, User.role == "trainee")
                                 .order_by(User.id)))
    add(Cohort, ({"organisation_id": org_id, "name": f"Bench cohort {c:03d}", "programme_slug": PROGRAMME,
                  "language": "en", "delivery": "in-person", "region": REGIONS[c % 8],
                  "join_code": secrets.token_hex(5).upper(), "created_at": when(rng, today)}
                 for c in range(COHORTS + 1)))
    cohort_ids = list(conn.scalars(select(Cohort.id).where(Cohort.organisation_id == org_id).order_by(Cohort.id)))
    big = cohort_ids.pop()  # the 500-trainee cohort for the roster grid; its members are also in a small one
    add(CohortTrainer, ({"cohort_id": c, "user_id": trainer_id} for c in [*cohort_ids, big]))
    joined = {uid: when(rng, today) for uid in user_ids}
    add(Membership, ({"cohort_id": cohort_ids[i // 100], "user_id": uid, "joined_at": joined[uid]}
                     for i, uid in enumerate(user_ids)))
    add(Membership, ({"cohort_id": big, "user_id": uid, "joined_at": joined[uid]} for uid in user_ids[:BIG_COHORT]))
    add(ModuleProgress, ({"user_id": uid, "module_slug": m, "content_version": "bench", "sections_total": 7,
                          "sections_read": 7, "last_section": 7, "seconds_spent": 600, "started_at": joined[uid],
                          "updated_at": joined[uid]} for uid in user_ids for m in MODULES[:rng.randint(1, 8)]))
    add(QuizAttempt, attempts(rng, user_ids, joined, set(user_ids[:BIG_COHORT])))
    certified = [uid for uid in user_ids if rng.random() < 0.7]
    add(Certificate, ({"code": f"BENCH{uid:012d}", "user_id": uid, "programme_slug": PROGRAMME,
                       "organisation_id": org_id, "current_key": f"{uid}:{PROGRAMME}", "name_printed": "Bench",
                       "language": "en", "content_versions": {}, "issued_at": joined[uid] + timedelta(days=12),
                       "expires_on": today + timedelta(days=700)} for uid in certified))
    given = [uid for uid in certified if rng.random() < 0.9]
    kit = {"organisation_id": org_id, "form": "nasal-spray", "lot": "B1", "expires_on": today + timedelta(days=500)}
    add(KitHandout, ({**kit, "user_id": uid, "quantity": rng.choice((1, 2)), "created_at": joined[uid],
                      "handed_out_on": min(today, (joined[uid] + timedelta(days=12)).date())} for uid in given))
    add(KitHandout, ({**kit, "user_id": None, "quantity": 1, "handed_out_on": when(rng, today).date()}
                     for _ in range(2_000)))
    add(FollowUp, ({"user_id": uid, "programme_slug": PROGRAMME, "round": 3, "due_on": today,
                    "carries_naloxone": rng.random() < 0.85, "answered_at": joined[uid] + timedelta(days=100)}
                   for uid in given if rng.random() < 0.8))
    add(OverdoseReport, ({"organisation_id": org_id, "occurred_on": when(rng, today).date(),
                          "region": rng.choice(REGIONS), "signs": [], "helped": [], "barriers": [],
                          "naloxone_given": rng.random() < 0.9, "outcome": rng.choice(("alive",) * 18 + ("died",
                                                                                                       "unknown")),
                          "reporter_trained": True, "reporter_under_18": False, "created_on": today}
                         for _ in range(1_500)))
    conn.execute(text("ANALYZE"))  # fresh planner statistics, as autovacuum would give a real database in time
    return org_id


EXPECTED_ROWS = 570_000  # roughly: users, memberships, progress, attempts and field records, for the bar


@click.command()
@click.option("--database-url", envvar="DATABASE_URL", required=True, help="SQLAlchemy URL of the database to fill.")
def main(database_url: str) -> None:
    """Create the tables if needed and fill them with the bench data set."""
    from app import create_app, db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        db.create_all()
        with db.engine.begin() as conn, click.progressbar(length=EXPECTED_ROWS, label="Seeding") as bar:
            org_id = seed(conn, bar.update)
    click.echo(f"Organisation {org_id} ready; log in as bench-coordinator / {PASSWORD}")


if __name__ == "__main__":
    main()
