"""The first layer of the outline loader (see `forms.loader`): collect problems, and read the
plain values of a mapping (text, dates, booleans, numbers, the period) and the choice lists, each
at its file:line:column. Never stops at the first problem."""

from __future__ import annotations

from datetime import date
from typing import Any

from forms.errors import Code, OutlineProblem, did_you_mean
from forms.expr import Expr
from forms.kinds import KINDS
from forms.model import Choice, Period
from forms.yaml_source import LocDict, LocList, Pos

PERIOD_KEYS = ("start", "end", "label")


class Reader:
    """Problems and plain values; `forms.loader._Builder` builds the items on top of it."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[OutlineProblem] = []
        self.names: dict[str, Pos] = {}
        self.kinds_by_name: dict[str, str] = {}  # item name → category, for the expressions
        self.choice_lists: dict[str, tuple[Choice, ...]] = {}
        # Expressions are checked once every item is known: (expr, pos, self kind, column offset).
        # Expressions read in a table's row also carry (table, whether only its columns count).
        self.pending_exprs: list[tuple[Expr, Pos, str | None, int, tuple[str, bool] | None]] = []
        self.table_columns: dict[str, dict[str, str]] = {}  # table → column → category
        self.column_pos: dict[str, Pos] = {}  # the current table's columns, for messages
        self.formulas: dict[str, tuple[Expr, Pos]] = {}

    # -- problems --------------------------------------------------------------------------
    def add(self, pos: Pos, code: Code, **args: Any) -> None:
        message = code.text(**args)
        self.problems.append(OutlineProblem(self.filename, pos.line, pos.column, code, message))

    # -- scalar helpers --------------------------------------------------------------------
    def unknown_keys(self, data: LocDict, allowed: tuple[str, ...], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.add(data.key_pos[key], Code.UNKNOWN_KEY, key=key, where=where,
                         hint=did_you_mean(key, allowed))

    def text(self, data: LocDict, key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            self.add(data.value_pos[key], Code.BAD_TEXT, key=key)
            return None
        return " ".join(str(value).split()) if key in ("label", "title") else str(value).strip()

    def date(self, data: LocDict, key: str) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.add(data.value_pos[key], Code.BAD_DATE, value=value, key=key)
            return None

    def boolean(self, data: LocDict, key: str) -> bool:
        value = data.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.add(data.value_pos[key], Code.BAD_BOOL, key=key, value=value)
            return False
        return value

    def number(self, data: LocDict, key: str, *, integer: bool = False) -> Any:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, date) and not integer:
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                integer and not isinstance(value, int)):
            self.add(data.value_pos[key], Code.BAD_NUMBER, key=key, value=value)
            return None
        return value

    def period(self, data: LocDict) -> Period:
        value = data.get("period")
        if value is None:
            return Period()
        if not isinstance(value, LocDict):
            self.add(data.value_pos["period"], Code.NOT_A_MAPPING, what="'period'")
            return Period()
        self.unknown_keys(value, PERIOD_KEYS, "'period'")
        return Period(self.date(value, "start"), self.date(value, "end"), self.text(value, "label"))

    # -- choices ---------------------------------------------------------------------------
    def read_choice_lists(self, data: LocDict) -> None:
        lists = data.get("choices")
        if lists is None:
            return
        if not isinstance(lists, LocDict):
            self.add(data.value_pos["choices"], Code.NOT_A_MAPPING, what="'choices'")
            return
        for name, entries in lists.items():
            self.choice_lists[name] = self.choice_entries(entries, lists.value_pos[name])

    def choice_entries(self, entries: Any, pos: Pos) -> tuple[Choice, ...]:
        if not isinstance(entries, LocList):
            self.add(pos, Code.NOT_A_LIST, what="Danh sách lựa chọn")
            return ()
        seen: set[str] = set()
        out = []
        for entry, entry_pos in zip(entries, entries.item_pos, strict=True):
            if not (isinstance(entry, LocDict) and entry.get("name") is not None
                    and entry.get("label") is not None):
                self.add(entry_pos, Code.BAD_CHOICE)
                continue
            name = str(entry["name"])
            if name in seen:
                self.add(entry_pos, Code.DUPLICATE_CHOICE, name=name)
            seen.add(name)
            out.append(Choice(name, " ".join(str(entry["label"]).split())))
        return tuple(out)

    def choices(self, data: LocDict, kind: str, name: str) -> tuple[Choice, ...]:
        value = data.get("choices")
        value_kind = KINDS.get(kind)
        if value_kind is None or not value_kind.has_choices:
            if value is not None:
                listed = [f"'{name}'" for name, k in KINDS.items() if k.has_choices]
                self.add(data.key_pos["choices"], Code.CHOICES_NOT_ALLOWED,
                         kinds=" hoặc ".join(listed))
            return ()
        if value is None:
            self.add(data.pos, Code.MISSING_CHOICES, name=name)
            return ()
        if isinstance(value, str):
            if value not in self.choice_lists:
                self.add(data.value_pos["choices"], Code.UNKNOWN_CHOICES, value=value,
                         hint=did_you_mean(value, self.choice_lists))
                return ()
            found = self.choice_lists[value]
        else:
            found = self.choice_entries(value, data.value_pos["choices"])
        if not found:
            self.add(data.value_pos["choices"], Code.MISSING_CHOICES, name=name)
        return found
