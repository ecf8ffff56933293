"""The narratives of a cached consolidation, kept compact and read a page at a time.

A province's round has 45 long-text items × 3,839 units: 172,000 answers of ~400 characters.
As Python strings (two bytes a character for Vietnamese, plus an object each) they held
~170 MB of every cached consolidation, and the page printed all of them (71 MB of HTML). Here
each item keeps its answers as one UTF-8 buffer with an offset array, about half the memory and
two large objects instead of thousands; the page shows how many units answered and loads an
item's answers a page at a time (`webapp.consolidation.narrative_routes`).
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import attrgetter

from aggregate.narratives import Narrative, NarrativeEntry


@dataclass(frozen=True, eq=False)
class NarrativeTexts:
    """One narrative item's answers, unit by unit in the consolidation's order."""

    key: str
    number: str
    ref: str
    label: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    offsets: array  # len(codes) + 1 byte offsets into `blob`
    blob: bytes

    @classmethod
    def pack(cls, narrative: Narrative) -> NarrativeTexts:
        entries = narrative.entries
        encoded = list(map(str.encode, map(attrgetter("text"), entries)))  # loops in C
        offsets = array("q", accumulate(map(len, encoded), initial=0))
        return cls(narrative.key, narrative.number, narrative.ref, narrative.label,
                   tuple(map(attrgetter("code"), entries)),
                   tuple(map(attrgetter("name"), entries)), offsets, b"".join(encoded))

    @property
    def nbytes(self) -> int:
        """What the item holds in memory, roughly: the buffer, the offsets, a pointer per
        code and name (the strings themselves are the units', shared)."""
        return len(self.blob) + self.offsets.itemsize * len(self.offsets) \
            + 16 * len(self.codes) + 200

    def positions(self, codes: Collection[str] | None) -> Sequence[int]:
        """The positions of the answers of `codes` (every answer when None)."""
        if codes is None:
            return range(len(self.codes))
        return [i for i, code in enumerate(self.codes) if code in codes]

    def entries(self, positions: Iterable[int]) -> list[NarrativeEntry]:
        """The answers at `positions`, decoded."""
        out = []
        for i in positions:
            text = self.blob[self.offsets[i]:self.offsets[i + 1]].decode("utf-8")
            out.append(NarrativeEntry(self.codes[i], self.names[i], text))
        return out


def pack_all(narratives: Iterable[Narrative]) -> dict[str, NarrativeTexts]:
    """Every narrative item of a consolidation, packed, by item key."""
    return {n.key: NarrativeTexts.pack(n) for n in narratives}
