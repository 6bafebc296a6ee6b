"""Follow every link a demo account is shown, in English and in Arabic: none may lead to an error.

The source-reading link test proves each page is linked from somewhere; this one proves that what the rendered
pages link to opens for the person who sees the link (no 403, 404 or 500, no untranslatable placeholder).
"""
import html
import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from tests.conftest import login, make_app, running

DEMO_PASSWORD = "naloxone-demo-2026"  # noqa: S105 - the published demo password
LINK = re.compile(r"""(?:href|src)="([^"]+)\"""")
FORM = re.compile(r"<form\b([^>]*)>")
FORM_ACTION = re.compile(r'\baction="([^"]*)"')
FORM_METHOD = re.compile(r'\bmethod="(\w+)"')
BUTTON_ACTION = re.compile(r'\bformaction="([^"]+)"')  # a second button that sends the form elsewhere
# Links that end the session; the crawl keeps its own.
LEAVES_SESSION = ("/auth/logout",)
VISITS_PER_SHAPE = 8  # the 40th certificate's page checks nothing the first eight did not


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


def forms_in(page: str, url: str) -> set[tuple[str, str]]:
    """Where a page's forms send their data: (method, path); a form without an action sends to its own page."""
    sent = set()
    for attributes in FORM.findall(page):
        method = FORM_METHOD.search(attributes)
        action = FORM_ACTION.search(attributes)
        sent.add(((method.group(1) if method else "get").upper(), html.unescape(action.group(1)) if action else url))
    sent.update(("POST", html.unescape(action)) for action in BUTTON_ACTION.findall(page))
    return {(method, urlsplit(action).path) for method, action in sent}


def crawl(client, start: str, forms: set | None = None) -> dict[str, int]:
    """Open every page reachable by links from `start` (a few of each kind); return each address's status.

    The forms the pages hold are added to `forms`, as (method, path).
    """
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
                page = response.get_data(as_text=True)
                queue.extend(links_in(page))
                if forms is not None:
                    forms.update(forms_in(page, url))
    return seen


def answers(routes, method: str, path: str) -> bool:
    """Whether a route takes this method at this path (a redirect to another path counts as no)."""
    try:
        routes.match(path, method=method)
    except HTTPException:  # NotFound, MethodNotAllowed, and RequestRedirect for a missing slash
        return False
    return True


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
    assert f'<html lang="{language}"' in client.get("/dashboard").get_data(as_text=True)
    forms: set[tuple[str, str]] = set()
    statuses = crawl(client, "/dashboard", forms)
    broken = {url: status for url, status in statuses.items() if status >= 400}
    assert broken == {}
    assert len(statuses) > 100 and len(forms) > 5  # the crawl really went through the site
    routes = demo_app.url_map.bind("academy.example")
    assert sorted(form for form in forms if not answers(routes, *form)) == []


def test_every_link_a_visitor_sees_opens(demo_app):
    statuses = crawl(demo_app.test_client(), "/")
    assert {url: status for url, status in statuses.items() if status >= 400} == {}
    assert "/auth/signup" in statuses and "/verify" in {urlsplit(url).path for url in statuses}
