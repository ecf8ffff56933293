"""Refusals that must hold on every channel, and change nothing: forged or foreign template
identities, and formulas saved without their result.

The attack of issue 12: unit KT downloads its own template, fills it, rewrites the hidden
identity sheet to say VHXH and recomputes the checksum the way anyone reading the source can
(a plain SHA-256 of the identity fields and the outline keys); the coordinator, batch-uploading
the e-mailed files, would file it as VHXH's report. And a template made by another installation
(another database whose round and unit codes happen to match) must not be taken into this one.
Each case goes through the three channels — the unit's web upload, the coordinator's batch
upload, `decuong ingest` — against a real SQLite file, and every row of every table is compared
before and after. A genuine template is accepted on the same three channels.

A formula saved without its result (a file written by a script: openpyxl here) must be refused
naming its cell on the same channels, not stored as an empty answer.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rel_channels import CHANNELS
from rel_web import UNIT_B, build_demo_db
from rel_world import dump
from web_helpers import fill

import store
from forms.excel import read_identity, read_workbook
from forms.excel.identity import outline_keys
from forms.excel.layout import IDENTITY_SHEET
from store.backup import backup, restore
from store.excel_commands import template_bytes

VICTIM, VICTIM_USER, VICTIM_NAME = "VHXH", "vhxh", "Phòng Văn hóa - Xã hội"
ANSWERS = {"nv_tong": "12", "nv_hoan_thanh": "9", "nv_dang_thuc_hien": "3",
           "hs_tiep_nhan": "1.234", "hs_da_giai_quyet": "1.200", "hs_dung_han": "1.188",
           "pakn_tiep_nhan": "3", "dvsn_tong": "0", "hai_long": "95 %",
           "cd_nguon_luc": "Bố trí 2 công chức phụ trách CCHC."}

FORGED = "Thông tin nhận dạng của mẫu không khớp"
FOREIGN = "Mẫu này được tạo từ một hệ thống decuong khác"
UNKEYED = "Mẫu này được tạo bởi phiên bản cũ của hệ thống"
FORMULA = "Ô này chứa công thức nhưng tệp không lưu kết quả của công thức"
NEW_TEMPLATE = "Hãy tải mẫu"
SAVE_IN_EXCEL = "Hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại"


# -- the files --------------------------------------------------------------------------------



def input_cell(data: bytes, key: str) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Báo cáo"]
    rows = {sheet.cell(row, 1).value: row for row in range(1, sheet.max_row + 1)}
    return f"Báo cáo!D{rows[key]}"


def rewrite_identity(data: bytes, change: Callable[[dict[str, str]], None]) -> bytes:
    """Let `change` edit the identity sheet's fields (name → text) and save the file back, as
    someone un-hiding the sheet in a spreadsheet program would."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[IDENTITY_SHEET]
    fields = {str(row[0].value): "" if row[1].value is None else str(row[1].value)
              for row in sheet.iter_rows()}
    change(fields)
    for row in sheet.iter_rows():
        row[1].value = fields[str(row[0].value)]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def unkeyed_sha256(fields: dict[str, str], keys: list[str], names: tuple[str, ...]) -> str:
    """What anyone can compute without the installation's secret: SHA-256 of the layout, the
    named identity fields (numbers as numbers, absent as null) and the outline keys."""
    def value(name: str) -> Any:
        text = fields.get(name, "")
        if name in ("outline_version", "round_id"):
            return int(text) if text else None
        return text or None

    payload = [fields["layout"], *(value(n) for n in names), keys]
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


NEW_FIELDS = ("outline_id", "outline_version", "round_id", "round_title", "unit_code",
              "unit_name", "installation")
OLD_FIELDS = NEW_FIELDS[:-1]


def forged_as_victim(genuine: bytes, keys: list[str]) -> bytes:
    """KT's filled template claiming to be VHXH's, its checksum recomputed without the key."""
    def change(fields: dict[str, str]) -> None:
        fields["unit_code"], fields["unit_name"] = VICTIM, VICTIM_NAME
        fields["checksum"] = unkeyed_sha256(fields, keys, NEW_FIELDS)
    return rewrite_identity(genuine, change)


def made_before_keying(genuine: bytes, keys: list[str]) -> bytes:
    """The file as the layout-1 template (unkeyed, truncated SHA-256) made before this change
    would have carried it — also what a forger would write to dodge the key."""
    def change(fields: dict[str, str]) -> None:
        fields["layout"] = "decuong-xlsx/1"
        fields["unit_code"], fields["unit_name"] = VICTIM, VICTIM_NAME
        fields["installation"] = ""
        fields["checksum"] = unkeyed_sha256(fields, keys, OLD_FIELDS)[:16]
    return rewrite_identity(genuine, change)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("home") / "decuong.db"
    return path, build_demo_db(path)


@pytest.fixture(scope="module")
def files(home, tmp_path_factory) -> dict[str, bytes]:
    """Every file of the tests, made once: KT's genuine report, its forgeries, and VHXH's
    template from another installation built exactly like this one (same round id, same
    unit codes)."""
    path, info = home
    db = store.open_db(path)
    try:
        outline = store.outline_for_round(db, info["round"])
        genuine = fill(template_bytes(db, info["round"], UNIT_B), ANSWERS)
        own = fill(template_bytes(db, info["round"], VICTIM), ANSWERS)
        formula = fill(template_bytes(db, info["round"], VICTIM),
                       {**ANSWERS, "nv_tong": "=10+2"})
    finally:
        db.close()
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "decuong.db"
    other = build_demo_db(elsewhere)
    assert other["round"] == info["round"]
    db = store.open_db(elsewhere)
    try:
        foreign = fill(template_bytes(db, other["round"], VICTIM), ANSWERS)
    finally:
        db.close()
    keys = outline_keys(outline)
    return {"genuine": genuine, "own": own, "formula": formula,
            "forged": forged_as_victim(genuine, keys), "unkeyed": made_before_keying(genuine, keys),
            "foreign": foreign}


def stored(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table but the login sessions: the web channels log in (a session row)
    and touch it on each request, which is the login's doing, not the upload's."""
    tables = dump(path)
    tables.pop("sessions", None)
    return tables


@pytest.fixture
def world(home, tmp_path) -> tuple[Path, dict[str, Any]]:
    """A fresh copy of the home database for one test."""
    path, info = home
    target = tmp_path / "decuong.db"
    shutil.copyfile(path, target)
    return target, info


@pytest.mark.parametrize("channel", list(CHANNELS))
@pytest.mark.parametrize(("kind", "message", "advice"), [
    ("forged", FORGED, NEW_TEMPLATE), ("foreign", FOREIGN, NEW_TEMPLATE),
    ("unkeyed", UNKEYED, NEW_TEMPLATE), ("formula", FORMULA, SAVE_IN_EXCEL)],
    ids=["forged", "foreign", "unkeyed", "formula"])
def test_forged_foreign_unkeyed_and_uncomputed_files_are_refused_and_change_nothing(
        channel, kind, message, advice, files, world, tmp_path) -> None:
    path, info = world
    before = stored(path)
    accepted, said = CHANNELS[channel](path, info, files[kind], tmp_path)
    assert not accepted
    assert message in said
    assert advice in said  # and says what to do
    if kind == "formula":  # naming the cell
        assert input_cell(files[kind], "nv_tong") in said
    assert stored(path) == before


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_a_genuine_template_is_accepted(channel, files, world, tmp_path) -> None:
    """VHXH's own template on its page; KT's, filed by its identity, in the batch and CLI."""
    path, info = world
    name, unit = ("own", VICTIM) if channel == "unit-web" else ("genuine", UNIT_B)
    accepted, said = CHANNELS[channel](path, info, files[name], tmp_path)
    assert accepted, said
    db = store.open_db(path)
    try:
        revision = store.get_revision(db, info["round"], unit)
        assert revision is not None and revision["channel"] == "excel"
        assert revision["values"]["nv_tong"] == 12
    finally:
        db.close()


def test_the_forgery_really_names_the_victim_and_keeps_the_genuine_installation(files) -> None:
    """The forged file is the attack as described, not a file broken some other way: it names
    VHXH and this installation, and only its seal gives it away."""
    genuine = read_identity(read_workbook(files["genuine"]))
    forged = read_identity(read_workbook(files["forged"]))
    foreign = read_identity(read_workbook(files["foreign"]))
    assert (forged.unit_code, forged.installation) == (VICTIM, genuine.installation)
    assert forged.checksum != genuine.checksum
    assert foreign.installation != genuine.installation
    assert (foreign.round_id, foreign.unit_code) == (genuine.round_id, VICTIM)


def test_installation_id_and_key_are_made_once_and_survive_a_backup(tmp_path) -> None:
    db = store.open_db(tmp_path / "a.db")
    first = store.template_key(db)
    db.close()
    db = store.open_db(tmp_path / "a.db")
    assert store.template_key(db) == first  # the same on every open
    with pytest.raises(Exception, match="chỉ được ghi thêm"):
        db.conn.execute("UPDATE installation SET template_key = 'x'")
    db.close()
    backup(tmp_path / "a.db", tmp_path / "backup")
    restore(tmp_path / "backup", tmp_path / "restored.db")
    again = store.open_db(tmp_path / "restored.db")
    assert store.template_key(again) == first
    other = store.open_db(tmp_path / "b.db")
    assert store.template_key(other).installation != first.installation
    assert store.template_key(other).secret != first.secret
    assert len(first.secret) == 32
