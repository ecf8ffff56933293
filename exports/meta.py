"""What every export prints about the round, and Vietnamese formatting of dates.

Numbers are written by the one formatter, `forms.kinds.numbers.format_number`.

Exports receive a `Consolidation` (pure data) and an `ExportMeta` (the round's title, period,
deadline, when the file was made, which reports count): the writers never read storage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from forms.kinds.date import show_date
from forms.periods import round_period_wording
from store.round_documents import DocumentDetails
from store.rounds import VIETNAM

BASIS_TEXT = {
    "submitted": "các báo cáo đã nộp (kể cả đã tiếp nhận)",
    "accepted": "chỉ các báo cáo đã được tiếp nhận",
}


@dataclass(frozen=True)
class ExportMeta:
    """`deadline` and `generated_at` are aware datetimes (shown in Asia/Ho_Chi_Minh);
    `contacts` maps unit code → contact for the units-not-reported list; `document` holds the
    round's document details (issuer, number, date, recipients, signer) for the docx."""

    round_title: str = ""
    period: str = ""
    deadline: datetime | None = None
    generated_at: datetime | None = None
    round_id: int | None = None
    basis: str = "submitted"
    snapshot_label: str | None = None
    snapshot_at: datetime | None = None
    contacts: Mapping[str, str] = field(default_factory=dict)
    document: DocumentDetails = field(default_factory=DocumentDetails)  # the round's, for docx

    @property
    def basis_text(self) -> str:
        text = BASIS_TEXT.get(self.basis, self.basis)
        if self.snapshot_label:
            when = f" lúc {show_datetime(self.snapshot_at)}" if self.snapshot_at else ""
            return f"bản chốt số liệu «{self.snapshot_label}»{when}, gồm {text}"
        return text


def show_datetime(moment: datetime | None) -> str:
    """`12/11/2025 23:59` in Vietnam time; "" for None."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM)
    return f"{moment:%d/%m/%Y %H:%M}"


def show_day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(VIETNAM).date() if value.tzinfo else value.date()
    return show_date(value)


def period_text(row: Mapping[str, Any]) -> str:
    """A round's period as people write it: its label or periodic words ("quý I năm 2026",
    forms.periods), else "dd/mm/yyyy – dd/mm/yyyy"."""
    wording = round_period_wording(row)
    if wording:
        return wording
    start = row.get("period_start")
    end = row.get("period_end")
    parts = [show_date(date.fromisoformat(d)) if d else "…" for d in (start, end)]
    return "" if not start and not end else f"Từ {parts[0]} đến {parts[1]}"
