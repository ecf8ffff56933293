"""Checks while typing: the fill page asks the one engine what it thinks of the form so far.

`static/fill-checks.js` posts the whole fill form here when the user leaves a field; the answer
is the engine's own messages (reading errors of each value, cross-item rules and constraints,
errors and warnings; not "required", which only submitting asks for), each with every item it
concerns and the form fields to mark, and the server's figures for the computed items. Nothing
is stored: the server stays the authority when the unit saves or submits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from forms import Issue, Item, Outline, Result, validate
from forms.validate import is_blank_row
from webapp.auth import role_required
from webapp.db import get_db
from webapp.display import value_text
from webapp.formbuilder import field_name, fields_of, raw_table_rows, raw_values
from webapp.submission import expected

bp = Blueprint("checks", __name__)


@bp.post("/rounds/<int:round_id>/units/<code>/check")
@role_required("unit")
def check(round_id: int, code: str) -> ResponseReturnValue:
    """The engine's verdict on the posted fill form, as JSON (another unit's URL → 404)."""
    exp = expected(get_db(), round_id, code)
    result = validate(exp.outline, raw_values(exp.outline, request.form), mode="check")
    return jsonify(verdict(exp.outline, result, request.form))


def verdict(outline: Outline, result: Result, posted: Mapping[str, Any]) -> dict[str, Any]:
    """What the page shows: each issue with the items it concerns and the fields to mark, the
    count of errors and warnings per item, and the computed items as the page writes them."""
    rows = {item.key: _form_rows(item, posted) for item in fields_of(outline)
            if item.is_table}
    issues = [_issue(issue, rows) for issue in result.issues]
    per_item: dict[str, dict[str, int]] = {}
    for issue in result.issues:
        for key in issue.keys:
            counts = per_item.setdefault(key, {"errors": 0, "warnings": 0})
            counts["errors" if issue.severity == "error" else "warnings"] += 1
    computed = {item.key: value_text(item, result.values.get(item.key)).removesuffix(" %")
                for item in fields_of(outline) if item.is_computed and item.key}
    return {
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "issues": issues,
        "items": per_item,
        "values": computed,
    }


def _issue(issue: Issue, rows: Mapping[str | None, list[int]]) -> dict[str, Any]:
    fields = list(issue.keys)
    key = issue.key
    if issue.row is not None and key is not None and key in rows:
        # The engine numbers the rows it kept (deleted and blank rows are skipped); the page
        # numbers every row it shows. Point at the page's row.
        kept = rows[key]
        if 0 < issue.row <= len(kept):
            index = kept[issue.row - 1]
            columns = issue.columns or ((issue.column,) if issue.column else ())
            fields = ([field_name(key, index, column) for column in columns] if columns
                      else [f"{key}-{index}"])
    return {
        "keys": list(issue.keys),
        "fields": fields,
        "message": issue.message,
        "severity": issue.severity,
        "code": issue.code,
        "rule": issue.rule,
        "row": issue.row,
        "column": issue.column,
    }


def _form_rows(item: Item, posted: Mapping[str, Any]) -> list[int]:
    """The page's row indices of a table that the engine reads as rows, in order: rows not
    marked for deletion and not blank (by the engine's own rule)."""
    key = item.key or ""
    kept = []
    for index in range(raw_table_rows(item, posted)):
        if posted.get(f"{key}-{index}-_delete"):
            continue
        row = {c.key: posted.get(field_name(key, index, c.key)) for c in item.columns}
        if is_blank_row(item, row):
            continue
        kept.append(index)
    return kept
