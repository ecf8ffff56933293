"""`decuong restore --force` onto the database of a running `decuong serve` is refused.

Before, it exited 0 and swapped the file under the server, which went on writing to the old,
unlinked file: every save it acknowledged afterwards was lost. Now the server holds a lock
beside the database for its whole life; the restore, a real subprocess here, sees it, says so
in Vietnamese, exits non-zero and touches nothing. Once the server is stopped, the same restore
goes through. A second server on the same database is refused the same way.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from rel_web import LOAD_PASSWORD, ROOT, HttpSession, Server, build_units_db
from rel_world import SAMPLE

SAVED = re.compile(r"lần lưu thứ (\d+)")


def decuong(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "decuong_cli", *args], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=120)


def save_draft(session: HttpSession, base: str, total: int) -> int:
    """Save a draft through the server; the revision number the server acknowledged."""
    status, _, headers = session.request("POST", base + "/edit", {
        **SAMPLE, "nv_tong": str(total), "action": "draft", "csrf_token": session.token})
    assert status == 302, status
    _, body, _ = session.request("GET", re.sub(r"^https?://[^/]+", "", headers["location"]))
    found = SAVED.search(body)
    assert found and "Đã lưu nháp" in body, body[:400]
    return int(found.group(1))


def stored_totals(db_path: Path, unit: str) -> dict[int, int]:
    conn = sqlite3.connect(str(db_path))
    try:
        rows = conn.execute(
            "SELECT r.number, r.values_json FROM revisions r JOIN submissions s"
            " ON s.id = r.submission_id WHERE s.unit_code = ?", [unit]).fetchall()
    finally:
        conn.close()
    return {number: json.loads(values)["nv_tong"] for number, values in rows}


def test_restore_is_refused_while_the_server_runs(tmp_path: Path) -> None:
    db_path = tmp_path / "decuong.db"
    round_id, _users = build_units_db(db_path, 1)
    backup = decuong("backup", "--db", str(db_path), "-o", str(tmp_path / "sao-luu"))
    assert backup.returncode == 0, backup.stderr

    server = Server(db_path, tmp_path / "instance", threads=2)
    server.start()
    try:
        session = HttpSession(server.port, timeout=10)
        session.login("u01", LOAD_PASSWORD)
        base = f"/rounds/{round_id}/units/U01"
        session.request("GET", base + "/edit")
        first = save_draft(session, base, 41)
        inode = db_path.stat().st_ino

        refused = decuong("restore", str(tmp_path / "sao-luu"), "--db", str(db_path),
                          "--force")
        assert refused.returncode != 0
        assert "Không phục hồi" in refused.stderr
        assert "đang được dùng bởi máy chủ decuong" in refused.stderr
        assert f"tiến trình {server.process.pid}" in refused.stderr
        assert "chưa có gì bị ghi đè" in refused.stderr
        assert db_path.stat().st_ino == inode  # the file was not replaced

        # The server still writes to the one file there is, and nothing it said is lost.
        second = save_draft(session, base, 42)

        again = Server(db_path, tmp_path / "instance-2", threads=1)
        try:
            again.start(timeout=15)
            raise AssertionError("a second server started on a database already served")
        except RuntimeError as exc:
            assert "đang được dùng bởi máy chủ decuong" in str(exc)
        session.close()
    finally:
        server.stop()
    assert stored_totals(db_path, "U01") == {first: 41, second: 42}

    restored = decuong("restore", str(tmp_path / "sao-luu"), "--db", str(db_path), "--force")
    assert restored.returncode == 0, restored.stderr
    assert "Đã phục hồi" in restored.stdout
    assert stored_totals(db_path, "U01") == {}  # the backup predates both saves
