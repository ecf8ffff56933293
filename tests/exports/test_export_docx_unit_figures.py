"""A unit's report writes computed figures with the decimals the outline gives them, as the form
and every other channel do, also for a revision stored before values were rounded."""

from __future__ import annotations

import io

import docx

from exports.docx.unit_report import write_unit_report
from forms import load_outline
from store.round_documents import DocumentDetails

OUTLINE = """
id: thu-so-le
version: 1
title: Thử số lẻ
items:
  - {type: integer, name: a, label: Số hồ sơ tiếp nhận}
  - {type: integer, name: b, label: Số hồ sơ đúng hạn}
  - {type: decimal, name: ty_le, label: Tỷ lệ đúng hạn, calculation: "b / a * 100"}
  - {type: decimal, name: ty_le_3, label: Tỷ lệ ba số lẻ, decimals: 3, calculation: "b / a * 100"}
"""


def test_computed_figures_keep_the_outlines_decimals() -> None:
    outline = load_outline(OUTLINE, filename="thu.yaml")
    # As an older revision stored them: unrounded.
    revision = {"number": 1, "values": {"a": 3, "b": 1, "ty_le": 33.333333, "ty_le_3": 33.333333}}
    out = io.BytesIO()
    write_unit_report(outline, {"name": "Phòng Thử"}, revision, out,
                      round_row={"title": "Đợt thử", "period_label": None},
                      document=DocumentDetails())
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out.getvalue())).paragraphs)
    assert "Tỷ lệ đúng hạn: 33,33" in text
    assert "Tỷ lệ ba số lẻ: 33,333" in text and "33,3333" not in text
