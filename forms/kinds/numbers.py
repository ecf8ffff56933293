"""Reading and writing numbers the Vietnamese way, shared by the number kinds.

Vietnamese writes `1.234.567,5`: dots group thousands, a comma starts the decimals. People also
type `8.5` (a single dot not followed by exactly three digits is taken as a decimal point) and
paste `1 234` from Word. What could mean two different numbers (`1,234.5`, `1,234,567`) is
refused with a suggestion rather than guessed: a silent factor of 1,000 in a report is worse
than a question.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, ClassVar

from forms.kinds.base import Kind, Parsed, Spec, clean, quote, spec_attr, validation

# Excel keeps 15 significant digits; beyond that figures silently change.
LIMIT = Decimal(10) ** 15

_MINUS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-", "\uff0d": "-"})
_SIGN = re.compile(r"([+-]?)\s*(.*)", re.S)
_SPACED = re.compile(r"[0-9]{1,3}(?:\s[0-9]{3})+(?:[.,][0-9]+)?")
_DIGITS = re.compile(r"[0-9]+")
_GROUP = re.compile(r"[1-9][0-9]{0,2}")
_DOT_GROUPS = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_COMMA_GROUPS = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")
_VN_MIXED = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]+")
_EN_MIXED = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+\.[0-9]+")


class NumberError(Exception):
    """Why a text is not a number: `code` is "not_number" or "ambiguous".

    For "ambiguous", `meant` is the English reading, used to suggest the Vietnamese spelling.
    """

    def __init__(self, code: str, meant: Decimal | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.meant = meant


def strip_suffix(text: str, suffixes: Sequence[str]) -> str:
    """Remove one trailing unit word (`%`, `đồng`, the item's unit), case-insensitively."""
    pattern = _suffix_pattern(tuple(suffixes))
    if pattern is None:
        return text
    stripped = pattern.sub("", text, count=1)
    return stripped if stripped else text


@lru_cache(maxsize=512)
def _suffix_pattern(suffixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """The pattern for one set of unit words, built once: every number read asks for it, and
    building it took most of the time of reading a number (a bulk import reads thousands)."""
    words = sorted({s for s in suffixes if s and s.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\s*(?:" + "|".join(re.escape(w.strip()) for w in words) + r")\s*\Z",
                      re.IGNORECASE)


def read_number(text: str, *, whole: bool = False, suffixes: Sequence[str] = ()) -> Decimal:
    """Read a typed number. Raises `NumberError`.

    `whole` marks counts and money, where `1,234` is more likely an English thousands separator
    than a decimal comma, so it is refused as ambiguous instead of read as 1,234.
    """
    text = strip_suffix(clean(text).translate(_MINUS), suffixes)
    signed = _SIGN.fullmatch(text)
    assert signed is not None  # "[+-]?\s*(.*)" with DOTALL matches every text
    sign, body = signed.groups()
    if re.search(r"\s", body):
        if not _SPACED.fullmatch(body):
            raise NumberError("not_number")
        body = re.sub(r"\s", "", body)
    value = _read_body(body, whole)
    return -value if sign == "-" else value


def _read_body(body: str, whole: bool) -> Decimal:
    if _DIGITS.fullmatch(body):
        return Decimal(body)
    dots, commas = body.count("."), body.count(",")
    if not body or not re.fullmatch(r"[0-9.,]+", body) or not re.search(r"[0-9]", body):
        raise NumberError("not_number")
    if dots and commas:
        if _VN_MIXED.fullmatch(body):
            return Decimal(body.replace(".", "").replace(",", "."))
        if _EN_MIXED.fullmatch(body):
            raise NumberError("ambiguous", Decimal(body.replace(",", "")))
        raise NumberError("not_number")
    if dots:
        if _DOT_GROUPS.fullmatch(body):  # 1.234 and 1.234.567: thousands
            return Decimal(body.replace(".", ""))
        return _point(body, ".")
    if commas > 1:
        if _COMMA_GROUPS.fullmatch(body):
            raise NumberError("ambiguous", Decimal(body.replace(",", "")))
        raise NumberError("not_number")
    head, _, tail = body.partition(",")
    if whole and _GROUP.fullmatch(head) and len(tail) == 3:
        raise NumberError("ambiguous", Decimal(head + tail))
    return _point(body, ",")


def _point(body: str, mark: str) -> Decimal:
    """A number with exactly one decimal mark: `8.5`, `8,5`, `,5`."""
    head, sep, tail = body.partition(mark)
    if sep and mark not in tail and (head == "" or head.isdigit()) and tail.isdigit():
        return Decimal(f"{head or '0'}.{tail}")
    raise NumberError("not_number")


def to_decimal(value: Any) -> Decimal | None:
    """A finite number as an exact Decimal (floats via their shortest repr), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def format_number(value: Any, decimals: int | None = None) -> str:
    """The one way a number is written for a reader: `1234.5` → `1.234,5`.

    `decimals` rounds first (Python's `round`: the float's exact value, halves to the even
    digit) and trailing zeros go, so 95.0 reads `95` and 108.3333 at 2 decimals `108,33`;
    without it the figure is written exactly as stored (what a user typed goes back unchanged).
    No exponent ever. No data (None, NaN) is "", not zero; a yes/no is "Có"/"Không".
    static/numbers.js `formatNumber` is the browser's copy, tested on the same table.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if decimals is not None:
            return _fixed(round(value, decimals), decimals)
    number = to_decimal(value)
    if number is None:
        return str(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN) \
            if number.adjusted() < 28 - decimals else number
    return _grouped(number)


def _fixed(rounded: float, decimals: int) -> str:
    """A float already rounded to `decimals`: `format` spells it without a Decimal round trip
    (most of the cost of a 10,000-cell consolidated table)."""
    if abs(rounded) >= 1e15:  # beyond 15 digits a float's fixed spelling shows binary noise
        return _grouped(Decimal(repr(rounded)))
    text = f"{abs(rounded):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return "-" + text if rounded < 0 and text != "0" else text


def _grouped(number: Decimal) -> str:
    if number == number.to_integral_value():
        digits, frac = str(abs(int(number))), ""
    else:
        text = format(abs(number).normalize(), "f")
        digits, _, frac = text.partition(".")
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    out = ".".join(groups) + ("," + frac if frac else "")
    return "-" + out if number < 0 and out != "0" else out


#: Decimals of a rate (a computed item) when the outline's `decimals:` says nothing.
RATE_DECIMALS = 2


def shown_decimals(spec: Spec | None) -> int | None:
    """How many decimals a figure of this item keeps: the outline's `decimals:`; else 2 for a
    computed item (a rate: 108,33, not 108,3333); else None, exactly as typed."""
    decimals = spec_attr(spec, "decimals")
    if decimals is not None:
        return int(decimals)
    return RATE_DECIMALS if spec_attr(spec, "formula") is not None else None


def figure_decimals(spec: Spec | None) -> int:
    """Decimals of a consolidated figure (sums, means, rates of a group): the item's, else 2."""
    decimals = shown_decimals(spec)
    return RATE_DECIMALS if decimals is None else decimals


def round_computed(value: Any, spec: Spec | None = None) -> Any:
    """A computed item's figure as the engine keeps it, rounded once to the decimals it is
    shown with (`shown_decimals`), so the form, the diff, the template (ROUND in its formula),
    the pages and the exports all read the same 108,33 and a target is judged on that figure.
    Python's round: the float's exact value, halves to the even digit (static/numbers.js
    `roundHalfEven` mirrors it)."""
    if isinstance(value, float) and math.isfinite(value):
        decimals = shown_decimals(spec)
        return round(value, RATE_DECIMALS if decimals is None else decimals)
    return value


def plain_number(value: Decimal) -> str:
    """A number without thousands dots, decimal comma: what to type when in doubt."""
    return format_number(value).replace(".", "")


MAX_NUMBER_TEXT = 1_000


class NumberKind(Kind):
    """integer, decimal, percent and money: one reading flow, different defaults and words."""

    whole: ClassVar[bool] = False
    default_min: ClassVar[float | None] = None
    default_max: ClassVar[float | None] = None
    suffixes: ClassVar[tuple[str, ...]] = ()
    #: What a value is ("số nguyên") and how one is asked for ("một số nguyên"), and an
    #: example as typed in Excel: the refusals below are said with them, so a kind that reads
    #: like a count needs only its words. A kind whose refusals say more writes its own.
    what: ClassVar[str] = "số"
    noun: ClassVar[str] = "một số"
    example: ClassVar[str] = "1.234,5"
    not_number: ClassVar[str] = "{q} không phải là {what}. Hãy nhập {noun}, ví dụ {example}."
    not_whole: ClassVar[str] = ("{q} không phải là {what}. "
                                "Hãy nhập {noun}, ví dụ {lower} hoặc {upper}.")
    input_title: ClassVar[str] = "Nhập số"
    category: ClassVar[str] = "number"
    default_aggregate: ClassVar[str] = "sum"
    align: ClassVar[str | None] = "right"
    excel_number_format: ClassVar[str | None] = "fraction"

    def bounds(self, spec: Spec | None) -> tuple[float | None, float | None]:
        """The spec's bounds, falling back to the kind's defaults (counts ≥ 0, % 0–100)."""
        return spec_attr(spec, "min", self.default_min), spec_attr(spec, "max", self.default_max)

    def _parse(self, raw: object, spec: Spec | None) -> Parsed:
        if isinstance(raw, str) and len(raw) > MAX_NUMBER_TEXT:
            # No figure is this long; refusing early keeps a hostile megabyte of digits cheap.
            return Parsed(None, (f"Nội dung dài {format_number(len(raw))} ký tự không phải là "
                                 f"{self.noun}. Hãy nhập một số, ví dụ {self.example}.",))
        # The input as the user saw it is only quoted in a message: most values have none.
        if isinstance(raw, str):
            unit = spec_attr(spec, "unit")
            try:
                number = read_number(raw, whole=self.whole,
                                     suffixes=(*self.suffixes, *([unit] if unit else [])))
            except NumberError as exc:
                if exc.code == "ambiguous" and exc.meant is not None:
                    return Parsed(None, (self._ambiguous(quote(raw), exc.meant),))
                return Parsed(None, (self._said(self.not_number, q=quote(raw)),))
            except (InvalidOperation, ValueError):
                return Parsed(None, (self._said(self.not_number, q=quote(raw)),))
        else:
            maybe = to_decimal(raw)
            if maybe is None:
                return Parsed(None, (self._said(self.not_number, q=quote(raw)),))
            number = maybe
        if abs(number) > LIMIT:
            return Parsed(None, (f"{quote(raw)} quá lớn: Excel chỉ giữ chính xác 15 chữ số. "
                                 "Hãy kiểm tra lại số liệu.",))
        if self.whole and number != number.to_integral_value():
            lower, upper = math.floor(number), math.ceil(number)
            return Parsed(None, (self._said(
                self.not_whole, q=quote(raw), lower=format_number(lower),
                upper=format_number(upper)),))
        value: int | float = int(number) if self.whole else float(number)
        problem = self._check_bounds(number, spec)
        return Parsed(None, (problem,)) if problem else Parsed(value, ())

    def _said(self, template: str, **args: str) -> str:
        """A refusal with the kind's words filled in (the example as a reader writes it)."""
        return template.format(what=self.what, noun=self.noun,
                               example=format_number(read_number(self.example)), **args)

    def _ambiguous(self, q: str, meant: Decimal) -> str:
        vn, plain = format_number(meant), plain_number(meant)
        spelled = vn if vn == plain else f"{vn} hoặc {plain}"
        return (f"{q} không rõ nghĩa: dấu phẩy có thể là dấu thập phân hoặc dấu ngăn cách hàng "
                "nghìn. Hãy viết theo cách Việt Nam (dấu chấm ngăn cách hàng nghìn, dấu phẩy "
                f"trước phần thập phân), ví dụ {spelled}.")

    def _check_bounds(self, number: Decimal, spec: Spec | None) -> str | None:
        lo, hi = self.bounds(spec)
        if lo is not None and number < Decimal(repr(float(lo))):
            if float(lo) == 0:
                return f"{format_number(number)} không được âm. Hãy nhập {self._range(lo, hi)}."
            return (f"{format_number(number)} nhỏ hơn giá trị tối thiểu "
                    f"{format_number(float(lo))}. Hãy nhập {self._range(lo, hi)}.")
        if hi is not None and number > Decimal(repr(float(hi))):
            return (f"{format_number(number)} lớn hơn giá trị tối đa {format_number(float(hi))}. "
                    f"Hãy nhập {self._range(lo, hi)}.")
        return None

    def _range(self, lo: float | None, hi: float | None) -> str:
        """"một số từ 0 đến 100", said the way the bounds allow."""
        if lo is not None and hi is not None:
            return f"{self.noun} từ {format_number(float(lo))} đến {format_number(float(hi))}"
        if lo is not None:
            return f"{self.noun} từ {format_number(float(lo))} trở lên"
        if hi is not None:
            return f"{self.noun} không lớn hơn {format_number(float(hi))}"
        return self.noun

    def format(self, value: Any, spec: Spec | None = None) -> str:
        """A typed figure exactly as stored; a computed one (or any with `decimals:`) rounded
        as the engine keeps it."""
        return format_number(value, shown_decimals(spec))

    input_attrs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("inputmode", "decimal"), ("autocomplete", "off"))

    def input_text(self, stored: Any, spec: Spec | None = None) -> str:
        """A typed figure goes back exactly (1.234,5678): rounding it for display would change
        the stored value at the next save. A computed one shows the engine's rounded figure,
        without the unit sign the page prints beside the input."""
        if stored is None or stored == "":
            return ""
        computed = spec_attr(spec, "formula") is not None
        return format_number(self.from_json(stored), shown_decimals(spec) if computed else None)

    def to_json(self, value: Any) -> Any:
        if value is None:
            return None
        return int(value) if self.whole else float(value)

    def from_json(self, obj: Any) -> Any:
        if obj is None:
            return None
        return int(obj) if self.whole else float(obj)

    def browser_rules(self) -> dict[str, Any]:
        return {"whole": self.whole, "min": self.default_min, "max": self.default_max,
                "suffixes": list(self.suffixes), "measure": self.measure}

    def report_text(self, value: Any, spec: Spec | None = None) -> str:
        """Two decimals at most, as every consolidated figure."""
        return format_number(value, RATE_DECIMALS)

    def sheet_value(self, value: Any, spec: Spec | None = None) -> Any:
        return float(value)

    def excel_validation(self, spec: Spec | None = None) -> dict[str, Any]:
        """A whole-number or decimal validation with the item's bounds (±10^15 when none)."""
        lo, hi = self.bounds(spec)

        def bound(x: float) -> int | float:
            return int(x) if float(x).is_integer() else float(x)

        if lo is not None and hi is not None:
            options: dict[str, Any] = {"criteria": "between", "minimum": bound(lo),
                                       "maximum": bound(hi)}
        elif lo is not None:
            options = {"criteria": ">=", "value": bound(lo)}
        elif hi is not None:
            options = {"criteria": "<=", "value": bound(hi)}
        else:
            options = {"criteria": "between", "minimum": -int(LIMIT), "maximum": int(LIMIT)}
        unit = spec_attr(spec, "unit")
        asked = f"Nhập {self._range(lo, hi)}, ví dụ {self.example}."
        if unit:
            asked += f" Đơn vị: {unit}."
        return validation(
            "integer" if self.whole else "decimal",
            input_title=self.input_title,
            input_message=asked,
            error_title="Số liệu không hợp lệ",
            error_message=f"Ô này chỉ nhận {self._range(lo, hi)}.",
            **options,
        )


class WholeNumberKind(NumberKind):
    """A count (integer) and money: whole, not negative unless the item's `min` says so, typed
    on a numeric keypad and shown with thousands grouped in Excel."""

    whole: ClassVar[bool] = True
    default_min: ClassVar[float | None] = 0
    input_attrs: ClassVar[tuple[tuple[str, str], ...]] = (
        ("inputmode", "numeric"), ("autocomplete", "off"))
    excel_number_format: ClassVar[str | None] = "whole"
