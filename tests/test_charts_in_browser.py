"""Charts drawn by Chromium: the longest value a report prints fits inside the chart in every language."""
from pathlib import Path

import pytest
from babel.support import Translations

from app import LANGUAGES, RTL_LANGUAGES
from tests.livesite import require_chromium
from training.charts import WIDTH, Bar, bar_chart

ROOT = Path(__file__).parent.parent
pytestmark = pytest.mark.browser

require_chromium("chart tests")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_value_fits_inside_the_chart(browser, language):
    suppressed = Translations.load(ROOT / "translations", [language]).gettext("fewer than 5")
    rtl = language in RTL_LANGUAGES
    chart = bar_chart("c", "t", [Bar("a", 12345, "12,345"), Bar("b", None, suppressed)], rtl=rtl)
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.set_content(f"<html lang='{language}' dir='{'rtl' if rtl else 'ltr'}'><style>"
                     f"{(ROOT / 'static' / 'site.css').read_text()}</style>"
                     f"<div class='report-chart'>{chart}</div></html>")
    boxes = page.eval_on_selector_all(".chart-value", "texts => texts.map(t => { const b = t.getBBox();"
                                      " return [b.x, b.x + b.width]; })")
    page.close()
    assert len(boxes) == 2
    assert all(start >= 0 and end <= WIDTH for start, end in boxes), boxes
