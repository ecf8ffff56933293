"""Spreadsheet formula injection (CSV/"DDE" injection) and text that XML cannot carry.

A unit name or narrative such as `=HYPERLINK("http://…", "Bấm vào đây")` typed into a report
must not become a live formula on the coordinator's machine. Following OWASP, a text cell is
dangerous when it starts with `= + - @`, a tab or a carriage return, also after leading spaces
(Excel skips them). Numbers are never neutralised: a real -2 stays the number -2.
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 forbids most C0 controls; python-docx refuses them and Excel rejects the file.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def is_dangerous(text: str) -> bool:
    """Whether a spreadsheet program could read `text` as a formula."""
    if not text:
        return False
    return text.startswith(TRIGGERS) or text.lstrip(" \u00a0").startswith(TRIGGERS)


def neutralise(text: str) -> str:
    """`text` with a leading apostrophe when it is dangerous (see `is_dangerous`): the
    convention spreadsheet programs read as "this is text", used for CSV. The xlsx writer
    keeps the text as typed and sets Excel's own quote-prefix style instead (same effect, no
    visible apostrophe)."""
    return "'" + text if is_dangerous(text) else text


def xml_safe(text: str) -> str:
    """`text` without the control characters XML cannot hold (tab and newlines kept)."""
    return _XML_ILLEGAL.sub("", text)
