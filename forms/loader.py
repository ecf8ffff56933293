"""Load and check an outline file: YAML → located data → checked `Outline`, all problems at once.

A broken outline never loads half-way: `load_outline` either returns a complete model or raises
`OutlineError` carrying every problem as file:line:column. `check_outline` returns the problems
without raising, for `decuong outlines check`.

Four layers: `outline_reader.Reader` (problems, plain values, choice lists), then
`outline_exprs.Expressions` (formulas, targets, rules), then `outline_tables.Tables` (computed
columns, rules within a row), then `_Builder` here (the outline, its items and columns).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from forms.derived import per_outline
from forms.errors import Code, OutlineError, OutlineProblem, did_you_mean
from forms.expr import Expr
from forms.kinds import CATEGORY, KINDS
from forms.model import BULLETS, Column, Item, Outline
from forms.outline_tables import Tables
from forms.yaml_source import LocDict, LocList, Pos, read_yaml

OUTLINE_KEYS = ("id", "version", "title", "issuer", "note", "period", "deadline", "choices",
                "items", "rules")
ITEM_KEYS = ("type", "name", "number", "label", "unit", "hint", "required", "min", "max",
             "constraint", "constraint_message", "calculation", "target", "aggregate", "decimals",
             "choices", "columns", "min_rows", "max_rows", "evidence", "items", "row_rules")
COLUMN_KEYS = ("type", "name", "label", "unit", "hint", "required", "min", "max", "choices",
               "calculation")

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
RESERVED_NAMES = frozenset({"and", "or", "not", "true", "false"})  # words of the expressions

NUMERIC = "number"
MAX_DECIMALS = 6  # beyond this a figure is noise, not precision
BOUNDED_CATEGORIES = {"number", "date"}
AGGREGATES = {
    "number": ("sum", "mean", "min", "max", "formula", "none"),
    "text": ("narrative", "none"),
    "date": ("none", "min", "max"),
    "bool": ("count", "none"),
    "choice": ("count", "none"),
    "table": ("stack", "none"),
    "section": (),
}


def load_outline(source: str | Path | bytes, *, filename: str | None = None) -> Outline:
    """Load a checked outline from a path, YAML text or bytes; raise OutlineError on any problem."""
    outline, problems = _load(source, filename)
    if problems:
        raise OutlineError(problems)
    assert outline is not None
    return outline


def check_outline(
    source: str | Path | bytes, *, filename: str | None = None
) -> list[OutlineProblem]:
    """Every problem of an outline, in file order; empty when it loads cleanly."""
    return _load(source, filename)[1]


def _load(source: str | Path | bytes, filename: str | None) -> tuple[Outline | None, list]:
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source
                                    and source.endswith((".yaml", ".yml"))):
        path = Path(source)
        filename = filename or str(source)
        try:
            raw: str | bytes = path.read_bytes()
        except OSError as exc:
            problem = OutlineProblem(filename, 1, 1, Code.YAML_SYNTAX,
                                     f"Không đọc được tệp: {exc.strerror}.")
            return None, [problem]
    else:
        raw = source
    filename = filename or "<outline>"
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            msg = Code.YAML_SYNTAX.text(detail=f"tệp không phải UTF-8 (byte {exc.start})")
            return None, [OutlineProblem(filename, 1, 1, Code.YAML_SYNTAX, msg)]
    else:
        text = raw
    text = unicodedata.normalize("NFC", text)
    builder = _Builder(filename)
    outline = builder.build(text)
    problems = sorted(builder.problems, key=lambda p: (p.line, p.column))
    return (None if problems else outline), problems

class _Builder(Tables):
    """Builds the model while collecting problems; never stops at the first one."""

    # -- top level -------------------------------------------------------------------------
    def build(self, text: str) -> Outline | None:
        read = read_yaml(text)
        for pos, code, args in read.problems:
            self.add(pos, Code[code], **args)
        data = read.data
        if data is None and not read.problems:
            self.add(Pos(1, 1), Code.NO_ITEMS)
            return None
        if not isinstance(data, LocDict):
            if data is not None:
                self.add(getattr(data, "pos", Pos(1, 1)), Code.NOT_A_MAPPING, what="Tệp đề cương")
            return None
        self.unknown_keys(data, OUTLINE_KEYS, "đề cương")
        for key in ("id", "version", "title", "items"):
            if key not in data:
                self.add(data.pos, Code.MISSING_KEY, key=key, where="đề cương")

        outline_id = data.get("id")
        if outline_id is not None and not (isinstance(outline_id, str) and ID_RE.match(outline_id)):
            self.add(data.value_pos["id"], Code.BAD_ID, value=outline_id)
        version = data.get("version")
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)
                                    or version < 1):
            self.add(data.value_pos["version"], Code.BAD_VERSION, value=version)
        title = self.text(data, "title")
        issuer = self.text(data, "issuer")
        note = self.text(data, "note")
        period = self.period(data)
        deadline = self.date(data, "deadline")
        self.read_choice_lists(data)

        items: tuple[Item, ...] = ()
        if "items" in data:
            items = self.items(data["items"], data.value_pos["items"], path=(), evidence=False)
            if isinstance(data["items"], list) and not data["items"]:
                self.add(data.value_pos["items"], Code.NO_ITEMS)
        rules = self.rules(data)
        self.check_expressions()
        self.check_cycles()
        if self.problems:
            return None
        # A missing or malformed id or version was recorded as a problem above.
        assert isinstance(outline_id, str) and isinstance(version, int)
        return Outline(id=outline_id, version=version, title=title or "", items=items, rules=rules,
                       issuer=issuer, note=note, period=period, deadline=deadline,
                       source=self.filename)

    # -- items -----------------------------------------------------------------------------
    def kind(self, data: LocDict, allowed: tuple[str, ...]) -> str | None:
        kind = data.get("type")
        if kind is None:
            self.add(data.pos, Code.MISSING_KEY, key="type", where="mục")
            return None
        kind = str(kind)
        if kind not in allowed:
            self.add(data.value_pos["type"], Code.UNKNOWN_KIND, kind=kind,
                     hint=did_you_mean(kind, allowed), kinds=", ".join(allowed))
            return None
        return kind

    def items(self, entries: Any, pos: Pos, path: tuple[str, ...], evidence: bool
              ) -> tuple[Item, ...]:
        """`evidence`: an enclosing section asks for tài liệu kiểm chứng on its items."""
        if not isinstance(entries, LocList):
            self.add(pos, Code.NOT_A_LIST, what="'items'")
            return ()
        numbers: dict[str, Pos] = {}
        out = []
        for entry, entry_pos in zip(entries, entries.item_pos, strict=True):
            if not isinstance(entry, LocDict):
                self.add(entry_pos, Code.NOT_A_MAPPING, what="Mỗi mục")
                continue
            item = self.item(entry, path, evidence)
            number = str(entry.get("number") or "").strip()
            if number and number not in BULLETS:
                if number in numbers:
                    self.add(entry.value_pos["number"], Code.DUPLICATE_NUMBER, number=number,
                             first=numbers[number].line)
                else:
                    numbers[number] = entry.value_pos["number"]
            if item is not None:
                out.append(item)
        return tuple(out)

    def item(self, data: LocDict, path: tuple[str, ...], inherited: bool = False
             ) -> Item | None:
        self.unknown_keys(data, ITEM_KEYS, "mục")
        kind = self.kind(data, (*KINDS, "section", "table"))
        label = self.text(data, "label")
        if not label:
            self.add(data.pos, Code.EMPTY_LABEL)
        number = str(data.get("number") or "").strip()
        key = self.name(data, kind, label)
        category = CATEGORY.get(kind or "", None)

        minimum, maximum = self.number(data, "min"), self.number(data, "max")
        if (minimum is not None or maximum is not None) and category not in BOUNDED_CATEGORIES \
                and kind is not None:
            self.add(data.key_pos.get("min") or data.key_pos["max"], Code.BOUNDS_NOT_ALLOWED,
                     kind=kind)
        elif minimum is not None and maximum is not None and type(minimum) is type(maximum) \
                and minimum > maximum:
            self.add(data.value_pos["min"], Code.BAD_BOUNDS, min=minimum, max=maximum)

        decimals = self.decimals(data, kind, category)
        formula = self.expression(data, "calculation", self_kind=None)
        if formula is not None:
            if category != NUMERIC and kind is not None:
                self.add(data.key_pos["calculation"], Code.CALC_NOT_NUMERIC, name=key or label,
                         kind=kind)
            elif key:
                self.formulas[key] = (formula, data.value_pos["calculation"])
        constraint = self.expression(data, "constraint", self_kind=category)
        target = self.target(data, kind, category)
        aggregate = self.aggregate(data, kind, category, formula)
        choices = self.choices(data, kind or "", key or label or "")
        columns = self.columns(data, kind, key or "")
        row_rules = self.table_rules(data, kind, key)
        evidence = self.boolean(data, "evidence")
        if evidence and formula is not None:
            self.add(data.key_pos["evidence"], Code.EVIDENCE_ON_COMPUTED, name=key or label)
        child_path = (*path, number) if number else path
        children: tuple[Item, ...] = ()
        if "items" in data:
            # Only a section hands its flag down: a value item's flag is about that item.
            passed = inherited or (evidence and kind == "section")
            children = self.items(data["items"], data.value_pos["items"], child_path, passed)
        if kind is None:
            return None
        return Item(
            kind=kind, key=key, number=number, label=label or "", unit=self.text(data, "unit"),
            hint=self.text(data, "hint"), required=self.boolean(data, "required"),
            min=minimum, max=maximum, constraint=constraint,
            constraint_message=self.text(data, "constraint_message"), formula=formula,
            target=target, aggregate=aggregate, decimals=decimals, choices=choices, columns=columns,
            min_rows=self.number(data, "min_rows", integer=True) or 0,
            max_rows=self.number(data, "max_rows", integer=True) or 200,
            children=children, path=path, line=data.pos.line, evidence=evidence,
            wants_evidence=(evidence or inherited) and kind != "section" and formula is None,
            row_rules=row_rules,
            computed_columns=self.check_column_cycles(key or "", columns, self.column_pos),
        )

    def decimals(self, data: LocDict, kind: str | None, category: str | None) -> int | None:
        """`decimals:` (0–6) on a number item: how its figures are rounded on every channel."""
        decimals = self.number(data, "decimals", integer=True)
        if decimals is None:
            return None
        if category != NUMERIC and kind is not None:
            self.add(data.key_pos["decimals"], Code.DECIMALS_NOT_ALLOWED, kind=kind)
            return None
        if not 0 <= decimals <= MAX_DECIMALS:
            self.add(data.value_pos["decimals"], Code.BAD_DECIMALS, value=decimals)
            return None
        return int(decimals)

    def name(self, data: LocDict, kind: str | None, label: str | None) -> str | None:
        name = data.get("name")
        if name is None:
            if kind not in (None, "section"):
                self.add(data.pos, Code.MISSING_NAME, label=label or "?")
            return None
        name = str(name)
        pos = data.value_pos["name"]
        if not NAME_RE.match(name) or name in RESERVED_NAMES:
            self.add(pos, Code.BAD_NAME, name=name)
            return None
        if name in self.names:
            self.add(pos, Code.DUPLICATE_NAME, name=name, first=self.names[name].line)
            return None
        self.names[name] = pos
        self.kinds_by_name[name] = CATEGORY.get(kind or "", "section")
        return name

    def columns(self, data: LocDict, kind: str | None, name: str) -> tuple[Column, ...]:
        value = data.get("columns")
        if kind != "table":
            if value is not None:
                self.add(data.key_pos["columns"], Code.COLUMNS_NOT_ALLOWED)
            return ()
        if not isinstance(value, LocList) or not value:
            self.add(data.value_pos.get("columns", data.pos), Code.MISSING_COLUMNS, name=name)
            return ()
        out: list[Column] = []
        seen: dict[str, Pos] = {}
        self.column_pos = seen
        self.table_columns[name] = categories = {}
        for entry, pos in zip(value, value.item_pos, strict=True):
            if not isinstance(entry, LocDict):
                self.add(pos, Code.NOT_A_MAPPING, what="Mỗi cột")
                continue
            self.unknown_keys(entry, COLUMN_KEYS, "cột")
            col_kind = self.kind(entry, tuple(KINDS))
            col_name = entry.get("name")
            label = self.text(entry, "label")
            if not label:
                self.add(entry.pos, Code.EMPTY_LABEL)
            if col_name is None:
                self.add(entry.pos, Code.MISSING_NAME, label=label or "?")
                continue
            col_name = str(col_name)
            if not NAME_RE.match(col_name) or col_name in RESERVED_NAMES:
                self.add(entry.value_pos["name"], Code.BAD_NAME, name=col_name)
                continue
            if col_name in seen:
                self.add(entry.value_pos["name"], Code.DUPLICATE_NAME, name=col_name,
                         first=seen[col_name].line)
                continue
            seen[col_name] = entry.value_pos["name"]
            choices = self.choices(entry, col_kind or "", col_name)
            if col_kind is None:
                continue
            categories[col_name] = CATEGORY[col_kind]
            formula = self.column_formula(entry, name, col_kind)
            out.append(Column(
                key=col_name, kind=col_kind, label=label or "", unit=self.text(entry, "unit"),
                hint=self.text(entry, "hint"), required=self.boolean(entry, "required"),
                min=self.number(entry, "min"), max=self.number(entry, "max"), choices=choices,
                line=entry.pos.line, formula=formula,
            ))
        return tuple(out)

    def aggregate(self, data: LocDict, kind: str | None, category: str | None,
                  formula: Expr | None) -> str | None:
        if kind is None or category is None:
            return None
        value = data.get("aggregate")
        over_rows = formula is not None and formula.reads_tables
        if value is None:
            if kind == "section":
                return None
            if over_rows:  # a total has no rows to count: the units' values are added up
                return "sum"
            return "formula" if formula is not None else KINDS[kind].default_aggregate \
                if kind in KINDS else "stack"
        allowed = AGGREGATES.get(category, ())
        if value not in allowed:
            self.add(data.value_pos["aggregate"], Code.BAD_AGGREGATE, value=value, kind=kind,
                     allowed=", ".join(allowed) or "(không có)")
            return None
        if value == "formula" and formula is None:
            self.add(data.value_pos["aggregate"], Code.FORMULA_AGGREGATE)
            return None
        if value == "formula" and over_rows:
            self.add(data.value_pos["aggregate"], Code.TABLE_FORMULA_AGGREGATE)
            return None
        return str(value)


def computed_order(outline: Outline) -> list[Item]:
    """Computed items ordered so each formula's inputs are computed before it (once per
    outline: validation asks for it on every submission)."""
    return per_outline("computed_order", outline, _computed_order)


def _computed_order(outline: Outline) -> list[Item]:
    computed = {item.field_key: item for item in outline.fields() if item.formula is not None}
    order: list[Item] = []
    done: set[str] = set()

    def visit(key: str) -> None:
        if key in done:
            return
        done.add(key)
        formula = computed[key].formula
        assert formula is not None  # `computed` holds computed items only
        for dep in sorted(formula.names()):
            if dep in computed:
                visit(dep)
        order.append(computed[key])

    for key in computed:
        visit(key)
    return order


def kinds_of(outline: Outline) -> Mapping[str, str]:
    """key → category, as the expression checker wants it."""
    return {item.key: CATEGORY[item.kind] for item in outline.fields() if item.key}
