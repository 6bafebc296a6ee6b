"""Start gunicorn servers on 127.0.0.1 for benchmarks and log in through the real form."""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# One browser: the login and the load carry the same User-Agent, or Flask-Login sees a different client on every
# request (session protection) and re-signs the session cookie each time, which no real browser would cause.
USER_AGENT = "naloxone-bench/1"


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 20) -> None:
    """Poll a URL until it answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


@contextmanager
def gunicorn(target: str, env: dict | None = None, workers: int = 2, cwd: Path = ROOT):
    """Run `gunicorn target` with the given workers on a free loopback port; yield its base URL."""
    port = free_port()
    command = [GUNICORN, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target]
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})})  # noqa: S603
    try:
        wait_until_up(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def login_cookie(base: str, username: str, password: str) -> str:
    """Log in through the form (with its CSRF token) and return the Cookie header to reuse."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(f"{base}/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": password}).encode()
    opener.open(f"{base}/auth/login", data=data).read()
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def floor_cookie(base: str, username: str) -> str:
    """The session cookie a peer (floor.py, stack_floor.py) sets for a user, asked by the load's browser."""
    request = urllib.request.Request(f"{base}/login/{username}", headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback only
        return answer.headers["Set-Cookie"].split(";")[0]
