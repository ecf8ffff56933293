"""Value kinds: parsing, formatting and validation of one value, the same for every channel.

`KINDS` maps each value kind's name to its `Kind`, in documentation order (`Kind.order`). The
registry finds the kinds itself: every module of this package that defines a module-level
`KIND` adds it, so a new kind is one new module and no list to edit. `section` and `table`
are not value kinds (a table's cells use their columns' kinds) but have a `CATEGORY` so that
expressions and the loader can tell what an item holds.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Protocol

from forms.kinds.base import Kind, Parsed, Spec, Tally

__all__ = ["CATEGORY", "KINDS", "VALUE_KINDS", "Kind", "Parsed", "Spec", "Tally", "get_kind",
           "unit_word"]


def _discover() -> dict[str, Kind]:
    """Each module's `KIND`, sorted by (order, name); two kinds of one name is a bug."""
    found: dict[str, Kind] = {}
    for module in pkgutil.iter_modules(__path__):
        kind = getattr(importlib.import_module(f"{__name__}.{module.name}"), "KIND", None)
        if not isinstance(kind, Kind):
            continue  # a shared helper module (base, numbers, answers)
        if kind.name in found:
            raise RuntimeError(f"two value kinds are called {kind.name!r}")
        found[kind.name] = kind
    return {kind.name: kind for kind in sorted(found.values(), key=lambda k: (k.order, k.name))}


KINDS: dict[str, Kind] = _discover()

#: Every kind that holds one value: all but `section` and `table`, in documentation order.
VALUE_KINDS: tuple[str, ...] = tuple(KINDS)

#: What an item of each kind holds, for type checks in expressions and aggregation.
CATEGORY: dict[str, str] = {
    **{name: kind.category for name, kind in KINDS.items()},
    "section": "section",
    "table": "table",
}


def get_kind(name: str) -> Kind:
    """The value kind called `name`. Raises KeyError for `section`, `table` or unknown names:
    the outline loader has already refused unknown kinds, so this is a programming error."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"no value kind {name!r}; value kinds: {', '.join(KINDS)}") from None


class Measured(Protocol):
    """An item, a column or a year series' item: what `unit_word` reads."""

    @property
    def kind(self) -> str: ...
    @property
    def unit(self) -> str | None: ...


def unit_word(item: Measured) -> str:
    """The word a figure of `item` is read with in headers, charts and series: its own
    `unit:`, else its kind's measure ("%"), else ""."""
    kind = KINDS.get(item.kind)
    return item.unit or (kind.measure if kind is not None else None) or ""
