"""A real browser: sign up, log in, switch to Arabic and see the page right to left, log out."""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).parent.parent / "test-artifacts" / "screenshots"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser

if not os.access(CHROMIUM, os.X_OK):
    if os.environ.get("CI"):
        raise RuntimeError(f"CI needs Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium); browser tests skipped",
                allow_module_level=True)


@pytest.fixture
def live_server(app):
    """Serve the test app on a free port of 127.0.0.1 in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


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
