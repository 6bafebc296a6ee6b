"""The header and footer are rendered once per language and role: each visitor still sees their own."""
import re
from pathlib import Path

from tests.conftest import login


def hidden(page: str, name: str) -> list[str]:
    """The values of the hidden inputs with this name."""
    return re.findall(rf'name="{name}" value="([^"]*)"', page)


def test_each_role_sees_its_own_menus(app, make_user, make_org):
    """After a trainer's page is cached, a trainee's page shows no work menu, and the other way round."""
    pages, org = {}, make_org()
    for role in ("trainer", "trainee", "coordinator", "admin", "trainee"):
        client = app.test_client()
        login(client, make_user(role, organisation_id=org.id).username)
        pages[role] = client.get("/dashboard").get_data(as_text=True)
    assert 'class="work-nav"' not in pages["trainee"]
    assert ">Cohorts</a>" in pages["trainer"] and ">Reports</a>" not in pages["trainer"]
    assert ">Reports</a>" in pages["coordinator"] and ">Users</a>" not in pages["coordinator"]
    assert ">Users</a>" in pages["admin"]
    assert "Log out" in pages["trainee"]


def test_visitors_and_members_see_their_own_header(client, make_user):
    """A visitor is offered log in and sign up; once logged in, the same page offers log out."""
    assert "Sign up" in client.get("/").get_data(as_text=True)
    login(client, make_user().username)
    page = client.get("/").get_data(as_text=True)
    assert "Sign up" not in page and "Log out" in page


def test_the_header_speaks_the_page_language(client):
    """An Arabic page has an Arabic header and its switcher on Arabic; the next English page is English again."""
    arabic = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'dir="rtl"' in arabic and 'value="ar" lang="ar" selected' in arabic and "Sign up" not in arabic
    assert 'dir="ltr"' in english and 'value="en" lang="en" selected' in english and "Sign up" in english


def test_the_language_form_returns_to_the_page_it_was_on(client):
    """The switcher remembers the page and its query, escaped, so switching language keeps one's place."""
    page = client.get('/verify?code="><b>x').get_data(as_text=True)
    assert hidden(page, "next") == ["/verify?code=&#34;&gt;&lt;b&gt;x"]
    assert "<b>x" not in page


def test_after_a_form_is_answered_the_language_form_returns_to_the_forms_page(client, as_user):
    # The address a form is sent to may take no GET (a quiz's submit): switching language there gave an error page.
    as_user()
    page = client.post("/account/profile", data={"language": "xx"}, headers={
        "Referer": "http://localhost/account/profile?from=menu"}).get_data(as_text=True)
    assert 'name="next" value="/account/profile?from=menu"' in page
    elsewhere = client.post("/account/profile", data={"language": "xx"}, headers={"Referer": "https://evil.example/"})
    assert 'name="next" value="/"' in elsewhere.get_data(as_text=True)


def test_every_visitor_gets_their_own_form_token(csrf_app):
    """Two people get two tokens from the same cached header; each token works only for its owner."""
    first, second = csrf_app.test_client(), csrf_app.test_client()
    first_token = hidden(first.get("/").get_data(as_text=True), "csrf_token")[0]
    second_token = hidden(second.get("/").get_data(as_text=True), "csrf_token")[0]
    assert first_token != second_token
    assert second.post("/language", data={"csrf_token": first_token, "language": "fr"}).status_code == 400
    answer = first.post("/language", data={"csrf_token": first_token, "language": "fr", "next": "/"})
    assert answer.status_code == 302
    assert 'lang="fr"' in first.get("/").get_data(as_text=True)


# Pages reached from outside the site's own links: a load balancer's health check, a QR code or a shared link.
REACHED_FROM_OUTSIDE = {"site.healthz", "static"}


def test_every_page_is_linked_from_somewhere(app):
    """A page no other page links to cannot be found: "My data" and the paper results once were such pages."""
    root = Path(app.root_path)
    sources = "\n".join(path.read_text(encoding="utf-8") for pattern in ("templates/**/*.html", "*/*.py")
                        for path in root.glob(pattern) if "tests" not in path.parts and ".venv" not in path.parts)
    linked = set(re.findall(r"""url_for\(\s*['"]([\w.]+)['"]""", sources))
    unlinked = sorted(rule.endpoint for rule in app.url_map.iter_rules()
                      if "GET" in rule.methods and rule.endpoint not in REACHED_FROM_OUTSIDE | linked)
    assert unlinked == []
