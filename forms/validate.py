"""One validation engine for every channel: web form, Excel upload and import give raw values
keyed by item key; this returns typed values, computed items and every problem at once.

User values never raise: each problem is an `Issue` tied to an item key (and a table row and
column where there is one), with a Vietnamese message naming the item's number and label. A
cross-item rule concerns every item it names (`Issue.keys`): the wrong figure may be any of
them, so every channel marks them all.
"""

from __future__ import annotations

import unicodedata
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from forms.kinds import get_kind
from forms.kinds.base import is_empty
from forms.kinds.numbers import round_computed
from forms.loader import computed_order
from forms.model import Column, Item, Outline

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem of a unit's values. `key` is the item it is shown at first (kept for the
    callers that place an issue once); `keys` is every item it concerns, `key` first: one item
    for a reading error, every item a rule or constraint names for a cross-item check."""

    key: str | None
    message: str
    severity: str = ERROR
    code: str = "invalid"
    row: int | None = None  # 1-based row of a repeating table
    column: str | None = None  # column key of a repeating table
    rule: str | None = None
    keys: tuple[str, ...] = ()
    #: A rule within a table row: every column of the row it names (`column` first), since the
    #: wrong figure may be in any of them; every channel marks each of these cells.
    columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        keys = tuple(dict.fromkeys(((self.key,) if self.key else ()) + tuple(self.keys)))
        object.__setattr__(self, "keys", keys)

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if v is not None}
        out["keys"] = list(self.keys)
        out["columns"] = list(self.columns)
        return out


@dataclass(frozen=True)
class Result:
    values: dict[str, Any]  # typed values of input items and computed items; None = no data
    issues: tuple[Issue, ...] = ()
    rejected: dict[str, Any] = field(default_factory=dict)  # raw input that could not be read

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def for_key(self, key: str) -> list[Issue]:
        """Every issue concerning the item `key`, cross-item rules that name it included."""
        return [i for i in self.issues if key in i.keys]


def _located(item: Item, text: str) -> str:
    return f"Mục «{item.ref}»: {text}"


def _cell(item: Item, row: int, column: Column, text: str) -> str:
    return f"Mục «{item.ref}», dòng {row}, cột «{column.label}»: {text}"


def validate(outline: Outline, raw: Mapping[str, Any], *, mode: str = "submit") -> Result:
    """Read, check and compute a unit's answers.

    mode "submit" runs every check; "draft" skips required items, constraints and cross-item
    rules, because a draft may be saved half-filled at any time (a rule judged on half the
    figures would only be noise); "check" (the fill page's checks while typing) runs the rules
    and constraints but not "required", which only submitting asks for. Unreadable values are
    reported in every mode, and the raw input of each is kept in `Result.rejected` (a table as
    its whole typed list of rows) so a draft can keep it as typed.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    required = mode == "submit"
    cross = mode in ("submit", "check")
    issues: list[Issue] = []
    values: dict[str, Any] = {}
    rejected: dict[str, Any] = {}
    known = set(outline.keys)
    for key in raw:
        if key not in known:
            shown = unicodedata.normalize("NFC", str(key))
            issues.append(Issue(None, f"Không có mục nào có khóa «{shown}» trong đề cương "
                                f"{outline.id} phiên bản {outline.version}. Hãy kiểm tra tên cột "
                                "hoặc tải mẫu mới.", code="unknown_key"))

    for item in outline.fields():
        key = item.field_key
        if item.formula is not None:
            continue
        value = raw.get(key)
        if item.is_table:
            values[key] = _table(item, value, issues, rejected, required)
            continue
        parsed = get_kind(item.kind).parse(value, item)
        for problem in parsed.problems:
            issues.append(Issue(key, _located(item, problem), code="invalid"))
        if parsed.problems:
            rejected[key] = value
        values[key] = parsed.value
        if required and item.required and parsed.value is None and not parsed.problems:
            issues.append(Issue(key, _located(item, "chưa nhập. Đây là mục bắt buộc."),
                                code="required"))

    for item in computed_order(outline):
        assert item.formula is not None  # computed_order yields computed items only
        values[item.field_key] = round_computed(item.formula.evaluate(values), item)

    if cross:
        for item in outline.fields():
            if item.row_rules:
                issues.extend(_row_rule_issues(outline, item, values))
        for item in outline.fields():
            if item.constraint is None or values.get(item.field_key) is None:
                continue
            if item.constraint.evaluate(values, self_value=values[item.field_key]) is False:
                text = item.constraint_message or f"không thỏa điều kiện {item.constraint.source}."
                issues.append(Issue(item.key, _located(item, text), code="constraint",
                                    keys=_named(outline, item.constraint.names())))
        for rule in outline.rules:
            if rule.expr.evaluate(values) is False:
                first = rule.items[0] if rule.items else None
                where = ", ".join(f"«{outline.item(k).ref}»" for k in rule.items)
                message = f"{rule.message} (Các mục: {where}.)" if where else rule.message
                issues.append(Issue(first, message, severity=rule.severity, code="rule",
                                    rule=rule.name, keys=rule.items))
    return Result(values=values, issues=tuple(issues), rejected=rejected)


MODES = ("submit", "draft", "check")


def _named(outline: Outline, names: frozenset[str]) -> tuple[str, ...]:
    """The items an expression names, in outline order (a constraint's other items)."""
    return tuple(key for key in outline.keys if key in names)


def is_blank_row(item: Item, raw_row: Mapping[str, Any]) -> bool:
    """A table row with no cell filled is no row: the engine skips it and numbers the rows it
    keeps (the fill page's checks use this to point at the row the page shows). A computed
    column is not typed, so what it shows never makes a row."""
    return all(is_empty(raw_row.get(c.key)) for c in item.columns if c.formula is None)


def compute_row(item: Item, row: dict[str, Any]) -> None:
    """Work out the row's computed columns, in place, each from the same row's cells (and the
    computed columns before it): the same rule as a computed item, per row."""
    columns = {c.key: c for c in item.columns}
    for key in item.computed_columns:
        formula = columns[key].formula
        assert formula is not None  # computed_columns names computed columns only
        row[key] = round_computed(formula.evaluate(row), columns[key])


def _row_rule_issues(outline: Outline, item: Item, values: Mapping[str, Any]) -> list[Issue]:
    """A table's `row_rules`, judged in each kept row: «Dòng 3: …», marked at the row's cell
    of the first column the rule concerns (and at every item it names besides)."""
    key = item.field_key
    columns = {c.key: c for c in item.columns}
    out: list[Issue] = []
    for number, row in enumerate(values.get(key) or [], start=1):
        # cast: ChainMap only reads the mapping it falls back to (writes go to the row).
        scope = ChainMap(row, cast("dict[str, Any]", values))
        for rule in item.row_rules:
            if rule.expr.evaluate(scope) is not False:
                continue
            cols = [columns[k] for k in rule.items if k in columns]
            others = tuple(k for k in rule.items if k not in columns and k in outline)
            where = ", ".join(f"«{c.label}»" for c in cols)
            suffix = f" (Mục «{item.ref}», cột {where}.)" if where else f" (Mục «{item.ref}».)"
            out.append(Issue(key, f"Dòng {number}: {rule.message}{suffix}",
                             severity=rule.severity, code="row_rule", rule=rule.name,
                             row=number, column=cols[0].key if cols else None,
                             keys=others, columns=tuple(c.key for c in cols)))
    return out


def _table(item: Item, raw: Any, issues: list[Issue], rejected: dict, required: bool
           ) -> list[dict]:
    key = item.key
    if is_empty(raw):
        raw = []
    if isinstance(raw, Mapping):  # {"1": {...}, "2": {...}} as some forms post it
        raw = [raw[k] for k in sorted(raw, key=lambda k: int(k) if str(k).isdigit() else 0)]
    if not isinstance(raw, list):
        issues.append(Issue(key, _located(item, "phải là một bảng gồm các dòng."), code="invalid"))
        rejected[key] = raw
        return []
    rows: list[dict] = []
    unreadable = False
    for index, raw_row in enumerate(raw, start=1):
        if not isinstance(raw_row, Mapping):
            issues.append(Issue(key, _located(item, f"dòng {index} không đọc được."),
                                row=index, code="invalid"))
            unreadable = True
            continue
        if is_blank_row(item, raw_row):
            continue  # an empty row is no row
        row: dict[str, Any] = {}
        row_number = len(rows) + 1
        for column in item.columns:
            if column.formula is not None:
                continue  # worked out below from the row, whatever was typed there
            parsed = get_kind(column.kind).parse(raw_row.get(column.key), column)
            for problem in parsed.problems:
                issues.append(Issue(key, _cell(item, row_number, column, problem),
                                    row=row_number, column=column.key))
            unreadable = unreadable or bool(parsed.problems)
            if required and column.required and parsed.value is None \
                    and not parsed.problems:
                issues.append(Issue(key, _cell(item, row_number, column,
                                               "chưa nhập. Đây là cột bắt buộc."),
                                    row=row_number, column=column.key, code="required"))
            row[column.key] = parsed.value
        compute_row(item, row)
        rows.append({c.key: row.get(c.key) for c in item.columns})
    if unreadable:  # the whole table as typed, so a lenient draft can give every cell back
        rejected[key] = raw
    if len(rows) > item.max_rows:
        issues.append(Issue(key, _located(item, f"có {len(rows)} dòng, vượt quá giới hạn "
                                          f"{item.max_rows} dòng."), code="too_many_rows"))
    if required and len(rows) < max(item.min_rows, 1 if item.required else 0):
        need = max(item.min_rows, 1)
        issues.append(Issue(key, _located(item, f"cần ít nhất {need} dòng."), code="required"))
    return rows


def _convert(outline: Outline, values: Mapping[str, Any], direction: str) -> dict[str, Any]:
    """Apply each kind's `to_json` or `from_json` to every value, table cells included."""
    def one(kind: str, value: Any) -> Any:
        return None if value is None else getattr(get_kind(kind), direction)(value)

    out: dict[str, Any] = {}
    for item in outline.fields():
        value = values.get(item.field_key)
        if item.is_table:
            out[item.field_key] = [{c.key: one(c.kind, row.get(c.key)) for c in item.columns}
                                   for row in value or []]
        else:
            out[item.field_key] = one(item.kind, value)
    return out


def to_json(outline: Outline, values: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values → JSON-ready values for storage (dates as ISO strings)."""
    return _convert(outline, values, "to_json")


def from_json(outline: Outline, stored: Mapping[str, Any]) -> dict[str, Any]:
    """Stored JSON values → typed values, the inverse of `to_json`."""
    return _convert(outline, stored, "from_json")
