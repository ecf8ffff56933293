"""Formula neutralising and Excel's limits, as tables of (input, expected)."""

from __future__ import annotations

import pytest

from exports.limits import MAX_CELL_CHARS, TRUNCATED_MARKER, fit_cell, sheet_name, utf16_len
from exports.safety import neutralise


@pytest.mark.parametrize(("text", "expected"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("  =1", "'  =1"), ("Bình thường", "Bình thường"),
    ("1-2", "1-2"), ("", ""), ("a=b", "a=b"),
])
def test_neutralise(text, expected):
    assert neutralise(text) == expected


@pytest.mark.parametrize(("wanted", "taken", "expected"), [
    ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", set(),
     "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH…"),
    ("a/b:c*d?[e]\\f", set(), "a b c d e f"),
    ("Tổng quan", {"tổng quan"}, "Tổng quan (2)"),
    ("'quoted'", set(), "quoted"),
    ("History", set(), "History (1)"),
    ("", set(), "Trang"),
])
def test_sheet_names(wanted, taken, expected):
    name = sheet_name(wanted, taken)
    assert name == expected and len(name) <= 31


def test_long_text_is_cut_with_a_marker_counting_utf16_units():
    assert fit_cell("ngắn") == "ngắn"
    cut = fit_cell("á" * 40_000)
    assert len(cut) == MAX_CELL_CHARS and cut.endswith(TRUNCATED_MARKER)
    emoji = fit_cell("😀" * 20_000)
    assert utf16_len(emoji) <= MAX_CELL_CHARS and emoji.endswith(TRUNCATED_MARKER)
