"""Adding a value kind is adding one module under forms/kinds/, and nothing else.

A copy of the packages gets one new file, forms/kinds/rating.py (a 1–5 star mark with its own
reading, words and Excel validation). In a fresh interpreter that imports the copy, the kind
must work on every channel with no other edit: an outline uses it, the web form asks for it
and refuses a bad post with the kind's own message, the Excel template validates its cell and
the uploaded workbook is read by the kind, and two units' marks consolidate.
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def copy_repo(target: Path) -> None:
    """The mutation script's copy of the packages (tests/mutation/mutants.py `copy_repo`)."""
    runpy.run_path(str(ROOT / "tests" / "mutation" / "mutants.py"))["copy_repo"](target)

RATING = '''"""`rating`: a mark of 1 to 5 stars, typed `4`, `4 sao` or `★★★★`."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from forms.kinds.base import Kind, Parsed, Spec, quote, validation

_STARS = re.compile(r"(★{1,5})|([1-5])(?:\\s*sao)?", re.IGNORECASE)


class RatingKind(Kind, name="rating", order=95, title="điểm sao", category="number"):
    default_aggregate: ClassVar[str] = "mean"
    align: ClassVar[str | None] = "right"
    input_attrs: ClassVar[tuple[tuple[str, str], ...]] = (("placeholder", "1–5 sao"),)

    def _parse(self, raw: object, spec: Spec | None) -> Parsed:
        if isinstance(raw, int | float) and not isinstance(raw, bool) and raw in range(1, 6):
            return Parsed(int(raw), ())
        found = _STARS.fullmatch(str(raw).strip())
        if found is None:
            return Parsed(None, (f"{quote(raw)} không phải là số sao. "
                                 "Hãy chấm từ 1 đến 5 sao, ví dụ 4 sao.",))
        return Parsed(len(found[1]) if found[1] else int(found[2]), ())

    def format(self, value: Any, spec: Spec | None = None) -> str:
        return "" if value is None else f"{value} sao"

    def excel_validation(self, spec: Spec | None = None) -> dict[str, Any]:
        return validation("integer", criteria="between", minimum=1, maximum=5,
                          input_title="Chấm điểm sao", input_message="Nhập từ 1 đến 5 sao.",
                          error_title="Số sao không hợp lệ",
                          error_message="Ô này chỉ nhận từ 1 đến 5 sao.")


KIND = RatingKind()
'''

OUTLINE = """
id: thu-danh-gia
version: 1
title: Phiếu đánh giá thử
items:
  - type: section
    number: I.
    label: ĐÁNH GIÁ
    items:
      - {type: rating, name: hai_long, number: "1.", label: Mức hài lòng của người dân}
      - {type: integer, name: so_phieu, number: "2.", label: Số phiếu khảo sát, unit: phiếu}
"""

#: Runs inside the copy: every channel, printing what each produced as JSON.
SCRIPT = '''
import io, json, sys
import forms
import openpyxl
from aggregate import UnitInfo, consolidate
from forms.excel import Identity, TemplateKey, read_upload, write_template
from forms.excel.layout import MAIN_SHEET
from forms.kinds import KINDS, get_kind
from forms.loader import load_outline
from forms.validate import validate
from webapp.formbuilder import build_form, raw_values
from webapp.outlines import KIND_LABELS

outline = load_outline(sys.argv[1].encode(), filename="thu.yaml")
out = {"package": forms.__file__, "kinds": list(KINDS), "label": KIND_LABELS["rating"]}

# The web form: the kind's input, then a posted mark read (and refused) by the kind.
form = build_form(outline, stored={"hai_long": 4})
out["input"] = str(form["hai_long"])
for posted in ("★★★", "9 sao"):
    result = validate(outline, raw_values(outline, {"hai_long": posted}), mode="draft")
    out[posted] = [result.values.get("hai_long"), [i.message for i in result.issues]]

# Excel: the template's validation, then a filled copy read back.
key = TemplateKey("cai-dat-thu", bytes(range(32)))
ident = Identity(outline.id, outline.version, 1, "Đợt thử", "A", "Phòng A")
buffer = io.BytesIO()
write_template(outline, buffer, identity=ident, key=key)
book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
ws = book[MAIN_SHEET]
out["excel_errors"] = sorted(v.error for v in ws.data_validations.dataValidation)
row = next(c.row for c in ws["A"] if c.value == "hai_long")
for typed in ("4 sao", "mười"):
    ws.cell(row, 4).value = typed
    filled = io.BytesIO()
    book.save(filled)
    upload = read_upload(filled.getvalue(), outline, key=key, round_id=1, unit_code="A",
                         mode="draft")
    out["excel " + typed] = [upload.result.values.get("hai_long"),
                              [i.message for i in upload.result.issues]]

# Consolidation: two units' marks, the kind's default aggregate.
units = [UnitInfo("A", "Phòng A", "phòng", None, "submitted"),
         UnitInfo("B", "Phòng B", "phòng", None, "submitted")]
result = consolidate(outline, units, {"A": {"hai_long": 4}, "B": {"hai_long": 5}})
header = next(h for h in result.columns if h.item_key == "hai_long")
out["total"] = [header.header, float(result.total[header.key])]
out["shown"] = get_kind("rating").format(5)
print(json.dumps(out, ensure_ascii=False))
'''


@pytest.fixture(scope="module")
def channels(tmp_path_factory: pytest.TempPathFactory) -> dict:
    copy = tmp_path_factory.mktemp("mot-kieu-moi")
    copy_repo(copy)
    (copy / "forms" / "kinds" / "rating.py").write_text(RATING, encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", SCRIPT, OUTLINE], cwd=copy,
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(copy)})
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["package"] == str(copy / "forms" / "__init__.py")  # the copy, not this tree
    return out


def test_the_registry_finds_the_new_module_in_its_documentation_place(channels: dict) -> None:
    assert channels["kinds"] == ["integer", "decimal", "percent", "money", "text", "long_text",
                                 "date", "select_one", "yes_no", "rating"]
    assert channels["label"] == "điểm sao"  # the outline page names it by its own title


def test_the_web_form_asks_for_it_and_reads_a_post_with_the_kinds_rules(channels: dict) -> None:
    assert 'placeholder="1–5 sao"' in channels["input"]
    assert 'value="4 sao"' in channels["input"]  # the stored mark shown by the kind's format
    assert channels["★★★"] == [3, []]
    value, messages = channels["9 sao"]
    assert value is None
    assert any('"9 sao" không phải là số sao. Hãy chấm từ 1 đến 5 sao' in m for m in messages)


def test_the_excel_template_validates_the_cell_and_the_upload_is_read_by_the_kind(
        channels: dict) -> None:
    assert "Ô này chỉ nhận từ 1 đến 5 sao." in channels["excel_errors"]
    assert channels["excel 4 sao"] == [4, []]
    value, messages = channels["excel mười"]
    assert value is None
    assert any('"mười" không phải là số sao' in m for m in messages)


def test_two_units_consolidate_by_the_kinds_default_aggregate(channels: dict) -> None:
    header, total = channels["total"]
    assert "trung bình" in header  # `default_aggregate = "mean"`
    assert total == 4.5
    assert channels["shown"] == "5 sao"
