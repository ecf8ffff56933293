"""Properties: parse never raises, and formatted numbers parse back to themselves."""

import unicodedata
from datetime import date, datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.kinds import KINDS, Parsed, get_kind
from forms.model import Choice, Item

CHOICES = (Choice("tot", "Tốt"), Choice("kha", "Khá"), Choice("chua_dat", "Chưa đạt"))
SPECS = [
    Item(kind="x", key="x", number="-", label="Mục", choices=CHOICES, unit="hồ sơ"),
    Item(kind="x", key="x", number="-", label="Mục", min=-5.0, max=10.0),
    None,
]
NUMBERISH = st.text(alphabet="0123456789.,  -+%đ\u00a0\u202fVNDx", max_size=20)
ANYTHING = st.one_of(
    st.none(),
    st.text(),
    NUMBERISH,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=2),
    st.builds(object),
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(raw=ANYTHING, name=st.sampled_from(sorted(KINDS)), spec=st.sampled_from(SPECS))
def test_parse_never_raises(raw: object, name: str, spec: object) -> None:
    parsed = get_kind(name).parse(raw, spec)  # type: ignore[arg-type]
    assert isinstance(parsed, Parsed)
    assert isinstance(parsed.problems, tuple)
    assert all(isinstance(p, str) and p for p in parsed.problems)
    assert all(unicodedata.is_normalized("NFC", p) for p in parsed.problems)
    if parsed.problems:
        assert parsed.value is None


@FAST
@given(raw=ANYTHING, name=st.sampled_from(sorted(KINDS)))
def test_accepted_values_format_and_store(raw: object, name: str) -> None:
    kind = get_kind(name)
    parsed = kind.parse(raw, SPECS[0])
    if parsed.value is not None:
        assert isinstance(kind.format(parsed.value, SPECS[0]), str)
        assert kind.from_json(kind.to_json(parsed.value)) == parsed.value


LIMIT = 10**15
WIDE = Item(kind="x", key="x", number="-", label="Mục", min=-1e15, max=1e15)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-LIMIT, max_value=LIMIT))
def test_integer_format_parses_back(value: int) -> None:
    kind = get_kind("integer")
    assert kind.parse(kind.format(value, WIDE), WIDE) == Parsed(value, ())


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=LIMIT))
def test_money_format_parses_back(value: int) -> None:
    kind = get_kind("money")
    assert kind.parse(kind.format(value, None), None) == Parsed(value, ())


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
def test_decimal_format_parses_back(value: float) -> None:
    kind = get_kind("decimal")
    assert kind.parse(kind.format(value, None), None) == Parsed(value, ())


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**12, max_value=10**12, places=3, allow_nan=False))
def test_decimal_text_is_exact(value: Decimal) -> None:
    """Typing a number with a decimal comma gives the float nearest to what was typed."""
    text = format(value, "f").replace(".", ",")
    assert get_kind("decimal").parse(text, None).value == float(value)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1)))
def test_date_format_parses_back(value: date) -> None:
    kind = get_kind("date")
    assert kind.parse(kind.format(value, None), None) == Parsed(value, ())
    assert kind.parse(datetime(value.year, value.month, value.day, 13), None).value == value
    assert kind.from_json(kind.to_json(value)) == value
