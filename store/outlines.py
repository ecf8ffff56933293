"""Outline versions kept in the database: a round always loads the exact text it was opened
with, even after the file in outlines/ is edited or removed."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TypedDict, cast

from sqlite_utils import Database

from forms import Outline, load_outline
from forms.yaml_source import LocDict, read_yaml
from store.audit import record_event
from store.db import transaction, utc_iso
from store.errors import Conflict, NotFound, StoreCode
from store.rounds import RoundNotFound
from store.values import sha256_hex


class OutlineNotFound(NotFound):
    code = StoreCode.OUTLINE_NOT_FOUND


@lru_cache(maxsize=64)
def _parse(sha256: str, text: str, name: str) -> Outline:
    # Keyed by hash: parsing a large outline on every request would cost more than the request.
    return load_outline(text, filename=name)


def register_outline(db: Database, text: str, *, actor: str = "system",
                     bump_version: bool = False) -> Outline:
    """Check and keep an outline version; idempotent for the same text.

    The same id and version with a different text is refused: rounds already opened with that
    version must keep it, so an edit needs a new version number. With `bump_version` the edit
    is kept as the next free version instead (its `version:` rewritten, see `with_version`),
    decided inside the write transaction so two coordinators saving at once cannot collide;
    the returned outline carries the version actually kept.
    """
    outline = load_outline(text, filename="<đề cương>")
    with transaction(db):
        row = _row(db, outline.id, outline.version)
        if row is not None and row["sha256"] != sha256_hex(text.encode("utf-8")):
            if not bump_version:
                raise Conflict(
                    f"Đề cương '{outline.id}' phiên bản {outline.version} đã có với nội dung "
                    "khác. Hãy tăng số phiên bản (version) khi sửa đề cương."
                )
            text = with_version(text, next_version(db, outline.id))
            outline = load_outline(text, filename="<đề cương>")
            row = None
        if row is not None:
            return outline
        db.table("outlines").insert({
            "id": outline.id, "version": outline.version, "title": outline.title, "text": text,
            "sha256": sha256_hex(text.encode("utf-8")), "created_by": actor,
            "created_at": utc_iso(),
        })
        record_event(db, actor, "outline.register",
                     detail={"outline": outline.id, "version": outline.version})
    return outline


def next_version(db: Database, outline_id: str, *, at_least: int = 1) -> int:
    """The first version number above every kept version of `outline_id` (and ≥ `at_least`,
    for versions known elsewhere, e.g. shipped files not yet kept)."""
    rows = list(db.query("SELECT MAX(version) AS top FROM outlines WHERE id = ?", [outline_id]))
    top = rows[0]["top"] if rows and rows[0]["top"] is not None else 0
    return max(int(top) + 1, at_least)


_PLAIN_TOKEN = re.compile(r"[^\s#,\]}]+")


def with_version(text: str, version: int) -> str:
    """`text` with its top-level `version:` value replaced by `version`, nothing else touched
    (comments, quoting, key order and line endings stay as the author wrote them).

    The value is found by the YAML parser's own position of the top-level key, not by a
    pattern over lines, so a `version:` inside an item, a comment or a multi-line string is
    never hit. The result is loaded again and compared with the original outline, so a
    rewrite that changed anything but the version raises ValueError instead of being kept.
    """
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"version must be a whole number >= 1, not {version!r}")
    before = load_outline(text, filename="<đề cương>")
    data = read_yaml(text).data
    if not isinstance(data, LocDict) or "version" not in data.value_pos:  # pragma: no cover
        raise ValueError("the outline has no top-level version")  # load_outline refused it
    pos = data.value_pos["version"]
    lines = _yaml_lines(text)
    line = lines[pos.line - 1]
    start = pos.column - 1
    match = _PLAIN_TOKEN.match(line, start + 1 if pos.quoted else start)
    if match is None:  # pragma: no cover - a loadable version always has a token there
        raise ValueError("version value not found")
    end = match.end() + (1 if pos.quoted else 0)
    lines[pos.line - 1] = line[:start] + str(version) + line[end:]
    rewritten = "".join(lines)
    after = load_outline(rewritten, filename="<đề cương>")
    if after != replace(before, version=version):
        raise ValueError("rewriting the version changed the outline")  # pragma: no cover
    return rewritten


_BREAK = re.compile(r"(\r\n|[\r\n\x85\u2028\u2029])")


def _yaml_lines(text: str) -> list[str]:
    """Lines as YAML counts them (str.splitlines also breaks at \\v, \\f and \\x1c-\\x1e, which
    YAML does not), each with its line break."""
    parts = _BREAK.split(text)
    return ["".join(parts[i:i + 2]) for i in range(0, len(parts), 2)]


class OutlineEntry(TypedDict):
    """A kept outline version without its text (`list_outlines`)."""

    id: str
    version: int
    title: str
    created_by: str
    created_at: str


class OutlineRow(OutlineEntry):
    """An `outlines` row: the exact text a round uses, and its hash."""

    text: str
    sha256: str


def _row(db: Database, outline_id: str, version: int) -> OutlineRow | None:
    rows = list(db.query("SELECT * FROM outlines WHERE id = ? AND version = ?",
                         [outline_id, version]))
    return cast(OutlineRow, rows[0]) if rows else None


def get_outline(db: Database, outline_id: str, version: int | None = None) -> Outline:
    """A kept outline version (the newest when `version` is None)."""
    if version is None:
        rows = list(db.query("SELECT * FROM outlines WHERE id = ? ORDER BY version DESC LIMIT 1",
                             [outline_id]))
        row = cast(OutlineRow, rows[0]) if rows else None
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


def list_outlines(db: Database) -> list[OutlineEntry]:
    """Every kept version, newest version first within an id; without the text."""
    return cast(list[OutlineEntry], list(db.query(
        "SELECT id, version, title, created_by, created_at FROM outlines "
        "ORDER BY id, version DESC")))


def outline_for_round(db: Database, round_id: int) -> Outline:
    rows = list(db.query("SELECT outline_id, outline_version FROM rounds WHERE id = ?",
                         [round_id]))
    if not rows:
        raise RoundNotFound(f"Không có đợt báo cáo số {round_id}.")
    return get_outline(db, rows[0]["outline_id"], rows[0]["outline_version"])



def round_outline_sources(db: Database, round_id: int | None = None
                          ) -> dict[tuple[str, int], Outline | str]:
    """(id, version) → outline, for the versions rounds use (of one round, if given): what a
    process reading uploads without the database needs to read their values. Versions of open
    rounds (or of `round_id`) come parsed — the uploads are mostly for them and the caller
    needs them anyway to validate; the others as text, to be parsed only if a file names one."""
    sql = ("SELECT o.id, o.version, o.text, MAX(r.status = 'open') FROM outlines o JOIN rounds r"
           " ON r.outline_id = o.id AND r.outline_version = o.version")
    if round_id is not None:
        sql += " WHERE r.id = ?"
    rows = db.conn.execute(sql + " GROUP BY o.id, o.version",
                           [round_id] if round_id is not None else []).fetchall()
    return {(outline_id, version): get_outline(db, outline_id, version)
            if open_round or round_id is not None else text
            for outline_id, version, text, open_round in rows}
