"""Reports page speed on the bench data set (20,000 trainees, 400,000 attempts) against its budget.

Run: .venv/bin/python bench/bench_reports.py
SQLite always (a file under /tmp, seeded once and reused); PostgreSQL too when BENCH_POSTGRES_URL is set, e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/bench. Never point it at the test suite's database: create a
separate one first with `psql -h 127.0.0.1 -U postgres -c 'create database bench'` (drop and create it again if it
was seeded before the big cohort's attempts held answers).
"""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select  # noqa: E402

from app import create_app, db  # noqa: E402
from bench.seed import BIG_COHORT, ORGANISATION, PASSWORD, seed  # noqa: E402

SQLITE_URL = "sqlite:////tmp/naloxone-bench-reports-2.sqlite"  # "-2": the big cohort's attempts hold answers
BUDGET_REPORTS_S = 1.0
BUDGET_GRID_S = 0.3
RUNS = 5


def timed(app, client, path: str) -> tuple[float, float, int, int]:
    """Median wall and CPU seconds of warm runs of one GET, the statements one run executes, and its status.

    CPU time of this process includes SQLite's work (it runs in-process), so it stays meaningful on a busy
    machine where wall time is inflated by other jobs; for PostgreSQL only wall time counts the server.
    """
    statements: list[str] = []
    client.get(path)  # warm: templates compiled, caches filled
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listener)
        status = client.get(path).status_code
        event.remove(db.engine, "before_cursor_execute", listener)
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(path)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), len(statements), status


def report(name: str, measured: tuple[float, float, int, int], budget: float | None = None) -> bool:
    """Print one result, with the verdict against the budget (on wall time) when there is one; False if not met."""
    wall, cpu, queries, status = measured
    met = budget is None or (wall < budget and status == 200)
    verdict = "" if budget is None else f"; budget {budget * 1000:.0f} ms: {'met' if met else 'NOT MET'}"
    print(f"  {name}: median {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU of {RUNS} warm runs, "
          f"{queries} queries, HTTP {status}{verdict}")
    return met


def bench(url: str) -> bool:
    """Seed (or reuse) the data at this URL and print the page timings against the budgets; True if all are met."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        with db.engine.begin() as conn:
            seed(conn)
        print(f"\n{db.engine.dialect.name}: data ready in {time.perf_counter() - started:.1f} s")
        from training.cohorts import Cohort, Membership
        from training.models import Organisation
        big = db.session.scalar(select(Membership.cohort_id).join(Cohort).join(Organisation).where(
            Organisation.name == ORGANISATION).group_by(Membership.cohort_id).order_by(
            db.func.count().desc()).limit(1))
        has_grid = "rosters.grid" in app.view_functions
    client = app.test_client()
    client.post("/auth/login", data={"username": "bench-coordinator", "password": PASSWORD})
    met = [report("reports page", timed(app, client, "/reports"), BUDGET_REPORTS_S),
           report("reports CSV", timed(app, client, "/reports/export.csv")),
           report("each trainer's reach", timed(app, client, "/reports/trainers"), BUDGET_REPORTS_S)]
    if has_grid:
        with app.test_request_context():
            from flask import url_for
            path = url_for("rosters.grid", cohort_id=big)
        met += [report(f"roster grid ({BIG_COHORT} trainees)", timed(app, client, path), BUDGET_GRID_S),
                report(f"difficult questions ({BIG_COHORT} trainees, {BIG_COHORT * 19:,} attempts)",
                       timed(app, client, f"/cohorts/{big}/questions"), BUDGET_REPORTS_S)]
    else:
        print("  roster grid: no `rosters.grid` endpoint yet, not timed")
    with app.app_context():
        db.engine.dispose()
    return all(met)


def main() -> bool:
    """SQLite, then PostgreSQL when BENCH_POSTGRES_URL names a database; True if every budget is met."""
    met = bench(os.environ.get("BENCH_SQLITE_URL", SQLITE_URL))
    if os.environ.get("BENCH_POSTGRES_URL"):
        met = bench(os.environ["BENCH_POSTGRES_URL"]) and met
    return met


if __name__ == "__main__":
    sys.exit(0 if main() else 1)  # make bench names this file among the failed
