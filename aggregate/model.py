"""The inputs and shared vocabulary of consolidation: who was expected, and how rows are named.

Consolidation never reads storage: a thin adapter turns a round into `UnitInfo`s and a mapping
unit code → stored JSON values, so the same code serves the web app, exports and tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


def no_data(value: Any) -> bool:
    """A cell of a consolidation's frames that holds nothing: None, or the NaN pandas keeps
    for a figure no unit gave. Never zero: 0 is data."""
    return value is None or (isinstance(value, float) and math.isnan(value))


class Status(StrEnum):
    """Submission statuses, as the store names them, each with the label a reader sees."""

    label: str

    MISSING = "missing", "Chưa nộp"
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã nộp"
    RETURNED = "returned", "Bị trả lại"
    ACCEPTED = "accepted", "Đã tiếp nhận"

    def __new__(cls, value: str, label: str) -> Status:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


#: status → label, for the rows the store gives (plain strings).
STATUS_LABELS: dict[str, str] = {status.value: status.label for status in Status}

NOT_REPORTED = "Chưa báo cáo"
LATE_LABEL = "Nộp muộn"

# Row types of a consolidated table.
UNIT_ROW = "unit"
SUBTOTAL_ROW = "subtotal"
TOTAL_ROW = "total"
TOTAL_LABEL = "Tổng cộng"
NO_KIND_LABEL = "Chưa phân loại"

# Descriptive columns leading every consolidated table, with their Vietnamese headers.
DESCRIPTIVE_HEADERS: dict[str, str] = {
    "row_type": "Loại dòng",
    "code": "Mã đơn vị",
    "name": "Đơn vị",
    "kind": "Loại đơn vị",
    "status": "Tình trạng",
}


def subtotal_label(kind: str) -> str:
    """The name shown on a group's subtotal row, e.g. "Cộng phòng"."""
    return f"Cộng {kind}" if kind else f"Cộng ({NO_KIND_LABEL.lower()})"


@dataclass(frozen=True)
class UnitInfo:
    """One unit expected to report in a round, in the order the round lists them."""

    code: str
    name: str
    kind: str | None = None  # e.g. "phòng", "xã": the grouping of summary tables
    parent: str | None = None  # code of the unit above it (phòng → xã/sở → tỉnh)
    status: str = Status.MISSING.value  # one of Status, as the store names it
    submitted_at: datetime | None = None  # aware datetime of the latest submission
    late: bool = False  # submitted after the round's deadline

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class ColumnHeader:
    """What a numeric column of a consolidated table holds, for headers and exports.

    `key` is the DataFrame column; `item_key` the outline item it comes from. `role` says what
    the column is: "value" (the item's value on unit rows, its aggregate on group rows),
    "mean_min" / "mean_max" / "mean_n" (companions of a mean), "yes" (yes/no: 1 on unit rows,
    the number of units answering yes on group rows) or "choice" (select_one: likewise, per
    choice).
    """

    key: str
    item_key: str
    number: str
    ref: str
    label: str
    unit: str | None
    aggregate: str
    role: str
    header: str
    note: str = ""
    #: decimals its figures are shown with: the item's `decimals:` (else 2), 0 for counts
    decimals: int = 2
