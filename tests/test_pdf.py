"""Certificate PDFs: what prints, in which script and order, on which paper, and nothing smuggled in."""

import builtins
import re
import unicodedata
from dataclasses import replace
from io import BytesIO

import arabic_reshaper
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.graphics.barcode.qrencoder import QR8bitByte, QRCode, QRErrorCorrectLevel

from certificates.codes import format_code, new_code
from certificates.pdf import CertificateLabels, CertificateView, render_certificate, write_certificates
from training.qr import qr_rows

LABELS = CertificateLabels(
    "Certificate of completion", "This certifies that", "has completed", "Issued", "Valid until", "Verify at"
)


def make_view(**changes) -> CertificateView:
    """Return an English A4 certificate view, with any fields changed."""
    view = CertificateView(
        language="en",
        labels=LABELS,
        holder_name="Dana Okafor",
        programme_title="Community overdose response",
        module_titles=("Recognising an overdose", "Giving naloxone"),
        organisation_name="Harm Reduction Alliance",
        signatory_name="Maria Gonzalez",
        signatory_title="Programme coordinator",
        issued_on="2 January 2025",
        valid_until="2 January 2027",
        code=new_code(),
        public_base_url="https://academy.example",
    )
    return replace(view, **changes)


def pages_text(pdf: bytes) -> list[str]:
    """Return the text pypdf extracts from each page."""
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def png(width: int = 300, height: int = 100) -> bytes:
    """Return a small PNG logo."""
    out = BytesIO()
    Image.new("RGB", (width, height), (15, 92, 99)).save(out, "PNG")
    return out.getvalue()


def test_certificate_prints_holder_programme_modules_dates_and_code():
    view = make_view()
    pdf = render_certificate(view)
    assert pdf.startswith(b"%PDF")
    [text] = pages_text(pdf)
    for printed in (
        "Dana Okafor",
        "Community overdose response",
        "Giving naloxone",
        "2 January 2027",
        "Maria Gonzalez",
        format_code(view.code),
        "academy.example/verify",
    ):
        assert printed in text


def test_cyrillic_name_prints():
    [text] = pages_text(render_certificate(make_view(language="ru", holder_name="Олександра Петренко")))
    assert "Олександра Петренко" in text


def test_arabic_name_prints_shaped_and_in_reading_order():
    name = "عائشة بنت محمد"
    [text] = pages_text(render_certificate(make_view(language="ar", holder_name=name)))
    # Joined letter forms prove the shaping; pypdf reads them back into logical order.
    assert arabic_reshaper.reshape(name) in text
    assert name in unicodedata.normalize("NFKC", text)


def test_name_mixing_scripts_prints_each_script_in_place():
    name = "Aisha عائشة Петренко"
    [text] = pages_text(render_certificate(make_view(holder_name=name)))
    assert name in unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(("size", "expected"), [("A4", (842, 595)), ("Letter", (792, 612))])
def test_page_is_landscape_paper_of_the_chosen_size(size, expected):
    [page] = PdfReader(BytesIO(render_certificate(make_view(page_size=size)))).pages
    assert (round(page.mediabox.width), round(page.mediabox.height)) == expected


def test_unknown_paper_or_malformed_code_is_refused():
    with pytest.raises(ValueError, match="page size"):
        make_view(page_size="A3")
    with pytest.raises(ValueError, match="code"):
        make_view(code="not-a-code")


@pytest.mark.parametrize(
    "name",
    [
        '<img src="{path}"/>',
        '<font color="[[[getattr(pow, 1)]]]">x</font>',
        '<unichar name="x"/>',
        "Tom &amp; Jerry",
    ],
)
def test_markup_in_a_name_prints_literally_and_opens_nothing(name, tmp_path, monkeypatch):
    secret = tmp_path / "secret.png"
    name = name.format(path=secret)
    render_certificate(make_view())  # fonts load before open() is watched
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(
        builtins, "open", lambda file, *a, **k: opened.append(str(file)) or real_open(file, *a, **k)
    )
    [text] = pages_text(render_certificate(make_view(holder_name=name, organisation_name=name)))
    assert name in " ".join(text.split())  # a long one may wrap onto two lines
    assert not opened


def test_batch_has_a_page_per_certificate_in_order():
    names = ["Ada One", "Ben Two", "Cai Three"]
    out = BytesIO()
    assert write_certificates((make_view(holder_name=name) for name in names), out) == 3
    texts = pages_text(out.getvalue())
    assert [next(n for n in names if n in text) for text in texts] == names


def test_empty_batch_is_refused():
    with pytest.raises(ValueError):
        write_certificates([], BytesIO())


def test_fonts_are_embedded_subsets():
    reader = PdfReader(BytesIO(render_certificate(make_view(holder_name="Aisha عائشة Петренко"))))
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert all(re.fullmatch(r"/[A-Z]{6}\+[\w-]+", font["/BaseFont"]) for font in fonts)
    assert {font["/BaseFont"].split("+")[1] for font in fonts} >= {"DejaVuSans", "NotoNaskhArabic-Bold"}
    assert all("/FontFile2" in font["/FontDescriptor"] for font in fonts)


def test_logo_is_embedded_once_for_a_whole_batch():
    out = BytesIO()
    write_certificates([make_view(logo=png()) for _ in range(3)], out)
    assert out.getvalue().count(b"/Subtype /Image") == 1


def test_qr_code_is_a_valid_symbol_for_the_verify_address():
    view = make_view()
    rows = qr_rows(view.verify_url)
    masks = []
    for mask in range(8):
        symbol = QRCode(None, QRErrorCorrectLevel.M)
        symbol.addData(QR8bitByte(view.verify_url))
        symbol.version = symbol.calculate_version()
        symbol.makeImpl(False, mask)
        masks.append(tuple("".join("1" if dark else "0" for dark in row) for row in symbol.modules))
    assert rows in masks


@pytest.mark.parametrize(("name", "language"), [
    ("Олександра-Марія Вікторівна Бондаренко-Шевченко Іваненко Петренко Коваленко Ткаченко Бондаренко Шевченко", "uk"),
    ("فاطمة الزهراء بن علي " * 5, "ar"), ("Nameonelongwordwithoutanyspaces" * 3, "en")])
def test_a_name_of_up_to_120_characters_stays_inside_its_area(name, language):
    from certificates.text import Style, name_lines, prepare_reportlab, width

    prepare_reportlab()
    room = 841.9 - 200  # A4 landscape less the margins the name keeps
    style, lines = name_lines(name[:120], language, Style(34, bold=True), room, 20)
    assert len(lines) <= 2 and all(width(line, style) <= room + 0.01 for line in lines)
    [text] = pages_text(render_certificate(make_view(holder_name=name[:120], language=language)))
    assert all(word[:6] in text for word in name.split()[:3]) or language == "ar"  # every part printed


def test_a_short_name_stays_on_one_line_at_full_size():
    from certificates.text import Style, name_lines, prepare_reportlab

    prepare_reportlab()
    style, lines = name_lines("Dana Okafor", "en", Style(34, bold=True), 641.9, 20)
    assert (style.size, len(lines)) == (34, 1)
