"""What every value kind shares: the `Parsed` result, the `Kind` base and text helpers.

A kind turns one raw value (typed in a web form, or read from a spreadsheet cell) into a stored
value, shows it back the Vietnamese way and describes it to Excel. The same code serves every
channel so that a value accepted on the web is accepted in the workbook and vice versa.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Protocol

# Characters that surround pasted text without being visible: trimmed like whitespace.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# Excel's limits on data-validation prompts (in UTF-16 code units).
TITLE_LIMIT = 32
MESSAGE_LIMIT = 255
_QUOTE_LIMIT = 40


class Spec(Protocol):
    """The parts of an `Item` or `Column` a kind looks at."""

    # Read-only properties: Item and Column are frozen dataclasses.
    @property
    def min(self) -> Any: ...
    @property
    def max(self) -> Any: ...
    @property
    def choices(self) -> Sequence[Any]: ...
    @property
    def unit(self) -> str | None: ...


@dataclass(frozen=True)
class Parsed:
    """The outcome of reading one raw value.

    `value` is None when the input was empty or has any problem (so a refused figure never
    reaches a total); `problems` holds Vietnamese sentences that quote the input without
    naming the item (the caller prefixes its number and label).
    """

    value: Any
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


EMPTY = Parsed(None, ())


def clean(text: str) -> str:
    """NFC-normalise and trim whitespace (incl. non-breaking spaces) and invisible marks.

    NFD input comes from macOS and some Vietnamese keyboards (Unikey in "Unicode tổ hợp"
    mode); without NFC the same word would compare unequal.
    """
    text = unicodedata.normalize("NFC", text)
    return text.strip().strip(_INVISIBLE).strip()


def is_empty(raw: object) -> bool:
    """None, "" and whitespace-only strings mean *no data*, never zero."""
    if raw is None:
        return True
    return isinstance(raw, str) and clean(raw) == ""


def quote(raw: object) -> str:
    """The input as the user saw it, in double quotes, shortened and made printable.

    Never raises: it is used while building the message for input that could not be read.
    """
    try:
        if isinstance(raw, bool):
            text = "TRUE" if raw else "FALSE"  # how a spreadsheet shows a boolean cell
        elif isinstance(raw, date):  # datetime too: the time is not shown
            text = f"{raw.day:02d}/{raw.month:02d}/{raw.year:04d}"
        elif isinstance(raw, float):
            text = plain_float(raw)
        elif isinstance(raw, str):
            text = clean(raw)
        else:
            text = str(raw)
    except Exception:
        text = "?"
    text = " ".join(text.split("\n")).replace("\t", " ")
    text = "".join("�" if unicodedata.category(ch) == "Cc" else ch for ch in text)
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 1].rstrip() + "…"
    return f'"{text}"'


def plain_float(value: float) -> str:
    """A float as a short Vietnamese text without thousands dots: 3.0 → 3, 3.5 → 3,5."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(value).replace(".", ",")


def fit(text: str, limit: int) -> str:
    """Shorten `text` to Excel's limit (counted in UTF-16 units), ending with an ellipsis."""
    if _utf16_len(text) <= limit:
        return text
    while _utf16_len(text) > limit - 1:
        text = text[:-1]
    return text.rstrip() + "…"


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Tally:
    """One count a consolidation keeps of a counted item's answers: how many units answered
    `answer`, in the frame column `column`, headed "<item>: `words`"; `role` tells the
    exports it is a number of units ("yes" for a yes/no, "choice" for one choice)."""

    column: str
    role: str
    words: str
    answer: Any


class Kind:
    """One value kind. Subclasses implement `_parse`; `parse` guarantees it never raises.

    Instances are immutable singletons kept in `forms.kinds.KINDS`. Every behaviour that
    differs from kind to kind is an attribute or a method here, so that no other module asks
    for a kind by its name and a new kind is one module under forms/kinds/ (its module-level
    `KIND` is found by the registry).
    """

    #: Who the kind is, said once in its class statement:
    #: `class PercentKind(NumberKind, name="percent", order=30, title="tỷ lệ %")`.
    #: `name` is what outlines write in `type:`; `order` its place in documentation order (the
    #: outline's page and `KINDS` list kinds by it); `title` its Vietnamese name there.
    name: ClassVar[str] = ""
    order: ClassVar[int] = 1000
    title: ClassVar[str] = ""
    #: What it holds for expressions and aggregation (number, text, date, bool, choice).
    category: ClassVar[str] = ""
    default_aggregate: ClassVar[str] = "none"

    def __init_subclass__(cls, *, name: str = "", order: int | None = None, title: str = "",
                          category: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for attribute, value in (("name", name), ("order", order), ("title", title),
                                 ("category", category)):
            if value:
                setattr(cls, attribute, value)

    # -- how a value is shown next to its words --
    #: The unit word every figure of this kind carries ("%"). `format` writes it itself
    #: ("95,5 %"), so an item's own `unit:` is never added after the figure again; headers,
    #: charts and year series show it when the item names no `unit:`. None: the item's
    #: `unit:` (if any) is the word.
    measure: ClassVar[str | None] = None
    #: Paragraphs, not a line: a tall merged cell in the template, a block on the pages and
    #: one paragraph per line in a unit's report.
    multiline: ClassVar[bool] = False
    #: How a table cell of it lines up: figures right (digits under digits), words left; None
    #: leaves it to the program (a date).
    align: ClassVar[str | None] = None

    # -- how it consolidates --
    #: Collected unit by unit as paragraphs under the item in the consolidated report (the
    #: answers of a text), unless the item says `aggregate: none`.
    narrative: ClassVar[bool] = False
    #: A rate (a share, 0–100 %): charted against its target on the consolidated pages, and
    #: written in its own number format whatever it aggregates by (a mean, a minimum).
    rate: ClassVar[bool] = False
    #: Whole numbers (counts, đồng): a sum, minimum or maximum of them stays whole.
    whole: ClassVar[bool] = False
    #: A target on it is met or not by each unit's answer, not by a figure: a group meets it
    #: when every unit that answered does (`forms.targets.YES_NO_TOTAL_RULE`).
    judged_by_answer: ClassVar[bool] = False

    def tallies(self, key: str, spec: Spec | None = None) -> tuple[Tally, ...]:
        """The counts a consolidation keeps of an item of this kind with `aggregate: count`
        (one per answer worth counting); () for a kind whose answers are not counted."""
        return ()

    # -- the outline --
    #: An item of this kind lists its `choices:` (any other kind refuses them).
    has_choices: ClassVar[bool] = False

    # -- Excel --
    #: The name of its cells' number format in `forms.excel.number_formats.FORMATS` (the one
    #: home of the format strings); None: Excel's general format.
    excel_number_format: ClassVar[str | None] = None
    #: A cell Excel shows in its own percent format (0,95 shown 95%) means 95: the workbook
    #: reader scales it, since only the reader sees a cell's format.
    excel_percent: ClassVar[bool] = False
    #: Written in a spreadsheet cell as its words ("Có", a choice's label), which `parse`
    #: reads back, rather than as the stored value.
    excel_as_words: ClassVar[bool] = False

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return f"<kind {self.name}>"

    def parse(self, raw: object, spec: Spec | None = None) -> Parsed:
        """Read `raw` (str from a web form, or a spreadsheet cell value).

        Empty input gives `Parsed(None, ())`: whether it is required is checked elsewhere.
        Any unexpected failure becomes a problem instead of an exception, so one odd cell can
        never stop a whole upload.
        """
        try:
            if is_empty(raw):
                return EMPTY
            return self._parse(raw, spec)
        except Exception:
            return Parsed(None, (f"Không đọc được giá trị {quote(raw)}. Hãy nhập lại.",))

    def _parse(self, raw: object, spec: Spec | None) -> Parsed:
        raise NotImplementedError

    def format(self, value: Any, spec: Spec | None = None) -> str:
        """The value as Vietnamese users read it; "" for no data."""
        if value is None:
            return ""
        return str(value)

    # -- the web form: how the kind is asked for, so a page never branches on kind names --
    #: The input that asks for it: "text", "textarea", "select" or "radio".
    widget: ClassVar[str] = "text"
    #: Attributes of that input (keyboard, placeholder): what people are expected to type.
    input_attrs: ClassVar[tuple[tuple[str, str], ...]] = ()

    def input_choices(self, spec: Spec | None = None) -> tuple[tuple[str, str], ...]:
        """(posted value, words) of a "select" or "radio" input, in order."""
        return ()

    def input_text(self, stored: Any, spec: Spec | None = None) -> str:
        """A stored (JSON) value as the text its input shows, which this kind reads back to
        the same value: what the form puts back after a save."""
        if stored is None or stored == "":
            return ""
        return self.format(self.from_json(stored), spec)

    def posted_words(self, posted: str, spec: Spec | None = None) -> str:
        """A posted input value in the words the form showed next to it ("co" → "Có")."""
        return dict(self.input_choices(spec)).get(posted, posted)

    def browser_rules(self) -> dict[str, Any] | None:
        """What static/numbers.js needs to read a typed figure of this kind as `parse` does
        and to show it as `format` does (the fill page passes it in `data-kinds`); None for a
        kind the browser does not read as a number."""
        return None

    def to_json(self, value: Any) -> Any:
        """The value as a JSON scalar for storage."""
        return value

    def from_json(self, obj: Any) -> Any:
        """Inverse of `to_json`."""
        return obj

    def excel_validation(self, spec: Spec | None = None) -> dict[str, Any] | None:
        """Options for xlsxwriter's `worksheet.data_validation`, or None for none."""
        return None

    # -- a repeating table's stored cells in the consolidated outputs --
    def report_text(self, value: Any, spec: Spec | None = None) -> str:
        """A stored table cell (not None) as the consolidated report prints it."""
        return str(value)

    def sheet_value(self, value: Any, spec: Spec | None = None) -> Any:
        """A stored table cell (not None) as the consolidated workbook writes it: a number
        stays a number and a date a date, so Excel can sum and sort them."""
        return value


def spec_attr(spec: Spec | None, name: str, default: Any = None) -> Any:
    """Read an attribute of a spec that may be None or lack it (a bare object in tests)."""
    value = getattr(spec, name, default) if spec is not None else default
    return default if value is None else value


def validation(validate: str, *, input_title: str, input_message: str, error_title: str,
               error_message: str, **options: Any) -> dict[str, Any]:
    """A data-validation dict with prompts cut to Excel's limits and a blocking error."""
    return {
        "validate": validate,
        **options,
        "ignore_blank": True,
        "input_title": fit(input_title, TITLE_LIMIT),
        "input_message": fit(input_message, MESSAGE_LIMIT),
        "error_title": fit(error_title, TITLE_LIMIT),
        "error_message": fit(error_message, MESSAGE_LIMIT),
        "error_type": "stop",
    }
