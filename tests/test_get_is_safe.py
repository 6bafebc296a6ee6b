"""No GET changes anything: every GET route of the site, as every role, leaves every table as it was."""
import pytest
from conftest import make_app, running
from flask import g, has_request_context, request
from sqlalchemy import event
from test_access_matrix import build_world, fingerprint, log_in

from app import db
from certificates.models import Certificate
from training.cohorts import Cohort
from training.content import catalog

SLUG = "community-response"
ROLES = {"trainee": "tra", "trainer": "run", "coordinator": "coo", "admin": "adm", "anonymous": None}
# GETs that write by design, and only to the audit trail: a copy of personal data leaving the site (one's own
# data, a cohort's certificates) must be accountable, so the download records who took it.
AUDITED_DOWNLOADS = {"privacy.my_data_json", "certificates.cohort_pdf", "certificates.cohort_wallet",
                     "rosters.export", "reports.export", "reach.trainers_export"}
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app and one world; every test checks its own request changed nothing."""
    app = make_app(tmp_path_factory.mktemp("get-safe") / "test.sqlite")
    app.world = build_world(app)
    with running(app):
        yield app


@pytest.fixture
def unannounced_writes(app):
    """Writes a GET made without begin_writing() first: on SQLite they fail when another connection just wrote."""
    found = []

    def check(_connection, _cursor, statement, *_args) -> None:
        if has_request_context() and request.method == "GET" and statement.lstrip().upper().startswith(WRITES) \
                and not g.get("writing", False):
            found.append(statement.split("(")[0])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", check)
    yield found
    event.remove(engine, "before_cursor_execute", check)


def argument_values(app) -> dict[str, object]:
    """A real value for every URL argument the site's rules take, pointing at organisation A's objects."""
    ids = app.world.ids
    module = catalog().programmes[SLUG].modules[0]
    with app.app_context():
        cohort = db.session.get(Cohort, ids["cohort"])
        certificate = db.session.get(Certificate, ids["certificate"])
        return {"cohort_id": ids["cohort"], "certificate_id": ids["certificate"], "org_id": ids["org"],
                "attempt_id": ids["module_attempt"], "user_id": ids["trainee"], "followup_id": ids["followup"],
                "slug": module, "number": 1, "filename": "breathing-slows.svg", "kind": "csv",
                "code": cohort.join_code, "token": "no-such-job"} | {"verify_code": certificate.code}


def get_urls() -> list:
    """Every GET rule of the site as (endpoint, rule, extra values, role), for every role."""
    app = make_app(":memory:", reset=False)  # only its URL map is read
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        variants = [{"kind": "csv"}, {"kind": "xlsx"}] if rule.endpoint == "rosters.export" else [{}]
        if rule.endpoint == "quizzes.programme_test":
            variants = [{"slug": SLUG, "kind": "pre"}, {"slug": SLUG, "kind": "final"}]
        for extra in variants:
            for role in ROLES:
                urls.append(pytest.param(rule.endpoint, rule.rule, extra, role,
                                         id=f"{rule.endpoint}{extra or ''}-{role}"))
    return urls


def build(app, endpoint: str, rule: str, extra: dict) -> str:
    """The URL of the rule for real objects."""
    values = argument_values(app)
    if endpoint.startswith("verify."):
        values["code"] = values["verify_code"]
    values |= extra
    arguments = next(r for r in app.url_map.iter_rules() if r.rule == rule).arguments
    return app.url_map.bind("localhost").build(endpoint, {k: values[k] for k in arguments})


@pytest.mark.parametrize(("endpoint", "rule", "extra", "role"), get_urls())
def test_a_get_changes_nothing(app, unannounced_writes, endpoint, rule, extra, role):
    client = app.test_client()
    log_in(client, app.world.users.get(ROLES[role]))
    url = build(app, endpoint, rule, extra)
    before = fingerprint()
    response = client.get(url)
    response.get_data()  # a streamed PDF is drawn (and its audit recorded) only as it is read
    response.close()
    assert response.status_code < 500, url
    after = fingerprint()
    changed = [name for name in after if after[name] != before[name]]
    assert changed == (["audit_event"] if endpoint in AUDITED_DOWNLOADS and changed else []), url
    assert unannounced_writes == [], url


def test_the_data_download_is_the_one_get_that_writes_and_it_writes_an_audit_event(app):
    client = app.test_client()
    log_in(client, app.world.users["tra"])
    before = fingerprint()
    assert client.get("/account/data.json").status_code == 200
    after = fingerprint()
    assert [name for name in after if after[name] != before[name]] == ["audit_event"]
