"""A real browser: sign up, log in, switch to Arabic and see the page right to left, log out."""
from pathlib import Path

import pytest

from tests.livesite import require_chromium

SHOTS = Path(__file__).parent.parent / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser

require_chromium("browser tests")




def shoot(page, name: str) -> None:
    """Save a full-page screenshot for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_sign_up_log_in_arabic_log_out(live_server, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 800}, locale="en-GB")
    page.goto(f"{live_server}/")
    shoot(page, f"home-en-{width}")
    page.get_by_role("link", name="Start the training").click()
    page.get_by_label("Username").fill("river")
    page.get_by_label("Password", exact=True).fill("blue kettle morning")
    page.get_by_label("Repeat the password").fill("blue kettle morning")
    page.get_by_label("I have read what is stored and agree.").check()
    shoot(page, f"signup-en-{width}")
    page.get_by_role("button", name="Create my account").click()
    assert page.get_by_role("heading", name="Hello, river").is_visible()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Username").fill("River")
    page.get_by_label("Password").fill("blue kettle morning")
    page.get_by_role("button", name="Log in").click()
    page.select_option("#language-switcher", "ar")
    page.get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] + brand["width"] > width * 0.6  # the brand sits on the right in Arabic
    shoot(page, f"dashboard-ar-{width}")
    page.goto(f"{live_server}/")
    shoot(page, f"home-ar-{width}")
    page.locator("header form button.link").click()
    assert page.locator(".flash").count() == 1
    assert page.locator("header nav a").count() == 2  # log in and sign up: the session is gone
    page.close()
