"""A round's document details: what the official reports (Nghị định 30/2020/NĐ-CP) print in
their header, number line, date line, recipients and signature block.

They belong to the round, not the outline: the same outline is reported by a commune one year
and a department the next, and the number, date and signer change with every report. Every
detail is optional; a document prints the dotted blanks an official fills by hand where one is
missing ("Số:      /BC-…", "…, ngày … tháng … năm …").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from datetime import date as datetime_date  # the class has a field named `date`
from typing import Any

from sqlite_utils import Database

from store.audit import record_event
from store.db import clean_text, transaction
from store.errors import StoreError

MAX_RECIPIENTS = 30
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _detail(label: str, limit: int) -> Any:
    """A detail: unset by default, with what a user calls it and the longest text accepted."""
    return field(default=None, metadata={"label": label, "limit": limit})


@dataclass(frozen=True)
class DocumentDetails:
    """The details as stored (NFC text, `date` ISO or None); None where not set. Each is the
    column `doc_<name>`; the order is the form's order."""

    issuer: str | None = _detail("Cơ quan ban hành", 200)
    issuer_parent: str | None = _detail("Cơ quan chủ quản (cấp trên)", 200)
    number_symbol: str | None = _detail("Ký hiệu số văn bản", 60)
    place: str | None = _detail("Địa danh", 100)
    date: str | None = _detail("Ngày ban hành", 10)
    recipients: str | None = _detail("Nơi nhận", 2000)
    signer_authority: str | None = _detail("Thẩm quyền ký", 100)
    signer_title: str | None = _detail("Chức vụ người ký", 100)
    signer_name: str | None = _detail("Họ và tên người ký", 100)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> DocumentDetails:
        """From a mapping with the `doc_…` columns (missing keys are not set)."""
        return cls(**{column.removeprefix("doc_"): row.get(column) for column in FIELDS})

    def as_row(self) -> dict[str, str | None]:
        return {column: getattr(self, column.removeprefix("doc_")) for column in FIELDS}

    @property
    def recipient_lines(self) -> list[str]:
        return [line for line in (self.recipients or "").splitlines() if line.strip()]

    @property
    def day(self) -> datetime_date | None:
        return datetime_date.fromisoformat(self.date) if self.date else None


#: column → (what a user calls it, longest text accepted), in the form's order.
FIELDS: dict[str, tuple[str, int]] = {
    f"doc_{f.name}": (f.metadata["label"], f.metadata["limit"]) for f in fields(DocumentDetails)
}


def _read_date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValueError(text)


def clean_details(raw: Mapping[str, Any]) -> dict[str, str | None]:
    """Check and normalise the `doc_…` keys present in `raw` (others are ignored).

    NFC, trimmed, empty meaning "not set"; control characters refused; each within its length
    limit; the date a real day (dd/mm/yyyy or YYYY-MM-DD); recipients one per line. Raises
    StoreError listing every problem (in `errors`), naming the form field.
    """
    out: dict[str, str | None] = {}
    errors: list[str] = []
    for column, (label, limit) in FIELDS.items():
        if column not in raw:
            continue
        value = raw[column]
        if column == "doc_date":
            try:
                out[column] = _read_date(value)
            except ValueError:
                errors.append(f"{label}: '{value}' không phải ngày hợp lệ; hãy nhập theo dạng "
                              "dd/mm/yyyy, ví dụ 15/12/2026.")
            continue
        text = clean_text(value)
        if text is not None and column == "doc_recipients":
            lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
            lines = [line for line in lines if line]
            if len(lines) > MAX_RECIPIENTS:
                errors.append(f"{label}: có {len(lines)} dòng, nhiều nhất {MAX_RECIPIENTS} "
                              "nơi nhận (mỗi nơi một dòng).")
            text = "\n".join(lines) or None
        elif text is not None:
            text = " ".join(text.split())
        if text is not None and _CONTROL.search(text):
            errors.append(f"{label}: có ký tự điều khiển không in được; hãy gõ lại ô này.")
            continue
        if text is not None and len(text) > limit:
            errors.append(f"{label}: dài {len(text)} ký tự, nhiều nhất {limit} ký tự; hãy "
                          "viết gọn lại.")
            continue
        out[column] = text
    if errors:
        raise StoreError(errors[0], errors=errors)
    return out


def round_document(db: Database, round_id: int) -> DocumentDetails:
    """The round's document details (all None when the round has none or does not exist)."""
    columns = ", ".join(FIELDS)
    row = db.conn.execute(f"SELECT {columns} FROM rounds WHERE id = ?", [round_id]).fetchone()
    if row is None:
        return DocumentDetails()
    return DocumentDetails.from_row(dict(zip(FIELDS, row, strict=True)))


def set_round_document(db: Database, round_id: int, raw: Mapping[str, Any], *, actor: str,
                       now: datetime | None = None) -> DocumentDetails:
    """Store the `doc_…` keys present in `raw` on the round (absent keys keep their value; an
    empty one clears it). A rejected input changes nothing. Returns the details now stored."""
    from store.rounds import get_round

    details = clean_details(raw)
    with transaction(db):
        get_round(db, round_id)
        if details:
            sets = ", ".join(f"{column} = ?" for column in details)
            db.conn.execute(f"UPDATE rounds SET {sets} WHERE id = ?",
                            [*details.values(), round_id])
            record_event(db, actor, "round.document", round_id=round_id,
                         detail={k: v for k, v in details.items()}, now=now)
    return round_document(db, round_id)


__all__ = ["FIELDS", "DocumentDetails", "clean_details", "round_document",
           "set_round_document"]
