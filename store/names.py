"""File names as the system keeps and shows them: the one cleaning every name goes through.

Names come from browsers (`C:\\Users\\…\\bao-cao.xlsx` from old ones), from zip archives
(`..\\..\\x.xlsx`, written by anyone) and from the command line (a Linux file name may hold a
newline, a terminal escape sequence or bytes that are not UTF-8). A name is only ever a label —
never a path to open — but it is stored, printed in a terminal, shown on pages and used in
download names, so it is cleaned once, where it enters: the last path component (either slash),
terminal escape sequences, control and bidirectional-override characters and leading dots
removed, NFC, at most
`MAX_LENGTH` characters with the extension kept. The file's bytes are never touched.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 150
#: ESC-introduced terminal sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC \\`),
#: and two-character escapes. Removed whole, so no stray `[31m` is left behind.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
#: Control characters (C0, DEL, C1, the CSI introducer U+009B among them), and the
#: bidirectional overrides and isolates that make `gpj.exe` display as `exe.jpg`.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_file_name(raw: str | bytes | None, fallback: str = "tep") -> str:
    """The name to store and show for `raw`; `fallback` when nothing printable is left.

    >>> clean_file_name("..\\\\..\\\\x.xlsx")
    'x.xlsx'
    >>> clean_file_name("bao\\x1b[2Jcao\\n.xlsx")
    'baocao.xlsx'
    """
    if raw is None:
        return fallback
    if isinstance(raw, bytes):
        text = raw.decode("utf-8", "replace")
    else:  # a command-line name that is not UTF-8 arrives with lone surrogates
        try:
            text = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:  # surrogates that are not escaped bytes
            text = raw.encode("utf-8", "replace").decode("utf-8")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _INVISIBLE.sub("", _ESCAPES.sub("", text))
    # Leading dots and spaces go too: a hidden-file name, or what a multipart parser that drops
    # backslashes leaves of `..\\..\\x.xlsx` (Werkzeug 3.1.9 passes `....x.xlsx`).
    text = unicodedata.normalize("NFC", text).strip().lstrip(". ")
    if not text:
        return fallback
    return _bounded(text)


def _bounded(name: str) -> str:
    """At most MAX_LENGTH characters, the extension (up to 10 characters) kept."""
    if len(name) <= MAX_LENGTH:
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and len(suffix) <= 10:
        return stem[: MAX_LENGTH - len(suffix) - 2].rstrip() + "…." + suffix
    return name[: MAX_LENGTH - 1].rstrip() + "…"
