"""The complete example in docs/outline-format.md is a valid outline, so the doc cannot drift
from what the loader accepts."""

from __future__ import annotations

import re
from pathlib import Path

from forms import load_outline, validate

DOC = Path(__file__).resolve().parents[2] / "docs" / "outline-format.md"


def test_the_documented_example_loads_and_validates():
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    outline = load_outline(example, filename="outline-format.md")
    kinds = {item.kind for item in outline.walk()}
    assert kinds >= {"section", "integer", "decimal", "percent", "money", "text", "long_text",
                     "date", "select_one", "yes_no", "table"}
    result = validate(outline, {"nv_tong": "10", "nv_xong": "12", "hai_long": "75"})
    assert [i.rule for i in result.issues] == ["nv_xong_le_tong", "hai_long_thap"]
    assert result.values["nv_ty_le"] == 120.0


def test_the_documented_table_example_loads_and_computes():
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Tables in expressions", 1)[1]
    snippet = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    head = "id: vi-du-bang\nversion: 1\ntitle: Bảng\nitems:\n"
    outline = load_outline(head + snippet, filename="outline-format.md")
    rows = [{"ma_tieu_chi": "1.5", "diem_dat": "0,5", "diem_toi_da": "2"},
            {"ma_tieu_chi": "1.6", "diem_dat": "4", "diem_toi_da": "3"}]
    result = validate(outline, {"tieu_chi": rows})
    assert result.values["so_tieu_chi"] == 2
    assert result.values["tong_diem_con_thieu"] == 0.5  # 1,5 + (−1)
    assert [(i.row, i.message.split(":")[0]) for i in result.issues] == [(2, "Dòng 2")]
