"""axe-core finds no WCAG 2.1 A or AA violation on the pages people use, at 360 and 1280 px, in English and Arabic."""
import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.livesite import require_chromium

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
WIDTHS = (360, 1280)
SHOTS = os.environ.get("A11Y_SHOTS")  # a folder: save a screenshot of every page checked, for people to look at

pytestmark = pytest.mark.browser

require_chromium("accessibility tests")




@pytest.fixture(scope="module")
def axe():
    """The axe-core runner bundled with axe-playwright-python."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def people(make_org, make_user, make_cohort):
    """A trainee in a demo-like cohort with its trainer and a few members, and an admin."""
    from datetime import date

    from app import db
    from training.cohorts import Attendance, CohortSession, SkillCheck
    from training.content import catalog
    from training.models import ModuleProgress, utcnow

    def make(language: str) -> dict:
        org = make_org(name="Harbour Outreach")
        trainee = make_user(display_name="Amal Haddad", language=language)
        members = [trainee] + [make_user(display_name=name, language=language) for name in ("Bo Chen", "Zoe Quiet")]
        trainer = make_user("trainer", organisation_id=org.id, display_name="Tess Trainer", language=language)
        cohort = make_cohort(org=org, trainer=trainer, members=members, name="Tuesday group", delivery="blended")
        sessions = [CohortSession(cohort_id=cohort.id, held_on=date(2026, 5, day)) for day in (4, 11)]
        db.session.add_all(sessions)
        db.session.flush()
        first, second = catalog().programmes["community-response"].modules[:2]
        done = ModuleProgress.start(trainee.id, first)
        done.completed_at = utcnow()
        skill = catalog().programmes["community-response"].skills[0]["id"]
        db.session.add_all([done, ModuleProgress.start(members[1].id, second),
                            Attendance(session_id=sessions[0].id, user_id=trainee.id, recorded_by_id=trainer.id),
                            SkillCheck(user_id=trainee.id, programme_slug="community-response", skill_id=skill,
                                       signed_by_id=trainer.id)])
        db.session.commit()
        admin = make_user("admin", display_name="Ada Admin", language=language)
        return {"trainee": trainee, "trainer": trainer, "admin": admin, "cohort": cohort.id}

    return make


def check(page, axe, label: str, found: list[str]) -> None:
    """Run axe at each width on the page as it stands and note every violation, with where to look."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(SHOTS) / f"{label.replace('/', '_')}-{width}.png", full_page=True)
        for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            found.append(f"{label} @{width}px: {violation['id']} ({violation['impact']}) {violation['help']} "
                         f"-> {targets}")


def visit(context, axe, base: str, label: str, path: str, found: list[str], status: int = 200) -> object:
    """Open a page in the context's tab, check its status, then run axe on it."""
    page = context.pages[0] if context.pages else context.new_page()
    response = page.goto(base + path)
    assert response.status == status, f"{label}: {path} answered {response.status}"
    check(page, axe, label, found)
    return page


def logged_in(browser, base: str, user, language: str):
    """A browser context with its own cookies, logged in through the real form."""
    context = browser.new_context(locale="ar" if language == "ar" else "en-GB")
    context.request.post(f"{base}/auth/login", form={"username": user.username, "password": PASSWORD})
    return context


def anonymous_pages(browser, axe, base: str, language: str, found: list[str]) -> None:
    """Home, sign-up (empty and with its errors), log in and the 404 page, for a visitor."""
    context = browser.new_context(locale="ar" if language == "ar" else "en-GB")
    if language != "en":
        context.request.post(f"{base}/language", form={"language": language, "next": "/"})
    visit(context, axe, base, f"{language}/home", "/", found)
    page = visit(context, axe, base, f"{language}/signup", "/auth/signup", found)
    page.locator("main form button").last.click()
    page.wait_for_load_state()
    assert page.locator(".error").count() > 0, "the empty sign-up form shows its errors"
    check(page, axe, f"{language}/signup-errors", found)
    page = visit(context, axe, base, f"{language}/login", "/auth/login", found)
    page.locator("main form input[name=username]").fill("nobody")
    page.locator("main form input[name=password]").fill("not the password")
    page.locator("main form button").last.click()
    page.wait_for_load_state()
    check(page, axe, f"{language}/login-refused", found)
    visit(context, axe, base, f"{language}/404", "/no-such-page", found, status=404)
    context.close()


def trainee_pages(browser, axe, base: str, who: dict, language: str, found: list[str]) -> None:
    """Learning, a quiz taken and its result, the account pages and a 403, as a trainee."""
    context = logged_in(browser, base, who["trainee"], language)
    for name, path in [("dashboard", "/dashboard"), ("lesson", "/learn/naloxone/3"),
                       ("handout", "/learn/naloxone/handout")]:
        visit(context, axe, base, f"{language}/{name}", path, found)
    page = visit(context, axe, base, f"{language}/quiz-start", "/quizzes/module/naloxone", found)
    page.locator("main form button.primary").click()
    page.wait_for_load_state()
    check(page, axe, f"{language}/quiz-take", found)
    page.evaluate("""() => {
        for (const set of document.querySelectorAll('form.quiz fieldset')) {
            const choice = set.querySelector('input[type=radio], input[type=checkbox]');
            if (choice) choice.checked = true;
            set.querySelectorAll('select').forEach((select, i) => { select.selectedIndex = i + 1; });
        }
    }""")
    page.locator("form.quiz button.primary").click()
    page.wait_for_url("**/quizzes/attempt/*")
    check(page, axe, f"{language}/quiz-result", found)
    for name, path in [("quiz-history", "/quizzes/history"), ("profile", "/account/profile"),
                       ("password", "/account/password"), ("my-data", "/account/data")]:
        visit(context, axe, base, f"{language}/{name}", path, found)
    visit(context, axe, base, f"{language}/403", "/audit", found, status=403)
    context.close()


def staff_pages(browser, axe, base: str, who: dict, language: str, found: list[str]) -> None:
    """The cohort pages as the cohort's trainer; organisations, audit and users as an admin."""
    context = logged_in(browser, base, who["trainer"], language)
    cohort = f"/cohorts/{who['cohort']}"
    for name, path in [("cohorts", "/cohorts"), ("cohort", cohort), ("attendance", f"{cohort}/attendance"),
                       ("skills", f"{cohort}/skills"), ("roster", f"{cohort}/roster"),
                       ("paper-scores", f"{cohort}/paper-scores"), ("difficult-questions", f"{cohort}/questions")]:
        visit(context, axe, base, f"{language}/{name}", path, found)
    context.close()
    context = logged_in(browser, base, who["admin"], language)
    for name, path in [("organisations", "/organisations/"), ("audit", "/audit"), ("users", "/admin/users")]:
        visit(context, axe, base, f"{language}/{name}", path, found)
    context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_core_pages_have_no_axe_violations(app, live_server, browser, axe, people, language):
    who, found = people(language), []
    anonymous_pages(browser, axe, live_server, language, found)
    trainee_pages(browser, axe, live_server, who, language, found)
    staff_pages(browser, axe, live_server, who, language, found)
    assert not found, "axe-core (WCAG 2.1 A/AA) violations:\n" + "\n".join(found)


FIELDWORK_PAGES = [  # (endpoint, who, path); the page is checked only once its endpoint exists
    ("kits.index", "trainer", "/kits/"), ("kits.receive", "trainer", "/kits/receive"),
    ("kits.hand_out", "trainer", "/kits/hand-out"), ("kits.mine", "trainee", "/kits/mine"),
    ("responses.new", "trainee", "/report"), ("responses.thanks", "trainee", "/report/thanks"),
    ("responses.index", "admin", "/report/list"), ("reports.index", "admin", "/reports"),
    ("reach.trainers", "admin", "/reports/trainers"),
    ("certificates.mine", "trainee", "/certificates/"), ("certificates.manage", "admin", "/certificates/manage"),
    ("certificates.award", "admin", "/certificates/award"),
    ("certificates.settings", "admin", "/certificates/settings"),
    ("verify.form", "trainee", "/verify"),
]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_fieldwork_pages_have_no_axe_violations(app, live_server, browser, axe, people, language):
    assert all(endpoint in app.view_functions for endpoint, _role, _path in FIELDWORK_PAGES)
    pages, who, found = FIELDWORK_PAGES, people(language), []
    for role in ("trainee", "trainer", "admin"):
        context = logged_in(browser, live_server, who[role], language)
        for endpoint, _role, path in (page for page in pages if page[1] == role):
            visit(context, axe, live_server, f"{language}/{endpoint}", path, found)
        context.close()
    assert not found, "axe-core (WCAG 2.1 A/AA) violations:\n" + "\n".join(found)
