"""SVG bar charts: accessible, mirrored in right-to-left languages, escaped."""
from training.charts import VALUE_WIDTH, WIDTH, Bar, bar_chart


def test_a_chart_is_an_image_with_a_title():
    svg = bar_chart("c1", "People trained", [Bar("Female", 10, "10"), Bar("Male", 5, "5")])
    assert 'role="img"' in svg and 'aria-labelledby="c1-title"' in svg
    assert '<title id="c1-title">People trained</title>' in svg and svg.count('class="chart-bar"') == 2


def test_user_typed_labels_are_escaped():
    svg = bar_chart("c2", "<b>t</b>", [Bar('<script>alert(1)</script>"', 3, "<5")])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;" in svg and "&lt;5" in svg


def test_a_suppressed_bar_is_drawn_empty_and_unlike_a_zero():
    svg = bar_chart("c3", "t", [Bar("Female", None, "fewer than 5"), Bar("Male", 8, "8"), Bar("Other", 0, "0")])
    assert svg.count('class="chart-bar"') == 1 and "fewer than 5" in svg
    assert svg.count("chart-hidden") == 1  # only the hidden count is outlined; the zero is a plain track


def test_right_to_left_charts_draw_bars_from_the_right():
    bars = [Bar("أنثى", 10, "10"), Bar("ذكر", 5, "5")]
    ltr, rtl = bar_chart("c4", "t", bars), bar_chart("c4", "t", bars, rtl=True)
    assert f'x="{WIDTH}" y="13" text-anchor="start"' in rtl and 'x="0" y="13" text-anchor="start"' in ltr
    assert 'direction="rtl"' in rtl and 'direction="ltr"' in ltr
    half = (WIDTH - VALUE_WIDTH) / 2  # the second bar is half the track, drawn from the start side
    assert f'x="0.0" y="72" width="{half:.1f}"' in ltr and f'x="{WIDTH - half:.1f}" y="72" width="{half:.1f}"' in rtl


def test_an_empty_chart_still_renders():
    assert bar_chart("c5", "t", []).endswith("</svg>")
