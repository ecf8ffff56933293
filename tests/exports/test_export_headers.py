"""Headers a reader can tell apart, for every shipped outline: no two header cells of a sheet
or a csv file are equal, and items that share a label say which they are.

Each outline gets a real stored round (SQLite) of three units in two kinds under a parent,
filled with the outline's sample values, exported to xlsx and csv and read back.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest

import store
from aggregate.source import round_input
from exports import FORMATS
from exports.commands import meta_for
from exports.csv import read_rows

OUTLINES = Path(__file__).resolve().parents[2] / "outlines"
FILES = sorted(OUTLINES.glob("*.yaml"))
UNITS = (("HD-XA", "UBND xã Thử", "xã", None), ("HD-P1", "Phòng Một", "phòng", "HD-XA"),
         ("HD-P2", "Phòng Hai", "phòng", "HD-XA"))
#: Sub-headings that sit under a merged cell naming their item (a mean's four columns, the
#: own total of an item with sub-items): repeated under different items by design.
SUBHEADINGS = ("Trung bình", "Nhỏ nhất", "Lớn nhất", "Số đơn vị có số liệu", "Tổng số")


def exported(path: Path, tmp: Path) -> tuple[openpyxl.Workbook, dict[str, list[str]]]:
    db = store.open_db(tmp / "headers.db")
    try:
        outline = store.register_outline(db, path.read_text(encoding="utf-8"), actor="test")
        store.upsert_units(db, [{"code": c, "name": n, "kind": k, "parent": p}
                                for c, n, k, p in UNITS])
        round_id = store.create_round(
            db, outline_id=outline.id, outline_version=outline.version, title="Đợt thử",
            period_start=date(2025, 7, 1), period_end=date(2025, 12, 31), period_label="Năm 2025",
            deadline=store.deadline_end_of_day(date(2025, 12, 20)),
            units=[c for c, *_ in UNITS], created_by="test")
        sample = json.loads(path.with_name(path.stem + ".sample.json").read_text("utf-8"))
        for code, *_ in UNITS:
            intake = store.submit_values(db, round_id=round_id, unit_code=code, raw=sample,
                                         channel="web", actor=code, mode="submit")
            assert intake.stored, intake.result.issues
        source = round_input(db, round_id)
    finally:
        db.close()
    consolidation, meta = source.consolidate(), meta_for(source)
    FORMATS["xlsx"](consolidation, tmp / "tong-hop.xlsx", meta=meta)
    buffer = io.BytesIO()
    FORMATS["csv"](consolidation, buffer, meta=meta)
    with zipfile.ZipFile(buffer) as archive:
        heads = {name: next(iter(read_rows(archive.read(name)))) for name in archive.namelist()}
    return openpyxl.load_workbook(tmp / "tong-hop.xlsx"), heads


def section_columns(ws) -> tuple[int, dict[int, list[str]]] | None:
    """Column → its header texts top-down (a merged or boxed cell counts for every column it
    covers) and the index row, for a sheet with the "(1) (2) …" index row; None for another
    sheet."""
    index_row = next((r for r in range(1, 30) if ws.cell(r, 1).value == "(1)"), None)
    if index_row is None:
        return None
    cover = {}
    for merged in ws.merged_cells.ranges:
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                cover[(r, c)] = ws.cell(merged.min_row, merged.min_col).value
    columns = {}
    for c in range(1, ws.max_column + 1):
        texts = [cover.get((r, c), ws.cell(r, c).value) for r in range(4, index_row)]
        columns[c] = [t for t in texts if t]
    return index_row, columns


@pytest.fixture(scope="module", params=FILES, ids=[f.stem for f in FILES])
def exports_of(request, tmp_path_factory):
    return exported(request.param, tmp_path_factory.mktemp(request.param.stem))


def test_no_two_columns_of_a_section_sheet_read_the_same(exports_of):
    wb, _ = exports_of
    checked = 0
    for ws in wb.worksheets:
        found = section_columns(ws)
        if found is None:
            continue
        index_row, columns = found
        paths = Counter(" / ".join(texts) for texts in columns.values())
        assert not [p for p, n in paths.items() if n > 1], ws.title
        # Every cell naming an item is unique on its sheet; only sub-headings repeat, each
        # under a different item (the paths above).
        cells = Counter(ws.cell(r, c).value for r in range(4, index_row) for c in columns
                        if isinstance(ws.cell(r, c).value, str))
        repeated = [t for t, n in cells.items() if n > 1 and not t.startswith(SUBHEADINGS)]
        assert not repeated, ws.title
        checked += 1
    assert checked >= 1


def test_no_two_header_cells_of_a_csv_file_are_equal(exports_of):
    _, heads = exports_of
    assert "01-tong-hop.csv" in heads and "theo-cap.csv" in heads
    for name, head in heads.items():
        repeated = [h for h, n in Counter(head).items() if n > 1]
        assert not repeated, f"{name}: {repeated}"


def test_namesakes_in_cam_giang_say_which_they_are(tmp_path):
    """"Số VBQPPL có kiến nghị xử lý đã được xử lý xong" is asked after kiểm tra and after
    rà soát under one parent: each header says which (from the item's hint)."""
    wb, heads = exported(OUTLINES / "cam-giang-cchc-2025.yaml", tmp_path)
    label = "Số VBQPPL có kiến nghị xử lý đã được xử lý xong"
    for name in ("01-tong-hop.csv", "theo-cap.csv"):
        named = [h for h in heads[name] if label in h]
        assert len(named) == 2
        assert any("sau kiểm tra" in h for h in named)
        assert any("sau rà soát" in h for h in named)
    ws = next(ws for ws in wb.worksheets if ws.title.startswith("II."))
    cells = [c.value for row in ws.iter_rows(min_row=4, max_row=12) for c in row
             if isinstance(c.value, str) and label in c.value]
    assert sorted(cells) == [f"+ {label} — sau kiểm tra (văn bản)",
                             f"+ {label} — sau rà soát (văn bản)"]


NAMESAKES = """
id: trung-ten
version: 1
title: Hai mục cùng tên có chỉ tiêu
items:
  - type: section
    number: I.
    label: KẾT QUẢ
    items:
      - type: section
        number: "1."
        label: Cấp xã
        items:
          - {type: percent, name: xa_dung_han, number: "-", label: Tỷ lệ đúng hạn,
             target: ">= 95"}
      - type: section
        number: "2."
        label: Cấp tỉnh
        items:
          - {type: percent, name: tinh_dung_han, number: "-", label: Tỷ lệ đúng hạn,
             target: ">= 90"}
"""


def test_targets_of_namesakes_say_which(tmp_path):
    """Two targeted items both labelled "Tỷ lệ đúng hạn", under "1. Cấp xã" and "2. Cấp
    tỉnh": their columns, verdict columns and overview rows each name their parent."""
    from aggregate import UnitInfo, consolidate
    from exports.meta import ExportMeta
    from forms.loader import load_outline

    outline = load_outline(NAMESAKES)
    units = [UnitInfo(code="A", name="Xã A", kind="xã", status="submitted")]
    path = tmp_path / "trung-ten.xlsx"
    values = {"A": {"xa_dung_han": 96, "tinh_dung_han": 80}}
    FORMATS["xlsx"](consolidate(outline, units, values), path, meta=ExportMeta())
    wb = openpyxl.load_workbook(path)
    _, columns = section_columns(wb["I. KẾT QUẢ"])
    leaves = {text for texts in columns.values() for text in texts}
    assert "- Tỷ lệ đúng hạn — 1. Cấp xã (%)" in leaves
    assert "- Tỷ lệ đúng hạn — 2. Cấp tỉnh (%)" in leaves
    assert "- Tỷ lệ đúng hạn — 1. Cấp xã: chỉ tiêu ≥ 95 %" in leaves  # in words, with its %
    assert "- Tỷ lệ đúng hạn — 2. Cấp tỉnh: chỉ tiêu ≥ 90 %" in leaves
    overview = wb["Tổng quan"]
    refs = [overview.cell(r, 1).value for r in range(1, overview.max_row + 1)]
    # There the reference already carries the parents' numbers, so it needs no more words.
    assert "I. 1. Tỷ lệ đúng hạn" in refs and "I. 2. Tỷ lệ đúng hạn" in refs
