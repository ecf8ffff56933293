"""XSS and formula injection everywhere a unit's or coordinator's text comes back out.

Payloads go into every text and long_text item of a report (the Cẩm Giang outline has 45, all
narratives), a unit's name, and a return comment (on the report and on items). Every HTML page
that shows them is rendered and must never contain a payload unescaped; the exports (xlsx, the
CSV zip, docx), the reminder CSV and the Excel template pre-filled with the values must keep
them as inert text: a string cell, never a formula; a CSV cell with a leading apostrophe; docx
text runs without fields.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from markupsafe import escape
from rel_web import COORDINATOR, UNIT_A, UNIT_B, USER_A, as_user, build_demo_db, create_test_app
from rel_world import SAMPLE

import store

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULAS = ('=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)")
PAYLOADS = (SCRIPT, IMG, *FORMULAS)
#: What must never appear in HTML: the payloads' tags, as tags.
RAW = ("<script>alert(1)", "<img src=x", "onerror=alert(1)>")
FORMULA_MARKERS = ("HYPERLINK", "SUM(A1)", "+1", "-2+3")
UNIT_A_NAME = f"Phòng {SCRIPT}{IMG}"
UNIT_B_NAME = '=HYPERLINK("http://x","y")'


@dataclass
class Site:
    app: Any
    round_id: int
    keys: list[str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("xss")
    path = folder / "decuong.db"
    demo = build_demo_db(path)
    round_id = demo["round"]
    db = store.open_db(path)
    try:
        outline = store.outline_for_round(db, round_id)
        keys = [i.key for i in outline.fields() if i.kind in ("text", "long_text")]
        assert len(keys) >= len(PAYLOADS)

        def values(shift: int) -> dict[str, Any]:
            return {**SAMPLE, **{k: PAYLOADS[(n + shift) % len(PAYLOADS)]
                                 for n, k in enumerate(keys)}}

        store.upsert_units(db, [{"code": UNIT_A, "name": UNIT_A_NAME, "contact": IMG},
                                {"code": UNIT_B, "name": UNIT_B_NAME, "contact": "+1"}],
                           actor=COORDINATOR)
        intake = store.submit_values(db, round_id=round_id, unit_code=UNIT_A, raw=values(0),
                                     channel="web", actor=USER_A, mode="submit")
        assert intake.revision is not None, intake.result.errors
        store.set_status(db, round_id, UNIT_A, "returned", COORDINATOR,
                         comment=SCRIPT + " " + FORMULAS[0],
                         item_comments={keys[0]: IMG, keys[1]: "@SUM(A1)"})
        intake = store.submit_values(db, round_id=round_id, unit_code=UNIT_A, raw=values(1),
                                     channel="web", actor=USER_A, mode="draft")
        assert intake.revision is not None
    finally:
        db.close()
    yield Site(create_test_app(path, folder), round_id, keys)


def _pages(site: Site) -> list[tuple[str, str]]:
    r, a = site.round_id, UNIT_A
    unit = ["/unit/", f"/rounds/{r}/units/{a}/edit", f"/rounds/{r}/units/{a}/",
            f"/rounds/{r}/units/{a}/?rev=1", f"/rounds/{r}/units/{a}/history",
            f"/rounds/{r}/units/{a}/diff?a=1&b=2"]
    coordinator = [f"/rounds/{r}/units/{a}/", f"/rounds/{r}/units/{a}/?rev=1",
                   f"/rounds/{r}/units/{a}/history", f"/rounds/{r}/units/{a}/diff?a=1&b=2",
                   "/coordinator/", f"/coordinator/rounds/{r}", "/coordinator/units/",
                   f"/coordinator/units/{a}/edit", f"/coordinator/rounds/{r}/tong-hop",
                   f"/coordinator/rounds/{r}/tong-hop/phan/I"]
    return [(USER_A, u) for u in unit] + [(COORDINATOR, u) for u in coordinator]


def test_html_pages_escape_every_payload(site: Site) -> None:
    seen: set[str] = set()
    for user, url in _pages(site):
        client = as_user(site.app.test_client(), user)
        response = client.get(url)
        assert response.status_code == 200, (user, url, response.status_code)
        page = response.get_data(as_text=True)
        for raw in RAW:
            assert raw not in page, f"{url} as {user}: unescaped {raw!r}"
        for payload in (SCRIPT, IMG):
            if str(escape(payload)) in page:  # as Jinja escapes it
                seen.add(payload)
    assert seen == {SCRIPT, IMG}, "the payloads were rendered (escaped) somewhere"


def test_the_unit_name_and_comments_are_shown_escaped(site: Site) -> None:
    client = as_user(site.app.test_client(), USER_A)
    page = client.get(f"/rounds/{site.round_id}/units/{UNIT_A}/edit").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the unit name and the comment
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the item comment
    assert "<script>alert" not in page


def _download(site: Site, url: str) -> bytes:
    response = as_user(site.app.test_client(), COORDINATOR).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.data


def _xlsx_cells(data: bytes) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row
            if cell.value is not None]


def _assert_inert_xlsx(data: bytes, where: str) -> int:
    """No formula carries a payload; every payload-looking text is a string cell. Returns how
    many cells held a payload."""
    found = 0
    for cell in _xlsx_cells(data):
        value = str(cell.value)
        if not any(m in value for m in (*FORMULA_MARKERS, "alert(1)")):
            continue
        assert cell.data_type == "s", f"{where} {cell.coordinate}: {value!r} is {cell.data_type}"
        found += 1
    return found


def test_xlsx_export_keeps_payloads_as_strings(site: Site) -> None:
    data = _download(site, f"/coordinator/rounds/{site.round_id}/tong-hop/tai-ve/xlsx")
    assert _assert_inert_xlsx(data, "xlsx export") >= len(PAYLOADS)
    values = {str(c.value) for c in _xlsx_cells(data)}
    assert any(v.startswith('=HYPERLINK("http://x"') or 'HYPERLINK("http://x"' in v
               for v in values)


def test_csv_export_neutralises_formulas(site: Site) -> None:
    data = _download(site, f"/coordinator/rounds/{site.round_id}/tong-hop/tai-ve/csv")
    cells = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                text = archive.read(name).decode("utf-8-sig")
                cells += [c for row in csv.reader(io.StringIO(text)) for c in row]
    payload_cells = [c for c in cells if any(m in c for m in FORMULA_MARKERS)]
    assert payload_cells, "the payloads are in the CSV"
    for cell in payload_cells:
        assert not cell.startswith(("=", "+", "-", "@")), cell
    assert any(c.startswith("'=HYPERLINK") or c.startswith("'+1") for c in payload_cells)


def test_reminder_csv_neutralises_the_unit_name(site: Site) -> None:
    data = _download(site, f"/coordinator/rounds/{site.round_id}/chua-nop.csv")
    text = data.decode("utf-8-sig")
    assert "'" + UNIT_B_NAME in next(csv.reader(io.StringIO(text.split("\r\n", 2)[1]))) or \
        any(("'" + UNIT_B_NAME) in row for row in csv.reader(io.StringIO(text)))
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_docx_export_is_plain_text(site: Site) -> None:
    data = _download(site, f"/coordinator/rounds/{site.round_id}/tong-hop/tai-ve/docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {n: archive.read(n).decode("utf-8") for n in archive.namelist()
                 if n.startswith("word/") and n.endswith(".xml")}
    document = parts["word/document.xml"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    for name, xml in parts.items():
        assert "<script" not in xml and "<img" not in xml, name
        for field_tag in ("<w:fldSimple", "<w:instrText", "<w:fldChar"):
            if field_tag in xml:
                assert not any(m in xml.split(field_tag, 1)[1][:500] for m in FORMULA_MARKERS), \
                    f"{name}: a payload inside a field"
    import docx

    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert any(SCRIPT in t for t in texts)


def test_prefilled_template_keeps_payloads_as_strings(site: Site) -> None:
    client = as_user(site.app.test_client(), USER_A)
    response = client.get(f"/rounds/{site.round_id}/units/{UNIT_A}/excel/mau.xlsx")
    assert response.status_code == 200
    found = _assert_inert_xlsx(response.data, "template")
    assert found >= len(site.keys), f"only {found} payload cells in the template"
    values = {str(c.value) for c in _xlsx_cells(response.data)}
    for payload in PAYLOADS:
        assert payload in values, f"{payload!r} not kept verbatim"


def test_payload_text_round_trips_unchanged(site: Site, tmp_path: Path) -> None:
    """Escaping is for display only: what is stored is exactly what was typed."""
    db = store.open_db(Path(site.app.config["DATABASE"]))
    try:
        values = store.get_revision(db, site.round_id, UNIT_A)["values"]
    finally:
        db.close()
    assert [values[k] for k in site.keys[:len(PAYLOADS)]] == [
        PAYLOADS[(n + 1) % len(PAYLOADS)] for n in range(len(PAYLOADS))]
