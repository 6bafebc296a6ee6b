"""Requests per second and latency of our pages under gunicorn, side by side with a hello-world Flask app."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import ROOT, USER_AGENT, floor_cookie, gunicorn, login_cookie  # noqa: E402

DURATION = os.environ.get("BENCH_SECONDS", "8")
BUDGET = 0.30  # the logged-in page must reach 30% of hello-world's throughput


def load(url: str, cookie: str | None = None) -> dict:
    """Drive one URL with wrk for a bounded time; return requests/s and p50/p99 in ms."""
    command = ["wrk", "-t2", "-c16", f"-d{DURATION}s", "--latency", "-H", f"User-Agent: {USER_AGENT}", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = int(errors.group(1)) if errors else 0
    return {"rps": rps, "p50": latency(out, "50%"), "p99": latency(out, "99%"), "errors": failed}


def latency(out: str, percentile: str) -> float:
    """A latency percentile from wrk's output, in milliseconds."""
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def prepare_database(path: Path) -> dict:
    """A migrated SQLite database with the demo accounts; return the environment to serve it."""
    env = {"NALOXONE_DEMO": "1", "DATABASE_URL": f"sqlite:///{path}"}
    flask = str(Path(sys.executable).with_name("flask"))
    for args in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([flask, "--app", "app", *args], cwd=ROOT, env={**os.environ, **env},  # noqa: S603
                       check=True, capture_output=True)
    return env


def main() -> bool:
    """Measure the three peers and our pages in one run, print each figure and its ratio; True if within budget."""
    if not shutil.which("wrk"):
        sys.exit("bench_http needs wrk (apt-get install wrk)")
    rows = []
    with gunicorn("hello:app", cwd=ROOT / "bench") as base:
        hello = load(f"{base}/")
    rows.append(("hello-world (peer)", hello))
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite"
        env = prepare_database(database)
        floor_env = {"FLOOR_DATABASE": str(database)}
        with gunicorn("floor:app", env=floor_env, cwd=ROOT / "bench") as base:
            rows.append(("least logged-in (peer)", load(f"{base}/me", floor_cookie(base, "trainee"))))
        with gunicorn("stack_floor:app", env=floor_env, cwd=ROOT / "bench") as base:
            rows.append(("least stack page (peer)", load(f"{base}/me", floor_cookie(base, "trainee"))))
        with gunicorn("app:create_app()", env=env) as base:
            rows.append(("home page", load(f"{base}/")))
            cookie = login_cookie(base, "trainee", "naloxone-demo-2026")
            rows.append(("healthz, logged in", load(f"{base}/healthz", cookie)))
            rows.append(("logged-in dashboard", load(f"{base}/dashboard", cookie)))
    print(f"\nHTTP, gunicorn 2 workers, wrk 2 threads x 16 connections, {DURATION} s each")
    print(f"{'page':24} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs hello':>9}")
    for name, r in rows:
        share = r["rps"] / hello["rps"]
        print(f"{name:24} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errors']:7d} {share:8.0%}")
    for name in (name for name, r in rows if r["errors"]):
        print(f"warning: {name} answered errors, so its figure does not count")
    ratio = rows[-1][1]["rps"] / hello["rps"]
    verdict = "met" if ratio >= BUDGET else "NOT MET"
    print(f"budget: logged-in page >= {BUDGET:.0%} of hello-world: {verdict} ({ratio:.0%}); "
          f"the least logged-in page reaches {rows[1][1]['rps'] / hello['rps']:.0%}, and the least HTML page "
          f"the fixed stack can serve (Flask-Login, an ORM user, Flask-Babel, Jinja) "
          f"{rows[2][1]['rps'] / hello['rps']:.0%}")
    return ratio >= BUDGET


if __name__ == "__main__":
    sys.exit(0 if main() else 1)  # make bench names this file among the failed
