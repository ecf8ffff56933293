"""Moving through a long fill page: the section menu ("Mục lục") with each top-level section's
progress and error count, "Đã nhập x/y mục" for the whole report, and the id of the input an
error-summary link should land on.

Everything is computed on the server from the form being shown (the stored draft, or the POST
being re-shown), so the menu is right without JavaScript; `static/fill-nav.js` keeps the same
counts live as the user types, by the same definition of "filled": a value item the unit enters
(never a computed one) with a non-blank value, a table with a non-blank cell.

Plugged in as template globals through `hooks.OPTIONAL_BLUEPRINTS`, so the fill view itself
needs no change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint

from forms import Item, Outline
from forms.kinds import KINDS, get_kind
from forms.kinds.base import is_empty
from webapp import evidence
from webapp.db import get_db

bp = Blueprint("fillnav", __name__)


@dataclass
class Entry:
    """One line of the menu: a top-level section (or a top-level item outside any section)."""

    anchor: str
    number: str
    label: str
    filled: int = 0
    total: int = 0
    errors: int = 0


@dataclass
class Nav:
    entries: list[Entry] = field(default_factory=list)
    filled: int = 0
    total: int = 0
    errors: int = 0


def section_anchor(index: int) -> str:
    """The id of the n-th (1-based) top-level node's element on the fill page."""
    return f"phan-{index}"


def counted(item: Item) -> bool:
    """Whether an item counts in "Đã nhập x/y mục": a value item the unit types in."""
    return not item.is_section and not item.is_computed and item.key is not None


def is_filled(item: Item, fill: Any) -> bool:
    """Whether the form being shown holds a value for `item` (see the module docstring)."""
    key = item.key or ""
    if item.is_table:
        for index in fill.row_range(key):
            if any(not _blank(fill.get(f"{key}-{index}-{c.key}")) for c in item.columns):
                return True
        return False
    return not _blank(fill.get(key))


def _blank(field: Any) -> bool:
    """No field, or a field without data by the engine's one emptiness rule."""
    return field is None or is_empty(field.data)


def build_nav(outline: Outline, fill: Any, doc: Any) -> Nav:
    """The menu of the fill page: one entry per top-level node, in outline order."""
    nav = Nav()
    errors_by_key = {
        key: sum(1 for issue in issues if issue.severity == "error")
        for key, issues in doc.issues.items() if key
    }
    for index, top in enumerate(outline.items, start=1):
        anchor = section_anchor(index) if top.is_section else f"item-{top.key}"
        entry = Entry(anchor=anchor, number=top.number, label=top.label)
        for item in top.walk():
            entry.errors += errors_by_key.get(item.key or "", 0)
            if counted(item):
                entry.total += 1
                entry.filled += is_filled(item, fill)
        nav.entries.append(entry)
        nav.filled += entry.filled
        nav.total += entry.total
        nav.errors += entry.errors
    return nav


def field_anchor(item: Item, fill: Any) -> str:
    """The id of the first input of `item` on the fill page (what a link in the error summary
    points at, so that even without JavaScript the browser lands on the field itself); the
    item's box when it has no input of its own."""
    key = item.key or ""
    if fill is None or item.is_section or item.is_computed:
        return f"item-{key}"
    if item.is_table:
        if fill.row_range(key) and item.columns:
            return f"{key}-0-{item.columns[0].key}"
        return f"item-{key}"
    if item.kind in KINDS and get_kind(item.kind).widget == "radio":
        return f"{key}-0"  # a radio group: its first button
    found = fill.get(key)
    return found.id if found is not None else f"item-{key}"


@bp.app_template_global()
def fill_nav(outline: Outline, fill: Any, doc: Any) -> Nav:
    return build_nav(outline, fill, doc)


@bp.app_template_global()
def issue_anchor(outline: Outline, issue: Any, fill: Any) -> str:
    """Where a link of the error summary lands: the table cell a cell error names, else the
    item's first input."""
    key = issue.key or ""
    if key not in outline:
        return "tom-tat"
    item = outline.item(key)
    if issue.row and issue.column and fill is not None and item.is_table:
        # The engine numbers the non-blank rows only (a blank row is no row).
        kept = [index for index in fill.row_range(key)
                if any(not _blank(fill.get(f"{key}-{index}-{c.key}")) for c in item.columns
                       if c.formula is None)]  # a computed cell never makes a row
        if issue.row <= len(kept):
            cell = fill.get(f"{key}-{kept[issue.row - 1]}-{issue.column}")
            if cell is not None:
                return str(cell.id)
    return field_anchor(item, fill)


@bp.app_template_global()
def evidence_room(exp: Any) -> dict[str, str] | None:
    """The unit's room for evidence in this round, when its outline asks for any."""
    if not evidence.supported() or not any(i.wants_evidence for i in exp.outline.fields()):
        return None
    return evidence.usage(get_db(), exp.round["id"], exp.unit["unit_code"])
