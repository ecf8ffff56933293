"""Backup while the database is being written, restore into a fresh place, compare everything.

The backup is one consistent snapshot: every revision in it is intact, and its revisions are a
prefix of the source's (it may lack those written after it started, never one in the middle).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from rel_world import (
    SAMPLE,
    consistency_problems,
    fill,
    integrity,
    make_world,
    stored_values,
    template,
)

import store
from decuong_cli import main
from store.backup import BackupError, backup, restore, verify
from store.intake import submit_values
from store.uploads import ingest_upload


def rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def busy_round(tmp_path):
    """A round with a report from every channel, two of them Excel files with their bytes."""
    world = make_world(tmp_path / "nguon.db")
    db = store.open_db(world.path)
    assert submit_values(db, round_id=world.v1, unit_code="VHXH", raw=SAMPLE, channel="web",
                         actor="vhxh").stored
    assert submit_values(db, round_id=world.v1, unit_code="TTPVHCC", raw=SAMPLE,
                         channel="import", actor="cli").stored
    for unit in ("VP", "KT"):
        data = fill(template(db, world.v1, unit), {**SAMPLE, "nv_tong": "15"})
        outcome = ingest_upload(db, data, f"{unit.lower()}.xlsx", actor=unit.lower())
        assert outcome.status == "accepted", outcome.errors
    # A draft saved on the web, so not every revision is a submitted one.
    assert submit_values(db, round_id=world.other, unit_code="VP", raw={"nv_tong": "3"},
                         channel="web", actor="vp", mode="draft").stored
    db.close()
    return world


def test_backup_while_writing_restores_a_consistent_prefix(busy_round, tmp_path) -> None:
    world = busy_round
    acknowledged: list[int] = []  # revision ids the writer was told are saved
    stop = threading.Event()
    errors: list[BaseException] = []
    started = threading.Event()

    def writer() -> None:
        db = store.open_db(world.path)
        try:
            number = 0
            while not stop.is_set() or number < 10:
                number += 1
                raw = {**SAMPLE, "nv_tong": str(20 + number % 50),
                       "cd_nguon_luc": f"Lần nộp bổ sung số {number}. " * 40}
                unit = ("VHXH", "TTPVHCC")[number % 2]
                intake = submit_values(db, round_id=world.v1, unit_code=unit, raw=raw,
                                       channel="web", actor=unit.lower())
                acknowledged.append(intake.revision["id"])
                if number >= 5:
                    started.set()
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
            started.set()
        finally:
            db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert started.wait(30)
    before = set(acknowledged)
    manifest = backup(world.path, tmp_path / "sao-luu")
    after_backup = len(acknowledged)
    stop.set()
    thread.join(60)
    assert not errors, errors
    assert len(acknowledged) > after_backup or len(acknowledged) >= 10

    target = tmp_path / "moi" / "decuong.db"
    restore(tmp_path / "sao-luu", target)
    assert integrity(target) == "ok"
    assert consistency_problems(target) == []
    source_revisions = rows(world.path, "SELECT * FROM revisions ORDER BY id")
    restored_revisions = rows(target, "SELECT * FROM revisions ORDER BY id")
    # Every revision acknowledged before the backup started is there, intact …
    restored_ids = {r[0] for r in restored_revisions}
    assert before <= restored_ids
    # … and what is there is exactly the source's first N revisions, byte for byte.
    assert restored_revisions == source_revisions[: len(restored_revisions)]
    assert manifest["counts"]["revisions"] == len(restored_revisions)
    # Submissions: each restored one matches the source's state at its latest revision.
    for sid, round_id, unit, _status, latest, *_ in rows(target, "SELECT * FROM submissions"):
        source_max = rows(world.path, f"SELECT MAX(number) FROM revisions WHERE submission_id"
                                      f" = {sid} AND id <= {max(restored_ids)}")[0][0]
        assert latest == source_max, (round_id, unit)
    # Files: every stored upload, bytes and hash, and each revision still points at its file.
    source_files = rows(world.path, "SELECT sha256, name, size, content FROM files ORDER BY 1")
    assert rows(target, "SELECT sha256, name, size, content FROM files ORDER BY 1") == \
        source_files
    assert len(source_files) == 2 and manifest["stored_files"] == 2
    db = store.open_db(target)
    for unit in ("VP", "KT"):
        revision = store.get_revision(db, world.v1, unit)
        assert revision["channel"] == "excel"
        assert store.get_file(db, revision["file_sha256"]) == dict(
            (s, c) for s, _, _, c in source_files)[revision["file_sha256"]]
    channels = {r[0] for r in rows(target, "SELECT channel FROM revisions")}
    assert channels == {"web", "import", "excel"}
    # Everything else is identical.
    for table in ("units", "rounds", "round_units", "outlines", "accounts", "comments"):
        assert rows(target, f"SELECT * FROM {table} ORDER BY rowid") == rows(
            world.path, f"SELECT * FROM {table} ORDER BY rowid"), table
    db.close()


def test_restore_checks_before_touching_anything(busy_round, tmp_path) -> None:
    folder = tmp_path / "sao-luu"
    backup(busy_round.path, folder)
    assert verify(folder)["schema_version"] == store.SCHEMA_VERSION
    # A database holding data is not overwritten without --force …
    occupied = tmp_path / "dang-dung.db"
    make_world(occupied)
    before = occupied.read_bytes()
    with pytest.raises(BackupError, match="đã có dữ liệu"):
        restore(folder, occupied)
    assert occupied.read_bytes() == before
    # … but is with it, and the old database's WAL is not replayed onto the restored file.
    restore(folder, occupied, force=True)
    assert integrity(occupied) == "ok"
    assert rows(occupied, "SELECT COUNT(*) FROM revisions") == [(5,)]
    # A backup whose file was altered is refused, and the target stays as it was.
    (folder / "decuong.db").write_bytes((folder / "decuong.db").read_bytes()[:-1] + b"\x01")
    fresh = tmp_path / "trong.db"
    with pytest.raises(BackupError, match="không khớp mã băm"):
        restore(folder, fresh)
    assert not fresh.exists()
    # A second backup into the same folder never overwrites the first.
    with pytest.raises(BackupError, match="đã có bản sao lưu"):
        backup(busy_round.path, folder)


def test_backup_and_restore_commands(busy_round, tmp_path) -> None:
    runner = CliRunner()
    out = tmp_path / "sl"
    result = runner.invoke(main, ["backup", "--db", str(busy_round.path), "-o", str(out),
                                  "--json"])
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.output)
    assert manifest["counts"]["submissions"] == 5 and manifest["stored_files"] == 2
    target = tmp_path / "phuc-hoi.db"
    result = runner.invoke(main, ["restore", str(out), "--db", str(target)])
    assert result.exit_code == 0, result.output
    assert "Đã phục hồi" in result.output and "5 báo cáo" in result.output
    again = runner.invoke(main, ["restore", str(out), "--db", str(target)])
    assert again.exit_code == 1 and "--force" in again.output
    missing = runner.invoke(main, ["backup", "--db", str(tmp_path / "khong-co.db"), "-o",
                                   str(tmp_path / "x")])
    assert missing.exit_code == 1 and "Không có cơ sở dữ liệu" in missing.output
    # The restored database serves: a pre-filled template comes out of it.
    db = store.open_db(target)
    assert template(db, busy_round.v1, "VP", stored_values(db, SAMPLE))
    db.close()
