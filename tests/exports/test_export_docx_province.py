"""A round past 100 units stays readable: in the body, each unit table shows the groups of
units (by kind) with their subtotals and how many units each covers; every unit's figures and
answers are in the annex ("Phụ lục") after the signature, where the body points."""

from __future__ import annotations

import docx
import pytest
from export_round import PAYLOADS, build_round, reference
from test_export_docx import vn

import store
from aggregate.source import round_input
from exports import FORMATS
from exports.commands import meta_for

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    db = store.open_db(folder / "d.db")
    data = build_round(db, seed=11, n=130)
    source = round_input(db, data["round"])
    db.close()
    out = folder / "tong-hop.docx"
    FORMATS["docx"](source.consolidate(), out, meta=meta_for(source))
    return docx.Document(out), data


def blocks(doc) -> list[tuple[str, object]]:
    """("p", text) and ("tbl", element) in body order."""
    out = []
    for element in doc.element.body.iterchildren():
        if element.tag == f"{W}p":
            out.append(("p", "".join(t.text or "" for t in element.iter(f"{W}t"))))
        elif element.tag == f"{W}tbl":
            out.append(("tbl", element))
    return out


def rows(table) -> list[list[str]]:
    return [["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in tr.iter(f"{W}tc")]
            for tr in table.iter(f"{W}tr")]


def test_body_tables_show_groups_with_how_many_units_reported(large):
    doc, data = large
    expected = reference(data)
    parts = blocks(doc)
    annex_at = next(i for i, (kind, text) in enumerate(parts) if text == "PHỤ LỤC")
    body_tables = [rows(el) for kind, el in parts[:annex_at] if kind == "tbl"]
    table = next(t for t in body_tables
                 if len(t[0]) > 2 and "Tổng số hồ sơ tiếp nhận" in t[0][2])
    assert table[0][:2] == ["Nhóm đơn vị", "Số đơn vị đã báo cáo"]
    assert [r[0] for r in table[1:]] == ["Cộng phòng", "Cộng xã", "Tổng cộng"]
    units = data["units"]
    for row, kind in zip(table[1:3], ("phòng", "xã"), strict=True):
        group = [code for code, unit in units.items() if unit["kind"] == kind]
        reported = sum(1 for code in group if code in data["counted"])
        assert row[1] == f"{reported}/{len(group)}"
        assert row[2] == f"{vn(expected[f'Cộng {kind}']['tiep_nhan'])} hồ sơ"
    assert table[3][1] == f"{len(data['counted'])}/{len(units)}"
    # no unit-by-unit figures table in the body (they are all in the annex)
    assert not [t for t in body_tables if t[0][:2] == ["STT", "Đơn vị"]]


def test_the_annex_holds_every_unit_and_every_answer(large):
    doc, data = large
    parts = blocks(doc)
    annex_at = next(i for i, (kind, text) in enumerate(parts) if text == "PHỤ LỤC")
    signature = next(i for i, (kind, el) in enumerate(parts)
                     if kind == "tbl" and rows(el)[0][0].startswith("Nơi nhận:"))
    assert signature < annex_at
    body = [text for kind, text in parts[:annex_at] if kind == "p"]
    pointer = next(t for t in body if t.startswith("Số liệu của từng đơn vị: Phụ lục, mục "))
    number = pointer.removeprefix("Số liệu của từng đơn vị: Phụ lục, mục ").rstrip(".")
    annex = parts[annex_at:]
    heading = next(i for i, (kind, text) in enumerate(annex) if text == f"Mục {number}.")
    table = next(rows(el) for kind, el in annex[heading:] if kind == "tbl")
    names = {r[1] for r in table[1:]}
    assert {unit["name"] for unit in data["units"].values()} <= names
    annex_text = "\n".join(text for kind, text in annex if kind == "p")
    for payload in PAYLOADS:
        assert f"- {payload}: {payload}" in annex_text
    answered = sum(1 for raw in data["counted"].values() if raw.get("y_kien"))
    assert any(t.startswith(f"Có {answered}/{len(data['units'])} đơn vị trả lời; ý kiến của "
                            "từng đơn vị: Phụ lục, mục ") for t in body)
