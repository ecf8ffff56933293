"""Values derived from an outline once and reused: the order of its formulas, its identity
keys, the fill page's fields. Kept beside the frozen `Outline`, not inside it, so the model
stays immutable; an entry goes when its outline object is collected.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from forms.model import Outline

T = TypeVar("T")

#: id(outline) → name → value. The finalizer removes an entry when its outline is collected,
#: so an id is never reused while its entry lives.
_DERIVED: dict[int, dict[str, Any]] = {}


def per_outline(name: str, outline: Outline, make: Callable[[Outline], T]) -> T:
    """`make(outline)` computed once per outline object (the store hands out one parsed object
    per kept text); a race between threads only computes the same value twice."""
    key = id(outline)
    values = _DERIVED.get(key)
    if values is None:
        values = _DERIVED.setdefault(key, {})
        weakref.finalize(outline, _DERIVED.pop, key, None)
    if name not in values:
        values[name] = make(outline)
    result: T = values[name]
    return result
