"""Every message catalogue has one shape (an Enum of `MessageCode`) and clean Vietnamese text."""

from __future__ import annotations

import importlib
import pkgutil
import string
import unicodedata

import pytest

import store
from forms.catalogue import MessageCode
from forms.errors import Code
from forms.excel.errors import ExcelCode, ExcelError, problem
from forms.spreadsheet.problems import SheetCode, sheet_problem
from store.errors import StoreCode, StoreError

CATALOGUES = [Code, ExcelCode, SheetCode, StoreCode]
ENTRIES = [entry for catalogue in CATALOGUES for entry in catalogue]


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{type(e).__name__}.{e.name}")
def test_every_message_is_composed_vietnamese_with_well_formed_placeholders(
        entry: MessageCode) -> None:
    text = entry.value
    assert isinstance(text, str) and text == unicodedata.normalize("NFC", text)
    assert text.rstrip("}").endswith((".", "?", ")", "»")) or text.endswith("{hint}"), text
    for _, field, spec, conversion in string.Formatter().parse(text):
        assert field is None or (field.isidentifier() and not spec and not conversion), text


def test_a_missing_placeholder_is_a_programming_error_not_a_half_message() -> None:
    with pytest.raises(KeyError):
        ExcelCode.too_large.text(size="9 MB")


def test_each_channel_builds_its_problems_from_its_catalogue() -> None:
    refused = problem("too_large", size="9 MB", limit="5 MB")
    assert refused.code == "too_large"
    assert refused.message.startswith("Tệp quá lớn (9 MB); hệ thống nhận tệp tối đa 5 MB.")
    sheet = sheet_problem("DUPLICATE_SHEET", "choices", None, None, name="choices",
                          first="Choices")
    assert str(sheet) == ("choices: Trang tính 'choices' trùng với trang tính 'Choices': "
                          "hãy giữ một.")
    assert "too_large" in ExcelError(refused).codes


def test_every_store_exception_names_its_own_catalogue_entry() -> None:
    for info in pkgutil.iter_modules(store.__path__):
        importlib.import_module(f"store.{info.name}")
    classes = [StoreError, *_all_subclasses(StoreError)]
    assert len(classes) > 15
    for cls in classes:
        assert isinstance(cls.__dict__.get("code"), StoreCode), cls.__qualname__
        if cls.__init__ is StoreError.__init__:  # the others build their own message
            assert str(cls()) == cls.code.value


def test_a_specific_message_wins_over_the_generic_one() -> None:
    from store.rounds import RoundNotFound
    assert str(RoundNotFound()) == "Không có đợt báo cáo này."
    assert str(RoundNotFound("Không có đợt báo cáo số 7.")) == "Không có đợt báo cáo số 7."
