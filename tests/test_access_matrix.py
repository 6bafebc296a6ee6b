"""Every object route, as every role of two organisations and as nobody, answers as the access rules say.

The world holds organisations A and B, each with a trainer running a cohort, a colleague trainer who does not
run it, a coordinator and a trainee with progress, quiz attempts, a certificate, a kit and a follow-up; plus an
admin. Every URL below points at organisation A's objects, so B's people are the outsiders.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from conftest import make_app, running
from sqlalchemy import func, select

from app import db
from certificates.issuing import award_manually
from certificates.models import Certificate
from quizzes import attempts as quiz_attempts
from quizzes.models import QuizAttempt
from training.cohorts import Cohort, CohortTrainer, Membership
from training.content import catalog
from training.fieldwork import FollowUp, KitHandout, KitReceipt, OverdoseReport
from training.models import ModuleProgress, Organisation, User, utcnow

SLUG = "community-response"
ROLES = ("run", "col", "coo", "tra", "Brun", "Bcol", "Bcoo", "Btra", "adm", "anon")
LOGIN = "login"  # a redirect to /auth/login


@dataclass
class World:
    """The people (by role key) and organisation A's objects (ids), plus the names nobody else may learn."""

    users: dict[str, User] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)  # organisation A's names, by what they name


def submitted_attempt(quiz, user: User) -> QuizAttempt:
    """A real drawn attempt of the quiz, marked as submitted and passed."""
    attempt = quiz_attempts.start(quiz, user.id, "en")
    attempt.answers, attempt.score, attempt.passed, attempt.submitted_at = {}, 100, True, utcnow()
    db.session.commit()
    return attempt


def build_organisation(world: World, key: str, names: dict[str, str]) -> None:
    """One organisation with its staff, a cohort and a trainee who has done everything; keys prefixed by key."""
    org = Organisation(name=names["org"], legal_note=names.get("legal_note"))
    db.session.add(org)
    db.session.flush()
    people = {role: User(username=f"{key.lower()}-{role}", role=role_name, organisation_id=org.id,
                         password_hash="x", display_name=names.get(role), region=names.get("region"),
                         certificate_name=names.get("certificate_name") if role == "tra" else None)
              for role, role_name in (("run", "trainer"), ("col", "trainer"), ("coo", "coordinator"),
                                      ("tra", "trainee"))}
    db.session.add_all(people.values())
    db.session.flush()
    cohort = Cohort(organisation_id=org.id, name=names["cohort"], programme_slug=SLUG,
                    location=names.get("location"), region=names.get("region"))
    db.session.add(cohort)
    db.session.flush()
    trainee = people["tra"]
    db.session.add_all([CohortTrainer(cohort_id=cohort.id, user_id=people["run"].id),
                        Membership(cohort_id=cohort.id, user_id=trainee.id)])
    module = catalog().modules[catalog().programmes[SLUG].modules[0]]
    db.session.add(ModuleProgress(user_id=trainee.id, module_slug=module.slug, content_version=module.version,
                                  sections_total=3, sections_read=1))
    db.session.add(KitReceipt(organisation_id=org.id, form="nasal-spray", quantity=20, lot=names["lot"],
                              expires_on=date.today() + timedelta(days=400), received_on=date.today()))
    db.session.add(KitHandout(organisation_id=org.id, user_id=trainee.id, cohort_id=cohort.id, form="nasal-spray",
                              quantity=1, lot=names["lot"], expires_on=date.today() + timedelta(days=400),
                              handed_out_on=date.today(), place=names.get("place")))
    db.session.add(OverdoseReport(organisation_id=org.id, occurred_on=date.today(), region=names.get("region"),
                                  naloxone_given=True, outcome="alive", notes=names.get("notes")))
    db.session.commit()
    module_attempt = submitted_attempt(quiz_attempts.module_quiz(module), trainee)
    final = submitted_attempt(quiz_attempts.programme_quiz(catalog().programmes[SLUG], "final"), trainee)
    certificate = award_manually(trainee, SLUG, "Trained in the field before the site existed.", people["coo"],
                                 utcnow())
    db.session.commit()
    followup = db.session.scalar(select(FollowUp).where(FollowUp.user_id == trainee.id).order_by(FollowUp.round))
    followup.due_on = date.today() - timedelta(days=1)  # due, so the dashboard shows it
    db.session.commit()
    prefix = "" if key == "A" else key
    world.users.update({prefix + role: user for role, user in people.items()})
    if key == "A":
        world.ids.update(org=org.id, cohort=cohort.id, trainee=trainee.id, module_attempt=module_attempt.id,
                         final_attempt=final.id, certificate=certificate.id, followup=followup.id,
                         handout=db.session.scalar(select(KitHandout.id).where(KitHandout.organisation_id == org.id)))
        world.secrets.update(cohort=cohort.name, holder=certificate.name_printed, code=certificate.code, org=org.name)
        if names.get("run"):  # the cohort's trainer, named on the trainers' reach report
            world.secrets["trainer"] = names["run"]


def build_world(app, names_a: dict | None = None) -> World:
    """Organisations A and B (A optionally with the given names) and an admin."""
    world = World()
    with app.app_context():
        build_organisation(world, "A", names_a or {"org": "Amber Outreach", "cohort": "Amber Tuesday Group",
                                                   "run": "Ambrose Runwell",
                                                   "tra": "Adaeze Quill", "certificate_name": "Adaeze Quill",
                                                   "lot": "LOT-AMBER", "notes": "Amber street corner"})
        build_organisation(world, "B", {"org": "Birch Harm Reduction", "cohort": "Birch Friday Group",
                                        "tra": "Bolesław Wren", "lot": "LOT-BIRCH"})
        admin = User(username="admin", role="admin", password_hash="x")
        db.session.add(admin)
        db.session.commit()
        world.users["adm"] = admin
        for user in world.users.values():
            db.session.refresh(user)
        db.session.expunge_all()
    return world


def log_in(client, user: User | None) -> None:
    """Log the client in by its session cookie (the login form is tested elsewhere and hashes slowly)."""
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user.session_token, True


def fingerprint() -> dict[str, tuple[int, int, int]]:
    """Every table's row count and a cheap content checksum (length and hash of a text dump of its rows)."""
    db.session.rollback()  # end this session's read transaction, so it sees what the requests wrote
    prints = {}
    for table in db.metadata.sorted_tables:
        dump = sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        prints[table.name] = (len(dump), sum(map(len, dump)), hash("\n".join(dump)))
    return prints


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app and one world for the whole module: the requests below change nothing (checked)."""
    app = make_app(tmp_path_factory.mktemp("matrix") / "test.sqlite")
    app.world = build_world(app)
    with running(app):
        yield app


@pytest.fixture
def world(app) -> World:
    return app.world


def row(method: str, url: str, *codes, data: dict | None = None):
    """One line of the table: the answer for each role in ROLES order (anonymous always goes to log in)."""
    expected = dict(zip(ROLES, [*codes, LOGIN], strict=True))
    return pytest.param(method, url, expected, data or {}, id=f"{method} {url}")


# run = A's trainer running the cohort, col = A's other trainer, coo = A's coordinator, tra = A's trainee (holder);
# B… = the same people of organisation B; adm = admin; anonymous always goes to log in.
#                                                          run  col  coo  tra Brun Bcol Bcoo Btra  adm
MATRIX = [
    row("GET", "/quizzes/attempt/{module_attempt}",           404, 404, 404, 200, 404, 404, 404, 404, 404),
    row("GET", "/quizzes/attempt/{final_attempt}",            404, 404, 404, 200, 404, 404, 404, 404, 404),
    row("POST", "/quizzes/attempt/{module_attempt}/submit",   404, 404, 404, 302, 404, 404, 404, 404, 404),
    row("GET", "/quizzes/history",                            200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("GET", "/cohorts/{cohort}/roster",                    200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/cohorts/{cohort}/roster.csv",                200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/cohorts/{cohort}/roster.xlsx",               200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/cohorts/{cohort}/import",                    200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("POST", "/cohorts/{cohort}/import",                   200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("POST", "/cohorts/{cohort}/import/confirm",           302, 404, 302, 403, 404, 404, 404, 403, 302,
        data={"payload": "forged"}),
    row("GET", "/cohorts/{cohort}/paper-scores",              200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("POST", "/cohorts/{cohort}/paper-scores",             200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/cohorts/{cohort}/questions",                 200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/cohorts/{cohort}",                           200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/cohorts/{cohort}/edit",                      200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("POST", "/cohorts/{cohort}/edit",                     200, 404, 200, 403, 404, 404, 404, 403, 200,
        data={"name": ""}),
    row("GET", "/cohorts/{cohort}/poster",                    200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/cohorts/{cohort}/enrol",                     200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("POST", "/cohorts/{cohort}/enrol",                    200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/cohorts/{cohort}/attendance",                200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("POST", "/cohorts/{cohort}/attendance",               302, 404, 403, 403, 404, 404, 404, 403, 403),
    row("POST", "/cohorts/{cohort}/sessions",                 200, 404, 403, 403, 404, 404, 404, 403, 403),
    row("GET", "/cohorts/{cohort}/skills",                    200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("POST", "/cohorts/{cohort}/skills",                   302, 404, 403, 403, 404, 404, 404, 403, 403),
    row("POST", "/cohorts/{cohort}/archive",                  302, 404, 302, 403, 404, 404, 404, 403, 302,
        data={"archived": "0"}),
    row("GET", "/certificates/{certificate}.pdf",             200, 404, 200, 200, 404, 404, 404, 404, 200),
    row("GET", "/certificates/{certificate}-wallet.pdf",      200, 404, 200, 200, 404, 404, 404, 404, 200),
    row("GET", "/certificates/{certificate}",                 403, 403, 200, 403, 403, 403, 404, 403, 200),
    row("POST", "/certificates/{certificate}/revoke",         403, 403, 200, 403, 403, 403, 404, 403, 200),
    row("POST", "/certificates/{certificate}/reissue",        403, 403, 200, 403, 403, 403, 404, 403, 200,
        data={"name": "x" * 121}),
    row("GET", "/certificates/cohort/{cohort}.pdf",           200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/certificates/cohort/{cohort}-wallet.pdf",    200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("POST", "/certificates/cohort/{cohort}/print",        400, 404, 400, 403, 404, 404, 404, 403, 400,
        data={"kind": "poster"}),
    row("GET", "/kits/?org={org}",                            200, 200, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/kits/hand-out?cohort={cohort}",              200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("POST", "/kits/hand-out?cohort={cohort}",             200, 404, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/kits/hand-out?org={org}",                    200, 200, 200, 403, 404, 404, 404, 403, 200),
    row("POST", "/kits/receive?org={org}",                    200, 200, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/kits/receive?org={org}",                     200, 200, 200, 403, 404, 404, 404, 403, 200),
    row("GET", "/report/list",                                403, 403, 200, 403, 403, 403, 200, 403, 200),
    row("GET", "/reports",                                    403, 403, 200, 403, 403, 403, 200, 403, 200),
    # Another organisation's cohort is not among a coordinator's filter choices: a bad request (400).
    row("GET", "/reports?cohort={cohort}",                    403, 403, 200, 403, 403, 403, 400, 403, 200),
    row("GET", "/reports/export.csv?cohort={cohort}",         403, 403, 200, 403, 403, 403, 400, 403, 200),
    row("GET", "/reports/trainers",                           403, 403, 200, 403, 403, 403, 200, 403, 200),
    row("GET", "/reports/trainers?cohort={cohort}",           403, 403, 200, 403, 403, 403, 400, 403, 200),
    row("GET", "/reports/trainers.csv?cohort={cohort}",       403, 403, 200, 403, 403, 403, 400, 403, 200),
    row("GET", "/audit",                                      403, 403, 200, 403, 403, 403, 200, 403, 200),
    row("GET", "/organisations/{org}",                        403, 403, 200, 403, 403, 403, 404, 403, 200),
    row("POST", "/organisations/{org}",                       403, 403, 200, 403, 403, 403, 404, 403, 200,
        data={"name": ""}),
    row("GET", "/organisations/",                             403, 403, 302, 403, 403, 403, 302, 403, 200),
    row("GET", "/account/data",                               200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("POST", "/followup/{followup}/answer",                404, 404, 404, 302, 404, 404, 404, 404, 404),
    row("POST", "/followup/{followup}/dismiss",               404, 404, 404, 302, 404, 404, 404, 404, 404),
]
# Pages an outsider reaches legitimately (their own organisation's list) must still show nothing of A's.
OWN_LISTS = ("/report/list", "/reports", "/audit", "/kits/", "/quizzes/history", "/account/data", "/certificates/",
             "/reports?organisation={org}", "/reports/export.csv?organisation={org}", "/certificates/manage",
             "/cohorts", "/kits/mine", "/dashboard", "/reports/trainers", "/reports/trainers?organisation={org}",
             "/reports/trainers.csv?organisation={org}")


def request_as(app, world: World, role: str, method: str, url: str, data: dict):
    """Send one request as one role and return the response."""
    client = app.test_client()
    log_in(client, world.users.get(role))
    response = client.open(url.format(**world.ids), method=method, data=data)
    response.get_data()  # read streamed PDFs to their end, inside the request's context
    response.close()
    return response


def leaked(world: World, role: str, body: str) -> list[str]:
    """Organisation A's names that appear in a page shown to someone who may not know them."""
    names = dict(world.secrets)
    if not role.startswith("B") and role != "anon":
        names.pop("org")  # A's own people see their organisation's name in the page header
    return [name for name in names.values() if name in body]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "expected", "data"), MATRIX)
def test_each_role_gets_the_answer_the_rule_gives(app, world, role, method, url, expected, data):
    before = fingerprint() if method == "POST" else None
    response = request_as(app, world, role, method, url, data)
    if expected[role] == LOGIN:
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    else:
        assert response.status_code == expected[role], response.headers.get("Location")
    if expected[role] in (403, 404, LOGIN):
        assert leaked(world, role, response.get_data(as_text=True)) == []
        if before is not None:
            assert fingerprint() == before


@pytest.mark.parametrize("url", OWN_LISTS)
@pytest.mark.parametrize("role", ["Brun", "Bcoo", "Btra"])
def test_another_organisations_own_pages_show_nothing_of_a(app, world, role, url):
    response = request_as(app, world, role, "GET", url, {})
    assert response.status_code in (200, 403)
    assert leaked(world, role, response.get_data(as_text=True)) == []
    assert "LOT-AMBER" not in response.get_data(as_text=True)


def test_a_coordinator_cannot_award_a_certificate_to_another_organisations_trainee(app, world):
    before = fingerprint()
    response = request_as(app, world, "Bcoo", "POST", "/certificates/award", {
        "username": world.users["tra"].username, "programme": SLUG, "reason": "An exception for a good reason."})
    assert response.status_code == 200 and "Nobody in your organisation has this username." in response.text
    assert fingerprint() == before


@pytest.mark.parametrize("url", ["/cohorts/{cohort}/roster", "/cohorts/{cohort}/import"])
def test_the_roster_pages_lead_back_to_the_cohort_they_belong_to(app, world, url):
    body = request_as(app, world, "run", "GET", url, {}).text
    assert f'href="/cohorts/{world.ids["cohort"]}"' in body


def test_outsiders_learn_nothing_from_a_certificate_number(app, world):
    for role in ("Brun", "Bcoo", "Btra", "col"):
        body = request_as(app, world, role, "GET", "/certificates/{certificate}.pdf", {}).get_data()
        assert world.secrets["holder"].encode() not in body and world.secrets["code"].encode() not in body


def test_the_world_has_what_the_matrix_relies_on(app, world):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate).where(
            Certificate.current_key.is_not(None))) == 2
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 4
        assert db.session.get(FollowUp, world.ids["followup"]).user_id == world.ids["trainee"]
