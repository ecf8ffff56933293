"""Outline → workbook in the XLSForm-like layout, so an outline can be edited in a spreadsheet
and imported back unchanged (the round trip is tested for every shipped outline).

Row 1 of every sheet is the header, as XLSForm users expect; what makes the sheet readable is
formatting only (bold frozen header, widths, labels indented by depth, group rows shaded), so
nothing has to be stripped on the way back in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
import yaml

from forms.kinds import KINDS
from forms.loader import load_outline
from forms.model import Choice, Column, Item, Outline
from forms.spreadsheet.layout import (
    BEGIN_GROUP,
    BEGIN_REPEAT,
    CHOICES,
    CHOICES_COLUMNS,
    END_GROUP,
    END_REPEAT,
    RULES,
    RULES_COLUMNS,
    SETTINGS,
    SETTINGS_COLUMNS,
    SURVEY,
    SURVEY_COLUMNS,
)

WIDTHS = {"type": 24, "name": 26, "number": 8, "label": 70, "unit": 14, "hint": 40,
          "required": 9, "min": 8, "max": 8, "constraint": 24, "constraint_message": 30,
          "calculation": 34, "target": 10, "aggregate": 10, "decimals": 9, "min_rows": 9,
          "max_rows": 9,
          "evidence": 9,
          "list_name": 20, "id": 26, "version": 8, "title": 60, "issuer": 30, "note": 40,
          "period_start": 13, "period_end": 13, "period_label": 30, "deadline": 13,
          "message": 70, "severity": 9, "items": 40}
DATE_FORMAT = "dd/mm/yyyy"


class _Lists:
    """Names for the choice lists: the YAML's own names when known, else the first item's key."""

    def __init__(self, named: dict[str, tuple[Choice, ...]]) -> None:
        self.lists: dict[str, tuple[Choice, ...]] = dict(named)
        self.by_choices = {choices: name for name, choices in reversed(named.items())}

    def name(self, choices: tuple[Choice, ...], key: str) -> str:
        if choices in self.by_choices:
            return self.by_choices[choices]
        name, n = key, 1
        while name in self.lists:
            n += 1
            name = f"{key}_{n}"
        self.lists[name] = choices
        self.by_choices[choices] = name
        return name


def _named_lists(text: str | None) -> dict[str, tuple[Choice, ...]]:
    """The `choices:` lists of the YAML text, by name; {} when unreadable."""
    if not text:
        return {}
    try:
        data = yaml.safe_load(unicodedata.normalize("NFC", text))
    except yaml.YAMLError:
        return {}
    lists = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(lists, dict):
        return {}
    out = {}
    for name, entries in lists.items():
        if isinstance(entries, list):
            out[str(name)] = tuple(
                Choice(str(e["name"]), " ".join(str(e["label"]).split()))
                for e in entries if isinstance(e, dict) and "name" in e and "label" in e)
    return out


def _default_aggregate(item: Item | Column) -> str | None:
    if isinstance(item, Column) or item.is_section:
        return None
    if item.formula is not None:
        return "formula"
    return KINDS[item.kind].default_aggregate if item.kind in KINDS else "stack"


def _type(kind: str, choices: tuple[Choice, ...], key: str, lists: _Lists) -> str:
    if kind in KINDS and KINDS[kind].has_choices:  # `select_one muc_do`: the kind, its list
        return f"{kind} {lists.name(choices, key)}"
    return kind


def _common(thing: Item | Column) -> dict[str, Any]:
    row: dict[str, Any] = {"name": thing.key, "label": thing.label, "unit": thing.unit,
                           "hint": thing.hint, "required": "yes" if thing.required else None,
                           "min": thing.min, "max": thing.max}
    return row


def _item_row(item: Item, type_text: str) -> dict[str, Any]:
    row = _common(item)
    row.update({
        "type": type_text, "number": item.number or None,
        "constraint": item.constraint.source if item.constraint else None,
        "constraint_message": item.constraint_message,
        "calculation": item.formula.source if item.formula else None,
        "target": item.target.source if item.target else None,
        "aggregate": item.aggregate if item.aggregate != _default_aggregate(item) else None,
        "decimals": item.decimals,
        "min_rows": item.min_rows if item.min_rows else None,
        "max_rows": item.max_rows if item.max_rows != 200 else None,
        "evidence": "yes" if item.evidence else None,
    })
    return row


def survey_rows(outline: Outline, lists: _Lists) -> Iterator[tuple[dict[str, Any], str, int]]:
    """(row values, style, depth) for every survey row: style is "item", "begin" or "end"."""

    def rows(item: Item, depth: int) -> Iterator[tuple[dict[str, Any], str, int]]:
        key = item.key or ""
        if item.is_table:
            if item.children:
                raise ValueError(f"table '{key}' has sub-items: a workbook cannot hold them")
            yield _item_row(item, BEGIN_REPEAT), "begin", depth
            for column in item.columns:
                row = _common(column)
                row["type"] = _type(column.kind, column.choices, column.key, lists)
                row["calculation"] = column.formula.source if column.formula else None
                yield row, "item", depth + 1
            yield {"type": END_REPEAT}, "end", depth
            return
        kind = _type(item.kind, item.choices, key, lists)
        if item.is_section:
            yield _item_row(item, BEGIN_GROUP), "begin", depth
        elif item.children:
            yield _item_row(item, f"{BEGIN_GROUP} {kind}"), "begin", depth
        else:
            yield _item_row(item, kind), "item", depth
            return
        for child in item.children:
            yield from rows(child, depth + 1)
        yield {"type": END_GROUP}, "end", depth

    for item in outline.items:
        yield from rows(item, 0)


def export_workbook(outline: Outline | str | Path, path: str | Path | BinaryIO, *,
                    created: datetime | None = None) -> None:
    """Write `outline` (a loaded outline, or a YAML path or text) as a workbook at `path`
    (a file name or a binary file object). Choice lists keep their YAML names when the YAML is
    at hand; otherwise each is named after the first item that uses it. `created` fixes the
    document's creation time, so a committed example is byte-for-byte reproducible."""
    text: str | None = None
    if not isinstance(outline, Outline):
        source = outline
        if isinstance(source, Path) or "\n" not in source:
            text = Path(source).read_text(encoding="utf-8-sig")
        else:
            text = source
        outline = load_outline(text, filename=str(source) if "\n" not in str(source) else None)
    elif outline.source and Path(outline.source).is_file():
        text = Path(outline.source).read_text(encoding="utf-8-sig")
    lists = _Lists(_named_lists(text))
    survey = list(survey_rows(outline, lists))

    target: Any = str(path) if isinstance(path, (str, Path)) else path
    book = xlsxwriter.Workbook(target, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": outline.title, "subject": f"{outline.id} v{outline.version}",
                         "comments": "decuong outlines import FILE.xlsx -o FILE.yaml",
                         **({"created": created} if created else {})})
    try:
        _write(book, outline, survey, lists)
    finally:
        book.close()


def workbook_bytes(outline: Outline | str | Path) -> bytes:
    """The workbook as bytes, for a download."""
    buffer = BytesIO()
    export_workbook(outline, buffer)
    return buffer.getvalue()


def _write(book: xlsxwriter.Workbook, outline: Outline,
           survey: list[tuple[dict[str, Any], str, int]], lists: _Lists) -> None:
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                              "valign": "top"})
    text = book.add_format({"num_format": "@", "valign": "top"})
    date_format = book.add_format({"num_format": DATE_FORMAT, "valign": "top"})
    plain = book.add_format({"valign": "top"})
    shaded: dict[tuple[str, int], Any] = {}

    def style(kind: str, depth: int) -> Any:
        if (kind, depth) not in shaded:
            spec: dict[str, Any] = {"valign": "top", "indent": min(depth, 15)}
            if kind in ("begin", "end"):
                spec.update({"bold": True, "bg_color": "#F2F2F2"})
            shaded[kind, depth] = book.add_format(spec)
        return shaded[kind, depth]

    def sheet(name: str, columns: tuple[str, ...]) -> Any:
        ws = book.add_worksheet(name)
        for col, key in enumerate(columns):
            ws.write_string(0, col, key, header)
            ws.set_column(col, col, WIDTHS.get(key, 12), text if key == "number" else plain)
        ws.freeze_panes(1, 0)
        return ws

    def cell(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
        if value is None or value == "":
            if fmt is not None:
                ws.write_blank(row, col, None, fmt)
            return
        if isinstance(value, bool):
            ws.write_string(row, col, "yes" if value else "no", fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value, fmt)
        elif isinstance(value, date):
            ws.write_datetime(row, col, value, date_format)
        else:
            ws.write_string(row, col, str(value), fmt)

    ws = sheet(SURVEY, SURVEY_COLUMNS)
    for r, (values, kind, depth) in enumerate(survey, start=1):
        for c, key in enumerate(SURVEY_COLUMNS):
            fmt = style(kind, depth if key == "label" else 0) if kind != "item" or \
                key == "label" else (text if key == "number" else None)
            cell(ws, r, c, values.get(key), fmt)

    ws = sheet(CHOICES, CHOICES_COLUMNS)
    r = 1
    for name, choices in lists.lists.items():
        for choice in choices:
            for c, value in enumerate((name, choice.name, choice.label)):
                cell(ws, r, c, value)
            r += 1

    ws = sheet(SETTINGS, SETTINGS_COLUMNS)
    settings = {"id": outline.id, "version": outline.version, "title": outline.title,
                "issuer": outline.issuer, "note": outline.note,
                "period_start": outline.period.start, "period_end": outline.period.end,
                "period_label": outline.period.label, "deadline": outline.deadline}
    for c, key in enumerate(SETTINGS_COLUMNS):
        cell(ws, 1, c, settings[key])

    ws = sheet(RULES, RULES_COLUMNS)
    order = {item.key: i for i, item in enumerate(outline.walk()) if item.key}
    for r, rule in enumerate(outline.rules, start=1):
        default = tuple(sorted(rule.expr.names(), key=lambda n: order.get(n, -1)))
        listed = ", ".join(rule.items) if rule.items != default else None
        for c, part in enumerate((rule.name, rule.expr.source, rule.message, rule.severity,
                                  listed)):
            cell(ws, r, c, part)
    r = len(outline.rules) + 1
    for item in outline.walk():
        for rule in item.row_rules:  # a table's rules within a row: `table` names it
            for c, part in enumerate((rule.name, rule.expr.source, rule.message, rule.severity,
                                      ", ".join(rule.items), item.key)):
                cell(ws, r, c, part)
            r += 1
