"""Rejected workbooks handed back with their bad cells marked, kept a day for their uploader.

A rejected upload must change nothing in the database, yet the user needs the workbook back
with comments on the bad cells. Its bytes are kept in the instance folder under a random token,
readable only by the same user in the same login session (a random key kept in the session,
fingerprinted with the username), and swept a day later on the next write, so no scheduler is
needed. The routes that hand them out live in webapp/excel.py.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from pathlib import Path

from flask import current_app, g, session

#: Annotated workbooks are a convenience for fixing a file right away, not an archive.
ANNOTATED_MAX_AGE_S = 24 * 3600
ANNOTATED_DIR = "uploads-annotated"
SESSION_KEY = "excel_owner"
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _annotated_dir() -> Path:
    return Path(current_app.instance_path) / ANNOTATED_DIR


def _owner_key() -> str:
    """A random value kept in this login's session: a stored workbook opens only for the same
    user *and* session (logging in again starts a new one)."""
    key = session.get(SESSION_KEY)
    if not isinstance(key, str) or not key:
        key = secrets.token_urlsafe(16)
        session[SESSION_KEY] = key
    return key


def _fingerprint(username: str, key: str) -> str:
    return hashlib.sha256(f"{username}\0{key}".encode()).hexdigest()


def _sweep(folder: Path, now: float) -> None:
    """Delete what is older than a day (run on each write, so no scheduler is needed)."""
    for path in folder.iterdir():
        try:
            if path.is_file() and now - path.stat().st_mtime > ANNOTATED_MAX_AGE_S:
                path.unlink()
        except OSError:  # removed by a concurrent sweep
            continue


def keep_annotated(data: bytes, original_name: str) -> str:
    """Store a rejected workbook with its bad cells marked; return the token to fetch it."""
    folder = _annotated_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder, time.time())
    token = secrets.token_urlsafe(24)
    stem = re.sub(r"\.xls[xm]?$", "", original_name, flags=re.I) or "bao-cao"
    meta = {"owner": _fingerprint(g.user["username"], _owner_key()),
            "name": f"{stem}-danh-dau-loi.xlsx"}
    (folder / f"{token}.xlsx").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return token


def read_annotated(token: str) -> tuple[bytes, str] | None:
    """(bytes, download name) of the logged-in user's own workbook kept under `token`; None
    for anyone else (another user, another session) and for an expired or made-up token."""
    if not TOKEN.fullmatch(token):
        return None
    folder = _annotated_dir()
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.xlsx").read_bytes()
    except (OSError, ValueError):
        return None
    key = session.get(SESSION_KEY)
    if not key or not secrets.compare_digest(
            str(meta.get("owner", "")), _fingerprint(g.user["username"], key)):
        return None
    return data, str(meta.get("name") or "bao-cao-danh-dau-loi.xlsx")
