"""Helpers of the reliability tests: a real database with the Cẩm Giang outline in two
versions, rounds and units; templates filled as a user would; a dump of every table.

A module of its own (not conftest) so test modules import it by a name no other test folder
uses.
"""

from __future__ import annotations

import io
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from sqlite_utils import Database

import store
from forms import to_json, validate
from forms.excel import Identity, write_template
from forms.excel.layout import MAIN_SHEET, VALUE_COL
from store.outlines import get_outline

ROOT = Path(__file__).resolve().parents[2]
CAM_GIANG = ROOT / "outlines" / "cam-giang-cchc-2025.yaml"
OUTLINE_V1 = CAM_GIANG.read_text(encoding="utf-8")
OUTLINE_V2 = OUTLINE_V1.replace("\nversion: 1\n", "\nversion: 2\n", 1)
OUTLINE_ID = "cam-giang-cchc-2025"
SAMPLE: dict[str, str] = json.loads(
    CAM_GIANG.with_name("cam-giang-cchc-2025.sample.json").read_text(encoding="utf-8"))
UNITS = ("VP", "KT", "VHXH", "TTPVHCC")
UNIT_NAMES = {"VP": "Văn phòng HĐND và UBND", "KT": "Phòng Kinh tế",
              "VHXH": "Phòng Văn hóa - Xã hội", "TTPVHCC": "Trung tâm Phục vụ hành chính công"}
NOW = datetime(2025, 11, 1, 3, 0, tzinfo=UTC)


@dataclass(frozen=True)
class World:
    """Round ids: `v1` and `other` use outline version 1, `v2` version 2, `closed` is closed."""

    path: Path
    v1: int
    v2: int
    other: int
    closed: int


def make_world(path: Path, *, units: tuple[str, ...] = UNITS) -> World:
    """A fresh database at `path`; deterministic, so ids are the same in every world."""
    db = store.open_db(path)
    try:
        store.register_outline(db, OUTLINE_V1, actor="test")
        store.register_outline(db, OUTLINE_V2, actor="test")
        store.upsert_units(db, [{"code": c, "name": UNIT_NAMES.get(c, f"Đơn vị {c}")}
                                for c in units])
        ids = []
        for title, version in (("Kiểm tra CCHC 6 tháng cuối năm 2025", 1),
                               ("Kiểm tra CCHC năm 2025 (đề cương mới)", 2),
                               ("Kiểm tra CCHC bổ sung", 1),
                               ("Kiểm tra CCHC đã đóng", 1)):
            ids.append(store.create_round(
                db, outline_id=OUTLINE_ID, outline_version=version, title=title,
                period_start=date(2025, 7, 1), period_end=date(2025, 12, 31),
                period_label="6 tháng cuối năm 2025",
                deadline=store.deadline_end_of_day(date(2025, 11, 11)),
                units=list(units), created_by="daumoi", now=NOW))
        store.set_round_status(db, ids[3], "closed", actor="daumoi")
    finally:
        db.close()
    return World(path, *ids)


def template(db: Database, round_id: int, unit_code: str | None,
             values: dict[str, Any] | None = None) -> bytes:
    """The template of a round as `decuong template` writes it (optionally pre-filled with
    stored JSON values)."""
    round_row = store.get_round(db, round_id)
    outline = store.outline_for_round(db, round_id)
    identity = Identity(outline.id, outline.version, round_id=round_id,
                        round_title=round_row["title"], unit_code=unit_code,
                        unit_name=store.get_unit(db, unit_code)["name"] if unit_code else None)
    buffer = io.BytesIO()
    write_template(outline, buffer, identity=identity, key=store.template_key(db), values=values,
                   period_label=round_row.get("period_label"))
    return buffer.getvalue()


def stored_values(db: Database, raw: dict[str, Any], version: int = 1) -> dict[str, Any]:
    """Raw answers → the JSON values a revision stores (for pre-filled templates)."""
    outline = get_outline(db, OUTLINE_ID, version)
    result = validate(outline, raw)
    assert result.ok, [i.message for i in result.errors]
    return to_json(outline, result.values)


def key_rows(ws) -> dict[str, int]:
    return {str(row[0].value): row[0].row for row in ws.iter_rows(min_col=1, max_col=1)
            if row[0].value}


def edit(data: bytes, change) -> bytes:
    """Open the workbook with openpyxl, let `change(book)` edit it, save it back."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fill(data: bytes, typed: dict[str, Any]) -> bytes:
    """Type `typed` (key → what the user types) into the input cells, as a person would."""
    def change(book) -> None:
        ws = book[MAIN_SHEET]
        rows = key_rows(ws)
        for key, value in typed.items():
            ws.cell(rows[key], VALUE_COL + 1).value = value

    return edit(data, change)


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (sqlite_sequence included), through a separate connection so
    nothing uncommitted can hide a change."""
    conn = sqlite3.connect(str(path))
    try:
        tables = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()
                for t in tables}
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def consistency_problems(path: Path) -> list[str]:
    """What would make a submission partial: a submissions row whose latest revision is missing,
    revisions numbered with gaps, a revision's file missing, a revision without its event."""
    conn = sqlite3.connect(str(path))
    try:
        problems = [f"submission {sid}: latest {latest}, max revision {top}, count {count}"
                    for sid, latest, top, count in conn.execute(
                        "SELECT s.id, s.latest_revision, MAX(r.number), COUNT(r.id)"
                        " FROM submissions s LEFT JOIN revisions r ON r.submission_id = s.id"
                        " GROUP BY s.id")
                    if not (latest == top == count)]
        problems += [f"revision {rid}: file {sha} missing" for rid, sha in conn.execute(
            "SELECT r.id, r.file_sha256 FROM revisions r LEFT JOIN files f"
            " ON f.sha256 = r.file_sha256 WHERE r.file_sha256 IS NOT NULL AND f.sha256 IS NULL")]
        events = conn.execute("SELECT COUNT(*) FROM events WHERE action IN"
                              " ('submission.submit', 'submission.draft')").fetchone()[0]
        revisions = conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0]
        if events != revisions:
            problems.append(f"{revisions} revisions but {events} save events")
        return problems
    finally:
        conn.close()
