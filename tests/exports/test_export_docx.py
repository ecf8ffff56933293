"""The report draft read back with python-docx: numbering, totals, unit tables, narratives."""

from __future__ import annotations

import unicodedata
import zipfile

import docx
import pytest
from export_round import PAYLOADS, reference

from exports import FORMATS


def vn(value: float) -> str:
    """The figure as a Vietnamese reader expects it (1.234,5; two decimals at most), written
    here independently of the product's formatter so a rounding bug there shows."""
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@pytest.fixture(scope="module")
def document(consolidated, tmp_path_factory):
    consolidation, meta, data = consolidated
    path = tmp_path_factory.mktemp("docx") / "bao-cao.docx"
    FORMATS["docx"](consolidation, path, meta=meta)
    return path, docx.Document(path), data


def test_title_round_period_and_completeness(document):
    _, doc, data = document
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO TỔNG HỢP" in text
    assert "Đợt báo cáo: Báo cáo CCHC 6 tháng cuối năm 2025" in text
    assert "Kỳ báo cáo: 6 tháng cuối năm 2025" in text
    assert "Hạn nộp: 12/11/2025 23:59" in text
    expected = len(data["units"])
    assert f"Tổng số đơn vị phải báo cáo: {expected}." in text
    assert unicodedata.is_normalized("NFC", text)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "1. Mức độ hoàn thành nhiệm vụ"]
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_totals_and_unit_tables_match_the_reference(document):
    _, doc, data = document
    expected = reference(data)
    total = expected["Tổng cộng"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"- Tổng số hồ sơ tiếp nhận: tổng cộng {vn(total['tiep_nhan'])} hồ sơ." \
        in text
    rate = vn(total["ty_le_dung_han"])
    assert f"+ Tỷ lệ giải quyết đúng hạn: tổng cộng {rate} %" in text
    assert f"trung bình {vn(total['hai_long'])} %" in text
    table = next(t for t in doc.tables if "Tổng số hồ sơ tiếp nhận" in t.rows[0].cells[2].text)
    by_name = {row.cells[1].text: row for row in table.rows[1:]}
    names = {code: unit["name"] for code, unit in data["units"].items()}
    for code, name in names.items():
        row = by_name[name]
        want = expected[code]["tiep_nhan"]
        shown = row.cells[2].text
        if code not in data["counted"]:
            assert "chưa báo cáo" in shown
        elif want is None:
            assert shown == "—"
        else:
            assert shown == f"{vn(want)} hồ sơ"
    assert by_name["Tổng cộng"].cells[2].text == f"{vn(total['tiep_nhan'])} hồ sơ"


def test_narratives_unit_by_unit_and_never_fields(document):
    path, doc, _ = document
    text = "\n".join(p.text for p in doc.paragraphs)
    for payload in PAYLOADS:
        assert f"- {payload}: {payload}" in text
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "fldSimple" not in xml and "instrText" not in xml and "fldChar" not in xml
