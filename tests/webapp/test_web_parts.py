"""The web channel's pure parts: POST → raw values, formulas for the browser, revision diffs,
evidence sniffing and Vietnamese display."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from web_helpers import EXAMPLE_OUTLINE
from werkzeug.datastructures import MultiDict

from forms import load_outline, validate
from webapp import display, evidence
from webapp.diff import diff_values
from webapp.formbuilder import build_form, formulas_json, raw_values

OUTLINE = load_outline(EXAMPLE_OUTLINE, filename="vi-du.yaml")


def test_raw_values_reads_tables_skips_computed_and_deleted_rows():
    posted = MultiDict({"nv_tong": " 4 ", "nv_ty_le": "999", "sang_kien-rows": "3",
                        "sang_kien-0-ten": "A", "sang_kien-1-ten": "B",
                        "sang_kien-1-_delete": "1", "sang_kien-2-ten": ""})
    raw = raw_values(OUTLINE, posted)
    assert "nv_ty_le" not in raw
    assert raw["nv_tong"] == " 4 "
    assert raw["sang_kien"] == [{"ten": "A", "ngay": ""}, {"ten": "", "ngay": ""}]
    result = validate(OUTLINE, raw, mode="draft")
    assert result.values["sang_kien"] == [{"ten": "A", "ngay": None}]


def test_stored_values_round_trip_through_the_form():
    stored = {"nv_tong": 1234, "nv_xong": 3, "nv_ty_le": 33.3333, "co_quy_che": False,
              "tu_danh_gia": "tot", "ngay_ke_hoach": "2025-11-12",
              "sang_kien": [{"ten": "A", "ngay": "2025-08-01"}]}
    form = build_form(OUTLINE, stored=stored)
    assert form["nv_tong"].data == "1.234"
    assert form["nv_ty_le"].data == "33,33"  # computed: shown as displayed
    assert form["co_quy_che"].data == "khong"
    assert form["ngay_ke_hoach"].data == "12/11/2025"
    assert form.rows["sang_kien"] == 3
    posted = {name: field.data or "" for name, field in form.form._fields.items()}
    posted["sang_kien-rows"] = "3"
    again = validate(OUTLINE, raw_values(OUTLINE, posted), mode="submit").values
    assert again["nv_tong"] == 1234 and again["co_quy_che"] is False
    assert again["sang_kien"][0]["ten"] == "A"


def test_formulas_json_is_evaluable():
    spec = json.loads(formulas_json(OUTLINE))
    assert spec["computed"] == [{"key": "nv_ty_le", "kind": "percent", "expr": [
        "bin", "*", ["bin", "/", ["name", "nv_xong"], ["name", "nv_tong"]], ["num", 100]],
        "decimals": 2}]  # the preview rounds as the engine does: 2 decimals by default
    assert spec["kinds"]["sang_kien"] == "table"


def test_diff_lists_changed_items_and_cells_in_vietnamese():
    before = {"nv_tong": 1000, "sang_kien": [{"ten": "A", "ngay": None}]}
    after = {"nv_tong": 1200, "dau_moi": "Chị Lan",
             "sang_kien": [{"ten": "A", "ngay": "2025-08-01"}, {"ten": "B", "ngay": None}]}
    changes = diff_values(OUTLINE, before, after)
    assert [(c.key, c.before, c.after, c.where) for c in changes] == [
        ("nv_tong", "1.000", "1.200", ""),
        ("dau_moi", "", "Chị Lan", ""),
        ("sang_kien", "", "01/08/2025", "dòng 1, cột «Ngày áp dụng»"),
        ("sang_kien", "", "B", "dòng 2, cột «Tên sáng kiến»"),
    ]
    assert changes[0].ref == "I. 1. Tổng số nhiệm vụ"


@pytest.mark.parametrize("content, media_type", [
    (b"%PDF-1.7\n...", "application/pdf"), (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n....", "image/png"), (b"<html><script>", None), (b"MZ\x90\x00", None)])
def test_evidence_type_comes_from_the_bytes(content, media_type):
    assert evidence.sniff(content) == media_type


def test_evidence_check_names_the_file_and_the_problem():
    assert evidence.check("a.pdf", b"%PDF-1.4", 100).problem is None
    assert "lớn hơn" in evidence.check("a.pdf", b"%PDF-" + b"0" * 200, 100).problem
    assert "không phải PDF" in evidence.check("bao-cao.pdf", b"GIF89a", 100).problem
    assert "rỗng" in evidence.check("a.png", b"", 100).problem


def test_vietnamese_dates_numbers_and_days_left():
    assert display.vn_date("2025-11-11T16:59:59+00:00") == "11/11/2025"
    assert display.vn_datetime("2025-11-11T16:59:59+00:00") == "11/11/2025 23:59"
    assert display.vn_date("2025-07-01") == "01/07/2025"
    assert display.number(1234.5) == "1.234,5"
    now = datetime.fromisoformat("2025-11-09T20:00:00+07:00")
    assert display.days_left_text("2025-11-11T16:59:59+00:00", now) == "còn 2 ngày"
    assert display.days_left_text("2025-11-09T16:59:59+00:00", now) == "hạn là hôm nay"
    assert display.days_left_text("2025-11-07T16:59:59+00:00", now) == "quá hạn 2 ngày"


def test_typed_figures_go_back_into_the_form_exactly():
    outline = load_outline(EXAMPLE_OUTLINE.replace(
        "      - {type: text, name: dau_moi",
        "      - {type: percent, name: ty_le_nhap, number: \"9.\", label: Tỷ lệ nhập}\n"
        "      - {type: text, name: dau_moi"), filename="vi-du.yaml")
    form = build_form(outline, stored={"ty_le_nhap": 95.555})
    assert form["ty_le_nhap"].data == "95,555"


def test_per_outline_values_live_beside_the_frozen_outline_and_go_with_it():
    import dataclasses
    import gc

    from forms import derived

    outline = load_outline(EXAMPLE_OUTLINE, filename="vi-du.yaml")
    assert not any("cache" in f.name for f in dataclasses.fields(outline))
    calls: list[str] = []

    def make(o):
        calls.append(o.id)  # not the outline itself, which must be free to go
        return len(calls)

    assert derived.per_outline("x", outline, make) == 1
    assert derived.per_outline("x", outline, make) == 1  # computed once
    other = load_outline(EXAMPLE_OUTLINE, filename="vi-du.yaml")
    assert derived.per_outline("x", other, make) == 2  # per object, not per equal outline
    key = id(outline)
    del outline
    gc.collect()
    assert key not in derived._DERIVED
