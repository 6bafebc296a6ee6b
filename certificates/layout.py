"""What certificates and wallet cards share on the page: colours, mirroring and reused forms."""

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from certificates.text import Style, draw

TEAL = HexColor("#0F5C63")
ACCENT = HexColor("#E4752B")
INK = HexColor("#1E2A2F")
MUTED = HexColor("#5E6B73")
HAIRLINE = HexColor("#C5CFD2")


@dataclass(frozen=True)
class Page:
    """A page's size and direction; x positions and alignments are written left to right."""

    width: float
    height: float
    rtl: bool

    def x(self, x: float) -> float:
        """Return x, mirrored on a right-to-left page."""
        return self.width - x if self.rtl else x

    def align(self, align: str) -> str:
        """Return an alignment, mirrored on a right-to-left page."""
        return {"left": "right", "right": "left"}.get(align, align) if self.rtl else align


def say(canvas: Canvas, page: Page, x: float, y: float, line: str, style: Style, align: str) -> None:
    """Draw a visual line at a mirrored position with a mirrored alignment."""
    draw(canvas, page.x(x), y, line, style, page.align(align))


def use_form(canvas: Canvas, name: str, draw_form: Callable[[Canvas], None]) -> None:
    """Draw a form XObject, creating it the first time a document needs it."""
    if not canvas.hasForm(name):
        canvas.beginForm(name)
        draw_form(canvas)
        canvas.endForm()
    canvas.doForm(name)
