"""Targets (chỉ tiêu): met / not met / no data, per unit and for every subtotal and the total.

A numeric target is judged on the row's own figures: on a group row that is the aggregated
value (a ratio of sums for a rate), so the total is judged on the total rate, not by counting
units. A yes/no target has no meaningful aggregate value, so a group meets it when every unit
that answered meets it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from aggregate.frame import UnitFrames, unit_frames
from aggregate.model import SUBTOTAL_ROW, UNIT_ROW, UnitInfo
from aggregate.vector import evaluate_columns, judge
from forms.expr import Expr
from forms.expr.evaluate import compare, is_number
from forms.kinds import get_kind
from forms.model import Item, Outline
from forms.targets import YES_NO_TOTAL_RULE, target_words

MET = "đạt"
NOT_MET = "không đạt"
NO_DATA = "không có số liệu"


@dataclass(frozen=True)
class TargetHeader:
    key: str
    ref: str
    target: str  # in words, as printed: "≥ 95 %", "Có" (forms.targets.target_words)
    yes_no: bool = False  # a group meets it only when every answering unit does

    @property
    def rule(self) -> str:
        """The yes/no-total rule, for wherever this target's group verdict is shown."""
        return YES_NO_TOTAL_RULE if self.yes_no else ""

    @property
    def header(self) -> str:
        return f"{self.ref}: chỉ tiêu {self.target}"


@dataclass(frozen=True, eq=False)
class TargetVerdicts:
    """`table`: the summary row layout (row_type, code, name, kind) and one verdict column per
    targeted item ("đạt" / "không đạt" / "không có số liệu"); `counts`: per item, how many
    units are in each verdict."""

    headers: tuple[TargetHeader, ...]
    table: pd.DataFrame
    counts: pd.DataFrame


def targeted_items(outline: Outline) -> list[Item]:
    return [item for item in outline.fields() if item.target is not None and item.key]


_WORDS = {True: MET, False: NOT_MET, None: NO_DATA}


def _words(result: np.ndarray) -> np.ndarray:
    return np.array([_WORDS[r] for r in result.tolist()], dtype=object)


def _bool_unit_verdicts(item: Item, records: Sequence[Mapping[str, Any]]) -> np.ndarray:
    target = item.target
    assert target is not None
    out = np.empty(len(records), dtype=object)
    for i, record in enumerate(records):
        value = record.get(item.field_key)
        if not isinstance(value, bool):
            out[i] = None
            continue
        out[i] = compare(target.op, value, target.expr.evaluate(record, self_value=value))
    return out


def _over_rows(expr: Expr, table: pd.DataFrame, frames: UnitFrames, code_pos: Mapping[str, int],
               left: np.ndarray) -> np.ndarray:
    """A target over a table (`>= count(t)`): each unit's from its own rows; a group row has
    no rows of its own, so no target value and no verdict there."""
    right = np.full(len(table), np.nan)
    kinds, codes = table["row_type"].to_numpy(), table["code"].to_numpy()
    for row in np.flatnonzero(kinds == UNIT_ROW):
        pos = code_pos[codes[row]]
        if frames.reported[pos]:
            mine = None if np.isnan(left[row]) else float(left[row])
            value = expr.evaluate(frames.records[pos], self_value=mine)
            right[row] = value if is_number(value) else np.nan
    return right


def judge_targets(outline: Outline, table: pd.DataFrame, frames: UnitFrames) -> TargetVerdicts:
    """Verdicts on the rows of a full summary table (see `summary.full_table`)."""
    items = targeted_items(outline)
    head = table[["row_type", "code", "name", "kind"]].copy()
    is_unit = (table["row_type"] == UNIT_ROW).to_numpy()
    code_pos = {code: i for i, code in enumerate(frames.numbers.index)}
    verdicts: dict[str, np.ndarray] = {}
    for item in items:
        target = item.target
        assert target is not None and item.key is not None
        if get_kind(item.kind).judged_by_answer:
            result = np.empty(len(table), dtype=object)
            result[:] = None
            unit_codes = table["code"].to_numpy()[is_unit]
            unit_results = _bool_unit_verdicts(item, frames.records)
            reported = frames.reported
            for row, code in zip(np.flatnonzero(is_unit), unit_codes, strict=True):
                pos = code_pos[code]
                result[row] = unit_results[pos] if reported[pos] else None
            # A group meets a yes/no target when every answering unit meets it.
            kinds = table["kind"].to_numpy()
            for row in np.flatnonzero(~is_unit):
                if table["row_type"].iat[int(row)] == SUBTOTAL_ROW:
                    members = is_unit & (kinds == kinds[row])
                else:
                    members = is_unit
                answers = [r for r in result[members] if r is not None]
                result[row] = None if not answers else all(answers)
        else:
            left = table[item.key].to_numpy(dtype=float)
            if target.expr.reads_tables:
                right = _over_rows(target.expr, table, frames, code_pos, left)
            else:
                right = evaluate_columns(target.expr, table, self_values=left)
            result = judge(target.op, left, right)
        verdicts[item.key] = _words(result)
    verdict_table = pd.concat([head, pd.DataFrame(verdicts, index=table.index)], axis=1)
    tallies = [Counter(verdicts[item.field_key][is_unit].tolist()) for item in items]
    counts = pd.DataFrame(
        {word: [tally[word] for tally in tallies] for word in (MET, NOT_MET, NO_DATA)},
        index=pd.Index([item.key for item in items], name="item"),
    )
    headers = tuple(TargetHeader(item.field_key, item.ref, target_words(item, outline),
                                 get_kind(item.kind).judged_by_answer) for item in items)
    return TargetVerdicts(headers=headers, table=verdict_table, counts=counts)



def targets(outline: Outline, units: Sequence[UnitInfo],
            values: Mapping[str, Mapping[str, Any] | None]) -> TargetVerdicts:
    """Target verdicts per unit, subtotal and total (see `TargetVerdicts`)."""
    from aggregate.groups import make_plan
    from aggregate.summary import full_table

    units = list(units)
    frames = unit_frames(outline, units, values)
    return judge_targets(outline, full_table(make_plan(outline), frames, units), frames)
