"""How the web form asks for each kind lives on the kind (issue 14: one registry): the input
(`widget`, `input_attrs`, `input_choices`) and the text put back into it (`input_text`), which
the same kind reads back to the stored value. The fill page and its template only ask."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from forms.kinds import KINDS, get_kind

CHOICES = (SimpleNamespace(name="tot", label="Tốt"), SimpleNamespace(name="kha", label="Khá"))


def spec(**extra):
    return SimpleNamespace(**{"min": None, "max": None, "unit": None, "choices": CHOICES,
                              "formula": None, "decimals": None, **extra})


def test_every_kind_names_one_of_the_four_inputs():
    widgets = {name: kind.widget for name, kind in KINDS.items()}
    assert widgets == {"integer": "text", "decimal": "text", "percent": "text",
                       "money": "text", "text": "text", "long_text": "textarea",
                       "date": "text", "select_one": "select", "yes_no": "radio"}


@pytest.mark.parametrize(("kind", "attrs"), [
    ("integer", {"inputmode": "numeric", "autocomplete": "off"}),
    ("money", {"inputmode": "numeric", "autocomplete": "off"}),
    ("decimal", {"inputmode": "decimal", "autocomplete": "off"}),
    ("percent", {"inputmode": "decimal", "autocomplete": "off"}),
    ("date", {"placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
    ("text", {}),
])
def test_an_input_asks_for_the_keyboard_its_kind_needs(kind, attrs):
    assert dict(get_kind(kind).input_attrs) == attrs


def test_choices_are_offered_by_the_kind():
    assert get_kind("yes_no").input_choices() == (("co", "Có"), ("khong", "Không"))
    assert get_kind("select_one").input_choices(spec()) == (
        ("", "— Chọn —"), ("tot", "Tốt"), ("kha", "Khá"))
    assert get_kind("yes_no").posted_words("khong") == "Không"
    assert get_kind("select_one").posted_words("kha", spec()) == "Khá"
    assert get_kind("text").posted_words("khong") == "khong"


@pytest.mark.parametrize(("kind", "stored", "shown", "extra"), [
    ("integer", 1234, "1.234", {}),
    ("money", 1250000, "1.250.000", {}),
    ("decimal", 1234.5678, "1.234,5678", {}),        # typed: back exactly, never rounded
    ("percent", 95.125, "95,125", {}),
    ("date", "2025-11-12", "12/11/2025", {}),
    ("yes_no", True, "co", {}),
    ("yes_no", False, "khong", {}),
    ("select_one", "kha", "kha", {}),
    ("text", "Một cửa", "Một cửa", {}),
])
def test_a_stored_value_goes_back_into_its_input_and_reads_back_the_same(kind, stored, shown,
                                                                         extra):
    k = get_kind(kind)
    assert k.input_text(stored, spec(**extra)) == shown
    parsed = k.parse(shown, spec(**extra))
    assert parsed.problems == () and k.to_json(parsed.value) == stored


def test_a_computed_figure_shows_the_engines_rounding_without_its_sign():
    assert get_kind("percent").input_text(108.3333, spec(formula="a / b * 100")) == "108,33"
    assert get_kind("decimal").input_text(1.23456, spec(formula="a / b", decimals=3)) == "1,235"
    assert get_kind("integer").input_text(None, spec()) == ""
