"""Helpers for tests that talk HTTP to a real server on 127.0.0.1."""
import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# As this machine's probe runs it: without the networking flags Chromium keeps trying to reach outside hosts.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium(what: str) -> None:
    """Skip a browser test module without Debian's Chromium, except under CI, where a missing browser fails."""
    import pytest

    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI"):
            raise RuntimeError(f"CI needs Debian's Chromium at {CHROMIUM}: apt-get install chromium")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium); {what} skipped", allow_module_level=True)


@contextmanager
def threaded_server(app):
    """Serve the app from a thread on a free loopback port; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(database_url: str, workers: int = 2) -> tuple[subprocess.Popen, str]:
    """Start gunicorn in its own process group against a database, with CSRF off for scripted clients."""
    port = free_port()
    env = {**os.environ, "NALOXONE_DEMO": "1", "DATABASE_URL": database_url, "NALOXONE_WTF_CSRF_ENABLED": "false"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(  # noqa: S603 - our own server, loopback only
        [gunicorn, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "app:create_app()"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1).read()  # noqa: S310
            return process, base
        except OSError:
            time.sleep(0.1)
    kill_hard(process)
    raise RuntimeError("gunicorn did not start")


def kill_hard(process: subprocess.Popen) -> None:
    """SIGKILL the server and all its workers, as a crash or power cut would stop them."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def opener() -> urllib.request.OpenerDirector:
    """A cookie-keeping client that does not follow redirects (so 302 can be seen as an answer)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)


def post(client, url: str, data: dict, timeout: float = 10) -> int:
    """POST a form; return the status code (redirects are answers, not followed)."""
    return post_to(client, url, data, timeout)[0]


def post_to(client, url: str, data: dict, timeout: float = 10) -> tuple[int, str]:
    """POST a form; return the status code and where a redirect points."""
    try:
        response = client.open(url, data=urllib.parse.urlencode(data).encode(), timeout=timeout)
        return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")
