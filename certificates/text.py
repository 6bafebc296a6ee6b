"""Fonts and text for the canvas: registered once, shaped, put in visual order, measured, drawn.

Everything here draws with text objects (textOut), which take no markup: whatever a
person typed as their name prints as those characters and is never parsed, so
reportlab's paragraph markup (and its history of CVEs) is never involved.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).parent / "fonts"
RTL_LANGUAGES = frozenset({"ar"})

# DejaVu covers Latin and Cyrillic; Noto Naskh gives Arabic a real book face.
_FONT_FILES = {
    "NA-Sans": "DejaVuSans.ttf",
    "NA-Sans-Bold": "DejaVuSans-Bold.ttf",
    "NA-Naskh": "NotoNaskhArabic-Regular.ttf",
    "NA-Naskh-Bold": "NotoNaskhArabic-Bold.ttf",
}
_ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
_ARABIC = re.compile(f"[{_ARABIC_LETTERS}]")
# A run of Arabic words keeps its inner spaces so that they take the Arabic face's width.
_ARABIC_RUN = re.compile(f"[{_ARABIC_LETTERS}]+(?: +[{_ARABIC_LETTERS}]+)*")
_RIGHT_TO_LEFT = re.compile(f"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc{_ARABIC_LETTERS}]")
_RESHAPER = arabic_reshaper.ArabicReshaper({"delete_harakat": False})


@dataclass(frozen=True)
class Style:
    """A size and weight for one line of text."""

    size: float
    bold: bool = False
    spacing: float = 0.0


@cache
def prepare_reportlab() -> None:
    """Register the bundled fonts and write binary streams, once per process."""
    for name, filename in _FONT_FILES.items():
        # Subsets hold only the glyphs a document uses, not all of ASCII besides.
        pdfmetrics.registerFont(TTFont(name, FONT_DIR / filename, asciiReadable=False))
    # ASCII85 makes every stream a quarter bigger and is encoded in pure Python;
    # binary streams are fine in a PDF that is downloaded, never pasted into an e-mail.
    rl_config.useA85 = 0


def is_rtl(language: str) -> bool:
    """Return whether a language is written right to left."""
    return language in RTL_LANGUAGES


def clean(text: str) -> str:
    """Return text on one line, without control characters or runs of spaces."""
    printable = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    return " ".join(printable.split())


@lru_cache(maxsize=4096)
def visual(text: str, language: str) -> str:
    """Return one line of text shaped and in visual (left to right drawing) order."""
    line = clean(text)
    if _ARABIC.search(line):
        line = _RESHAPER.reshape(line)
    if is_rtl(language) or _RIGHT_TO_LEFT.search(line):
        line = get_display(line, base_dir="R" if is_rtl(language) else "L")
    return line


def runs(line: str, bold: bool) -> list[tuple[str, str]]:
    """Split a visual line into (font name, text) runs, Arabic in Naskh and the rest in DejaVu."""
    sans, naskh = ("NA-Sans-Bold", "NA-Naskh-Bold") if bold else ("NA-Sans", "NA-Naskh")
    result, start = [], 0
    for match in _ARABIC_RUN.finditer(line):
        if match.start() > start:
            result.append((sans, line[start : match.start()]))
        result.append((naskh, match.group()))
        start = match.end()
    if start < len(line):
        result.append((sans, line[start:]))
    return result


def _spacing(line: str, style: Style) -> float:
    """Return the letter spacing for a line: none for Arabic, whose letters must stay joined."""
    return 0.0 if not style.spacing or _ARABIC.search(line) else style.spacing


def width(line: str, style: Style) -> float:
    """Return the width in points of a visual line."""
    return _spacing(line, style) * len(line) + sum(
        pdfmetrics.stringWidth(chunk, font, style.size) for font, chunk in runs(line, style.bold)
    )


def draw(canvas: Canvas, x: float, y: float, line: str, style: Style, align: str = "left") -> None:
    """Draw a visual line with its baseline at y, aligned left, right or centre on x."""
    spacing = _spacing(line, style)
    if align != "left":
        # The spacing after the last letter is not part of the line's visible width.
        shift = width(line, style) - spacing
        x -= shift if align == "right" else shift / 2
    text = canvas.beginText(x, y)
    if spacing:
        text.setCharSpace(spacing)
    for font, chunk in runs(line, style.bold):
        text.setFont(font, style.size)
        text.textOut(chunk)
    if spacing:
        # Character spacing belongs to the graphics state and would outlive this line.
        text.setCharSpace(0)
    canvas.drawText(text)


def fit(text: str, language: str, style: Style, room: float, smallest: float) -> Style:
    """Return the style shrunk, if need be, so the visual line fits in room points."""
    line = visual(text, language)
    natural = width(line, style)
    if natural <= room:
        return style
    size = max(smallest, style.size * room / natural)
    return Style(size, style.bold, style.spacing * size / style.size)


def name_lines(text: str, language: str, style: Style, room: float, readable: float) -> tuple[Style, list[str]]:
    """A name as visual lines: one while it fits at a readable size, else two balanced ones shrunk until they fit."""
    one = fit(text, language, style, room, readable)
    if width(visual(text, language), one) <= room:
        return one, [visual(text, language)]
    words, start = clean(text).split(), Style(readable, style.bold, style.spacing * readable / style.size)
    if len(words) == 1:
        lines = [visual(text, language)]
    else:  # break at the space that leaves the longer of the two lines shortest
        halves = ([" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words)))
        lines = min(([visual(half, language) for half in pair] for pair in halves),
                    key=lambda pair: max(width(line, start) for line in pair))
    longest = max(width(line, start) for line in lines)
    size = min(readable, readable * room / longest)  # never wider than the room, however long the name
    return Style(size, style.bold, start.spacing * size / readable), lines


def wrap(items: list[str], language: str, style: Style, room: float, separator: str = " · ") -> list[str]:
    """Return logical lines that fit in room, joining items with separator and breaking between them."""
    lines: list[str] = []
    current = ""
    for item in (clean(item) for item in items):
        candidate = f"{current}{separator}{item}" if current else item
        if current and width(visual(candidate, language), style) > room:
            lines.append(current)
            candidate = item
        current = candidate
    if current:
        lines.append(current)
    return lines
