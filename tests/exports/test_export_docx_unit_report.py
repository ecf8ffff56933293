"""A unit's own report (`decuong export --unit U --format docx`): its latest revision in the
official form with the unit as issuer and the coordinator's body as recipient, the outline's
numbering and words, numbers with their unit words — read back with python-docx and rendered
by LibreOffice."""

from __future__ import annotations

import re

import docx
import pytest
from click.testing import CliRunner
from export_round import OUTLINE_YAML
from pdf_render import SERIF_FAMILIES, fonts, info, page_text, render

import store
from decuong_cli import main

VALUES = {
    "nv_tong": "12", "nv_xong": "9", "y_kien": "Dòng thứ nhất.\nDòng thứ hai.",
    "tiep_nhan": "1234", "da_giai_quyet": "1200", "dung_han": "1188", "hai_long": "97,25",
    "sang_kien": [{"ten": "Một cửa ngày thứ Bảy", "so_nguoi": "5", "ngay": "12/11/2025"}],
}


@pytest.fixture(scope="module")
def report(tmp_path_factory, lo_profile):
    """(docx path, pdf path, CLI output) of unit PH01's report; PH02 saved nothing."""
    folder = tmp_path_factory.mktemp("unit-report")
    path = folder / "d.db"
    db = store.open_db(path)
    outline = store.register_outline(db, OUTLINE_YAML, actor="test")
    store.upsert_units(db, [
        {"code": "UB", "name": "UBND xã Thử Nghiệm"},
        {"code": "PH01", "name": "Phòng Văn hóa - Xã hội", "parent": "UB"},
        {"code": "PH02", "name": "Phòng Kinh tế", "parent": "UB"}])
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version,
        title="Báo cáo CCHC năm 2026", period_start=None, period_end=None,
        period_label="Năm 2026", deadline=store.deadline_end_of_day(
            __import__("datetime").date(2026, 12, 16)),
        units=["PH01", "PH02"], created_by="test")
    store.set_round_document(db, round_id, {"doc_issuer": "UBND xã Cẩm Giang"}, actor="t")
    intake = store.submit_values(db, round_id=round_id, unit_code="PH01", raw=VALUES,
                                 channel="web", actor="ph01")
    assert intake.stored, intake.result.issues
    db.close()
    out = folder / "bao-cao-ph01.docx"
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--db", str(path), "--round", str(round_id),
                                  "--unit", "PH01", "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    missing = runner.invoke(main, ["export", "--db", str(path), "--round", str(round_id),
                                   "--unit", "PH02", "--format", "docx", "-o",
                                   str(folder / "x.docx")])
    wrong = runner.invoke(main, ["export", "--db", str(path), "--round", str(round_id),
                                 "--unit", "PH01", "--format", "xlsx", "-o",
                                 str(folder / "x.xlsx")])
    return out, render(out, lo_profile), result.output, missing, wrong


def test_the_cli_names_the_file_and_refuses_what_it_cannot_make(report):
    out, _, output, missing, wrong = report
    assert f"Đã ghi {out}" in output and "lần lưu 1" in output
    assert missing.exit_code != 0
    assert "Đơn vị 'PH02' chưa lưu báo cáo nào" in missing.output
    assert wrong.exit_code != 0 and "--format docx" in wrong.output


def test_the_unit_issues_and_the_coordinator_receives(report):
    out = report[0]
    doc = docx.Document(out)
    left = [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left == ["UBND XÃ THỬ NGHIỆM", "PHÒNG VĂN HÓA - XÃ HỘI"]
    assert re.fullmatch(r"Số:\s+/BC-…", doc.tables[0].rows[1].cells[0].text)
    recipients = [p.text for p in doc.tables[-1].rows[0].cells[0].paragraphs if p.text]
    assert recipients == ["Nơi nhận:", "- UBND xã Cẩm Giang;", "- Lưu: VT."]


def test_numbering_words_and_numbers_with_their_units(report):
    doc = docx.Document(report[0])
    text = "\n".join(p.text for p in doc.paragraphs)
    for line in ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "1. Mức độ hoàn thành nhiệm vụ",
                 "+ Tổng số nhiệm vụ: 12 nhiệm vụ", "+ Số nhiệm vụ đã hoàn thành: 9 nhiệm vụ",
                 "- Tổng số hồ sơ tiếp nhận: 1.234 hồ sơ",
                 "+ Giải quyết đúng hạn: 1.188 hồ sơ", "+ Tỷ lệ giải quyết đúng hạn: 99 %",
                 "- Mức độ hài lòng của người dân: 97,25 %",
                 "2. Đánh giá chung về công tác chỉ đạo\nDòng thứ nhất.\nDòng thứ hai."):
        assert line in text, line
    assert text.index("I. CÔNG TÁC") < text.index("II. KẾT QUẢ")
    initiatives = doc.tables[1]
    assert [c.text for c in initiatives.rows[1].cells] == ["1", "Một cửa ngày thứ Bảy", "5",
                                                            "12/11/2025"]


def test_rendered_a4_in_times_new_roman_with_the_header_in_order(report):
    pdf = report[1]
    assert info(pdf)["Page size"].startswith("595.")
    assert all(name.startswith(SERIF_FAMILIES) for name in fonts(pdf))
    text = page_text(pdf, 1)
    order = ["UBND XÃ THỬ NGHIỆM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "PHÒNG VĂN HÓA - XÃ HỘI", "Độc lập - Tự do - Hạnh phúc", "Số:",
             "……, ngày … tháng … năm …", "BÁO CÁO", "Công tác cải cách hành chính"]
    places = [text.find(piece) for piece in order]
    assert -1 not in places and places == sorted(places), list(zip(order, places,
                                                                   strict=True))
