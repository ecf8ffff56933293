"""Units (đơn vị): the bodies that report, with an optional parent (phòng → xã/sở → tỉnh)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from store.audit import record_event
from store.db import clean_text, transaction, utc_iso
from store.emails import email_problem
from store.errors import Conflict, NotFound, StoreCode, StoreError


class UnitNotFound(NotFound):
    code = StoreCode.UNIT_NOT_FOUND


class UnitRow(TypedDict):
    """A `units` row (`get_unit`, `list_units`, `children`)."""

    code: str
    name: str
    kind: str | None
    parent: str | None
    contact: str | None
    email: str | None
    created_at: str


_COLUMNS = "code, name, kind, parent, contact, email, created_at"
_INSERT = "code, name, kind, parent, contact, created_at"


def _not_found(code: str | None) -> UnitNotFound:
    return UnitNotFound(f"Không có đơn vị mã '{code}'.")


def get_unit(db: Database, code: str | None) -> UnitRow:
    """The unit with this code; raises UnitNotFound."""
    key = clean_text(code)
    rows = list(db.query(f"SELECT {_COLUMNS} FROM units WHERE code = ?", [key]))
    if not rows:
        raise _not_found(key)
    return cast(UnitRow, rows[0])


def unit_exists(db: Database, code: str | None) -> bool:
    """Whether a unit with this code exists (no exception, for validation loops)."""
    row = db.conn.execute("SELECT 1 FROM units WHERE code = ?", [clean_text(code)]).fetchone()
    return row is not None


def list_units(db: Database, kind: str | None = None) -> list[UnitRow]:
    """All units (or those of one kind), in code order."""
    if kind is None:
        return cast(list[UnitRow], list(db.query(f"SELECT {_COLUMNS} FROM units ORDER BY code")))
    return cast(list[UnitRow], list(
        db.query(
            f"SELECT {_COLUMNS} FROM units WHERE kind = ? ORDER BY code", [clean_text(kind)]
        )
    ))


def children(db: Database, code: str) -> list[UnitRow]:
    """The units whose parent is `code` (direct children only), in code order."""
    key = get_unit(db, code)["code"]
    return cast(list[UnitRow], list(
        db.query(f"SELECT {_COLUMNS} FROM units WHERE parent = ? ORDER BY code", [key])))


def add_unit(db: Database, code: str, name: str, kind: str | None = None,
             parent: str | None = None, contact: str | None = None, *,
             email: str | None = None, actor: str = "system",
             now: datetime | None = None) -> UnitRow:
    """Create one unit; raises Conflict if the code is taken, UnitNotFound for an unknown parent,
    StoreError for an e-mail address that cannot receive mail."""
    row = {
        "code": clean_text(code),
        "name": clean_text(name),
        "kind": clean_text(kind),
        "parent": clean_text(parent),
        "contact": clean_text(contact),
        "email": clean_text(email),
    }
    if row["code"] is None:
        raise StoreError("Thiếu mã đơn vị.")
    if row["name"] is None:
        raise StoreError(f"Thiếu tên của đơn vị mã '{row['code']}'.")
    if row["parent"] == row["code"]:
        raise StoreError(f"Đơn vị '{row['code']}' không thể là cấp trên của chính nó.")
    problem = email_problem(row["email"])
    if problem is not None:
        raise StoreError(f"Thư điện tử: {problem}")
    with transaction(db):
        if unit_exists(db, row["code"]):
            raise Conflict(f"Đã có đơn vị mã '{row['code']}'.")
        if row["parent"] is not None and not unit_exists(db, row["parent"]):
            raise UnitNotFound(f"Không có đơn vị cấp trên mã '{row['parent']}'.")
        db.conn.execute(
            f"INSERT INTO units ({_INSERT}, email) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row["code"], row["name"], row["kind"], row["parent"], row["contact"], utc_iso(now),
             row["email"]),
        )
        record_event(db, actor, "unit.add", unit_code=row["code"], detail=row, now=now)
    return get_unit(db, row["code"])


def _validate_rows(
    db: Database, rows: list[Mapping[str, Any]], first_row: int
) -> tuple[list[dict[str, Any]], list[str]]:
    """Clean every row and collect every problem, so one import reports all its errors at once."""
    errors: list[str] = []
    cleaned: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(rows):
        number = first_row + index
        if not isinstance(raw, Mapping):
            errors.append(f"Dòng {number}: không đọc được dữ liệu đơn vị.")
            continue
        row: dict[str, Any] = {key: clean_text(raw.get(key))
                               for key in ("code", "name", "kind", "parent", "contact")}
        row["_row"] = number
        if "email" in raw:  # a list without the column keeps the addresses already known
            row["email"] = clean_text(raw.get("email"))
            problem = email_problem(row["email"])
            if problem is not None:
                errors.append(f"Dòng {number}: cột «thư điện tử»: {problem}")
        if row["code"] is None:
            errors.append(f"Dòng {number}: thiếu mã đơn vị.")
        elif row["code"] in seen:
            errors.append(
                f"Dòng {number}: mã đơn vị '{row['code']}' trùng với dòng {seen[row['code']]}."
            )
            continue
        else:
            seen[row["code"]] = number
        if row["name"] is None:
            errors.append(f"Dòng {number}: thiếu tên đơn vị.")
        if row["code"] is not None:
            cleaned.append(row)
    # Parents: existing units, overridden by the rows (an import may move a unit).
    parents: dict[str, str | None] = {
        code: parent for code, parent in db.conn.execute("SELECT code, parent FROM units")
    }
    for row in cleaned:
        parents[row["code"]] = row["parent"]
    reported: set[str] = set()
    for row in cleaned:
        code, parent, number = row["code"], row["parent"], row["_row"]
        if parent is None:
            continue
        if parent == code:
            errors.append(f"Dòng {number}: đơn vị '{code}' không thể là cấp trên của chính nó.")
            reported.add(code)
            continue
        if parent not in parents:
            errors.append(
                f"Dòng {number}: đơn vị cấp trên '{parent}' không có trong danh sách "
                "và chưa có trong hệ thống."
            )
            continue
        chain = [code]
        current: str | None = parent
        while current is not None and current not in chain and current not in reported:
            chain.append(current)
            current = parents.get(current)
        if current == code:
            errors.append(
                f"Dòng {number}: quan hệ cấp trên tạo thành vòng lặp: "
                + " → ".join([*chain, code])
                + "."
            )
            reported.update(chain)
    # Row order, whichever check found the problem (sort is stable within a row).
    errors.sort(key=lambda message: int(message.split(":", 1)[0].removeprefix("Dòng ")))
    return cleaned, errors


def upsert_units(
    db: Database,
    rows: Iterable[Mapping[str, Any]],
    *,
    first_row: int = 1,
    actor: str = "system",
    now: datetime | None = None,
) -> int:
    """Create or update units from a list (an import); return how many rows were written.

    Each row is a mapping with `code`, `name` and optional `kind`, `parent`, `contact`; a row
    describes its unit completely, so an absent optional field clears it. `email` is the
    exception: a row without the key (a list made before units had addresses) keeps the
    address already stored, so re-importing an old list does not silently stop reminders.
    Every row is checked first (missing code or name, duplicate code, unknown parent, a parent
    cycle, an address that cannot receive mail); if any fails, StoreError lists every problem
    by row number (`first_row` is the number of the first row, e.g. 2 for a spreadsheet with
    a header) and nothing is written.
    """
    rows = list(rows)
    with transaction(db):
        cleaned, errors = _validate_rows(db, rows, first_row)
        if errors:
            raise StoreError(
                "Danh sách đơn vị có lỗi, chưa ghi đơn vị nào:\n" + "\n".join(errors),
                errors=errors,
            )
        # Rows may name parents that come later in the list; checked at COMMIT instead.
        db.conn.execute("PRAGMA defer_foreign_keys = ON")
        stamp = utc_iso(now)
        for row in cleaned:
            db.conn.execute(
                f"INSERT INTO units ({_INSERT}) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
                " parent = excluded.parent, contact = excluded.contact",
                (row["code"], row["name"], row["kind"], row["parent"], row["contact"], stamp),
            )
            if "email" in row:
                db.conn.execute("UPDATE units SET email = ? WHERE code = ?",
                                (row["email"], row["code"]))
        record_event(db, actor, "units.upsert", detail={"rows": len(cleaned)}, now=now)
    return len(cleaned)
