"""Server-drawn SVG bar charts: pure functions from numbers and labels to markup, no JavaScript.

Bars are horizontal, so long labels in any language fit at 360 px. In a right-to-left language the whole chart
is mirrored: labels and bars start on the right and bars grow leftwards, as an Arabic reader scans a table.
Every user-typed label is escaped; numbers are formatted by the caller and escaped too.
"""
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 420
VALUE_WIDTH = 120  # room for the longest value, "fewer than 5", at the chart's type size
ROW = 50  # a label line above each bar, so long labels in any language never get cut
BAR = 20
TOP = 4


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None when suppressed) and the text printed beside it."""

    label: str
    value: int | float | None
    text: str


def _x(x: float, width: float, rtl: bool) -> float:
    """The left edge of a box in the drawn chart, mirrored in right-to-left layouts."""
    return WIDTH - x - width if rtl else x


def _text(x: float, y: float, content: str, anchor: str, rtl: bool, css: str) -> str:
    """A text element placed from the start side; the svg's direction makes "start" the right edge in RTL."""
    if rtl:
        x = WIDTH - x
    return (f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" class="{css}" '
            f'dominant-baseline="middle">{escape(content)}</text>')


def bar_chart(chart_id: str, title: str, bars: list[Bar], rtl: bool = False) -> Markup:
    """A horizontal bar chart with a title for assistive technology; suppressed bars are an empty dashed outline."""
    height = TOP * 2 + ROW * max(len(bars), 1)
    biggest = max((b.value for b in bars if b.value), default=0)
    track = WIDTH - VALUE_WIDTH
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
             f'role="img" aria-labelledby="{escape(chart_id)}-title" direction="{"rtl" if rtl else "ltr"}">',
             f'<title id="{escape(chart_id)}-title">{escape(title)}</title>']
    for i, bar in enumerate(bars):
        y = TOP + i * ROW
        middle = y + 18 + BAR / 2
        parts.append(_text(0, y + 9, bar.label, "start", rtl, "chart-label"))
        length = track * bar.value / biggest if bar.value and biggest else 0
        # A hidden count gets a dashed outline: drawn like a zero, it would read as none at all.
        track_class = "chart-track" if bar.value is not None else "chart-track chart-hidden"
        parts.append(f'<rect x="{_x(0, track, rtl):.0f}" y="{y + 18}" width="{track}" height="{BAR}" '
                     f'class="{track_class}"/>')
        if length:
            parts.append(f'<rect x="{_x(0, length, rtl):.1f}" y="{y + 18}" width="{length:.1f}" height="{BAR}" '
                         'class="chart-bar"/>')
        parts.append(_text(track + 8, middle, bar.text, "start", rtl, "chart-value"))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece above is a number or an escaped string
