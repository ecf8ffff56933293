"""The registry the loader and validators look kinds up in."""

import pytest

from forms.kinds import CATEGORY, KINDS, VALUE_KINDS, Kind, get_kind


def test_value_kinds() -> None:
    assert set(VALUE_KINDS) == {"integer", "decimal", "percent", "money", "text", "long_text",
                                "date", "select_one", "yes_no"}
    assert set(KINDS) == set(VALUE_KINDS)
    assert "section" not in VALUE_KINDS
    assert "table" not in VALUE_KINDS


@pytest.mark.parametrize(
    ("name", "category", "aggregate"),
    [
        ("integer", "number", "sum"),
        ("decimal", "number", "sum"),
        ("money", "number", "sum"),
        ("percent", "number", "mean"),
        ("text", "text", "narrative"),
        ("long_text", "text", "narrative"),
        ("yes_no", "bool", "count"),
        ("select_one", "choice", "count"),
        ("date", "date", "none"),
    ],
)
def test_each_kind(name: str, category: str, aggregate: str) -> None:
    kind = get_kind(name)
    assert isinstance(kind, Kind)
    assert kind.name == name
    assert kind.category == category == CATEGORY[name]
    assert kind.default_aggregate == aggregate


def test_categories_cover_structure_kinds() -> None:
    assert CATEGORY["section"] == "section"
    assert CATEGORY["table"] == "table"
    assert set(CATEGORY) == {*VALUE_KINDS, "section", "table"}


@pytest.mark.parametrize("name", ["section", "table", "nope"])
def test_get_kind_refuses_non_value_kinds(name: str) -> None:
    with pytest.raises(KeyError):
        get_kind(name)


def test_kinds_are_immutable() -> None:
    with pytest.raises(AttributeError):
        get_kind("integer").limit = 3  # type: ignore[attr-defined]
