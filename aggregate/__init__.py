"""Consolidation of a reporting round with pandas: pure functions over an outline, the expected
units and their stored values; no I/O, no SQL. Empty is *no data*, never zero, and rates
aggregate as ratios of sums."""

from aggregate.compare import COMPARE_HEADERS, compare
from aggregate.completeness import Completeness, completeness
from aggregate.consolidate import Consolidation, consolidate
from aggregate.frame import long_frame, numeric_items, wide_frame
from aggregate.model import (
    NOT_REPORTED,
    STATUS_LABELS,
    SUBTOTAL_ROW,
    TOTAL_ROW,
    UNIT_ROW,
    ColumnHeader,
    UnitInfo,
)
from aggregate.narratives import Narrative, NarrativeEntry, narratives
from aggregate.rollup import ROLLUP_HEADERS, rollup
from aggregate.series import TOTAL, SeriesItem, SeriesPeriod, YearSeries, year_series
from aggregate.source import RoundInput, load_round, load_year, round_input
from aggregate.summary import SectionSummary, summarize
from aggregate.tables import stack_table, stacked_tables, table_headers
from aggregate.targets import MET, NO_DATA, NOT_MET, TargetHeader, TargetVerdicts, targets

__all__ = [
    "COMPARE_HEADERS", "MET", "NOT_MET", "NOT_REPORTED", "NO_DATA", "ROLLUP_HEADERS",
    "STATUS_LABELS", "SUBTOTAL_ROW", "TOTAL", "TOTAL_ROW", "UNIT_ROW", "ColumnHeader",
    "Completeness", "Consolidation", "Narrative", "NarrativeEntry", "RoundInput", "SectionSummary",
    "SeriesItem", "SeriesPeriod", "TargetHeader", "TargetVerdicts", "UnitInfo", "YearSeries",
    "compare", "completeness", "consolidate", "load_round", "load_year", "long_frame",
    "narratives", "numeric_items", "rollup", "round_input", "stack_table", "stacked_tables",
    "summarize", "table_headers", "targets", "wide_frame", "year_series",
]
