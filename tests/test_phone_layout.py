"""On a 360 px phone: no page is wider than the screen, taps land on 44 px targets, codes read left to right."""
from datetime import date, timedelta

import pytest

from app import db
from tests.conftest import PASSWORD
from tests.livesite import require_chromium
from tests.test_issuing import SLUG, complete
from training.fieldwork import KitReceipt

WIDTH = 360
pytestmark = pytest.mark.browser

require_chromium("phone layout tests")


@pytest.fixture
def people(make_org, make_user, make_cohort):
    """A certified trainee with a quiz history, and the trainer of their cohort, whose stock has a lot near expiry."""
    from certificates.issuing import issue_if_eligible

    def make(language: str) -> dict:
        org = make_org(name="Harbour Outreach")
        trainee = make_user(organisation_id=org.id, display_name="Amal Haddad", language=language)
        trainer = make_user("trainer", organisation_id=org.id, language=language)
        cohort = make_cohort(org=org, trainer=trainer, members=[trainee], name="Tuesday group")
        complete(trainee)
        issue_if_eligible(trainee.id, SLUG)
        for lot, days in (("DEMO-NS-24A", 30), ("DEMO-AMP-11", 400)):
            db.session.add(KitReceipt(organisation_id=org.id, form="nasal-spray", quantity=12, lot=lot,
                                      expires_on=date.today() + timedelta(days=days), received_on=date.today()))
        db.session.commit()
        return {"trainee": trainee, "trainer": trainer, "cohort": cohort.id}

    return make


def phone(browser, base: str, user):
    """A 360 px wide tab logged in as the user (in the user's language)."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 800})
    context.request.post(f"{base}/auth/login", form={"username": user.username, "password": PASSWORD})
    return context.new_page()


def heights(page, selector: str) -> list[float]:
    """The height of every element the selector finds."""
    return page.eval_on_selector_all(selector, "found => found.map(e => e.getBoundingClientRect().height)")


def too_wide(page, base: str, paths: list[str]) -> list[str]:
    """The pages, of those given, that are wider than the phone's screen."""
    wide = []
    for path in paths:
        assert page.goto(base + path).status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide.append(f"{path}: {width} px")
    return wide


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_page_is_wider_than_the_phone(live_server, browser, people, language):
    who = people(language)
    page = phone(browser, live_server, who["trainee"])
    wide = too_wide(page, live_server, ["/dashboard", "/learn/naloxone/3", "/quizzes/history", "/certificates/"])
    page.goto(f"{live_server}/quizzes/history")
    result = page.locator("main td").last.bounding_box()  # an attempt's result is seen without scrolling
    assert result["x"] >= 0 and result["x"] + result["width"] <= WIDTH, result
    page = phone(browser, live_server, who["trainer"])
    wide += too_wide(page, live_server, ["/kits/", f"/cohorts/{who['cohort']}/import"])
    assert not wide, wide


def test_links_buttons_and_choices_are_big_enough_to_tap(live_server, browser, people):
    page = phone(browser, live_server, people("en")["trainee"])
    page.goto(f"{live_server}/learn/naloxone/3")
    targets = ".site-header a, .site-header button, .site-header select, .breadcrumbs a, .pager a"
    assert min(heights(page, targets)) >= 44
    page.goto(f"{live_server}/dashboard")
    assert min(heights(page, ".module-row > a")) >= 44
    page.goto(f"{live_server}/quizzes/module/naloxone")
    page.locator("main form button.primary").click()
    page.wait_for_load_state()
    assert page.locator(".choice label").count() > 4
    assert min(heights(page, ".choice label")) >= 44
    assert min(heights(page, ".choice input")) >= 24


def test_codes_lots_and_dates_read_left_to_right_in_arabic_on_one_line(live_server, browser, people):
    who = people("ar")
    page = phone(browser, live_server, who["trainee"])
    for path, selector in [("/certificates/", ".cert-code"), ("/verify", ".hint bdi")]:
        page.goto(live_server + path)
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).direction") == "ltr", path
    page = phone(browser, live_server, who["trainer"])
    page.goto(f"{live_server}/kits/")
    lots = page.locator("main bdi[dir=ltr]")
    assert lots.count() >= 3  # the warning's lot, and the stock table's lots
    lines = lots.evaluate_all("found => found.map(e => [getComputedStyle(e).direction, e.getClientRects().length])")
    assert all(line == ["ltr", 1] for line in lines), lines
    dates = page.locator("main td .nowrap")  # written as Arabic writes dates, each on one line
    one_line = "found => found.every(e => new Set([...e.getClientRects()].map(r => Math.round(r.top))).size == 1)"
    assert dates.count() >= 3 and dates.evaluate_all(one_line)  # bidi runs may split a date, never onto two lines


def test_the_poster_prints_on_one_sheet_with_its_code_large(browser, live_server, people):
    from io import BytesIO

    from pypdf import PdfReader

    world = people("uk")
    page = phone(browser, live_server, world["trainer"])
    assert page.goto(f"{live_server}/cohorts/{world['cohort']}/poster").status == 200
    page.emulate_media(media="print")
    assert not page.locator(".work-nav").is_visible()  # it pushed the poster onto a second sheet
    assert page.eval_on_selector(".poster-code", "e => getComputedStyle(e).fontSize") == "53.3333px"  # 40 pt
    assert len(PdfReader(BytesIO(page.pdf(format="A4"))).pages) == 1


def test_the_under_18_tick_shows_only_for_the_under_18_age(browser, live_server):
    page = browser.new_page(viewport={"width": WIDTH, "height": 800})
    page.goto(f"{live_server}/auth/signup")
    assent = page.locator("#assented_at")
    assert not assent.is_visible()  # an adult is not asked to tick "I am under 18"
    page.select_option("select[name=age_band]", "under-18")
    assert assent.is_visible()
    page.close()
