"""Wallet cards: ten to an A4 sheet with cut marks, a front sheet then a mirrored back sheet."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from itertools import islice
from typing import BinaryIO

from reportlab.lib.colors import white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from certificates import pictograms
from certificates.codes import format_code
from certificates.layout import ACCENT, HAIRLINE, INK, MUTED, TEAL, Page, say, use_form
from certificates.pdf import CertificateView
from certificates.text import Style, draw, fit, is_rtl, name_lines, prepare_reportlab, visual, width, wrap
from training.qr import draw_qr

CARD = (85.6 * mm, 54 * mm)
COLUMNS, ROWS = 2, 5
PER_SHEET = COLUMNS * ROWS
# The grid is centred, so mirroring columns lines the backs up with the fronts.
MARGIN = ((A4[0] - COLUMNS * CARD[0]) / 2, (A4[1] - ROWS * CARD[1]) / 2)
_QR_SIDE = 64.0


@dataclass(frozen=True)
class WalletLabels:
    """Interface text printed on a wallet card, already in the holder's language."""

    heading: str
    steps: tuple[str, str, str, str]
    emergency: str


@dataclass(frozen=True)
class WalletView:
    """One person's wallet card: their certificate, the response steps and the number to call."""

    certificate: CertificateView
    labels: WalletLabels
    emergency_number: str


def card_origin(index: int, back: bool) -> tuple[float, float]:
    """Return the lower left corner of a card slot; a back sheet mirrors the columns."""
    row, column = divmod(index, COLUMNS)
    column = COLUMNS - 1 - column if back else column
    return MARGIN[0] + column * CARD[0], A4[1] - MARGIN[1] - (row + 1) * CARD[1]


def _cut_marks(canvas: Canvas) -> None:
    """Draw marks in the margins where every cut line starts and ends."""
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.4)
    left, bottom = MARGIN
    right, top = A4[0] - left, A4[1] - bottom
    for column in range(COLUMNS + 1):
        x = left + column * CARD[0]
        canvas.line(x, top + 2 * mm, x, top + 9 * mm)
        canvas.line(x, bottom - 2 * mm, x, bottom - 9 * mm)
    for row in range(ROWS + 1):
        y = bottom + row * CARD[1]
        canvas.line(left - 2 * mm, y, left - 12 * mm, y)
        canvas.line(right + 2 * mm, y, right + 12 * mm, y)


def _card_edge(canvas: Canvas) -> None:
    """Draw a hairline around a card, a guide for scissors."""
    canvas.setStrokeColor(HAIRLINE)
    canvas.setLineWidth(0.3)
    canvas.rect(0, 0, *CARD)


def _front_frame(canvas: Canvas) -> None:
    """Draw what every card front shares: its edge and header band."""
    _card_edge(canvas)
    canvas.setFillColor(TEAL)
    canvas.rect(0, CARD[1] - 26, CARD[0], 26, stroke=0, fill=1)


def _programme_lines(title: str, language: str, room: float, count: int) -> tuple[Style, list[str]]:
    """The programme's title in at most `count` lines, smaller if need be, and marked as cut only as a last resort."""
    for size in (7.5, 6.5, 6.0):
        lines = wrap(title.split(), language, Style(size, True), room, " ")
        if len(lines) <= count:
            return Style(size, True), lines
    return Style(size, True), [*lines[: count - 1], lines[count - 1] + " …"]


def _front(canvas: Canvas, view: WalletView) -> None:
    """Draw a card front at the origin: organisation, holder, programme, validity, code, QR code."""
    cert, page = view.certificate, Page(CARD[0], CARD[1], is_rtl(view.certificate.language))
    lang, room, top = cert.language, CARD[0] - _QR_SIDE - 26, CARD[1]
    use_form(canvas, "wallet-front", _front_frame)
    canvas.setFillColor(white)
    style = fit(cert.organisation_name, lang, Style(8.5, bold=True), CARD[0] - 20, 5.5)
    say(canvas, page, 10, top - 16.5, visual(cert.organisation_name, lang), style, "left")
    canvas.setFillColor(MUTED)
    say(canvas, page, 10, top - 38, visual(cert.labels.title, lang), Style(6.5), "left")
    canvas.setFillColor(INK)
    # The name's lines sit above the QR code, so they may use the card's whole width.
    style, lines = name_lines(cert.holder_name, lang, Style(11.5, bold=True), CARD[0] - 20, 9)
    for index, line in enumerate(lines):
        say(canvas, page, 10, top - 51 - 10 * index, line, style, "left")
    canvas.setFillColor(TEAL)
    style, programme = _programme_lines(cert.programme_title, lang, room, 3 - len(lines))
    for index, line in enumerate(programme, start=len(lines)):
        say(canvas, page, 10, top - 54 - 10 * index, visual(line, lang), style, "left")
    canvas.setFillColor(MUTED)
    say(canvas, page, 10, 37, visual(cert.labels.valid_until, lang), Style(6.5), "left")
    canvas.setFillColor(INK)
    say(canvas, page, 10, 27, visual(cert.valid_until, lang), Style(8.5, bold=True), "left")
    say(canvas, page, 10, 11, format_code(cert.code), Style(8, bold=True, spacing=0.3), "left")
    draw_qr(canvas, 10 if page.rtl else CARD[0] - 10 - _QR_SIDE, 12, _QR_SIDE, cert.verify_url)


def _back_frame(rtl: bool) -> Callable[[Canvas], None]:
    """Return a drawing of what every card back shares: bands, step numbers and pictograms."""

    def draw_back(canvas: Canvas) -> None:
        _card_edge(canvas)
        canvas.setFillColor(ACCENT)
        canvas.rect(0, CARD[1] - 22, CARD[0], 22, stroke=0, fill=1)
        canvas.setFillColor(TEAL)
        canvas.rect(0, 0, CARD[0], 30, stroke=0, fill=1)
        for step, pictogram in enumerate(pictograms.STEPS):
            centre = _step_centre(step, rtl)
            canvas.saveState()
            canvas.translate(centre - 18, CARD[1] - 76)
            canvas.scale(1.2, 1.2)
            canvas.setStrokeColor(TEAL)
            canvas.setFillColor(TEAL)
            pictogram(canvas)
            canvas.restoreState()
            badge = centre + (20 if rtl else -20)
            canvas.setFillColor(ACCENT)
            canvas.circle(badge, CARD[1] - 34, 5, stroke=0, fill=1)
            canvas.setFillColor(white)
            draw(canvas, badge, CARD[1] - 36.5, str(step + 1), Style(7, bold=True), "centre")

    return draw_back


def _step_centre(step: int, rtl: bool) -> float:
    """Return the x centre of a step's column; steps run right to left on a right-to-left card."""
    width = (CARD[0] - 8) / 4
    column = 3 - step if rtl else step
    return 4 + width * (column + 0.5)


def _caption(caption: str, lang: str, room: float) -> tuple[Style, list[str]]:
    """A step caption in three lines (four when smaller), in the largest size at which every line fits."""
    for size, most in ((6.8, 3), (6.2, 3), (5.6, 4), (5.0, 4)):
        style = Style(size, bold=True)
        lines = wrap(caption.split(), lang, style, room, " ")
        if len(lines) <= most and all(width(visual(line, lang), style) <= room for line in lines):
            return style, lines
    return style, lines[:4]  # a caption this long is a translation to shorten (a test checks every language)


def _back(canvas: Canvas, view: WalletView) -> None:
    """Draw a card back at the origin: the four response steps and the emergency number."""
    lang, rtl = view.certificate.language, is_rtl(view.certificate.language)
    use_form(canvas, f"wallet-back-{'rtl' if rtl else 'ltr'}", _back_frame(rtl))
    canvas.setFillColor(white)
    style = fit(view.labels.heading, lang, Style(8.5, bold=True), CARD[0] - 16, 5.5)
    draw(canvas, CARD[0] / 2, CARD[1] - 14.5, visual(view.labels.heading, lang), style, "centre")
    canvas.setFillColor(INK)
    room = (CARD[0] - 8) / 4 - 3
    for step, caption in enumerate(view.labels.steps):
        style, lines = _caption(caption, lang, room)
        for index, line in enumerate(lines):
            y = CARD[1] - 87 - style.size * 1.18 * index
            draw(canvas, _step_centre(step, rtl), y, visual(line, lang), style, "centre")
    canvas.setFillColor(white)
    draw(canvas, CARD[0] / 2, 19.5, visual(view.labels.emergency, lang), Style(6.5), "centre")
    draw(canvas, CARD[0] / 2, 6, visual(view.emergency_number, lang), Style(12, bold=True), "centre")


def _sheet(canvas: Canvas, views: list[WalletView], back: bool) -> None:
    """Draw one sheet of up to ten card fronts or backs, with cut marks."""
    canvas.setPageSize(A4)
    use_form(canvas, "wallet-marks", _cut_marks)
    for index, view in enumerate(views):
        canvas.saveState()
        canvas.translate(*card_origin(index, back))
        (_back if back else _front)(canvas, view)
        canvas.restoreState()
    canvas.showPage()


def _sheets(views: Iterable[WalletView]) -> Iterator[list[WalletView]]:
    """Yield the views ten at a time."""
    remaining = iter(views)
    while chunk := list(islice(remaining, PER_SHEET)):
        yield chunk


def write_wallet_sheets(views: Iterable[WalletView], out: BinaryIO) -> int:
    """Write one PDF of card sheets, each front followed by its back, and return the page count."""
    prepare_reportlab()
    canvas = Canvas(out, pagesize=A4, pageCompression=1, initialFontName="NA-Sans")
    canvas.setCreator("Naloxone Academy")
    pages = 0
    for chunk in _sheets(views):
        if not pages:  # the title a PDF reader shows, in the first card's language, as a certificate's is
            canvas.setTitle(chunk[0].certificate.labels.title)
        _sheet(canvas, chunk, back=False)
        _sheet(canvas, chunk, back=True)
        pages += 2
    if not pages:
        raise ValueError("there are no wallet cards to write")
    canvas.save()
    return pages


def render_wallet(view: WalletView) -> bytes:
    """Return one person's wallet card as a two-page PDF: front sheet, then back sheet."""
    out = BytesIO()
    write_wallet_sheets([view], out)
    return out.getvalue()
