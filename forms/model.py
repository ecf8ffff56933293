"""The outline model: frozen dataclasses built once by the loader, shared by every channel."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forms.expr import Expr

BULLETS = frozenset({"-", "+", "–", "—", "*", "•"})


@dataclass(frozen=True)
class Choice:
    name: str
    label: str


@dataclass(frozen=True)
class Target:
    """A chỉ tiêu: `op` is one of >=, >, <=, <, =, != and `expr` the right-hand side."""

    source: str
    op: str
    expr: Expr

    @property
    def symbol(self) -> str:
        """The comparison as printed: ≥, ≤, ≠, >, <, =."""
        return {">=": "≥", "<=": "≤", "!=": "≠"}.get(self.op, self.op)

    def constant(self) -> object | None:
        """The value compared against when it names no item ("≥ 95", "≥ 90 + 5", "= true"),
        evaluated by the expression engine; None when the target depends on other items. The
        one reading of a constant target (charts draw it, spreadsheets colour by it)."""
        if self.expr.names() or self.expr.uses_self:
            return None
        return self.expr.evaluate({})


@dataclass(frozen=True, kw_only=True)
class ValueSpec:
    """What a value item and a table column both say about the value they hold. Keyword-only,
    so each subclass keeps its own leading fields positional."""

    unit: str | None = None
    hint: str | None = None
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[Choice, ...] = ()
    line: int = 0
    formula: Expr | None = None  # computed: from other items, or in a table from its row

    @property
    def is_computed(self) -> bool:
        return self.formula is not None


@dataclass(frozen=True)
class Column(ValueSpec):
    """A column of a repeating table: a scalar field without children."""

    key: str
    kind: str
    label: str


@dataclass(frozen=True)
class Item(ValueSpec):
    """A node of the outline: a section heading or a value item, possibly with children."""

    kind: str
    key: str | None
    number: str
    label: str
    constraint: Expr | None = None
    constraint_message: str | None = None
    target: Target | None = None
    aggregate: str | None = None
    decimals: int | None = None  # `decimals:` as written: how a figure of the item is rounded
    columns: tuple[Column, ...] = ()
    min_rows: int = 0
    max_rows: int = 200
    children: tuple[Item, ...] = ()
    path: tuple[str, ...] = ()  # numbers of the ancestors, outermost first
    evidence: bool = False  # `evidence: true` as written on this item or section
    wants_evidence: bool = False  # written here or on an enclosing section; never computed
    row_rules: tuple[Rule, ...] = ()  # a table's rules, judged in each of its rows
    #: A table's computed columns in the order a row is worked out (each after what it reads).
    computed_columns: tuple[str, ...] = ()

    @property
    def is_section(self) -> bool:
        return self.kind == "section"

    @property
    def is_table(self) -> bool:
        """A repeating table: its rows hold values of its columns' kinds, not one value."""
        return self.kind == "table"

    @property
    def field_key(self) -> str:
        """The key of a value item. A loaded outline refuses a value item without a name
        (MISSING_NAME), so only a section heading can lack one; asking a section is a bug."""
        if self.key is None:
            raise ValueError(f"{self.kind} {self.ref!r} has no key")
        return self.key

    @property
    def ref(self) -> str:
        """Where the item stands, as a reader of the printed outline would say it."""
        numbers = [n for n in (*self.path, self.number) if n and n not in BULLETS]
        place = " ".join(numbers)
        return f"{place} {self.label}".strip() if place else self.label

    def walk(self) -> Iterator[Item]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Rule:
    name: str
    expr: Expr
    message: str
    severity: str = "error"  # "error" blocks submission, "warning" is shown only
    items: tuple[str, ...] = ()  # keys the message attaches to
    line: int = 0


@dataclass(frozen=True)
class Period:
    """The span a report covers, as the outline states it (`period:`); every part optional."""

    start: date | None = None
    end: date | None = None
    label: str | None = None


@dataclass(frozen=True)
class Outline:
    """One version of a report outline, immutable once loaded: every channel and process shares
    it. Its item index is built once here; what a channel derives from it is kept by
    `forms.derived`, not written onto it."""

    id: str
    version: int
    title: str
    items: tuple[Item, ...]
    rules: tuple[Rule, ...] = ()
    issuer: str | None = None
    note: str | None = None
    period: Period = field(default_factory=Period)
    deadline: date | None = None
    source: str | None = None  # the file it was loaded from, for messages
    _index: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)
    _fields: list[Item] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Built once: every channel asks for the fields of every submission it reads.
        for item in self.walk():
            if item.key:
                self._index[item.key] = item
            if not item.is_section:
                self._fields.append(item)

    def walk(self) -> Iterator[Item]:
        """Every node, depth first, in outline order."""
        for item in self.items:
            yield from item.walk()

    def fields(self) -> list[Item]:
        """The value items (everything but section headings), in outline order."""
        return list(self._fields)

    def item(self, key: str) -> Item:
        return self._index[key]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    @property
    def keys(self) -> list[str]:
        return [item.key for item in self._fields if item.key]

    def as_dict(self) -> dict[str, Any]:
        """The listing `decuong outlines show --json` prints."""
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "issuer": self.issuer,
            "items": [
                {
                    "key": item.key,
                    "number": item.number,
                    "ref": item.ref,
                    "label": item.label,
                    "kind": item.kind,
                    "unit": item.unit,
                    "required": item.required,
                    "choices": [{"name": c.name, "label": c.label} for c in item.choices],
                    "formula": item.formula.source if item.formula else None,
                    "target": item.target.source if item.target else None,
                    "aggregate": item.aggregate,
                    "evidence": item.wants_evidence,
                    "row_rules": [
                        {"name": r.name, "constraint": r.expr.source, "message": r.message,
                         "severity": r.severity}
                        for r in item.row_rules
                    ],
                    "columns": [
                        {"key": c.key, "label": c.label, "kind": c.kind, "unit": c.unit,
                         "required": c.required,
                         "formula": c.formula.source if c.formula else None}
                        for c in item.columns
                    ],
                }
                for item in self.fields()
            ],
            "rules": [
                {"name": r.name, "constraint": r.expr.source, "message": r.message,
                 "severity": r.severity}
                for r in self.rules
            ],
        }


#: Fields that say where an outline was written, not what it says.
_PLACE_FIELDS = frozenset({"line", "source"})


def same_content(a: Outline, b: Outline, *, ignore_version: bool = False) -> bool:
    """Whether two loaded outlines say the same thing, however they were written.

    Both are compared after loading, so every default is applied (a spreadsheet writes out
    `severity: error` and `aggregate: formula`, YAML leaves them out), expressions compare by
    their tree, and only where things were written (line numbers, the file name) is ignored.
    This is how an outline downloaded as a spreadsheet and uploaded unchanged is recognised
    as the version it came from rather than kept as a new one.
    """
    if ignore_version and a.version != b.version:
        return _equal(replace(a, version=b.version), b)
    return _equal(a, b)


def _equal(a: Any, b: Any) -> bool:
    if is_dataclass(a) and not isinstance(a, type):
        if type(a) is not type(b):
            return False
        return all(_equal(getattr(a, f.name), getattr(b, f.name)) for f in fields(a)
                   if f.compare and f.name not in _PLACE_FIELDS)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
