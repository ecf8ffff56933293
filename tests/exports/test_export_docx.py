"""The consolidated report read back with python-docx: numbering, totals with how many units
they cover, unit tables, narratives, and the official form's details from the round."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import replace

import docx
import pytest
from export_round import PAYLOADS, reference

import store
from aggregate.source import round_input
from exports import FORMATS
from exports.commands import meta_for
from store.round_documents import DocumentDetails

DETAILS = {
    "doc_issuer": "UBND xã Cẩm Giang", "doc_issuer_parent": "UBND huyện Cẩm Giàng",
    "doc_number_symbol": "/BC-UBND", "doc_place": "Cẩm Giang", "doc_date": "2026-02-05",
    "doc_recipients": "UBND huyện Cẩm Giàng;\nLưu: VT, VHXH.",
    "doc_signer_authority": "TM. ỦY BAN NHÂN DÂN", "doc_signer_title": "Chủ tịch",
    "doc_signer_name": "Nguyễn Văn An",
}


def vn(value: float) -> str:
    """The figure as a Vietnamese reader expects it (1.234,5; two decimals at most), written
    here independently of the product's formatter so a rounding bug there shows."""
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@pytest.fixture(scope="module")
def document(stored, tmp_path_factory):
    path, data = stored
    db = store.open_db(path)
    store.set_round_document(db, data["round"], DETAILS, actor="test")
    source = round_input(db, data["round"])
    db.close()
    out = tmp_path_factory.mktemp("docx") / "bao-cao.docx"
    FORMATS["docx"](source.consolidate(), out, meta=meta_for(source))
    return out, docx.Document(out), data


def all_text(doc) -> str:
    """Body paragraphs and every table cell, in document order."""
    parts = []
    for block in doc.element.body.iterchildren():
        parts.append("".join(t.text or "" for t in block.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")))
    return "\n".join(parts)


def test_official_heading_number_date_subject(document):
    _, doc, _ = document
    head = doc.tables[0]
    left, right = head.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["UBND HUYỆN CẨM GIÀNG",
                                                           "UBND XÃ CẨM GIANG"]
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    number, place = head.rows[1].cells
    assert re.fullmatch(r"Số:\s+/BC-UBND", number.text)
    assert place.text == "Cẩm Giang, ngày 05 tháng 02 năm 2026"
    assert all(r.italic for r in place.paragraphs[0].runs)
    bold_issuer = left.paragraphs[1].runs[0]
    assert bold_issuer.bold
    titles = [p.text for p in doc.paragraphs if p.text][:2]
    assert titles == ["BÁO CÁO",
                      "Tổng hợp kết quả công tác cải cách hành chính (thử xuất)"]


def test_recipients_and_signature_block(document):
    _, doc, _ = document
    recipients, signature = doc.tables[-1].rows[0].cells
    assert [p.text for p in recipients.paragraphs if p.text] == [
        "Nơi nhận:", "- UBND huyện Cẩm Giàng;", "- Lưu: VT, VHXH."]
    first = recipients.paragraphs[0].runs[0]
    assert first.bold and first.italic and first.font.size.pt == 12
    assert recipients.paragraphs[1].runs[0].font.size.pt == 11
    assert [p.text for p in signature.paragraphs if p.text] == [
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"]
    assert all(p.runs[0].bold for p in signature.paragraphs if p.text)


def test_round_period_and_completeness(document):
    _, doc, data = document
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Đợt báo cáo: Báo cáo CCHC 6 tháng cuối năm 2025" in text
    assert "Kỳ báo cáo: 6 tháng cuối năm 2025" in text
    assert "Hạn nộp: 12/11/2025 23:59" in text
    expected = len(data["units"])
    assert f"Tổng số đơn vị phải báo cáo: {expected}." in text
    assert unicodedata.is_normalized("NFC", text)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["TÌNH HÌNH NỘP BÁO CÁO", "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
                            "1. Mức độ hoàn thành nhiệm vụ"]


def test_every_total_says_how_many_units_it_covers(document):
    _, doc, data = document
    expected = reference(data)
    total = expected["Tổng cộng"]
    counted = data["counted"]
    n = len(data["units"])
    text = "\n".join(p.text for p in doc.paragraphs)
    with_value = sum(1 for raw in counted.values() if raw.get("tiep_nhan") is not None)
    assert (f"- Tổng số hồ sơ tiếp nhận: tổng cộng {vn(total['tiep_nhan'])} hồ sơ "
            f"({with_value}/{n} đơn vị có số liệu).") in text
    rate = vn(total["ty_le_dung_han"])
    assert f"+ Tỷ lệ giải quyết đúng hạn: tổng cộng {rate} %" in text
    means = sum(1 for raw in counted.values() if raw.get("hai_long") is not None)
    assert f"trung bình {vn(total['hai_long'])} %" in text
    assert f"{means}/{n} đơn vị có số liệu" in text
    answered = sum(1 for raw in counted.values() if raw.get("y_kien"))
    assert f"({answered}/{n} đơn vị trả lời.)" in text


def test_unit_tables_match_the_reference(document):
    _, doc, data = document
    expected = reference(data)
    total = expected["Tổng cộng"]
    table = next(t for t in doc.tables if len(t.columns) > 2
                 and "Tổng số hồ sơ tiếp nhận" in t.rows[0].cells[2].text)
    by_name = {row.cells[1].text: row for row in table.rows[1:]}
    for code, unit in data["units"].items():
        shown = by_name[unit["name"]].cells[2].text
        want = expected[code]["tiep_nhan"]
        if code not in data["counted"]:
            assert "chưa báo cáo" in shown
        elif want is None:
            assert shown == "—"
        else:
            assert shown == f"{vn(want)} hồ sơ"
    assert by_name["Tổng cộng"].cells[2].text == f"{vn(total['tiep_nhan'])} hồ sơ"
    assert by_name["Cộng xã"].cells[2].text == f"{vn(expected['Cộng xã']['tiep_nhan'])} hồ sơ"


def test_narratives_unit_by_unit_and_never_fields(document):
    path, doc, _ = document
    text = "\n".join(p.text for p in doc.paragraphs)
    for payload in PAYLOADS:
        assert f"- {payload}: {payload}" in text
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "fldSimple" not in xml and "instrText" not in xml and "fldChar" not in xml


def test_blanks_where_the_round_has_no_details(consolidated, tmp_path):
    consolidation, meta, _ = consolidated
    out = tmp_path / "trong.docx"
    FORMATS["docx"](consolidation, out, meta=replace(meta, document=DocumentDetails()))
    head = docx.Document(out).tables[0]
    assert re.fullmatch(r"Số:\s+/BC-…", head.rows[1].cells[0].text)
    assert head.rows[1].cells[1].text == "……, ngày … tháng … năm …"
    # the outline's issuer stands in for the issuing body
    assert "UBND XÃ THỬ NGHIỆM" in head.rows[0].cells[0].text
