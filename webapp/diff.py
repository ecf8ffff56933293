"""What changed between two revisions, item by item, in the words and formats users read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms.model import Item, Outline
from webapp.display import value_text
from webapp.formbuilder import fields_of


@dataclass(frozen=True)
class Change:
    key: str
    ref: str  # "II 3 Tổng số hồ sơ TTHC tiếp nhận": number path and label
    before: str
    after: str
    where: str = ""  # for a table cell: "dòng 2, cột «Tên sáng kiến»"


def _table_changes(item: Item, before: Any, after: Any) -> list[Change]:
    rows_a, rows_b = list(before or []), list(after or [])
    changes = []
    for index in range(max(len(rows_a), len(rows_b))):
        row_a = rows_a[index] if index < len(rows_a) else None
        row_b = rows_b[index] if index < len(rows_b) else None
        for column in item.columns:
            a = value_text(column, row_a.get(column.key)) if row_a else ""
            b = value_text(column, row_b.get(column.key)) if row_b else ""
            if a != b:
                changes.append(Change(item.key or "", item.ref, a, b,
                                      f"dòng {index + 1}, cột «{column.label}»"))
    return changes


def diff_values(
    outline: Outline, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[Change]:
    """Changed items in outline order; values compared as displayed, so 1234 and 1234.0 (the
    same figure) are not reported as a change."""
    changes: list[Change] = []
    for item in fields_of(outline):
        key = item.key
        assert key is not None
        if item.is_table:
            changes.extend(_table_changes(item, before.get(key), after.get(key)))
            continue
        a, b = value_text(item, before.get(key)), value_text(item, after.get(key))
        if a != b:
            changes.append(Change(key, item.ref, a, b))
    return changes
