"""Completeness and timeliness of a round: who was expected, who sent, who is late or missing.

Counting rules (each unit counts once): *submitted* = status submitted or accepted; of those,
*on time* and *late* split by the late flag; *missing* = status missing or draft (a draft is
not a report); *returned* = sent back for correction and not yet resubmitted. So
expected = submitted + returned + missing, and submitted = on time + late; *accepted* is the
part of *submitted* the coordinator has already accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd

from aggregate.model import LATE_LABEL, Status, UnitInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

COUNT_LABELS: dict[str, str] = {
    "expected": "Số đơn vị phải báo cáo",
    "submitted": "Đã nộp",
    "on_time": "Nộp đúng hạn",
    "late": "Nộp muộn",
    "missing": "Chưa nộp",
    "returned": "Bị trả lại",
    "accepted": "Đã tiếp nhận",
}

TABLE_HEADERS: dict[str, str] = {
    "code": "Mã đơn vị",
    "name": "Đơn vị",
    "kind": "Loại đơn vị",
    "status": "Tình trạng",
    "submitted_at": "Thời điểm nộp",
    "late": LATE_LABEL,
}


@dataclass(frozen=True, eq=False)
class Completeness:
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    returned: int
    accepted: int
    table: pd.DataFrame  # one row per expected unit, see `TABLE_HEADERS`

    def counts(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in COUNT_LABELS}

    def labelled_counts(self) -> dict[str, int]:
        """The counts under Vietnamese labels, in reading order."""
        return {COUNT_LABELS[key]: value for key, value in self.counts().items()}

    def labelled(self) -> pd.DataFrame:
        return self.table.rename(columns=TABLE_HEADERS)


def completeness(units: Sequence[UnitInfo]) -> Completeness:
    """Counts and the per-unit table (times shown in Asia/Ho_Chi_Minh)."""
    statuses = [unit.status for unit in units]
    submitted = [unit for unit in units if unit.status in (Status.SUBMITTED, Status.ACCEPTED)]
    late = sum(1 for unit in submitted if unit.late)
    table = pd.DataFrame({
        "code": [unit.code for unit in units],
        "name": [unit.name for unit in units],
        "kind": [unit.kind or "" for unit in units],
        "status": [unit.status_label for unit in units],
        "submitted_at": [unit.submitted_at.astimezone(LOCAL_TZ)
                         if unit.submitted_at is not None else None for unit in units],
        "late": [bool(unit.late and unit.submitted_at is not None) for unit in units],
    })
    return Completeness(
        expected=len(units),
        submitted=len(submitted),
        on_time=len(submitted) - late,
        late=late,
        missing=sum(1 for s in statuses if s in (Status.MISSING, Status.DRAFT)),
        returned=statuses.count(Status.RETURNED),
        accepted=statuses.count(Status.ACCEPTED),
        table=table,
    )
