"""The thin adapter from storage to `consolidate`: a round (live or frozen) → `Consolidation`.

Everything else in `aggregate` is pure; this module is the one place that asks the store for a
round's input, and it only calls store functions (no SQL here). The live input and a snapshot
are the same data (`store.snapshots.round_input`), so a consolidation rebuilt from a snapshot
is the one the coordinator saw when freezing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from aggregate.consolidate import Consolidation, consolidate
from aggregate.gc_pause import gc_paused
from aggregate.model import UnitInfo
from aggregate.series import SeriesPeriod, YearSeries, year_series
from forms.model import Outline

BASES = ("submitted", "accepted", "snapshot")


@dataclass(frozen=True, eq=False)
class RoundInput:
    """A round's consolidation input plus what exports print about it.

    `contacts` (unit code → contact) is kept beside the units because `UnitInfo` has no
    contact; `snapshot` is the snapshot's row (id, label, created_at …) when frozen.
    """

    round: Mapping[str, Any]
    outline: Outline
    units: tuple[UnitInfo, ...]
    values: Mapping[str, Mapping[str, Any]]
    basis: str  # "submitted" | "accepted": which reports count
    contacts: Mapping[str, str] = field(default_factory=dict)
    snapshot: Mapping[str, Any] | None = None

    def consolidate(self) -> Consolidation:
        return consolidate(self.outline, self.units, self.values)


def _when(text: str | None) -> datetime | None:
    return None if not text else datetime.fromisoformat(text)


def _units(rows: list[Mapping[str, Any]]) -> tuple[UnitInfo, ...]:
    return tuple(
        UnitInfo(code=row["code"], name=row["name"] or row["code"], kind=row.get("kind"),
                 parent=row.get("parent"), status=row.get("status") or "missing",
                 submitted_at=_when(row.get("submitted_at")), late=bool(row.get("late")))
        for row in rows
    )


def round_input(db: Database, round_id: int, *, basis: str = "submitted",
                snapshot_id: int | None = None) -> RoundInput:
    """Read a round's input from the store: live (`basis` "submitted" or "accepted") or from
    snapshot `snapshot_id` (`basis` "snapshot", or any basis when an id is given)."""
    import store
    from store.snapshots import get_snapshot, snapshot_meta
    from store.snapshots import round_input as stored_input

    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
    snapshot: Mapping[str, Any] | None = None
    if basis == "snapshot" or snapshot_id is not None:
        if snapshot_id is None:
            raise ValueError("basis 'snapshot' needs a snapshot_id")
        frozen = get_snapshot(db, snapshot_id)
        if frozen["round_id"] != round_id:
            raise store.NotFound(
                f"Bản chốt số liệu số {snapshot_id} không thuộc đợt báo cáo số {round_id}.")
        data, snapshot = frozen["data"], snapshot_meta(frozen)
    else:
        data = stored_input(db, round_id, basis)
    # The round with its document details (store.round_documents), which the docx prints.
    round_row = {**store.get_round(db, round_id), **store.round_document(db, round_id).as_row()}
    outline = store.get_outline(db, data["outline"]["id"], data["outline"]["version"])
    rows = data["units"]
    return RoundInput(
        round=round_row, outline=outline, units=_units(rows), values=data["values"],
        basis=data["basis"],
        contacts={row["code"]: row["contact"] for row in rows if row.get("contact")},
        snapshot=snapshot,
    )


def load_round(db: Database, round_id: int, *, basis: str = "submitted",
               snapshot_id: int | None = None) -> Consolidation:
    """The consolidation of a round from its latest submitted revisions ("submitted"), only
    accepted ones ("accepted"), or a frozen snapshot ("snapshot" with `snapshot_id`)."""
    with gc_paused():  # decoding thousands of JSON reports, too (see aggregate.gc_pause)
        return round_input(db, round_id, basis=basis, snapshot_id=snapshot_id).consolidate()


def load_year(db: Database, outline_id: str, year: int, *, basis: str = "submitted"
              ) -> YearSeries:
    """The series of an outline's periodic rounds of `year` (any outline version), each round
    consolidated from its latest submitted (or accepted) reports, in period order."""
    import store
    from forms.periods import period_short

    rounds = [(SeriesPeriod(row["period_kind"], period_short(row["period_kind"]), row["id"]),
               load_round(db, row["id"], basis=basis))
              for row in store.year_rounds(db, outline_id, year)]
    return year_series(rounds)
