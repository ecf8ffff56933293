"""Which charts the consolidated page draws, and with what title: one bar chart per rate worth
it (see `charted_items`) and the completeness bar. The drawing itself is webapp/charts.py.

Each chart comes with its title as text, shown above the drawing (a `<figcaption>`): the SVG's
own `<title>` is only read by screen readers and tooltips, so it cannot be the visible title.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from aggregate import NOT_REPORTED, SUBTOTAL_ROW, UNIT_ROW
from aggregate.completeness import Completeness
from aggregate.targets import MET, NOT_MET
from forms.kinds import KINDS
from forms.kinds.numbers import format_number
from forms.model import Item
from forms.targets import target_words
from webapp.charts import Bar, Segment, bar_chart, stacked_bar
from webapp.consolidation.cache import Loaded

#: Unit bars a chart draws at most: the lowest ones, those a coordinator follows up (a bar
#: per unit of a 4,000-unit round was half a megabyte of SVG per chart and unreadable).
CHART_UNITS = 30


@dataclass(frozen=True)
class Chart:
    """A chart with its visible title."""

    title: str
    svg: Markup


def _target_value(item: Item) -> float | None:
    """The target line of a chart: only a numeric target against a constant ("≥ 95")."""
    bound = item.target.constant() if item.target is not None else None
    if isinstance(bound, bool) or not isinstance(bound, int | float):
        return None
    return float(bound)


def charted_items(outline: Any, top: Item) -> list[Item]:
    """Rates worth a chart: rates (`Kind.rate`, percents) judged against a target (the chart
    draws the target line); when the outline sets no target on any rate, the computed rates
    instead. One chart per rate and unit costs page weight, so not every rate gets one."""
    rates = [item for item in outline.fields() if item.key and _is_rate(item)]
    targeted = any(item.target is not None for item in rates)
    return [item for item in top.walk() if item.key and _is_rate(item)
            and (item.target is not None if targeted else item.formula is not None)]


def _is_rate(item: Item) -> bool:
    kind = KINDS.get(item.kind)
    return kind is not None and kind.rate


def charts_for(loaded: Loaded, index: int, kind: str) -> list[Chart]:
    """The bar charts of top-level section `index`: the total first (and the kind's subtotal
    when filtered), then the units from lowest to highest, at most `CHART_UNITS` of them (the
    title then says so); units without data say so."""
    result = loaded.result
    top = result.outline.items[index]
    table = result.table
    verdict_table = result.targets.table
    row_types = table["row_type"].tolist()
    kinds = table["kind"].tolist()
    names = table["name"].tolist()
    statuses = table["status"].tolist()
    css = {MET: "met", NOT_MET: "not-met"}
    last = len(row_types) - 1
    units = [i for i, t in enumerate(row_types) if t == UNIT_ROW and statuses[i] != NOT_REPORTED
             and (not kind or kinds[i] == kind)]
    subtotals = [i for i, t in enumerate(row_types) if t == SUBTOTAL_ROW and kind
                 and kinds[i] == kind]
    out = []
    for item in charted_items(result.outline, top):
        key = item.key or ""
        if key not in table.columns:
            continue
        column = table[key].tolist()
        verdicts = verdict_table[key].tolist() if key in verdict_table.columns else None

        def bar(i: int, label: str, emphasis: bool = False, column: list[float] = column,
                verdicts: list[str] | None = verdicts) -> Bar:
            value = None if math.isnan(column[i]) else float(column[i])
            return Bar(label, value, css.get(verdicts[i], "") if verdicts else "", emphasis)

        bars = [bar(last, "Tổng cộng (tất cả đơn vị)", True)]
        bars += [bar(i, names[i], True) for i in subtotals]
        rows = sorted(units, key=lambda i: (math.isnan(column[i]), column[i]))
        bars += [bar(i, names[i]) for i in rows[:CHART_UNITS]]
        target = _target_value(item)
        title = f"{item.ref} theo đơn vị (thấp nhất trước)"
        if len(rows) > CHART_UNITS:
            title = (f"{item.ref}: {CHART_UNITS} đơn vị thấp nhất trong "
                     f"{format_number(len(rows))} đơn vị đã báo cáo (thấp nhất trước)")
        target_text = ""
        if item.target is not None:
            target_text = f"Chỉ tiêu {target_words(item, result.outline)}"
            title += f"; chỉ tiêu {target_words(item, result.outline)}"
        out.append(Chart(title, bar_chart(title, bars, target=target,
                                          target_text=target_text, chart_id=f"bd-{key}")))
    return out


def completeness_chart(counts: Completeness) -> Chart:
    title = f"Tình hình nộp báo cáo: {counts.submitted}/{counts.expected} đơn vị đã nộp"
    return Chart(title, stacked_bar(
        title,
        [Segment("Nộp đúng hạn", counts.on_time, "ontime"),
         Segment("Nộp muộn", counts.late, "late"),
         Segment("Bị trả lại", counts.returned, "returned"),
         Segment("Chưa nộp", counts.missing, "missing")], chart_id="nop"))
