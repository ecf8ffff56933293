"""Vietnamese display: dates dd/mm/yyyy and times HH:MM in Asia/Ho_Chi_Minh, numbers 1.234,5,
statuses in words. Registered as Jinja filters so templates never format by hand."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask import Flask

from forms.kinds import KINDS, Kind, get_kind
from forms.kinds.numbers import format_number
from forms.model import Column, Item
from forms.targets import target_words
from store import STATUS_LABELS, VIETNAM
from store.db import parse_iso, utc_iso

STATUS_CLASS = {
    "missing": "st-missing",
    "draft": "st-draft",
    "submitted": "st-submitted",
    "returned": "st-returned",
    "accepted": "st-accepted",
}
CHANNEL_LABELS = {"web": "trên web", "excel": "tệp Excel", "import": "nhập dữ liệu"}


def _moment(value: str | datetime | None) -> datetime | None:
    if value is None or value == "":
        return None
    moment = parse_iso(value) if isinstance(value, str) else value
    if moment is None:
        return None
    return moment.astimezone(VIETNAM)


def vn_date(value: str | date | datetime | None) -> str:
    """`12/11/2025`. A stored timestamp is shown as the Vietnamese calendar day."""
    if value is None or value == "":
        return ""
    if isinstance(value, str) and len(value) == 10:
        value = date.fromisoformat(value)
    if isinstance(value, datetime | str):
        moment = _moment(value)
        return moment.strftime("%d/%m/%Y") if moment else ""
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: str | datetime | None) -> str:
    """`12/11/2025 16:30` in Vietnam time."""
    moment = _moment(value)
    return moment.strftime("%d/%m/%Y %H:%M") if moment else ""


def number(value: Any) -> str:
    return format_number(value) if value is not None else ""


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "missing", status or "")


def status_class(status: str | None) -> str:
    return STATUS_CLASS.get(status or "missing", "")


def channel_label(channel: str | None) -> str:
    return CHANNEL_LABELS.get(channel or "", channel or "")


def revision_channel(revision: Mapping[str, Any]) -> str:
    """How a revision came: «trên web», «tệp Excel», or «nhập hộ (trên web)» when the
    coordinator entered it for the unit."""
    label = channel_label(revision.get("channel"))
    return f"nhập hộ ({label})" if revision.get("on_behalf") else label


def days_left(deadline: str | None, now: datetime | None = None) -> int | None:
    """Whole calendar days (Vietnam time) from today to the deadline day; negative when past."""
    moment = _moment(deadline)
    if moment is None:
        return None
    today = _moment(utc_iso(now))
    assert today is not None
    return (moment.date() - today.date()).days


def overdue(deadline: str | None, now: datetime | None = None) -> bool:
    """The deadline day has passed (Vietnam time): decided on the number of days, never on the
    words shown."""
    left = days_left(deadline, now)
    return left is not None and left < 0


def days_left_text(deadline: str | None, now: datetime | None = None) -> str:
    left = days_left(deadline, now)
    if left is None:
        return ""
    if left > 1:
        return f"còn {left} ngày"
    if left == 1:
        return "còn 1 ngày (hạn là ngày mai)"
    if left == 0:
        return "hạn là hôm nay"
    return f"quá hạn {-left} ngày"


def value_text(spec: Item | Column, value: Any) -> str:
    """A stored (JSON) value as users read it: 1.234,5 · 95,5 % · 12/11/2025 · Có."""
    if value is None or value == "":
        return ""
    if spec.kind in ("section", "table"):
        return ""
    kind = get_kind(spec.kind)
    try:
        return kind.format(kind.from_json(value), spec)
    except (TypeError, ValueError):
        return str(value)


def input_choices(spec: Item | Column) -> tuple[tuple[str, str], ...]:
    """(posted value, words) of a choice input, as its kind offers them (`Kind.input_choices`)."""
    return get_kind(spec.kind).input_choices(spec)


def value_kind(spec: Item | Column) -> Kind | None:
    """The kind of the value an item holds, for a template to read what the kind says
    (`measure`, `multiline`) instead of asking its name; None for a section or a table."""
    return KINDS.get(spec.kind)


def number_kinds() -> str:
    """Each kind's `browser_rules` as JSON, for static/numbers.js's `data-kinds`: the browser
    reads and shows figures by the kinds' own rules, never a copy of them."""
    rules = {name: kind.browser_rules() for name, kind in KINDS.items()}
    return json.dumps({name: rule for name, rule in rules.items() if rule is not None},
                      ensure_ascii=False)


#: Filters registered under their function's own name, so `|vn_date` in a template is found by
#: searching for `def vn_date` (`days_left` and the input ones are named in `init_app`).
FILTERS = (vn_date, vn_datetime, number, status_label, status_class, channel_label,
           revision_channel, overdue, value_text, target_words, input_choices)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update({f.__name__: f for f in FILTERS})
    app.jinja_env.filters.update(
        days_left=days_left_text,
        input_widget=lambda spec: get_kind(spec.kind).widget,
        input_attrs=lambda spec: get_kind(spec.kind).input_attrs,
    )
    app.jinja_env.globals.update(number_kinds=number_kinds, value_kind=value_kind)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
