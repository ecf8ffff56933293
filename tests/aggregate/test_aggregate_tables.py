"""Consolidating items computed over a repeating table: each unit's figure is its own rows'
(count, sum), and the total adds the units' figures up — a consolidated total has no rows of
its own, so `aggregate: sum` is the default for such items and `formula` is refused."""

from __future__ import annotations

import math

from aggregate import UnitInfo, consolidate
from forms.errors import Code
from forms.loader import check_outline, load_outline
from forms.validate import to_json, validate

OUTLINE = """\
id: tong-hop-bang
version: 1
title: Tổng hợp bảng
items:
  - type: table
    name: tc
    label: Tiêu chí
    columns:
      - {type: text, name: ma, label: Mã}
      - {type: decimal, name: dat, label: Đạt}
      - {type: decimal, name: toi_da, label: Tối đa}
      - {type: decimal, name: thieu, label: Thiếu, calculation: toi_da - dat}
  - {type: integer, name: so_tc, label: Số tiêu chí, calculation: count(tc)}
  - {type: decimal, name: tong_thieu, label: Tổng thiếu, calculation: sum(tc.thieu)}
"""
UNITS = [UnitInfo("A", "Đơn vị A", "sở"), UnitInfo("B", "Đơn vị B", "sở"),
         UnitInfo("C", "Đơn vị C", "sở")]
TYPED = {
    "A": [{"ma": "1", "dat": "1", "toi_da": "2"}, {"ma": "2", "dat": "0", "toi_da": "3"}],
    "B": [{"ma": "1", "dat": "0,5", "toi_da": "1"}],
    "C": [],
}


def test_units_count_their_rows_and_the_total_adds_them_up() -> None:
    outline = load_outline(OUTLINE)
    assert outline.item("so_tc").aggregate == "sum"
    assert outline.item("tong_thieu").aggregate == "sum"
    stored = {code: to_json(outline, validate(outline, {"tc": rows}).values)
              for code, rows in TYPED.items()}
    table = consolidate(outline, UNITS, stored).table
    units = table[table["row_type"] == "unit"].set_index("code")
    assert units.loc["A", "so_tc"] == 2 and units.loc["A", "tong_thieu"] == 4
    assert units.loc["B", "so_tc"] == 1 and units.loc["B", "tong_thieu"] == 0.5
    assert units.loc["C", "so_tc"] == 0 and math.isnan(units.loc["C", "tong_thieu"])
    [total] = table[table["row_type"] == "total"].to_dict("records")
    assert total["so_tc"] == 3  # 2 + 1 + 0
    assert total["tong_thieu"] == 4.5  # C has no figure: skipped, not counted as 0


def test_formula_aggregation_is_refused_for_a_table_formula() -> None:
    text = OUTLINE.replace("calculation: count(tc)}", "calculation: count(tc), "
                                                     "aggregate: formula}")
    problems = check_outline(text, filename="bang.yaml")
    line = 1 + next(i for i, text_line in enumerate(text.splitlines()) if "so_tc" in text_line)
    column = text.splitlines()[line - 1].index("formula}") + 1
    assert [(p.line, p.column, p.code) for p in problems] == [
        (line, column, Code.TABLE_FORMULA_AGGREGATE)]
    assert "không còn các dòng của từng đơn vị" in problems[0].message


def test_a_target_over_a_table_is_judged_per_unit_from_its_rows() -> None:
    text = OUTLINE + '''  - {type: integer, name: da_khac_phuc, label: Số tiêu chí đã khắc phục,
     target: ">= count(tc)"}
'''
    outline = load_outline(text)
    typed = {"A": ("2", TYPED["A"]), "B": ("0", TYPED["B"]), "C": ("0", [])}
    stored = {code: to_json(outline, validate(outline, {"da_khac_phuc": done, "tc": rows}).values)
              for code, (done, rows) in typed.items()}
    verdicts = consolidate(outline, UNITS, stored).targets.table
    by_code = dict(zip(verdicts["code"], verdicts["da_khac_phuc"], strict=True))
    assert (by_code["A"], by_code["B"], by_code["C"]) == ("đạt", "không đạt", "đạt")
    [total] = verdicts[verdicts["row_type"] == "total"]["da_khac_phuc"]
    assert total == "không có số liệu"  # a total has no rows to count
