"""Helpers of the bulk ingest tests: a real database with the Cẩm Giang outline, an open and a
closed round, and filled templates as `decuong template` writes them; a dump of every table.

A module of its own (not conftest) so test modules import it by a name no other test folder
uses.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl

import store
from forms import to_json, validate
from forms.excel import Identity, write_template
from forms.excel.layout import MAIN_SHEET, VALUE_COL

ROOT = Path(__file__).resolve().parents[2]
for _folder in ("reliability", "forms/excel"):  # the table dump and workbook surgery live there
    if str(ROOT / "tests" / _folder) not in sys.path:
        sys.path.insert(0, str(ROOT / "tests" / _folder))

# Re-exported for the bulk ingest tests.
from excel_helpers import without_sheet  # noqa: E402, F401
from rel_world import dump  # noqa: E402, F401

CAM_GIANG = ROOT / "outlines" / "cam-giang-cchc-2025.yaml"
SAMPLE: dict[str, str] = json.loads(
    CAM_GIANG.with_name("cam-giang-cchc-2025.sample.json").read_text(encoding="utf-8"))
NOW = datetime(2025, 11, 3, 2, 0, tzinfo=UTC)
UNITS = tuple(f"DV{n:02d}" for n in range(10))
OUTSIDER = "NGOAI"  # a unit that exists but no round expects


@dataclass(frozen=True)
class World:
    path: Path
    open_round: int
    closed_round: int


def make_world(path: Path) -> World:
    """A fresh database; deterministic, so two worlds made alike have the same ids."""
    db = store.open_db(path)
    try:
        outline = store.register_outline(db, CAM_GIANG.read_text(encoding="utf-8"),
                                         actor="test")
        store.upsert_units(db, [{"code": c, "name": f"Đơn vị {c}"}
                                for c in (*UNITS, OUTSIDER)])
        ids = [store.create_round(
            db, outline_id=outline.id, outline_version=outline.version, title=title,
            period_start=date(2025, 7, 1), period_end=date(2025, 12, 31),
            period_label="6 tháng cuối năm 2025",
            deadline=store.deadline_end_of_day(date(2025, 11, 11)), units=list(UNITS),
            created_by="daumoi", now=NOW)
            for title in ("Kiểm tra CCHC 6 tháng cuối năm 2025", "Kiểm tra CCHC đã đóng")]
        store.set_round_status(db, ids[1], "closed", actor="daumoi", now=NOW)
    finally:
        db.close()
    return World(path, *ids)


def copy_world(world: World, path: Path) -> World:
    """The same database at another path (byte for byte: same ids and timestamps)."""
    shutil.copyfile(world.path, path)
    return World(path, world.open_round, world.closed_round)


def values(db, n: int) -> dict[str, Any]:
    """Valid stored values, different for each `n`."""
    outline = store.get_outline(db, "cam-giang-cchc-2025")
    result = validate(outline, {**SAMPLE, "nv_tong": str(12 + n), "nv_dang_thuc_hien": str(3 + n)})
    assert result.ok, [i.message for i in result.errors]
    return to_json(outline, result.values)


def template(db, round_id: int, unit_code: str, filled: dict[str, Any] | None = None) -> bytes:
    """A unit's template of a round, pre-filled with stored values (as a unit would send it
    back), the way `decuong template` writes it."""
    round_row = store.get_round(db, round_id)
    outline = store.outline_for_round(db, round_id)
    identity = Identity(outline.id, outline.version, round_id=round_id,
                        round_title=round_row["title"], unit_code=unit_code,
                        unit_name=store.get_unit(db, unit_code)["name"])
    buffer = io.BytesIO()
    write_template(outline, buffer, identity=identity, key=store.template_key(db), values=filled,
                   period_label=round_row.get("period_label"))
    return buffer.getvalue()


def type_into(data: bytes, typed: dict[str, Any]) -> bytes:
    """Type `typed` (key → what a person types) into the input cells with openpyxl."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[MAIN_SHEET]
    rows = {str(r[0].value): r[0].row for r in sheet.iter_rows(min_col=1, max_col=1)
            if r[0].value}
    for key, value in typed.items():
        sheet.cell(rows[key], VALUE_COL + 1).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
