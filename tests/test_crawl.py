"""Follow every link a demo account is shown, in English and in Arabic: none may lead to an error.

The source-reading link test proves each page is linked from somewhere; this one proves that what the rendered
pages link to opens for the person who sees the link (no 403, 404 or 500, no untranslatable placeholder).
"""
import html
import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest

from tests.conftest import login, make_app, running

DEMO_PASSWORD = "naloxone-demo-2026"  # noqa: S105 - the published demo password
LINK = re.compile(r"""(?:href|src)="([^"]+)\"""")
# Links that end the session; the crawl keeps its own.
LEAVES_SESSION = ("/auth/logout",)
VISITS_PER_SHAPE = 8


def shape(url: str) -> str:
    """What kind of page a link opens: its path with numbers and codes blanked, and its query's keys."""
    parts = urlsplit(url)
    path = re.sub(r"/[^/]*\d[^/]*", "/#", parts.path)
    keys = sorted(pair.split("=")[0] for pair in parts.query.split("&") if pair)
    return f"{path}?{'&'.join(keys)}"


def links_in(page: str) -> list[str]:
    """The same-site addresses a page links to, without their #fragments."""
    found = (html.unescape(link).split("#")[0] for link in LINK.findall(page))
    return [link for link in found if link.startswith("/") and not link.startswith("//")]


def crawl(client, start: str) -> dict[str, int]:
    """Open every page reachable by links from `start` (a few of each kind); return each address's status."""
    seen: dict[str, int] = {}
    per_shape: Counter = Counter()
    queue = deque([start])
    while queue:
        url = queue.popleft()
        if url in seen or url.startswith(LEAVES_SESSION) or per_shape[shape(url)] >= VISITS_PER_SHAPE:
            continue
        per_shape[shape(url)] += 1
        with client.get(url) as response:  # closing it ends a streamed download's context too
            seen[url] = response.status_code
            if response.status_code in (301, 302, 303):
                queue.append(response.headers["Location"])
            elif response.mimetype == "text/html":
                queue.extend(links_in(response.get_data(as_text=True)))
    return seen


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """One app with the demo data for every crawl in this file (loading it takes seconds)."""
    with running(make_app(tmp_path_factory.mktemp("crawl") / "demo.sqlite"), drop=True) as app:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
        yield app


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("username", ["trainee", "trainer", "coordinator", "admin"])
def test_every_link_a_demo_account_sees_opens(demo_app, username, language):
    client = demo_app.test_client()
    assert login(client, username, DEMO_PASSWORD).status_code == 302
    client.post("/language", data={"language": language})
    statuses = crawl(client, "/dashboard")
    broken = {url: status for url, status in statuses.items() if status >= 400}
    assert broken == {}
    assert len(statuses) > 20  # the crawl really went through the site


def test_every_link_a_visitor_sees_opens(demo_app):
    statuses = crawl(demo_app.test_client(), "/")
    assert {url: status for url, status in statuses.items() if status >= 400} == {}
    assert "/auth/signup" in statuses and "/verify" in {urlsplit(url).path for url in statuses}
