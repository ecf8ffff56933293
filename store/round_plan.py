"""A reporting year's rounds opened at once (`decuong round plan`, "Lập kế hoạch báo cáo năm").

Planning is idempotent: a period that already has its round for the outline and year is left
as it is and reported back, so running the plan again (or adding a period later) never opens a
second round of the same period.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlite_utils import Database

from forms.periods import PlannedRound
from store.db import transaction
from store.rounds import PeriodicRound, create_round, deadline_end_of_day, period_round


@dataclass(frozen=True)
class PlanResult:
    """What a plan did: the rounds it opened (id, plan) and the rows of those already there."""

    created: list[tuple[int, PlannedRound]] = field(default_factory=list)
    existing: list[PeriodicRound] = field(default_factory=list)


def plan_rounds(
    db: Database,
    *,
    outline_id: str,
    outline_version: int,
    planned: Sequence[PlannedRound],
    units: Iterable[str],
    actor: str,
    now: datetime | None = None,
) -> PlanResult:
    """Open a round for each planned period the outline has no round of yet, all in one
    transaction (an unknown unit opens none). Each round is titled and labelled with its
    period's words ("Báo cáo quý I năm 2026", "quý I năm 2026")."""
    codes = list(units)
    created: list[tuple[int, PlannedRound]] = []
    existing: list[PeriodicRound] = []
    with transaction(db):
        for plan in planned:
            period = plan.period
            row = period_round(db, outline_id, period.year, period.kind)
            if row is not None:
                existing.append(row)
                continue
            round_id = create_round(
                db, outline_id=outline_id, outline_version=outline_version, title=period.title,
                period_start=period.start, period_end=period.end, period_label=period.label,
                deadline=deadline_end_of_day(plan.deadline), units=codes, created_by=actor,
                now=now, period_kind=period.kind, period_year=period.year)
            created.append((round_id, plan))
    return PlanResult(created, existing)
