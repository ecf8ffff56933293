"""`consolidate`: every consolidated view of a round, built from one pass over the values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from aggregate.completeness import Completeness, completeness
from aggregate.frame import unit_frames
from aggregate.gc_pause import gc_paused
from aggregate.groups import make_plan, unit_rows
from aggregate.model import ColumnHeader, UnitInfo
from aggregate.narratives import Narrative, narratives
from aggregate.rollup import rollup_table
from aggregate.summary import SectionSummary, full_table, section_summaries
from aggregate.tables import stacked_tables
from aggregate.targets import TargetVerdicts, judge_targets
from forms.model import Outline


@dataclass(frozen=True, eq=False)
class Consolidation:
    """Everything a coordinator reads about a round.

    - `frame`: the wide frame (index unit code, float column per numeric item; NaN = no data);
    - `table` / `columns`: every numeric and count column over the summary row layout (units
      grouped by kind, a subtotal after each group, the total last); `sections` slices it per
      top-level section;
    - `targets`: verdicts on the same rows; `completeness`: who sent what, when;
    - `narratives`: text answers unit by unit; `tables`: repeating tables stacked;
    - `rollup`: each unit aggregated with everything below it in the unit hierarchy.
    """

    outline: Outline
    units: tuple[UnitInfo, ...]
    frame: pd.DataFrame
    table: pd.DataFrame
    columns: tuple[ColumnHeader, ...]
    sections: tuple[SectionSummary, ...]
    targets: TargetVerdicts
    completeness: Completeness
    narratives: tuple[Narrative, ...]
    tables: Mapping[str, pd.DataFrame]
    rollup: pd.DataFrame

    @property
    def total(self) -> pd.Series:
        """The total row of `table`."""
        return self.table.iloc[-1]

    def section(self, number: str) -> SectionSummary:
        """The summary of the top-level section numbered `number` (e.g. "II.")."""
        for summary in self.sections:
            if summary.number == number:
                return summary
        raise KeyError(number)


def consolidate(outline: Outline, units: Sequence[UnitInfo],
                values: Mapping[str, Mapping[str, Any] | None]) -> Consolidation:
    """Consolidate a round: `units` are the expected units in display order, `values` maps a
    unit code to its stored JSON values (units without an entry have not reported; values of
    codes not in `units` are ignored)."""
    with gc_paused():
        units = tuple(units)
        plan = make_plan(outline)
        frames = unit_frames(outline, units, values)
        per_unit = unit_rows(plan, frames).to_numpy(dtype=float)
        table = full_table(plan, frames, units, per_unit)
        return Consolidation(
            outline=outline,
            units=units,
            frame=frames.numbers,
            table=table,
            columns=plan.headers,
            sections=section_summaries(outline, plan, table),
            targets=judge_targets(outline, table, frames),
            completeness=completeness(units),
            narratives=narratives(outline, units, values),
            tables=stacked_tables(outline, units, values),
            rollup=rollup_table(plan, frames, units, per_unit),
        )
