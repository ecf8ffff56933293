"""Read a workbook outline into located YAML-shaped nodes, with the problems only a workbook has.

Nothing here judges the outline itself (names, formulas, targets…): the one checker does that
on the YAML this produces. The reader only turns rows into mappings, remembering the cell each
value came from, and reports what the checker cannot see: sheets, header cells, `type` words
and the balance of `begin_…`/`end_…` rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from forms.errors import did_you_mean
from forms.excel.errors import FRESH_TEMPLATE_ADVICE, ExcelError
from forms.excel.reader import read_workbook
from forms.kinds import KINDS, VALUE_KINDS
from forms.kinds.base import is_empty
from forms.spreadsheet.cell_values import cell_text, convert, fold
from forms.spreadsheet.layout import (
    BEGIN_GROUP,
    BEGIN_REPEAT,
    CHOICES,
    COLUMN_ALIASES,
    COLUMNS,
    END_GROUP,
    END_REPEAT,
    RULES,
    SETTINGS,
    SHEET_ALIASES,
    STRUCTURE,
    SURVEY,
    cell_ref,
)
from forms.spreadsheet.problems import SheetProblem, sheet_problem

#: What the `type` column accepts, for "did you mean" and the list in the message.
TYPE_WORDS: tuple[str, ...] = (*VALUE_KINDS, *STRUCTURE)
#: Kinds written with their choice list's name after them (`select_one muc_do`).
CHOOSING = frozenset(name for name, kind in KINDS.items() if kind.has_choices)
#: Words of the YAML format or of XLSForm that have another spelling here.
TYPE_SYNONYMS = {"section": BEGIN_GROUP, "group": BEGIN_GROUP, "table": BEGIN_REPEAT,
                 "repeat": BEGIN_REPEAT, "note": "long_text", "int": "integer"}
REQUIRED_COLUMNS = {SURVEY: ("type",), CHOICES: ("list_name", "name", "label"),
                    RULES: ("name", "constraint", "message"), SETTINGS: ()}
#: The Excel upload channel's advice, which does not fit an outline workbook.
FRESH = FRESH_TEMPLATE_ADVICE


@dataclass(frozen=True)
class SheetInfo:
    """A recognised sheet: its real name, its rows and where each known column is."""

    name: str
    rows: list[list[Any]]
    cols: dict[str, int]
    free_col: int  # the first column right of the header, where a missing one could go

    def cell(self, row: int, col: int) -> Any:
        cells = self.rows[row] if row < len(self.rows) else []
        return cells[col] if col < len(cells) else ""

    def value(self, row: int, key: str) -> Any:
        col = self.cols.get(key)
        return "" if col is None else self.cell(row, col)


@dataclass(frozen=True)
class Origin:
    """The cell a YAML line came from; `info` lets a problem move to another column of the row."""

    info: SheetInfo
    row: int
    col: int

    def at(self, key: str) -> Origin:
        """The same row's cell of column `key` (the free column if the sheet lacks it)."""
        return Origin(self.info, self.row, self.info.cols.get(key, self.info.free_col))


@dataclass
class Field:
    key: str
    value: Any
    origin: Origin


@dataclass
class Node:
    """One YAML mapping built from one row; `items`/`columns` hold the rows nested in it."""

    origin: Origin
    fields: list[Field] = field(default_factory=list)
    columns: list[Node] | None = None
    items: list[Node] | None = None
    row_rules: list[Node] | None = None  # a table's rules judged in each row

    def get(self, key: str) -> Any:
        return next((f.value for f in self.fields if f.key == key), None)


@dataclass
class ChoiceList:
    name: str
    origin: Origin
    entries: list[Node] = field(default_factory=list)


@dataclass
class Workbook:
    """What the reader found: sheets by canonical name, and the located pieces of the outline."""

    sheets: dict[str, SheetInfo] = field(default_factory=dict)
    settings: list[Field] = field(default_factory=list)
    period: list[Field] = field(default_factory=list)
    choices: list[ChoiceList] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)
    rules: list[Node] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)


def read(data: bytes) -> Workbook:
    """Read the workbook bytes; never raises for a bad workbook (problems are collected)."""
    book = Workbook()
    try:
        upload = read_workbook(data)
    except ExcelError as exc:
        for problem in exc.problems:  # the Excel channel's words, minus its upload advice
            detail = problem.message.replace(FRESH, "").strip()
            book.problems.append(sheet_problem("NOT_A_WORKBOOK", problem.sheet, detail=detail))
        return book
    found: dict[str, str] = {}
    suggested: set[str] = set()
    unknown: list[str] = []
    for name in upload.sheet_names:
        canonical = next((key for key, aliases in SHEET_ALIASES.items()
                          if fold(name) in aliases), None)
        if canonical is None:
            unknown.append(name)
        elif canonical in found:
            book.problems.append(sheet_problem("DUPLICATE_SHEET", name, name=name,
                                               first=found[canonical]))
        else:
            found[canonical] = name
    every_alias = [alias for aliases in SHEET_ALIASES.values() for alias in aliases]
    for name in unknown:
        hint = did_you_mean(fold(name), every_alias)
        if hint:  # other sheets (notes, instructions) are the author's business
            book.problems.append(sheet_problem("UNKNOWN_SHEET", name, name=name, hint=hint))
            close = hint.split("'")[1]
            suggested.update(key for key, aliases in SHEET_ALIASES.items() if close in aliases)
    if SURVEY not in found:
        if SURVEY not in suggested:
            book.problems.append(sheet_problem("MISSING_SURVEY", SURVEY, hint=""))
        return book
    for canonical, name in found.items():
        rows = upload.rows(name)
        book.sheets[canonical] = _header(canonical, name, rows, book.problems)
    if SETTINGS not in found and SETTINGS not in suggested:
        book.problems.append(sheet_problem("MISSING_SETTINGS", SETTINGS, hint=""))
    _Survey(book).read()
    _read_choices(book)
    _read_settings(book)
    _read_rules(book)
    return book


def _header(canonical: str, name: str, rows: list[list[Any]],
            problems: list[SheetProblem]) -> SheetInfo:
    known = COLUMNS[canonical]
    aliases = COLUMN_ALIASES[canonical]
    cols: dict[str, int] = {}
    header = rows[0] if rows else []
    last = -1
    for col, raw in enumerate(header):
        if is_empty(raw):
            continue
        last = col
        word = fold(raw)
        key = aliases.get(word, word)
        if key not in known:
            problems.append(sheet_problem(
                "UNKNOWN_COLUMN", name, 0, col, name=str(raw).strip(), sheet=name,
                hint=did_you_mean(key, known), columns=", ".join(known)))
        elif key in cols:
            problems.append(sheet_problem("DUPLICATE_COLUMN", name, 0, col, name=key,
                                          first=f"{name}!{cell_ref(0, cols[key])}"))
        else:
            cols[key] = col
    info = SheetInfo(name, rows, cols, last + 1)
    has_data = any(not is_empty(v) for row in rows[1:] for v in row)
    if has_data:
        for key in REQUIRED_COLUMNS[canonical]:
            if key not in cols:
                problems.append(sheet_problem("MISSING_COLUMN", name, 0, last + 1, sheet=name,
                                              name=key))
    return info


def _ref(origin: Origin) -> str:
    return cell_ref(origin.row, origin.col)


def _fields(info: SheetInfo, row: int, keys: tuple[str, ...]) -> list[Field]:
    out = []
    for key in keys:
        col = info.cols.get(key)
        if col is None:
            continue
        value = info.cell(row, col)
        if is_empty(value):
            continue
        value = convert(key, value)
        if value is False and key in ("required", "evidence"):
            continue
        out.append(Field(key, value, Origin(info, row, col)))
    return out


def _blank(info: SheetInfo, row: int) -> bool:
    return all(is_empty(info.cell(row, col)) for col in info.cols.values())


# -- survey ----------------------------------------------------------------------------------
@dataclass
class _Frame:
    begin: str  # BEGIN_GROUP or BEGIN_REPEAT
    node: Node
    origin: Origin


ITEM_FIELDS = ("name", "number", "label", "unit", "hint", "required", "min", "max",
               "constraint", "constraint_message", "calculation", "target", "aggregate",
               "decimals", "min_rows", "max_rows", "evidence")


class _Survey:
    """Rows of the survey sheet → nested nodes, following begin/end rows with a stack."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.info = book.sheets[SURVEY]
        self.stack: list[_Frame] = []

    def problem(self, code: str, origin: Origin, **args: Any) -> None:
        self.book.problems.append(sheet_problem(code, origin.info.name, origin.row, origin.col,
                                                **args))

    def container(self) -> list[Node] | None:
        if not self.stack:
            return self.book.items
        top = self.stack[-1]
        return top.node.columns if top.begin == BEGIN_REPEAT else top.node.items

    def read(self) -> None:
        info = self.info
        type_col = info.cols.get("type")
        if type_col is None:
            return
        for row in range(1, len(info.rows)):
            if _blank(info, row):
                continue
            origin = Origin(info, row, type_col)
            raw = info.cell(row, type_col)
            if is_empty(raw):
                self.problem("MISSING_TYPE", origin)
                continue
            self.row(row, origin, cell_text(raw))
        for frame in self.stack:
            end = END_REPEAT if frame.begin == BEGIN_REPEAT else END_GROUP
            self.problem("UNCLOSED", frame.origin, begin=frame.begin, end=end)

    def row(self, row: int, origin: Origin, type_text: str) -> None:
        words = type_text.split()
        head = words[0].casefold()
        if head in ("begin", "end") and len(words) > 1 and words[1].casefold() in ("group",
                                                                                  "repeat"):
            head = f"{head}_{words[1].casefold()}"  # XLSForm also writes "begin group"
            words = words[1:]
        rest = words[1:]
        if head in (END_GROUP, END_REPEAT):
            self.end(head, origin)
            return
        node = Node(origin)
        if head == BEGIN_REPEAT and not rest:
            kind_fields: list[Field] | None = [Field("type", "table", origin)]
            node.columns = []
        elif head == BEGIN_GROUP:
            kind_fields = [Field("type", "section", origin)] if not rest else \
                self.kind(rest, origin)
            node.items = []
        else:
            kind_fields = self.kind(words, origin)
        if kind_fields is None:
            return
        node.fields = [*kind_fields, *_fields(self.info, row, ITEM_FIELDS)]
        choices = [f for f in node.fields if f.key == "choices"]
        node.fields = [f for f in node.fields if f.key != "choices"]
        order = ("type", "name", "number", "label", "unit", "hint", "required", "min", "max",
                 "constraint", "constraint_message", "calculation", "target", "aggregate",
                 "decimals")
        node.fields.sort(key=lambda f: order.index(f.key) if f.key in order else len(order))
        at = next((i for i, f in enumerate(node.fields) if f.key in ("min_rows", "max_rows")),
                  len(node.fields))
        node.fields[at:at] = choices
        target = self.container()
        in_repeat = bool(self.stack) and self.stack[-1].begin == BEGIN_REPEAT
        if head in (BEGIN_GROUP, BEGIN_REPEAT):
            if in_repeat:
                self.problem("GROUP_IN_REPEAT", origin, begin=head)
                target = None
            self.stack.append(_Frame(head, node, origin))
        if target is not None:
            target.append(node)

    def kind(self, words: list[str], origin: Origin) -> list[Field] | None:
        """`integer`, `select_one LIST` …: the type field (and the choices one), or None."""
        kind = words[0].casefold()
        if kind in CHOOSING:
            fields = [Field("type", kind, origin)]
            if len(words) > 1:
                fields.append(Field("choices", " ".join(words[1:]), origin))
            return fields
        if kind in VALUE_KINDS and len(words) == 1:
            return [Field("type", kind, origin)]
        shown = " ".join(words)
        hint = f" Có phải ý bạn là '{TYPE_SYNONYMS[kind]}'?" if kind in TYPE_SYNONYMS \
            else did_you_mean(kind, TYPE_WORDS)
        kinds = [f"{k} <list_name>" if k in CHOOSING else k for k in TYPE_WORDS]
        self.problem("UNKNOWN_TYPE", origin, kind=shown, hint=hint, kinds=", ".join(kinds))
        return [Field("type", shown, origin)]  # keep the row so its name stays known

    def end(self, head: str, origin: Origin) -> None:
        begin = BEGIN_REPEAT if head == END_REPEAT else BEGIN_GROUP
        if not self.stack:
            self.problem("END_WITHOUT_BEGIN", origin, end=head, begin=begin)
            return
        frame = self.stack.pop()
        if frame.begin != begin:
            expected = END_REPEAT if frame.begin == BEGIN_REPEAT else END_GROUP
            self.problem("END_MISMATCH", origin, end=head, opened=frame.begin,
                         where=f"{origin.info.name}!{_ref(frame.origin)}", expected=expected)


# -- the other sheets ------------------------------------------------------------------------
def _read_choices(book: Workbook) -> None:
    info = book.sheets.get(CHOICES)
    if info is None:
        return
    lists: dict[str, ChoiceList] = {}
    for row in range(1, len(info.rows)):
        if _blank(info, row):
            continue
        list_name = cell_text(info.value(row, "list_name"))
        if not list_name:
            if "list_name" in info.cols:
                book.problems.append(sheet_problem("MISSING_LIST_NAME", info.name, row,
                                                   info.cols["list_name"]))
            continue
        origin = Origin(info, row, info.cols["list_name"])
        if list_name not in lists:
            lists[list_name] = ChoiceList(list_name, origin)
            book.choices.append(lists[list_name])
        entry = Node(origin, _fields(info, row, ("name", "label")))
        missing = [key for key in ("name", "label") if entry.get(key) is None]
        entry.origin = origin.at(missing[0]) if missing else origin.at("name")
        lists[list_name].entries.append(entry)


def _read_settings(book: Workbook) -> None:
    info = book.sheets.get(SETTINGS)
    if info is None:
        return
    fields = _fields(info, 1, ("id", "version", "title", "issuer", "note", "period_start",
                                "period_end", "period_label", "deadline"))
    book.settings = [f for f in fields if not f.key.startswith("period_")]
    book.period = [Field(f.key.removeprefix("period_"), f.value, f.origin)
                   for f in fields if f.key.startswith("period_")]
    for row in range(2, len(info.rows)):
        if not _blank(info, row):
            book.problems.append(sheet_problem("SETTINGS_ROWS", info.name, row, 0, row=row + 1))


def _read_rules(book: Workbook) -> None:
    info = book.sheets.get(RULES)
    if info is None:
        return
    for row in range(1, len(info.rows)):
        if _blank(info, row):
            continue
        fields = _fields(info, row, ("name", "constraint", "message", "severity", "items",
                                     "table"))
        origin = Origin(info, row, info.cols.get("name", info.free_col))
        book.rules.append(Node(origin, fields))
