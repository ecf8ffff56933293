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
