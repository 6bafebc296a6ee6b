"""Certificate PDFs: one landscape page per certificate, drawn straight onto a reportlab canvas."""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from typing import BinaryIO

from PIL import Image
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from certificates.codes import format_code, normalise_code
from certificates.layout import ACCENT, HAIRLINE, INK, MUTED, TEAL, Page, say, use_form
from certificates.text import Style, draw, fit, is_rtl, name_lines, prepare_reportlab, visual, wrap
from training.qr import draw_qr

PAGE_SIZES = {"A4": landscape(A4), "Letter": landscape(letter)}
_QR_SIDE = 84.0
LOGO_BOX = (160, 44)


@dataclass(frozen=True)
class CertificateLabels:
    """Interface text printed on a certificate, already in the holder's language."""

    title: str
    certifies: str
    completed: str
    issued: str
    valid_until: str
    verify_at: str


@dataclass(frozen=True)
class CertificateView:
    """Everything printed on one certificate, translated and formatted by the caller."""

    language: str
    labels: CertificateLabels
    holder_name: str
    programme_title: str
    module_titles: tuple[str, ...]
    organisation_name: str
    signatory_name: str
    signatory_title: str
    issued_on: str
    valid_until: str
    code: str
    public_base_url: str
    page_size: str = "A4"
    logo: bytes | None = None

    def __post_init__(self) -> None:
        """Refuse a page size or code that could only print a wrong certificate."""
        if self.page_size not in PAGE_SIZES:
            raise ValueError(f"page size must be one of {sorted(PAGE_SIZES)}")
        if normalise_code(self.code) != self.code:
            raise ValueError("code must be a canonical certificate code")

    @property
    def verify_url(self) -> str:
        """Return the public address the QR code opens."""
        return f"{self.public_base_url.rstrip('/')}/verify/{self.code}"


def _frame(page: Page) -> Callable[[Canvas], None]:
    """Return a drawing of what every certificate of this size and direction shares."""

    def draw_frame(canvas: Canvas) -> None:
        w, h = page.width, page.height
        canvas.setStrokeColor(TEAL)
        canvas.setLineWidth(2.2)
        canvas.rect(18, 18, w - 36, h - 36)
        canvas.setLineWidth(0.6)
        canvas.rect(26, 26, w - 52, h - 52)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(2.2)
        canvas.line(w / 2 - 36, h - 176, w / 2 + 36, h - 176)
        canvas.setStrokeColor(HAIRLINE)
        canvas.setLineWidth(0.6)
        canvas.line(w / 2 - 230, h - 274, w / 2 + 230, h - 274)
        canvas.setStrokeColor(INK)
        canvas.line(page.x(70), 118, page.x(250), 118)

    return draw_frame


@lru_cache(maxsize=16)
def _logo_image(logo: bytes) -> ImageReader:
    """Return a logo decoded once per process and no sharper than print needs."""
    image = Image.open(BytesIO(logo))
    # Three pixels a point is over 200 dpi in the box; a bigger logo only slows every document down.
    image.thumbnail((3 * LOGO_BOX[0], 3 * LOGO_BOX[1]))
    return ImageReader(
        image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    )


def _logo(canvas: Canvas, logo: bytes, centre: float, top: float) -> None:
    """Draw the organisation's logo centred in its box, embedding the image once per document."""
    image = _logo_image(logo)
    image_width, image_height = image.getSize()
    scale = min(LOGO_BOX[0] / image_width, LOGO_BOX[1] / image_height)
    width, height = image_width * scale, image_height * scale
    name = "logo-" + hashlib.sha256(logo).hexdigest()[:16]
    canvas.saveState()
    canvas.translate(centre - width / 2, top - height)
    use_form(canvas, name, lambda form: form.drawImage(image, 0, 0, width, height, mask="auto"))
    canvas.restoreState()


def _heading(canvas: Canvas, page: Page, view: CertificateView) -> None:
    """Draw the organisation, the title and the words around the holder's name."""
    lang, centre, top = view.language, page.width / 2, page.height
    if view.logo:
        _logo(canvas, view.logo, centre, top - 48)
    canvas.setFillColor(TEAL)
    organisation = view.organisation_name.upper()
    style = fit(organisation, lang, Style(10, bold=True, spacing=1.5), page.width - 160, 7)
    # Without a logo the organisation moves up into the logo's place.
    draw(canvas, centre, top - (110 if view.logo else 80), visual(organisation, lang), style, "centre")
    title = view.labels.title.upper()
    style = fit(title, lang, Style(30, bold=True, spacing=2.5), page.width - 160, 16)
    draw(canvas, centre, top - 160, visual(title, lang), style, "centre")
    canvas.setFillColor(MUTED)
    draw(canvas, centre, top - 208, visual(view.labels.certifies, lang), Style(13), "centre")
    draw(canvas, centre, top - 298, visual(view.labels.completed, lang), Style(13), "centre")


def _achievement(canvas: Canvas, page: Page, view: CertificateView) -> None:
    """Draw the holder's name, the programme and its modules."""
    lang, centre, top, room = view.language, page.width / 2, page.height, page.width - 200
    canvas.setFillColor(INK)
    style, lines = name_lines(view.holder_name, lang, Style(34, bold=True), room, 20)
    first = top - 255 if len(lines) == 1 else top - 243  # a long name's two lines both stay above the rule
    for index, line in enumerate(lines):
        draw(canvas, centre, first - 1.2 * style.size * index, line, style, "centre")
    canvas.setFillColor(TEAL)
    style = fit(view.programme_title, lang, Style(20, bold=True), room, 11)
    draw(canvas, centre, top - 326, visual(view.programme_title, lang), style, "centre")
    canvas.setFillColor(MUTED)
    style, lines = _module_lines(view, room)
    for index, line in enumerate(lines):
        draw(canvas, centre, top - 350 - 1.4 * style.size * index, line, style, "centre")


def _module_lines(view: CertificateView, room: float) -> tuple[Style, list[str]]:
    """Return a style and the module titles in at most three visual lines, shortened if need be."""
    for size in (10.0, 9.0, 8.0):
        lines = wrap(list(view.module_titles), view.language, Style(size), room)
        if len(lines) <= 3:
            break
    else:
        lines = [*lines[:2], lines[2] + " …"]
    return Style(size), [visual(line, view.language) for line in lines]


def _dates(canvas: Canvas, page: Page, view: CertificateView) -> None:
    """Draw when the certificate was issued and until when it is valid."""
    lang, centre = view.language, page.width / 2
    pairs = ((view.labels.issued, view.issued_on, -105), (view.labels.valid_until, view.valid_until, 105))
    for label, value, offset in pairs:
        x = page.x(centre + offset)
        canvas.setFillColor(MUTED)
        draw(canvas, x, page.height - 408, visual(label, lang), Style(9), "centre")
        canvas.setFillColor(INK)
        draw(canvas, x, page.height - 425, visual(value, lang), Style(12.5, bold=True), "centre")


def _footer(canvas: Canvas, page: Page, view: CertificateView) -> None:
    """Draw the signatory on one side, and the code with its QR code on the other."""
    lang = view.language
    canvas.setFillColor(INK)
    style = fit(view.signatory_name, lang, Style(12, bold=True), 220, 8)
    say(canvas, page, 160, 102, visual(view.signatory_name, lang), style, "centre")
    canvas.setFillColor(MUTED)
    style = fit(view.signatory_title, lang, Style(9.5), 220, 7)
    say(canvas, page, 160, 88, visual(view.signatory_title, lang), style, "centre")
    qr_left = page.width - 60 - _QR_SIDE
    canvas.setFillColor(INK)
    draw_qr(canvas, page.width - qr_left - _QR_SIDE if page.rtl else qr_left, 52, _QR_SIDE, view.verify_url)
    edge = qr_left - 14
    canvas.setFillColor(MUTED)
    say(canvas, page, edge, 122, visual(view.labels.verify_at, lang), Style(8.5), "right")
    address = view.public_base_url.split("://", 1)[-1].rstrip("/") + "/verify"
    canvas.setFillColor(INK)
    say(canvas, page, edge, 108, visual(address, "en"), Style(9.5), "right")
    canvas.setFillColor(TEAL)
    say(canvas, page, edge, 86, format_code(view.code), Style(13, bold=True, spacing=0.8), "right")


def draw_certificate(canvas: Canvas, view: CertificateView) -> None:
    """Draw one certificate on the canvas's current page, sized to the view's paper."""
    width, height = PAGE_SIZES[view.page_size]
    page = Page(width, height, is_rtl(view.language))
    canvas.setPageSize((width, height))
    use_form(canvas, f"frame-{view.page_size}-{'rtl' if page.rtl else 'ltr'}", _frame(page))
    _heading(canvas, page, view)
    _achievement(canvas, page, view)
    _dates(canvas, page, view)
    _footer(canvas, page, view)


def write_certificates(views: Iterable[CertificateView], out: BinaryIO) -> int:
    """Write one PDF with a page per certificate to out and return the number of pages."""
    prepare_reportlab()
    canvas = Canvas(out, pageCompression=1, initialFontName="NA-Sans")
    canvas.setCreator("Naloxone Academy")
    pages = 0
    for view in views:
        if not pages:
            canvas.setTitle(view.labels.title)
        draw_certificate(canvas, view)
        canvas.showPage()
        pages += 1
    if not pages:
        raise ValueError("there are no certificates to write")
    canvas.save()
    return pages


def render_certificate(view: CertificateView) -> bytes:
    """Return one certificate as PDF bytes."""
    out = BytesIO()
    write_certificates([view], out)
    return out.getvalue()
