"""Wallet cards: ten to a sheet, fronts then mirrored backs, with the response steps."""

from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from certificates.codes import format_code, new_code
from certificates.pdf import CertificateLabels, CertificateView
from certificates.text import Style, name_lines
from certificates.wallet import (
    CARD,
    WalletLabels,
    WalletView,
    card_origin,
    render_wallet,
    write_wallet_sheets,
)

LABELS = CertificateLabels(
    "Certificate of completion", "This certifies that", "has completed", "Issued", "Valid until", "Verify at"
)
WALLET_LABELS = WalletLabels(
    "If someone may have overdosed",
    ("Check and shout", "Call 112", "Give naloxone", "Recovery position, stay"),
    "Emergency number",
)


def make_card(name: str = "Dana Okafor", language: str = "en", **changes) -> WalletView:
    """Return a wallet card view for a holder."""
    certificate = CertificateView(
        language=language,
        labels=LABELS,
        holder_name=name,
        programme_title="Community overdose response",
        module_titles=("Giving naloxone",),
        organisation_name="Harm Reduction Alliance",
        signatory_name="M. G.",
        signatory_title="Coordinator",
        issued_on="2 January 2025",
        valid_until="2 January 2027",
        code=new_code(),
        public_base_url="https://academy.example",
    )
    return replace(WalletView(certificate, WALLET_LABELS, "112"), **changes)


def sheets(cards: list[WalletView]) -> tuple[int, PdfReader]:
    """Return the page count write_wallet_sheets reports and the PDF it wrote."""
    out = BytesIO()
    pages = write_wallet_sheets(cards, out)
    return pages, PdfReader(out)


@pytest.mark.parametrize(("cards", "pages"), [(1, 2), (10, 2), (11, 4)])
def test_ten_cards_to_a_sheet_front_then_back(cards, pages):
    reported, reader = sheets([make_card(f"Holder {n:02}") for n in range(cards)])
    assert reported == len(reader.pages) == pages
    assert all((round(p.mediabox.width), round(p.mediabox.height)) == (595, 842) for p in reader.pages)


def test_sheets_keep_the_order_of_the_cards():
    _, reader = sheets([make_card(f"Holder {n:02}") for n in range(11)])
    first, _, second, _ = (page.extract_text() for page in reader.pages)
    assert all(f"Holder {n:02}" in first for n in range(10)) and "Holder 10" not in first
    assert "Holder 10" in second


def test_front_shows_holder_programme_validity_and_code():
    card = make_card("Олександра Петренко")
    front, back = (page.extract_text() for page in PdfReader(BytesIO(render_wallet(card))).pages)
    for printed in ("Олександра Петренко", "Community overdose response", "2 January 2027"):
        assert printed in front
    assert format_code(card.certificate.code) in front


def test_back_shows_the_steps_and_the_emergency_number():
    _, back = (page.extract_text() for page in PdfReader(BytesIO(render_wallet(make_card()))).pages)
    assert "Give naloxone" in back and "Emergency number" in back and "112" in back
    assert "Check and" in back and "shout" in back


def test_back_sheet_mirrors_columns_so_double_sided_printing_lines_up():
    for index in range(10):
        front_x, front_y = card_origin(index, back=False)
        back_x, back_y = card_origin(index, back=True)
        assert back_x == pytest.approx(A4[0] - front_x - CARD[0])
        assert back_y == front_y


def test_cards_fit_on_the_sheet_with_room_for_cut_marks():
    left, bottom = card_origin(8, back=False)  # bottom left card
    right, top = card_origin(1, back=False)  # top right card
    room = 10 * mm
    assert left > room and bottom > room
    assert A4[0] - (right + CARD[0]) > room and A4[1] - (top + CARD[1]) > room


def test_arabic_card_renders_shaped_text():
    front, back = (
        page.extract_text() for page in PdfReader(BytesIO(render_wallet(make_card("عائشة", "ar")))).pages
    )
    assert "ﻋﺎﺋﺸﺔ" in front


def test_empty_sheet_run_is_refused():
    with pytest.raises(ValueError):
        write_wallet_sheets([], BytesIO())


@pytest.mark.parametrize("language", ["en", "fr", "ru", "uk", "es", "ar"])
def test_every_translated_step_caption_fits_its_column_uncut(language):
    from flask import Flask
    from flask_babel import Babel, force_locale, gettext

    from certificates.wallet import CARD, _caption

    app = Flask(__name__, root_path=str(Path(__file__).parent.parent))
    Babel(app)
    steps = ("Check for a response and shout", "Call %(number)s", "Give naloxone", "Recovery position, stay with them")
    with app.test_request_context(), force_locale(language):
        for step in steps:
            caption = gettext(step, number="103")
            style, lines = _caption(caption, language, (CARD[0] - 8) / 4 - 3)
            assert " ".join(lines) == " ".join(caption.split()), (language, caption)


def test_a_long_name_and_the_programme_stay_on_the_card_and_nothing_is_dropped_unmarked():
    from certificates.text import prepare_reportlab, width
    from certificates.wallet import _QR_SIDE, _programme_lines

    prepare_reportlab()
    room = CARD[0] - _QR_SIDE - 26
    long_name = "Олександра-Марія Вікторівна Бондаренко-Шевченко Іваненко Петренко Коваленко Ткаченко Бондаренко"
    style, lines = name_lines(long_name, "uk", Style(11.5, bold=True), CARD[0] - 20, 9)
    assert len(lines) == 2 and all(width(line, style) <= CARD[0] - 20 + 0.01 for line in lines)
    title = "Допомога при передозуванні в громаді"
    style, programme = _programme_lines(title, "uk", room, 1)
    assert " ".join(programme) == title or programme[-1].endswith("…")  # the whole title, or marked as cut
    assert all(width(line, style) <= room + 0.01 for line in programme)


def test_the_sheet_has_a_title_for_pdf_readers():
    reader = PdfReader(BytesIO(render_wallet(make_card())))
    assert reader.metadata.title == "Certificate of completion"
