"""`clean_file_name`: the one cleaning of every file name that enters (web, zip, command line)."""

from __future__ import annotations

import unicodedata

import pytest

from store.names import MAX_LENGTH, clean_file_name


@pytest.mark.parametrize(("raw", "clean"), [
    ("..\\..\\x.xlsx", "x.xlsx"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\Lan\\Desktop\\Báo cáo.xlsx", "Báo cáo.xlsx"),
    ("a/b\\c/d.xlsx", "d.xlsx"),
    ("bao\ncao\r\t.xlsx", "baocao.xlsx"),
    ("bao\x1b[2J\x1b[31mcao.xlsx", "baocao.xlsx"),  # CSI sequences removed whole
    ("bao\x1b]0;tieu de\x07cao.xlsx", "baocao.xlsx"),  # OSC (window title) removed whole
    ("bao\x9b31mcao.xlsx", "bao31mcao.xlsx"),  # a C1 introducer alone: the control goes
    ("hoa-don\u202egpj.exe", "hoa-dongpj.exe"),  # right-to-left override
    ("  kt.xlsx  ", "kt.xlsx"),
    ("bao\x00cao.xlsx", "baocao.xlsx"),
    ("....bao-cao.xlsx", "bao-cao.xlsx"),  # what a parser dropping backslashes leaves of ..\..\
    (".an.xlsx", "an.xlsx"),  # never a hidden file's name
])
def test_names_are_cleaned(raw: str, clean: str) -> None:
    assert clean_file_name(raw) == clean


def test_nfc_and_bytes_and_undecodable_command_line_names() -> None:
    decomposed = unicodedata.normalize("NFD", "Báo cáo Đợt 1.xlsx")
    assert clean_file_name(decomposed) == "Báo cáo Đợt 1.xlsx"
    assert unicodedata.is_normalized("NFC", clean_file_name(decomposed))
    assert clean_file_name("B\xe1o c\xe1o.xlsx".encode("latin-1")) == "B�o c�o.xlsx"
    # os.fsdecode of a non-UTF-8 name gives lone surrogates; they become U+FFFD, printable.
    assert clean_file_name(b"bao\xffcao.xlsx".decode("utf-8", "surrogateescape")) == (
        "bao\ufffdcao.xlsx")
    assert clean_file_name("bao\udc00\ud800.xlsx") == "bao??.xlsx"


@pytest.mark.parametrize("raw", [None, "", "   ", ".", "..", "../", "\x1b[2J", "a/"])
def test_nothing_left_gives_the_fallback(raw) -> None:
    assert clean_file_name(raw, "tep.xlsx") == "tep.xlsx"


def test_length_is_bounded_and_the_extension_kept() -> None:
    long = "Báo cáo " * 40 + ".xlsx"
    cleaned = clean_file_name(long)
    assert MAX_LENGTH - 2 <= len(cleaned) <= MAX_LENGTH
    assert cleaned.startswith("Báo cáo Báo cáo") and cleaned.endswith("….xlsx")
    assert len(clean_file_name("x" * 500)) == MAX_LENGTH
