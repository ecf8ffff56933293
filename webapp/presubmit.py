"""Before a report is submitted, the unit sees what it leaves empty (required and optional
items) and confirms: nobody hands in a report with most optional items blank without being told.

With JavaScript the fill page asks in a dialog (`static/fill-nav.js`) and sends `confirmed=1`.
Without it, a POST "Nộp báo cáo" with empty items and no `confirmed` flag gets this page instead:
the empty items by number and label, and two buttons posting every typed value back — "Vẫn nộp"
(submit, confirmed) or "Quay lại sửa" (the fill page again with what was typed, nothing saved
and nothing lost). The server stays the judge of required items either way.

The fill form carries `ask_empty=1`: the step is part of that page's conversation, and a client
that posts the form by itself (a script, the load benchmark) is not asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import render_template

from forms import Outline
from forms.kinds.base import is_empty

CONFIRMED = "confirmed"
ASK = "ask_empty"
BACK = "edit"  # the action of "Quay lại sửa": re-show the form with the posted values
NOT_CARRIED = ("action", CONFIRMED)


@dataclass(frozen=True)
class Empty:
    key: str
    ref: str
    required: bool


def _blank(value: Any) -> bool:
    """The engine's one emptiness rule (`kinds.is_empty`); a table is empty when no row has a
    non-empty cell."""
    if isinstance(value, list):
        return all(is_empty(cell) for row in value for cell in row.values())
    return is_empty(value)


def empty_items(outline: Outline, raw: Mapping[str, Any]) -> list[Empty]:
    """The items the unit types in (never computed ones) left blank in `raw`, outline order."""
    found = []
    for item in outline.fields():
        if item.is_computed or item.key is None:
            continue
        if _blank(raw.get(item.key)):
            found.append(Empty(item.key, item.ref, item.required))
    return found


def confirmation(exp: Any, raw: Mapping[str, Any], posted: Any) -> tuple[str, int] | None:
    """The confirmation page for a submit POST that leaves items empty and is not confirmed
    yet; None when the submission goes ahead."""
    if posted.get(ASK) != "1" or posted.get(CONFIRMED) == "1":
        return None
    empty = empty_items(exp.outline, raw)
    if not empty:
        return None
    carried = [(name, value) for name, values in posted.lists() if name not in NOT_CARRIED
               for value in values]
    return render_template("unit/presubmit.html", exp=exp, outline=exp.outline, empty=empty,
                           required=[e for e in empty if e.required], carried=carried,
                           total=sum(1 for i in exp.outline.fields() if not i.is_computed),
                           back=BACK), 200
