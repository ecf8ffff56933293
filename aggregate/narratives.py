"""Narratives: each text item's answers, unit by unit, ready to paste under the item's number
in the consolidated report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aggregate.model import UnitInfo
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
    """One `Narrative` per text/long_text item that consolidates as a narrative, in outline
    order; units in display order; empty answers skipped."""
    out = []
    for item in outline.fields():
        if item.kind not in ("text", "long_text") or item.aggregate == "none" or not item.key:
            continue
        entries = []
        for unit in units:
            text = (values.get(unit.code) or {}).get(item.key)
            if isinstance(text, str) and text.strip():
                entries.append(NarrativeEntry(unit.code, unit.name, text.strip()))
        out.append(Narrative(item.key, item.number, item.ref, item.label, tuple(entries)))
    return tuple(out)
