"""Every download goes through one helper: a readable, safe name and private headers."""

from __future__ import annotations

from flask import Flask

from webapp.downloads import attachment, clean_download_name


def test_a_vietnamese_name_keeps_its_letters_and_loses_path_and_quote_characters() -> None:
    assert clean_download_name('Báo cáo "Đợt 1"/VHXH.xlsx') == "Báo cáo Đợt 1 VHXH.xlsx"
    assert clean_download_name("..\\..\\etc\\passwd") == "etc passwd"
    assert clean_download_name("a\x00b\r\nc.csv") == "a b c.csv"


def test_a_decomposed_name_is_stored_composed() -> None:
    decomposed = "Ba\u0301o ca\u0301o.docx"  # "Báo cáo" typed on a Mac
    assert clean_download_name(decomposed) == "Báo cáo.docx"


def test_an_empty_or_dotted_name_falls_back() -> None:
    assert clean_download_name(" ./ ") == "tep"
    assert clean_download_name("", fallback="bao-cao.xlsx") == "bao-cao.xlsx"


def test_a_long_name_is_cut_but_keeps_its_extension() -> None:
    name = clean_download_name("Tổng hợp " * 40 + ".xlsx")
    assert len(name) <= 150 and name.endswith(".xlsx")


def test_the_header_has_an_ascii_name_and_the_vietnamese_one_as_utf8() -> None:
    with Flask(__name__).test_request_context("/"):
        response = attachment(b"x", "Tổng hợp - Đợt 1.xlsx", "application/octet-stream")
    header = response.headers["Content-Disposition"]
    plain, _, utf8 = header.partition("; filename*=")
    assert plain.startswith("attachment; filename=") and plain.isascii()
    assert utf8 == "UTF-8''T%E1%BB%95ng%20h%E1%BB%A3p%20-%20%C4%90%E1%BB%A3t%201.xlsx"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
