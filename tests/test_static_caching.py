"""Static files are kept for a year under addresses that carry their content hash, and never depend on the cookie."""
import re
from pathlib import Path

import pytest

from tests.conftest import login
from training.static_files import STATIC_CACHE, content_hash

ROOT = Path(__file__).parent.parent
EN = {"Accept-Language": "en"}
HOUR = 3600


def static_links(html: str) -> dict[str, str]:
    """Each static file a page links to, with the `v` its address carries (empty when it has none)."""
    links = re.findall(r'(?:href|src)="/static/([^"?]+)(?:\?v=([^"&]*))?"', html)
    return dict(links)


def fetch(client, url: str, **kwargs):
    """GET a static file and close it: the test client would leave the file open."""
    with client.get(url, **kwargs) as response:
        response.get_data()
    return response


@pytest.fixture
def logged_in(client, make_user):
    """A trainee logged in through the form: their browser sends the session cookie with every request."""
    make_user(username="river")
    assert login(client, "river").status_code == 302
    return client


def test_the_pages_link_every_static_file_by_its_content_hash(logged_in):
    links = static_links(logged_in.get("/", headers=EN).text) | static_links(
        logged_in.get("/learn/naloxone/1", headers=EN).text)
    assert {"site.css", "icon.svg", "hero.svg", "reading-time.js"} <= set(links)
    for filename, version in links.items():
        assert version == content_hash(str(ROOT / "static" / filename)), filename


@pytest.mark.parametrize("filename", ["site.css", "icon.svg", "hero.svg", "reading-time.js"])
def test_a_hashed_static_file_is_kept_a_year_whoever_asks(client, logged_in, filename):
    version = content_hash(str(ROOT / "static" / filename))
    response = fetch(logged_in, f"/static/{filename}?v={version}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == STATIC_CACHE == "public, max-age=31536000, immutable"
    assert "cookie" not in response.headers.get("Vary", "").lower() and "Set-Cookie" not in response.headers
    again = fetch(logged_in, f"/static/{filename}?v={version}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == STATIC_CACHE


def test_without_the_current_hash_a_static_file_is_checked_each_time(client):
    """No `v`, or that of an older file (a page from before a deployment): the browser must ask again."""
    assert fetch(client, "/static/site.css").headers["Cache-Control"] == "no-cache"
    assert fetch(client, "/static/site.css?v=0123456789ab").headers["Cache-Control"] == "no-cache"


def test_the_hash_changes_with_the_content(tmp_path):
    path = tmp_path / "site.css"
    path.write_text("body{color:black}", encoding="utf-8")
    first = content_hash(str(path))
    assert first == content_hash(str(path)) and re.fullmatch(r"[0-9a-f]{12}", first)
    path.write_text("body{color:navy}", encoding="utf-8")
    assert content_hash(str(path)) != first
    assert content_hash(str(tmp_path / "missing.css")) is None


def test_a_static_file_does_not_read_the_session(logged_in, clock):
    """A week after logging in the next page asks for the password again; a stylesheet fetched first does not."""
    for _ in range(27):  # used every 6 hours, so never idle long enough to end the session that way
        clock(6 * HOUR)
        assert logged_in.get("/dashboard").status_code == 200
    clock(6 * HOUR)  # now past the week
    response = fetch(logged_in, "/static/site.css")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert logged_in.get("/dashboard").headers["Location"].startswith("/auth/login?next=/dashboard")


def test_pages_still_depend_on_the_cookie_and_are_not_kept(logged_in):
    response = logged_in.get("/dashboard", headers=EN)
    assert "Cookie" in response.headers["Vary"] and response.headers["Cache-Control"] == "no-store"


def test_a_missing_static_file_is_a_plain_404(client):
    response = client.get("/static/missing.css?v=0123456789ab", headers=EN)
    assert response.status_code == 404 and "Cookie" not in response.headers.get("Vary", "")


def test_the_content_security_policy_allows_the_hashed_files(client):
    """The files stay on this site: `'self'` in the policy covers them, query string and all."""
    response = client.get("/", headers=EN)
    policy = response.headers["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "script-src 'self'" in policy and "img-src 'self'" in policy
    assert all(not link.startswith("//") for link in re.findall(r'(?:href|src)="(/static/[^"]+)"', response.text))
