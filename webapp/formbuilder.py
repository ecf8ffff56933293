"""Outline → WTForms form, and a POSTed form → the raw values the engine validates.

The form is built without a declared class (`BaseForm`), one field per input item and one per
table cell, so a new outline file needs no code. WTForms only renders and carries the typed
text: reading and checking values is the engine's job (`store.submit_values`), so the same
input gives the same errors on the web as in an Excel upload.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.form import BaseForm

from forms.derived import per_outline
from forms.expr.browser import tree_json
from forms.kinds import CATEGORY, KINDS, get_kind
from forms.kinds.numbers import format_number, shown_decimals
from forms.model import Column, Item, Outline

try:  # WTForms 3.3 deprecates (value, label) tuples; 3.1 and 3.2 only know tuples
    # types-WTForms 3.2 predates SelectChoice (added in WTForms 3.3).
    from wtforms.fields.choices import SelectChoice as _Choice  # type: ignore[attr-defined]  # WTForms 3.3+
except ImportError:  # pragma: no cover
    def _Choice(value: str, label: str) -> tuple[str, str]:
        return (value, label)

#: Rows a table shows beyond its filled ones, so it can be filled without JavaScript.
BLANK_ROWS = 2
#: Rows the "thêm dòng" button adds (without JavaScript: a round trip that saves nothing).
ADD_ROWS = 3


def fields_of(outline: Outline) -> tuple[Item, ...]:
    """`outline.fields()` computed once per outline (a request needs it several times); the
    store keeps an id and version immutable."""
    return per_outline("fields", outline, lambda o: tuple(o.fields()))


def field_name(item_key: str, row: int | None = None, column: str | None = None) -> str:
    """The HTML name (and id) of an input: the item key, or `key-row-column` for a cell (row
    0-based). Keys are ASCII identifiers, so names are safe in ids and CSS selectors."""
    if row is None:
        return item_key
    return f"{item_key}-{row}-{column}"


def rows_name(item_key: str) -> str:
    return f"{item_key}-rows"


def _unbound(spec: Item | Column, *, readonly: bool = False) -> Any:
    """The WTForms field for one value, as its kind asks for it (`Kind.widget`,
    `Kind.input_attrs`, `Kind.input_choices`): text inputs for numbers and dates (people type
    1.234,5 and 12/11/2025, which `<input type=number|date>` would refuse), a select for
    choices, radio buttons for yes/no."""
    kind = get_kind(spec.kind)
    render_kw: dict[str, Any] = dict(kind.input_attrs)
    if readonly:
        render_kw["readonly"] = True
        render_kw["tabindex"] = "-1"
    if kind.widget == "textarea":
        render_kw["rows"] = 4
        return TextAreaField(spec.label, render_kw=render_kw)
    choices = [_Choice(value, words) for value, words in kind.input_choices(spec)]
    if kind.widget == "select":
        return SelectField(spec.label, choices=choices, validate_choice=False,
                           render_kw=render_kw)
    if kind.widget == "radio":
        return RadioField(spec.label, choices=choices, validate_choice=False, render_kw=render_kw)
    return StringField(spec.label, render_kw=render_kw)


@dataclass
class FillForm:
    """The WTForms form of one outline plus how many rows each table shows."""

    outline: Outline
    form: BaseForm
    rows: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Field:
        return self.form[name]

    def get(self, name: str) -> Field | None:
        return self.form._fields.get(name)

    def row_range(self, item_key: str) -> range:
        return range(self.rows.get(item_key, 0))


def _count_rows(item: Item, stored: Any, posted: Mapping[str, Any] | None, extra: int) -> int:
    if posted is not None:
        try:
            count = int(posted.get(rows_name(item.key or ""), 0))
        except (TypeError, ValueError):
            count = 0
        count = max(0, min(count, item.max_rows))
    else:
        count = len(stored or []) + BLANK_ROWS
    count = max(count + extra, item.min_rows, 1)
    return min(count, item.max_rows)


def _text(spec: Item | Column, value: Any) -> str:
    """A stored value as the text put back into its input (`Kind.input_text`: Vietnamese
    formatting, which the engine reads back to the same value)."""
    if value is None or spec.kind not in KINDS:
        return ""
    return get_kind(spec.kind).input_text(value, spec)


#: The public name of `_text`: a stored value as the text its input shows.
input_text = _text


def build_form(
    outline: Outline,
    *,
    stored: Mapping[str, Any] | None = None,
    posted: Mapping[str, Any] | None = None,
    add_rows: str | None = None,
) -> FillForm:
    """The fill form, filled from `posted` (a re-shown POST) or else from `stored` JSON values.

    `add_rows` names a table that gets ADD_ROWS more blank rows (the no-JavaScript button).
    """
    fields: list[tuple[str, Any]] = []
    rows: dict[str, int] = {}
    data: dict[str, Any] = {}
    stored = stored or {}
    for item in fields_of(outline):
        key = item.key
        assert key is not None
        if item.is_table:
            count = _count_rows(item, stored.get(key), posted,
                                ADD_ROWS if add_rows == key else 0)
            rows[key] = count
            stored_rows = stored.get(key) or []
            for index in range(count):
                for column in item.columns:
                    name = field_name(key, index, column.key)
                    fields.append((name, _unbound(column, readonly=column.is_computed)))
                    if posted is None and index < len(stored_rows):
                        data[name] = _text(column, stored_rows[index].get(column.key))
            continue
        fields.append((key, _unbound(item, readonly=item.is_computed)))
        if posted is None:
            data[key] = _text(item, stored.get(key))
    form = BaseForm(fields)
    if posted is not None:
        form.process(formdata=_multidict(posted))
        for item in fields_of(outline):  # computed items show the last server value
            if item.is_computed and item.key:
                form[item.key].data = _text(item, stored.get(item.key))
    else:
        form.process(data=data)
    return FillForm(outline, form, rows)


def _multidict(posted: Mapping[str, Any]) -> MultiDict:
    if isinstance(posted, MultiDict):
        return posted
    return MultiDict(posted)


def raw_values(outline: Outline, posted: Mapping[str, Any]) -> dict[str, Any]:
    """The raw dict the engine validates: item key → typed text, a table as a list of row dicts.

    Computed items are left out (the engine computes them); a row whose "xóa" box is ticked is
    dropped; blank rows are kept and the engine skips them.
    """
    raw: dict[str, Any] = {}
    for item in fields_of(outline):
        key = item.key
        assert key is not None
        if item.is_computed:
            continue
        if item.is_table:
            count = raw_table_rows(item, posted)  # extra rows: the engine refuses
            table = []
            for index in range(count):
                if posted.get(f"{key}-{index}-_delete"):
                    continue
                table.append({c.key: posted.get(field_name(key, index, c.key), "")
                              for c in item.columns})
            raw[key] = table
            continue
        raw[key] = posted.get(key, "")
    return raw


CELL_NAME = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)-(?P<row>[0-9]+)-[A-Za-z_]\w*")
REPLACEMENT = "\ufffd"  # what the form parser makes of bytes that are not UTF-8


def post_problems(outline: Outline, posted: Mapping[str, Any], files: Iterable[str] = ()
                  ) -> list[str]:
    """What a browser never sends, refused with a message rather than silently dropped: a file
    where an item's text is expected, a table cell for a row the form does not have (beyond the
    posted row count or the table's limit), and text that arrived as invalid UTF-8 (the parser
    turned those bytes into U+FFFD)."""
    problems: list[str] = []
    labels = {item.key: item.label for item in fields_of(outline)}
    for name in files:
        key = match["key"] if (match := CELL_NAME.fullmatch(name)) else name
        if key in labels:
            problems.append(f"Mục «{labels[key]}»: nhận được một tệp thay cho nội dung nhập. "
                            "Hãy nhập trực tiếp vào ô của mục này.")
    tables = {item.key: item for item in fields_of(outline) if item.is_table}
    counted = {key: raw_table_rows(item, posted) for key, item in tables.items()}
    stray: dict[str, int] = {}
    for name in posted:
        match = CELL_NAME.fullmatch(name)
        if not match or match["key"] not in tables or not str(posted.get(name) or "").strip():
            continue
        if name.rsplit("-", 1)[1] not in {c.key for c in tables[match["key"]].columns}:
            continue  # not a cell of this table: ignored like any unknown field
        digits = match["row"]
        row = int(digits) if len(digits) <= 9 else 10**9
        if row >= counted[match["key"]]:
            stray[match["key"]] = max(stray.get(match["key"], 0), row)
    for key, row in stray.items():
        item = tables[key]
        problems.append(f"Mục «{item.label}»: có số liệu ở dòng {format_number(row + 1)} nhưng "
                        f"biểu mẫu chỉ có {format_number(counted[key])} dòng (tối đa "
                        f"{format_number(item.max_rows)} dòng). Hãy tải lại trang và nhập lại "
                        "bảng.")
    for name in posted:
        values = posted.getlist(name) if hasattr(posted, "getlist") else [posted.get(name)]
        if any(isinstance(v, str) and REPLACEMENT in v for v in values):
            key = match["key"] if (match := CELL_NAME.fullmatch(name)) else name
            problems.append(f"Mục «{labels.get(key, name)}»: có ký tự không đọc được (�) — dữ "
                            "liệu gửi lên không phải văn bản UTF-8 hợp lệ. Hãy gõ hoặc dán lại "
                            "nội dung này.")
    return problems


def raw_table_rows(item: Item, posted: Mapping[str, Any]) -> int:
    """The rows of a table `raw_values` reads: the posted count, within the form's limit."""
    try:
        count = int(posted.get(rows_name(item.key or ""), 0))
    except (TypeError, ValueError):
        count = 0
    return max(0, min(count, item.max_rows + 50))


# --- formulas for the live preview ---------------------------------------------------------


def _formulas_json(outline: Outline) -> str:
    from forms import computed_order

    out = [
        {"key": item.key, "kind": item.kind, "expr": tree_json(item.formula.root),
         "decimals": shown_decimals(item)}
        for item in computed_order(outline)
        if item.formula is not None
    ]
    kinds = {item.key: item.kind for item in outline.fields() if item.key}
    # What static/numbers.js needs to read a typed figure as the kind would: the item's own
    # bounds and unit word (the kind's defaults live in numbers.js, as in forms/kinds).
    specs = {item.key: {name: getattr(item, name) for name in ("min", "max", "unit")
                        if getattr(item, name) is not None}
             for item in outline.fields()
             if item.key and not item.is_computed and CATEGORY.get(item.kind) == "number"}
    return json.dumps({"computed": out, "kinds": kinds,
                       "specs": {k: v for k, v in specs.items() if v},
                       "tables": _tables_json(outline)}, ensure_ascii=False)


def _tables_json(outline: Outline) -> dict[str, Any]:
    """Each table a formula reads or that has computed columns: its column kinds, the typed
    number columns' bounds, and its computed columns in the order a row is worked out."""
    read = {name for item in outline.fields() if item.formula is not None
            for name in item.formula.names()}
    out: dict[str, Any] = {}
    for item in outline.fields():
        if not item.is_table or not item.key:
            continue
        if item.key not in read and not item.computed_columns:
            continue
        formulas = {c.key: c.formula for c in item.columns if c.formula is not None}
        kinds = {c.key: c.kind for c in item.columns}
        by_key = {c.key: c for c in item.columns}
        out[item.key] = {
            "columns": kinds,
            "specs": {c.key: {n: getattr(c, n) for n in ("min", "max", "unit")
                              if getattr(c, n) is not None}
                      for c in item.columns if CATEGORY.get(c.kind) == "number"},
            "computed": [{"key": k, "kind": kinds[k], "expr": tree_json(formulas[k].root),
                          "decimals": shown_decimals(by_key[k])}
                         for k in item.computed_columns],
        }
    return out


def formulas_json(outline: Outline) -> str:
    """The computed items in evaluation order with their formulas, as JSON for fill.js.

    The browser's figure is a preview while typing; the server recomputes on every save. Cached
    per outline (id and version are immutable in the store).
    """
    return per_outline("formulas", outline, _formulas_json)
