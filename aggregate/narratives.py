"""Narratives: each text item's answers, unit by unit, ready to paste under the item's number
in the consolidated report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aggregate.model import UnitInfo
from forms.kinds import KINDS
from forms.model import Outline


@dataclass(frozen=True)
class NarrativeEntry:
    code: str
    name: str
    text: str


@dataclass(frozen=True)
class Narrative:
    key: str
    number: str
    ref: str
    label: str
    entries: tuple[NarrativeEntry, ...]

    def as_text(self) -> str:
        """The item's heading, then one "- Unit: text" paragraph per unit that answered."""
        lines = [self.ref]
        lines += [f"- {entry.name}: {entry.text}" for entry in self.entries]
        return "\n".join(lines)


def narratives(outline: Outline, units: Sequence[UnitInfo],
               values: Mapping[str, Mapping[str, Any] | None]) -> tuple[Narrative, ...]:
    """One `Narrative` per item of a narrative kind (text, long_text) that the outline does not
    mark `aggregate: none`, in outline order; units in display order; empty answers
    skipped."""
    items = [item for item in outline.fields()
             if (kind := KINDS.get(item.kind)) is not None and kind.narrative
             and item.aggregate != "none" and item.key]
    keys = [item.field_key for item in items]
    answers: dict[str, list[NarrativeEntry]] = {key: [] for key in keys}
    # Unit by unit, each report read once for all its text items: item by item, every lookup
    # went to another unit's report, and a 10,000-unit round spent half a second in cache
    # misses.
    for unit in units:
        record = values.get(unit.code)
        if not record:
            continue
        for key, text in zip(keys, map(record.get, keys), strict=True):
            if isinstance(text, str) and (text := text.strip()):
                answers[key].append(NarrativeEntry(unit.code, unit.name, text))
    return tuple(Narrative(item.field_key, item.number, item.ref, item.label,
                           tuple(answers[item.field_key]))
                 for item in items)
