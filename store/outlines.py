"""Outline versions kept in the database: a round always loads the exact text it was opened
with, even after the file in outlines/ is edited or removed."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlite_utils import Database

from forms import Outline, load_outline
from store.audit import record_event
from store.db import transaction, utc_iso
from store.errors import Conflict, NotFound, RoundNotFound
from store.submissions import sha256_hex


class OutlineNotFound(NotFound):
    """Không có đề cương này trong cơ sở dữ liệu."""


@lru_cache(maxsize=64)
def _parse(sha256: str, text: str, name: str) -> Outline:
    # Keyed by hash: parsing a large outline on every request would cost more than the request.
    return load_outline(text, filename=name)


def register_outline(db: Database, text: str, *, actor: str = "system") -> Outline:
    """Check and keep an outline version; idempotent for the same text.

    The same id and version with a different text is refused: rounds already opened with that
    version must keep it, so an edit needs a new version number.
    """
    outline = load_outline(text, filename="<đề cương>")
    sha = sha256_hex(text.encode("utf-8"))
    with transaction(db):
        row = _row(db, outline.id, outline.version)
        if row is not None:
            if row["sha256"] != sha:
                raise Conflict(
                    f"Đề cương '{outline.id}' phiên bản {outline.version} đã có với nội dung "
                    "khác. Hãy tăng số phiên bản (version) khi sửa đề cương."
                )
            return outline
        db["outlines"].insert({
            "id": outline.id, "version": outline.version, "title": outline.title, "text": text,
            "sha256": sha, "created_by": actor, "created_at": utc_iso(),
        })
        record_event(db, actor, "outline.register",
                     detail={"outline": outline.id, "version": outline.version})
    return outline


def _row(db: Database, outline_id: str, version: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM outlines WHERE id = ? AND version = ?",
                         [outline_id, version]))
    return rows[0] if rows else None


def get_outline(db: Database, outline_id: str, version: int | None = None) -> Outline:
    """A kept outline version (the newest when `version` is None)."""
    if version is None:
        rows = list(db.query("SELECT * FROM outlines WHERE id = ? ORDER BY version DESC LIMIT 1",
                             [outline_id]))
        row = rows[0] if rows else None
    else:
        row = _row(db, outline_id, version)
    if row is None:
        shown = outline_id if version is None else f"{outline_id} phiên bản {version}"
        raise OutlineNotFound(f"Không có đề cương '{shown}' trong cơ sở dữ liệu.")
    return _parse(row["sha256"], row["text"], f"{row['id']}-v{row['version']}.yaml")


def outline_text(db: Database, outline_id: str, version: int) -> str:
    row = _row(db, outline_id, version)
    if row is None:
        raise OutlineNotFound(f"Không có đề cương '{outline_id}' phiên bản {version}.")
    return row["text"]


def list_outlines(db: Database) -> list[dict[str, Any]]:
    """Every kept version, newest version first within an id; without the text."""
    return list(db.query(
        "SELECT id, version, title, created_by, created_at FROM outlines "
        "ORDER BY id, version DESC"))


def outline_for_round(db: Database, round_id: int) -> Outline:
    rows = list(db.query("SELECT outline_id, outline_version FROM rounds WHERE id = ?",
                         [round_id]))
    if not rows:
        raise RoundNotFound(f"Không có đợt báo cáo số {round_id}.")
    return get_outline(db, rows[0]["outline_id"], rows[0]["outline_version"])
