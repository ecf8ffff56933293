"""Workbook → YAML outline, checked by the one checker, problems reported by sheet and cell.

The YAML is written here line by line (each scalar dumped by PyYAML, so quoting is right) and
every line remembers the cell it came from. The checker's file:line:column then maps straight
back to "survey!C12", and the author reads the checker's own message at the cell to fix. There
is no second checker to keep in step with the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from forms.errors import Code, OutlineProblem
from forms.kinds.base import is_empty
from forms.loader import check_outline
from forms.spreadsheet.layout import CHOICES, RULES, SETTINGS, SURVEY, cell_ref
from forms.spreadsheet.problems import SheetProblem
from forms.spreadsheet.reader import Field, Node, Origin, Workbook, read

#: Problems the checker places at a whole mapping, and the column that should be filled instead.
COLUMN_FOR_CODE = {Code.MISSING_NAME: "name", Code.EMPTY_LABEL: "label",
                   Code.MISSING_CHOICES: "type", Code.MISSING_COLUMNS: "type"}
SETTINGS_KEYS = ("id", "version", "title")
LINE_REF = re.compile(r"dòng (\d+)")
KEY_IN_MESSAGE = re.compile(r"'([a-z_]+)'")
SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _plain_char(char: str) -> bool:
    """A character YAML prints as itself on one line (printable and not a line break)."""
    code = ord(char)
    return (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or code >= 0x10000) and char not in "\u2028\u2029"


def _double_quoted(text: str) -> str:
    """A YAML double-quoted scalar with every line break and control character escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif _plain_char(char):
            out.append(char)
        elif char in SHORT_ESCAPES:
            out.append(SHORT_ESCAPES[char])
        else:
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def scalar(value: Any) -> str:
    """One YAML scalar on one line, quoted only when YAML needs it."""
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, str) and not all(map(_plain_char, value)):
        return _double_quoted(value)  # line breaks, tabs, control characters
    text = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_flow_style=True)
    text = text.removesuffix("\n...\n").removesuffix("\n")
    if "\n" in text:  # pragma: no cover - defensive: PyYAML folded a line after all
        return _double_quoted(str(value))
    return text


@dataclass
class YamlWriter:
    """Lines of YAML and, for each, the cell it came from."""

    lines: list[str] = field(default_factory=list)
    origins: list[Origin | None] = field(default_factory=list)

    def add(self, text: str, origin: Origin | None) -> None:
        self.lines.append(text)
        self.origins.append(origin)

    def fields(self, fields: list[Field], indent: int) -> None:
        for f in fields:
            self.add(f"{' ' * indent}{f.key}: {scalar(f.value)}", f.origin)

    def node(self, node: Node, indent: int) -> None:
        """`- key: value` lines of one mapping in a list, then its nested lists."""
        pad = " " * (indent + 2)
        lines: list[tuple[str, Origin]] = [(f"{f.key}: {scalar(f.value)}", f.origin)
                                           for f in node.fields]
        nested = [(key, children) for key, children in (("columns", node.columns),
                                                         ("row_rules", node.row_rules),
                                                         ("items", node.items)) if children]
        if not lines and not nested:
            self.add(f"{' ' * indent}- {{}}", node.origin)
            return
        first = True
        for text, origin in lines:
            self.add(f"{' ' * indent}- {text}" if first else f"{pad}{text}", origin)
            first = False
        for key, children in nested:
            self.add(f"{' ' * indent}- {key}:" if first else f"{pad}{key}:", node.origin)
            first = False
            for child in children:
                self.node(child, indent + 4)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def write_yaml(book: Workbook) -> YamlWriter:
    """The outline YAML in outline-format order: settings, period, choices, items, rules."""
    out = YamlWriter()
    rules = _place_row_rules(book)
    out.fields([f for f in book.settings if f.key != "deadline"], 0)
    if book.period:
        out.add("period:", book.period[0].origin)
        out.fields(book.period, 2)
    out.fields([f for f in book.settings if f.key == "deadline"], 0)
    if book.choices:
        out.add("choices:", book.choices[0].origin)
        for choice_list in book.choices:
            out.add(f"  {scalar(choice_list.name)}:", choice_list.origin)
            for entry in choice_list.entries:
                out.node(entry, 4)
    if book.items:
        out.add("items:", book.items[0].origin)
        for node in book.items:
            out.node(node, 2)
    if rules:
        out.add("rules:", rules[0].origin)
        for node in rules:
            out.node(node, 2)
    return out


def _place_row_rules(book: Workbook) -> list[Node]:
    """Put each rule with a `table` under that table as one of its `row_rules`; return the
    outline's own rules (and any naming no table of the survey, which the checker then reports
    at its `table` cell as a key a rule does not have)."""
    tables: dict[Any, Node] = {}
    stack = list(book.items)
    while stack:
        node = stack.pop()
        if node.columns is not None:
            tables[node.get("name")] = node
        stack.extend(node.items or [])
    own: list[Node] = []
    for rule in book.rules:
        table = tables.get(rule.get("table")) if rule.get("table") is not None else None
        if table is None:
            own.append(rule)
            continue
        fields = [f for f in rule.fields if f.key != "table"]
        table.row_rules = [*(table.row_rules or []), Node(rule.origin, fields)]
    return own


def _sort_settings(book: Workbook) -> None:
    order = ("id", "version", "title", "issuer", "note", "deadline")
    book.settings.sort(key=lambda f: order.index(f.key))
    book.period.sort(key=lambda f: ("start", "end", "label").index(f.key))


def import_workbook(source: str | Path | bytes | BinaryIO) -> tuple[str, list[SheetProblem]]:
    """Read a workbook outline; return its YAML text and every problem, located by cell.

    The YAML is returned even when there are problems (it shows what was understood); an
    outline with problems must not be saved or used. `source` is a path, the file's bytes or a
    binary file object.
    """
    if isinstance(source, (str, Path)):
        data = Path(source).read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    book = read(data)
    if SURVEY not in book.sheets:
        return "", _sorted(book, book.problems)
    _sort_settings(book)
    out = write_yaml(book)
    text = out.text
    problems = list(book.problems)
    taken = {(p.sheet, p.row, p.col) for p in problems}
    for problem in check_outline(text, filename="<workbook>"):
        located = _locate(problem, out, book)
        if located is None or (located.sheet, located.row, located.col) in taken:
            continue
        problems.append(located)
    return text, _sorted(book, problems)


def _locate(problem: OutlineProblem, out: YamlWriter, book: Workbook) -> SheetProblem | None:
    """The checker's problem at the cell its YAML line came from, YAML line numbers in the
    message replaced by cells. None for a problem the workbook already explains."""
    origin = out.origins[problem.line - 1] if 0 < problem.line <= len(out.origins) else None
    code = problem.code
    if code is Code.MISSING_KEY:
        key = (KEY_IN_MESSAGE.findall(problem.message) or [""])[0]
        if key in SETTINGS_KEYS:
            info = book.sheets.get(SETTINGS)
            if info is None:
                return None  # MISSING_SETTINGS already says it
            origin = Origin(info, 1, info.cols.get(key, info.free_col))
        elif key == "items":
            info = book.sheets[SURVEY]
            origin = Origin(info, 1, info.cols.get("type", 0))
        elif origin is not None:
            origin = origin.at(key)
    elif code is Code.BAD_CHOICE and origin is not None:
        empty = is_empty(origin.info.value(origin.row, "name"))
        origin = origin.at("name" if empty else "label")
    elif code in COLUMN_FOR_CODE and origin is not None:
        origin = origin.at(COLUMN_FOR_CODE[code])
    if origin is None:
        info = book.sheets[SURVEY]
        origin = Origin(info, 0, 0)

    def cell_of(match: re.Match[str]) -> str:
        line = int(match[1])
        first = out.origins[line - 1] if 0 < line <= len(out.origins) else None
        if first is None:
            return match[0]
        return f"{first.info.name}!{cell_ref(first.row, first.col)}"

    message = LINE_REF.sub(cell_of, problem.message)
    return SheetProblem(origin.info.name, origin.row, origin.col, code.name, message)


def _sorted(book: Workbook, problems: list[SheetProblem]) -> list[SheetProblem]:
    """Sheet by sheet (survey, choices, settings, rules, others), then row and column."""
    canonical = (SURVEY, CHOICES, SETTINGS, RULES)
    names = {key: rank for rank, key in enumerate(canonical)}
    names.update({book.sheets[key].name: rank for rank, key in enumerate(canonical)
                  if key in book.sheets})
    seen: set[str] = set()
    out = []
    for p in sorted(problems, key=lambda p: (names.get(p.sheet or "", 9), p.sheet or "",
                                             -1 if p.row is None else p.row,
                                             -1 if p.col is None else p.col)):
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out
