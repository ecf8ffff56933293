"""Template identity: a forged or foreign template is refused on every channel, and changes nothing.

The attack of issue 12: unit KT downloads its own template, fills it, rewrites the hidden
identity sheet to say VHXH and recomputes the checksum the way anyone reading the source can
(a plain SHA-256 of the identity fields and the outline keys); the coordinator, batch-uploading
the e-mailed files, would file it as VHXH's report. And a template made by another installation
(another database whose round and unit codes happen to match) must not be taken into this one.
Each case goes through the three channels — the unit's web upload, the coordinator's batch
upload, `decuong ingest` — against a real SQLite file, and every row of every table is compared
before and after. A genuine template is accepted on the same three channels.
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
from click.testing import CliRunner
from rel_web import COORDINATOR, UNIT_B, as_user, build_demo_db, create_test_app, text
from rel_world import dump

import store
from decuong_cli import main
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


# -- the files --------------------------------------------------------------------------------


def fill(data: bytes, typed: dict[str, Any]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Báo cáo"]
    rows = {sheet.cell(row, 1).value: row for row in range(1, sheet.max_row + 1)}
    for key, value in typed.items():
        sheet.cell(rows[key], 4).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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
    return {"genuine": genuine, "own": own, "forged": forged_as_victim(genuine, keys),
            "unkeyed": made_before_keying(genuine, keys), "foreign": foreign}


@pytest.fixture
def world(home, tmp_path) -> tuple[Path, dict[str, Any]]:
    """A fresh copy of the home database for one test."""
    path, info = home
    target = tmp_path / "decuong.db"
    shutil.copyfile(path, target)
    return target, info


# -- the three channels -------------------------------------------------------------------------


def unit_upload(path: Path, info: dict[str, Any], data: bytes, tmp: Path) -> tuple[bool, str]:
    """VHXH's own upload page (the forged file claims to be VHXH's)."""
    client = create_test_app(path, tmp).test_client()
    as_user(client, VICTIM_USER)
    response = client.post(f"/rounds/{info['round']}/units/{VICTIM}/excel/upload",
                           data={"mode": "submit", "file": (io.BytesIO(data), "bao-cao.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code in (302, 422), response.status_code
    return response.status_code == 302, text(response)


def batch_upload(path: Path, info: dict[str, Any], data: bytes, tmp: Path) -> tuple[bool, str]:
    """The coordinator's many-files upload of what units e-mailed."""
    client = create_test_app(path, tmp).test_client()
    as_user(client, COORDINATOR)
    response = client.post(f"/coordinator/rounds/{info['round']}/excel/upload",
                           data={"files": [(io.BytesIO(data), "bao-cao.xlsx")]},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    page = text(response)
    return 'class="result-accepted"' in page, page


def cli_ingest(path: Path, info: dict[str, Any], data: bytes, tmp: Path) -> tuple[bool, str]:
    """`decuong ingest FILE --json`."""
    source = tmp / "bao-cao.xlsx"
    source.write_bytes(data)
    result = CliRunner().invoke(main, ["ingest", "--db", str(path), str(source), "--json"],
                                catch_exceptions=False)
    rows = json.loads(result.output[result.output.index("["):])
    assert len(rows) == 1
    accepted = rows[0]["status"] == "accepted"
    assert result.exit_code == (0 if accepted else 1)
    return accepted, " ".join(rows[0]["errors"])


CHANNELS = {"unit-web": unit_upload, "coordinator-batch": batch_upload, "cli-ingest": cli_ingest}


@pytest.mark.parametrize("channel", list(CHANNELS))
@pytest.mark.parametrize(("kind", "message"), [("forged", FORGED), ("foreign", FOREIGN),
                                               ("unkeyed", UNKEYED)])
def test_forged_foreign_and_unkeyed_templates_are_refused_and_change_nothing(
        channel, kind, message, files, world, tmp_path) -> None:
    path, info = world
    before = dump(path)
    accepted, said = CHANNELS[channel](path, info, files[kind], tmp_path)
    assert not accepted
    assert message in said
    assert "Hãy tải mẫu" in said  # and says what to do
    assert dump(path) == before


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
