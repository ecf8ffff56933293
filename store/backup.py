"""Backup and restore of the whole database, safe while the server keeps writing.

Everything decuong keeps lives in the one SQLite file, uploaded workbooks included (the `files`
table), so a backup is a consistent copy of that file plus a manifest that lets a restore prove
it got the same bytes back:

    DIR/decuong.db       the copy, a single self-contained file (journal mode DELETE)
    DIR/manifest.json    schema version, rows per table, SHA-256 of decuong.db, created_at

The copy uses SQLite's online backup API in one step: it reads one snapshot under a WAL read
transaction, so writers are never blocked and never half-seen; what they write after the copy
started is simply not in it. A restore checks the manifest hash, `PRAGMA integrity_check` and
the row counts before anything is touched, refuses to overwrite a database that holds data
unless forced, and swaps the file in atomically (temp file in the same folder, `os.replace`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from store.db import BUSY_TIMEOUT_MS
from store.errors import StoreCode, StoreError
from store.migrations import SCHEMA_VERSION
from store.server_lock import DatabaseBusy, DatabaseLock

BACKUP_DB = "decuong.db"
MANIFEST = "manifest.json"
FORMAT = "decuong-backup/1"
_CHUNK = 1024 * 1024


class BackupError(StoreError):
    code = StoreCode.BACKUP_FAILED


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (the directory entry), where the platform allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table (sqlite_sequence included): what a restore must find again."""
    return {name: int(conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0])
            for name in _tables(conn)}


def _integrity(conn: sqlite3.Connection) -> str:
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    return "ok" if rows == ["ok"] else "; ".join(str(r) for r in rows[:5])


def _check_files(conn: sqlite3.Connection) -> int:
    """Every stored upload still hashes to its key; return how many bytes they hold. A backup
    of files that no longer match their hash would restore silently wrong originals."""
    total = 0
    for sha, content in conn.execute("SELECT sha256, content FROM files"):
        data = bytes(content)
        if hashlib.sha256(data).hexdigest() != sha:
            raise BackupError(f"Tệp đã lưu có mã băm {sha} không khớp nội dung; bản sao lưu "
                              "không dùng được. Hãy kiểm tra cơ sở dữ liệu gốc.")
        total += len(data)
    return total


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def backup(db_path: str | Path, out_dir: str | Path) -> dict[str, Any]:
    """Copy the database at `db_path` into `out_dir` and return the manifest written there.

    Safe while the server writes: one online-backup step copies a single snapshot. The copy is
    checked (integrity, stored files against their hashes) before the manifest is written, and
    the manifest is written last, so a folder with a manifest always holds a complete backup.
    """
    source_path = Path(db_path)
    target_dir = Path(out_dir)
    if not source_path.is_file():
        raise BackupError(f"Không có cơ sở dữ liệu '{source_path.name}' để sao lưu.")
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / BACKUP_DB
    manifest_path = target_dir / MANIFEST
    if target.exists() or manifest_path.exists():
        raise BackupError(f"Thư mục '{target_dir.name}' đã có bản sao lưu; hãy chọn thư mục "
                          "khác (bản sao lưu cũ không bị ghi đè).")
    partial = target_dir / f".{BACKUP_DB}.partial"
    partial.unlink(missing_ok=True)
    source = _connect(source_path)
    try:
        copy = sqlite3.connect(str(partial))
        try:
            source.backup(copy, pages=-1)  # one step: one consistent snapshot
            # A single self-contained file: no -wal beside it to forget when copying.
            copy.execute("PRAGMA journal_mode = DELETE")
            version = int(copy.execute("PRAGMA user_version").fetchone()[0])
            integrity = _integrity(copy)
            if integrity != "ok":
                raise BackupError(f"Bản sao lưu không toàn vẹn ({integrity}).")
            counts = table_counts(copy)
            file_bytes = _check_files(copy) if "files" in counts else 0
        finally:
            copy.close()
    except sqlite3.DatabaseError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Không sao lưu được '{source_path.name}': {exc}.") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    _fsync(partial)
    os.replace(partial, target)
    manifest = {
        "format": FORMAT,
        "schema_version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source_path.name,
        "file": BACKUP_DB,
        "size": target.stat().st_size,
        "sha256": _sha256_file(target),
        "counts": counts,
        "stored_files": counts.get("files", 0),
        "stored_file_bytes": file_bytes,
    }
    _write_atomic(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    _fsync_dir(target_dir)
    return manifest


def _write_atomic(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.partial")
    temp.write_text(text, encoding="utf-8")
    _fsync(temp)
    os.replace(temp, path)


def read_manifest(backup_dir: str | Path) -> dict[str, Any]:
    """The manifest of a backup folder; BackupError when it is missing or unreadable."""
    path = Path(backup_dir) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"Thư mục '{Path(backup_dir).name}' không có tệp {MANIFEST}; đây "
                          "không phải bản sao lưu của decuong.") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"Không đọc được {MANIFEST}: {exc}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"Tệp {MANIFEST} không đúng định dạng sao lưu của decuong.")
    return manifest


def verify(backup_dir: str | Path) -> dict[str, Any]:
    """Check a backup folder without touching any database: the file's hash, integrity, schema
    version and row counts against the manifest. Returns the manifest."""
    folder = Path(backup_dir)
    manifest = read_manifest(folder)
    data = folder / BACKUP_DB
    if not data.is_file():
        raise BackupError(f"Thư mục sao lưu thiếu tệp {BACKUP_DB}.")
    if _sha256_file(data) != manifest.get("sha256"):
        raise BackupError(f"Tệp {BACKUP_DB} không khớp mã băm ghi trong {MANIFEST} (tệp đã bị "
                          "sửa hoặc chép thiếu); không phục hồi từ bản sao lưu này.")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise BackupError(f"Bản sao lưu ở phiên bản dữ liệu {version}, mới hơn phần mềm này "
                          f"(phiên bản {SCHEMA_VERSION}); hãy cập nhật decuong trước.")
    # Read-only and immutable: checking a backup never writes to it.
    conn = sqlite3.connect(f"{data.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        integrity = _integrity(conn)
        if integrity != "ok":
            raise BackupError(f"Bản sao lưu không toàn vẹn ({integrity}).")
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) != version:
            raise BackupError("Phiên bản dữ liệu trong tệp sao lưu khác với manifest.")
        counts = table_counts(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Tệp {BACKUP_DB} không phải cơ sở dữ liệu SQLite hợp lệ ({exc}).") \
            from exc
    finally:
        conn.close()
    if counts != manifest.get("counts"):
        raise BackupError("Số dòng dữ liệu trong tệp sao lưu khác với manifest.")
    return manifest


def _holds_data(path: Path) -> bool:
    """Whether `path` is a database with at least one row, or a file that is not a database
    at all (which is not ours to overwrite either)."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:
        return any(count for count in table_counts(conn).values())
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()


def restore(backup_dir: str | Path, db_path: str | Path, *, force: bool = False
            ) -> dict[str, Any]:
    """Put the backup in `backup_dir` in place at `db_path`; return its manifest.

    Refused while a server holds the database (store.server_lock): a process holding the old
    file open would keep writing to it and lose what it acknowledges. Everything is verified
    before the target is touched; an existing database holding data is
    only replaced with `force`. The copy goes to a temp file beside the target and is swapped
    in with `os.replace`, after removing the old database's -wal and -shm, which would
    otherwise be replayed onto the restored file.
    """
    manifest = verify(backup_dir)
    target = Path(db_path)
    lock = DatabaseLock(target, f"lệnh phục hồi decuong restore (tiến trình {os.getpid()})")
    try:
        lock.acquire()
    except DatabaseBusy as exc:
        raise BackupError(
            f"Không phục hồi: {exc} Phục hồi trong lúc máy chủ đang chạy sẽ thay tệp dưới tay "
            "máy chủ, và các lần lưu sau đó bị mất; chưa có gì bị ghi đè.") from None
    try:
        _swap_in(Path(backup_dir) / BACKUP_DB, target, manifest, force=force)
    finally:
        lock.release()
    return manifest


def _swap_in(source: Path, target: Path, manifest: dict[str, Any], *, force: bool) -> None:
    """Copy `source` beside `target`, check it, and rename it over `target` (under the lock)."""
    if _holds_data(target) and not force:
        raise BackupError(f"Cơ sở dữ liệu '{target.name}' đã có dữ liệu; phục hồi sẽ ghi đè "
                          "toàn bộ. Nếu chắc chắn, hãy chạy lại với --force.")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.restoring")
    try:
        with source.open("rb") as src, temp.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        if _sha256_file(temp) != manifest["sha256"]:
            raise BackupError("Bản chép tạm khi phục hồi không khớp mã băm; chưa ghi đè gì.")
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
