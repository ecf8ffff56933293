"""Every outline a coordinator can use, wherever it came from: versions kept in the database
(uploaded in the browser, added with `decuong outlines add`, or used by a round) and the files
of the outline folders (`forms.library`).

One catalogue serves the outlines page, the new-round form, `decuong outlines add`,
`decuong round create` and `decuong round plan`, so an outline that one door knows every door
knows, and saving an outline decides "new", "next version" or "already there" the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlite_utils import Database

from forms import OutlineError, load_outline
from forms.library import outline_files
from forms.model import Outline, same_content
from store.outlines import (
    OutlineNotFound,
    get_outline,
    list_outlines,
    next_version,
    outline_text,
    register_outline,
    with_version,
)
from store.rounds import list_rounds


@dataclass
class Version:
    """One version of an outline as the list shows it; `kept` when the database holds it (a
    round uses the kept text), `path` when a file of the outline folders declares it."""

    id: str
    version: int
    title: str
    outline: Outline | None = None
    kept: bool = False
    path: Path | None = None
    rounds: int = 0
    created_at: str | None = None
    created_by: str | None = None

    @property
    def value(self) -> str:
        """The create-round form's value for this version (also accepted by `--outline`)."""
        return f"{self.id}:{self.version}"

    @property
    def items(self) -> int:
        return len(self.outline.fields()) if self.outline else 0


def catalog(db: Database) -> dict[str, dict[int, Version]]:
    """id → version → Version, ids sorted, versions newest first. A kept version wins over a
    file declaring the same id and version (a round opened with it uses the kept text)."""
    found: dict[str, dict[int, Version]] = {}
    for row in list_outlines(db):
        found.setdefault(row["id"], {})[row["version"]] = Version(
            row["id"], row["version"], row["title"], kept=True,
            created_at=row["created_at"], created_by=row["created_by"])
    for path in outline_files():
        outline = shipped(path)
        if outline is None:
            continue  # `decuong outlines check` reports broken files; the list shows the rest
        entry = found.setdefault(outline.id, {}).get(outline.version)
        if entry is None:
            found[outline.id][outline.version] = Version(
                outline.id, outline.version, outline.title, outline=outline, path=path)
        elif entry.path is None:
            entry.path = path
    for entry in (v for versions in found.values() for v in versions.values()):
        if entry.kept:
            entry.outline = get_outline(db, entry.id, entry.version)
    for listed in list_rounds(db):
        entry = found.get(listed["outline_id"], {}).get(listed["outline_version"])
        if entry is not None:
            entry.rounds += 1
    return {key: dict(sorted(found[key].items(), reverse=True)) for key in sorted(found)}


def shipped(path: Path) -> Outline | None:
    """A file's outline, loaded once per change of the file (every page of outlines lists
    them all, and loading a large outline costs tens of milliseconds); None when broken."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _load_file(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load_file(path: Path, mtime_ns: int, size: int) -> Outline | None:
    try:
        return load_outline(path)
    except OutlineError:
        return None


def text_of(db: Database, entry: Version) -> str:
    """The exact text of a version: the kept one, else the file's."""
    if entry.kept:
        return outline_text(db, entry.id, entry.version)
    assert entry.path is not None
    return entry.path.read_text(encoding="utf-8-sig")


def find_version(db: Database, ref: str) -> Version:
    """The version `ref` names: "ID" (its newest version) or "ID:VERSION", kept or in a file.
    OutlineNotFound, with what to do, when there is none."""
    outline_id, _, number = ref.strip().rpartition(":")
    if not outline_id or not number.isdigit():
        outline_id, number = ref.strip(), ""
    versions = catalog(db).get(outline_id, {})
    if number:
        entry = versions.get(int(number))
        if entry is None:
            known = ", ".join(str(v) for v in sorted(versions)) or "không có"
            raise OutlineNotFound(
                f"Không có đề cương '{outline_id}' phiên bản {number} (các phiên bản đã có: "
                f"{known}). Xem danh sách: decuong outlines list --db <tệp dữ liệu>.")
        return entry
    if not versions:
        raise OutlineNotFound(
            f"Không có đề cương mã '{outline_id}'. Xem danh sách: decuong outlines list --db "
            "<tệp dữ liệu>; thêm đề cương mới: decuong outlines add TỆP --db <tệp dữ liệu>.")
    return next(iter(versions.values()))


def outline_for_new_round(db: Database, ref: str, *, actor: str) -> Outline:
    """The outline a new round of `ref` (see `find_version`) will use, kept in the database
    first when it so far lives only in a file, so the round loads this exact text forever."""
    entry = find_version(db, ref)
    if not entry.kept:
        register_outline(db, text_of(db, entry), actor=actor)
    return get_outline(db, entry.id, entry.version)


@dataclass(frozen=True)
class Plan:
    """What saving an outline would do: "new" (kept as is), "bump" (its id and version are
    taken by a different outline: kept as `version` instead) or "exists" (already kept or in
    a file, as `version`: nothing to save)."""

    action: str
    version: int
    taken: Version | None = None  # the version the upload's number collides with


def plan_for(db: Database, outline: Outline, text: str) -> Plan:
    """Decide before anything is stored, so a preview can say it: an outline that says the
    same as a known version (whatever its number, however written — YAML or a spreadsheet
    round trip, see `same_content`) is "đã có"; a number already taken by another outline
    moves up past every known version, files included, so a kept upload never shadows a file
    (nor a file an upload)."""
    versions = catalog(db).get(outline.id, {})
    for number, entry in versions.items():
        if entry.outline is not None and same_content(outline, entry.outline,
                                                      ignore_version=True):
            return Plan("exists", number, entry)
    taken = versions.get(outline.version)
    if taken is None:
        return Plan("new", outline.version)
    top = max(versions)
    return Plan("bump", next_version(db, outline.id, at_least=top + 1), taken)


def keep_outline(db: Database, outline: Outline, text: str, *, actor: str,
                 version: int | None = None) -> tuple[Plan, Outline]:
    """Save a checked outline as `plan_for` decides; returns the plan and the outline as kept
    (for "exists", the known version). `version`, when given, is the number a preview
    promised for a "bump"; ValueError if the plan no longer allows it."""
    plan = plan_for(db, outline, text)
    if plan.action == "exists":
        known = plan.taken.outline if plan.taken and plan.taken.outline else outline
        return plan, known
    if plan.action == "bump":
        version = plan.version if version is None else version
    if version is not None and version != outline.version:
        if version < 1 or plan.action != "bump":
            raise ValueError(f"version {version} is not what saving this outline would do")
        text = with_version(text, version)
    return plan, register_outline(db, text, actor=actor, bump_version=True)
