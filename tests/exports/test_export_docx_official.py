"""The consolidated report as a reader sees it: rendered by LibreOffice to PDF and read with
poppler — A4, margins, only Times New Roman (or Liberation Serif, its metric twin, where
Times New Roman is not installed), the header texts in the order of Nghị định 30/2020
Phụ lục I, page numbers from page 2 — and its styles read with python-docx."""

from __future__ import annotations

import re
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from pdf_render import SERIF_FAMILIES, info, page_text, render, words

import store
from aggregate.source import round_input
from exports import FORMATS
from exports.commands import meta_for

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 72 / 25.4  # points per millimetre


@pytest.fixture(scope="module")
def report(stored, tmp_path_factory, lo_profile):
    """(docx path, pdf path) of the 60-unit round with its document details set."""
    path, data = stored
    db = store.open_db(path)
    store.set_round_document(db, data["round"], {
        "doc_issuer": "UBND xã Cẩm Giang", "doc_issuer_parent": "UBND huyện Cẩm Giàng",
        "doc_number_symbol": "125/BC-UBND", "doc_place": "Cẩm Giang",
        "doc_date": "2026-12-15", "doc_signer_title": "Chủ tịch",
        "doc_signer_name": "Nguyễn Văn An"}, actor="test")
    source = round_input(db, data["round"])
    db.close()
    out = tmp_path_factory.mktemp("official") / "tong-hop.docx"
    FORMATS["docx"](source.consolidate(), out, meta=meta_for(source))
    return out, render(out, lo_profile)


def test_a4_portrait_with_only_times_new_roman(report):
    _, pdf = report
    width, _, height = info(pdf)["Page size"].split()[:3]
    assert (round(float(width)), round(float(height))) == (595, 842)
    used = info(pdf)
    assert int(used["Pages"]) >= 3
    from pdf_render import fonts

    names = fonts(pdf)
    assert names, "no fonts embedded"
    assert all(name.startswith(SERIF_FAMILIES) for name in names), names


def test_header_texts_in_their_official_order(report):
    _, pdf = report
    text = page_text(pdf, 1)
    order = ["UBND HUYỆN CẨM GIÀNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND XÃ CẨM GIANG",
             "Độc lập - Tự do - Hạnh phúc", "Số: 125/BC-UBND",
             "Cẩm Giang, ngày 15 tháng 12 năm 2026", "BÁO CÁO", "Tổng hợp kết quả"]
    places = [text.find(piece) for piece in order]
    assert -1 not in places, list(zip(order, places, strict=True))
    assert places == sorted(places), list(zip(order, places, strict=True))
    lines = [line for line in text.splitlines() if line.strip()]
    # the issuer and the nation's name share the first line; the date sits right of "Số:"
    assert "UBND HUYỆN CẨM GIÀNG" in lines[0] and "CỘNG HÒA" in lines[0]
    assert re.search(r"Số: 125/BC-UBND\s+Cẩm Giang, ngày 15", text)


def test_margins_and_page_numbers_from_page_two(report):
    _, pdf = report
    first = words(pdf, 1)
    assert first[0].text == "UBND", "page 1 starts with the header table, no page number"
    assert min(w.x_min for w in first) >= 30 * MM - 1
    assert max(w.x_max for w in first) <= (210 - 15) * MM + 1
    assert min(w.y_min for w in first) >= 20 * MM - 1
    assert max(w.y_max for w in first) <= (297 - 20) * MM + 1
    second = words(pdf, 2)
    number = second[0]
    assert number.text == "2"
    assert number.y_max <= 20 * MM, "the page number sits in the top margin"
    middle = (30 * MM + (210 - 15) * MM) / 2
    assert abs((number.x_min + number.x_max) / 2 - middle) < 3 * MM
    third = words(pdf, 3)
    assert third[0].text == "3"


def test_signature_block_on_the_last_page(report):
    _, pdf = report
    pages = int(info(pdf)["Pages"])
    text = page_text(pdf, pages)
    assert "Nơi nhận:" in text and "CHỦ TỊCH" in text and "Nguyễn Văn An" in text
    assert text.index("CHỦ TỊCH") < text.index("Nguyễn Văn An")


def test_styles_name_times_new_roman_and_no_theme_font(report):
    path, _ = report
    with zipfile.ZipFile(path) as package:
        for part in ("word/styles.xml", "word/document.xml"):
            xml = package.read(part).decode("utf-8")
            theme_font = re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme=|w:cstheme=", xml)
            assert theme_font is None, part
            theme_text_colour = re.search(r"<w:color\b[^>]*w:theme", xml)
            assert theme_text_colour is None, part
        styles = package.read("word/styles.xml").decode("utf-8")
    fonts = re.findall(r"<w:rFonts\b[^>]*/>", styles)
    assert fonts
    for element in fonts:
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            assert f'w:{attr}="Times New Roman"' in element, element
    doc = docx.Document(path)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        assert doc.styles[name].element.rPr.rFonts.get(f"{W}ascii") == "Times New Roman"
        assert str(doc.styles[name].font.color.rgb) == "000000"


def test_page_setup_and_body_paragraphs(report):
    path, _ = report
    doc = docx.Document(path)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    assert section.different_first_page_header_footer
    normal = doc.styles["Normal"]
    assert 13 <= normal.font.size.pt <= 14
    fmt = normal.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 10 <= fmt.first_line_indent.mm <= 12.7 + 0.1
    assert fmt.space_after.pt >= 6
