"""Every file in outlines/ end to end, with no outline-specific code: check → register → a round
of three units of two kinds → the web fill page → the Excel template, filled and uploaded → the
same values through the web form → consolidation → xlsx, csv and docx exports read back.

An outline is only "real" if adding its file is enough: this test is the proof, so it reads
nothing but the outline (and its optional `<id>.sample.json`, the values a unit would type) and
finds cells by the template's own markers, never by row numbers.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from flask.testing import FlaskClient
from markupsafe import escape

import store
from aggregate import load_round
from aggregate.source import round_input
from exports import FORMATS
from exports.commands import meta_for
from forms import check_outline, validate
from forms.excel.layout import (
    COLUMNS_MARKER,
    MAIN_SHEET,
    TABLE_COLUMNS,
    TABLE_END,
    TABLE_HEADER,
)
from forms.kinds.numbers import format_number
from forms.model import Column, Item, Outline
from store.excel_commands import template_bytes
from store.uploads import ACCEPTED, ingest_upload

OUTLINES = Path(__file__).resolve().parents[2] / "outlines"
FILES = sorted(OUTLINES.glob("*.yaml"))
UNITS = (("E2E-P1", "Phòng Văn hoá - Xã hội", "phòng"), ("E2E-P2", "Phòng Kinh tế", "phòng"),
         ("E2E-X1", "UBND xã Thử Nghiệm", "xã"))
EXCEL_UNIT, WEB_UNIT = "E2E-P1", "E2E-P2"
COORDINATOR, EXCEL_USER, WEB_USER = "e2e-daumoi", "e2e-p1", "e2e-p2"
SUM_KINDS = ("integer", "decimal", "money")


def vn(value: float) -> str:
    """The figure as a Vietnamese reader expects it (1.234,5; two decimals at most), written
    here independently of the product's formatter so a rounding bug there shows."""
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One database for every outline (units and accounts are the slow part: password
    hashing); each outline gets its own round, so the cases stay independent."""
    from webapp import create_app

    path = tmp_path_factory.mktemp("e2e") / "e2e.db"
    db = store.open_db(path)
    for code, name, kind in UNITS:
        store.add_unit(db, code, name, kind=kind, actor="e2e")
    store.add_account(db, COORDINATOR, "mat-khau-dau-moi", "coordinator", actor="e2e")
    store.add_account(db, EXCEL_USER, "mat-khau-p1", "unit", EXCEL_UNIT, actor="e2e")
    store.add_account(db, WEB_USER, "mat-khau-p2", "unit", WEB_UNIT, actor="e2e")
    app = create_app({"TESTING": True, "DATABASE": str(path), "SECRET_KEY": "e2e",
                      "WTF_CSRF_ENABLED": False, "KEEP_DB_CONNECTIONS": False})
    yield {"db": db, "app": app}
    db.close()


def logged_in(client: FlaskClient, username: str) -> FlaskClient:
    """Log in without hashing a password: a server-side session row and its token."""
    db = store.open_db(client.application.config["DATABASE"])
    try:
        token = store.start_session(db, username)
    finally:
        db.close()
    with client.session_transaction() as session:
        session.clear()
        session["sid"] = token
    return client


# --- values a unit types, from the sample or generated per kind ----------------------------


def sample_of(outline: Outline) -> dict[str, Any] | None:
    sample = OUTLINES / f"{outline.id}.sample.json"
    return json.loads(sample.read_text(encoding="utf-8")) if sample.exists() else None


def typed(spec: Item | Column) -> Any:
    """A value of the spec's kind that passes its bounds, as a person would type it."""
    if spec.kind in ("integer", "money", "decimal", "percent"):
        low = spec.min if spec.min is not None else 0
        return format_number(int(low) if spec.kind in ("integer", "money") else low)
    if spec.kind == "date":
        return "12/11/2025"
    if spec.kind == "yes_no":
        return "có"
    if spec.kind == "select_one":
        return spec.choices[0].name
    return "Nội dung thử nghiệm"


def generated(outline: Outline) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for item in outline.fields():
        if item.is_computed or item.key is None:
            continue
        if item.kind == "table":
            raw[item.key] = [{c.key: typed(c) for c in item.columns}] * max(1, item.min_rows)
        else:
            raw[item.key] = typed(item)
    return raw


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def inputs(outline: Outline, raw: dict[str, Any]) -> Iterator[tuple[Item, Any]]:
    """The (item, raw value) pairs a person types: computed items are the engine's job."""
    for item in outline.fields():
        if item.key in raw and not item.is_computed:
            yield item, raw[item.key]


# --- the Excel template, filled by markers -------------------------------------------------


def fill_template(data: bytes, outline: Outline, raw: dict[str, Any]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[MAIN_SHEET]
    rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)
            if sheet.cell(r, 1).value}
    roles = {sheet.cell(rows[COLUMNS_MARKER], c).value: c
             for c in range(1, sheet.max_column + 1)}
    value_col = roles["value"]
    for item, value in inputs(outline, raw):
        if item.kind != "table":
            sheet.cell(rows[item.key], value_col).value = as_text(value)
            continue
        marker = rows[item.key + TABLE_COLUMNS]
        cols = {sheet.cell(marker, c).value: c for c in range(1, sheet.max_column + 1)}
        first, end = rows[item.key + TABLE_HEADER] + 1, rows[item.key + TABLE_END]
        assert len(value) <= end - first, f"{item.key}: the template has {end - first} rows"
        for offset, row in enumerate(value):
            for key, cell in row.items():
                sheet.cell(first + offset, cols[key]).value = as_text(cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def web_form(outline: Outline, raw: dict[str, Any], action: str) -> dict[str, str]:
    """The fill page's POST: one input per item, `key-row-column` per table cell."""
    form = {"action": action}
    for item, value in inputs(outline, raw):
        if item.kind == "table":
            form[f"{item.key}-rows"] = str(len(value))
            for index, row in enumerate(value):
                for key, cell in row.items():
                    form[f"{item.key}-{index}-{key}"] = as_text(cell)
        else:
            form[item.key] = as_text(value)
    return form


# --- exports read back -----------------------------------------------------------------------


def xlsx_cells(data: bytes) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [v for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
            if v is not None]


def csv_cells(data: bytes) -> list[str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return [cell for name in archive.namelist()
            for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
            for cell in row]


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def close(value: Any, total: float) -> bool:
    try:
        return not isinstance(value, bool) and math.isclose(float(value), total, rel_tol=1e-9)
    except (TypeError, ValueError):
        return False


# --- the test --------------------------------------------------------------------------------


def test_there_are_outlines_to_test() -> None:
    assert len(FILES) >= 4


@pytest.mark.parametrize("values", ["sample", "generated"])
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_outline_end_to_end(path: Path, values: str, world: dict[str, Any]) -> None:
    """`values`: the outline's sample when it has one, else (and always for "generated")
    values made per kind, so an outline shipped without a sample is covered as well."""
    db, app = world["db"], world["app"]

    # 1. check, register, open a round for three units of two kinds
    assert check_outline(path) == []
    outline = store.register_outline(db, path.read_text(encoding="utf-8"), actor="e2e")
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version,
        title=f"Đợt thử {outline.id}", period_start="2025-07-01", period_end="2025-12-31",
        period_label="6 tháng cuối năm 2025",
        deadline=store.deadline_end_of_day(date(2099, 12, 31)),
        units=[code for code, _, _ in UNITS], created_by=COORDINATOR)

    # 2. the web fill page shows every value item's wording, escaped
    client = logged_in(app.test_client(), EXCEL_USER)
    page = client.get(f"/rounds/{round_id}/units/{EXCEL_UNIT}/edit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for item in outline.fields():
        assert str(escape(item.label)) in html, item.key
        for column in item.columns:
            assert str(escape(column.label)) in html, f"{item.key}.{column.key}"

    # 3. values: the sample a unit would type, else generated per kind
    sample = sample_of(outline) if values == "sample" else None
    fallback = generated(outline)
    assert validate(outline, fallback, mode="draft").ok  # the generic values always work
    raw = sample if sample is not None else fallback
    mode = "submit" if sample is not None or validate(outline, raw, mode="submit").ok else "draft"

    # 4. the Excel template, filled by its markers and uploaded
    template = template_bytes(db, round_id, EXCEL_UNIT)
    filled = fill_template(template, outline, raw)
    outcome = ingest_upload(db, filled, f"{EXCEL_UNIT}.xlsx", actor=EXCEL_USER,
                            unit_code=EXCEL_UNIT, mode=mode)
    assert outcome.status == ACCEPTED, outcome.errors
    by_excel = store.get_revision(db, round_id, EXCEL_UNIT)
    assert by_excel is not None and by_excel["channel"] == "excel"
    for item, value in inputs(outline, raw):  # every typed value arrived, every table row
        stored = by_excel["values"].get(item.key)
        if item.kind == "table":
            assert len(stored or []) == len(value), item.key
        elif as_text(value).strip():
            assert stored is not None, item.key

    # 5. the same values through the web form for a second unit: the same stored values
    web = logged_in(app.test_client(), WEB_USER)
    posted = web.post(f"/rounds/{round_id}/units/{WEB_UNIT}/edit",
                      data=web_form(outline, raw, mode))
    assert posted.status_code == 302, posted.get_data(as_text=True)[:2000]
    by_web = store.get_revision(db, round_id, WEB_UNIT)
    assert by_web is not None and by_web["channel"] == "web"
    assert by_web["values"] == by_excel["values"]

    # 6. consolidation: a summed item's total is the sum of the stored values
    consolidation = load_round(db, round_id)
    counted = [by_excel["values"], by_web["values"]] if mode == "submit" else []
    summed = [i for i in outline.fields() if i.kind in SUM_KINDS and i.aggregate == "sum"
              and not i.is_computed]
    assert summed, "the outline has no summed number to consolidate"
    item = next((i for i in summed if any(v.get(i.key) for v in counted)), summed[0])
    present = [v[item.key] for v in counted if v.get(item.key) is not None]
    total = consolidation.total[item.key]
    assert present or sample is None, "the sample fills no summed number"
    if present:
        assert total == pytest.approx(sum(present))
    else:
        assert math.isnan(total)  # drafts do not count: no data, not zero

    # 7. exports, read back: the item's wording and its total appear in each
    meta = meta_for(round_input(db, round_id))
    files = {}
    for fmt, write in FORMATS.items():
        buffer = io.BytesIO()
        write(consolidation, buffer, meta=meta)
        files[fmt] = buffer.getvalue()
    cells = xlsx_cells(files["xlsx"])
    assert any(isinstance(v, str) and item.label in v for v in cells)
    table = csv_cells(files["csv"])
    assert any(item.label in cell for cell in table)
    report = docx_text(files["docx"])
    assert item.label in report
    if present:
        assert any(close(v, total) for v in cells)
        assert any(close(cell, total) for cell in table)
        assert vn(total) in report
