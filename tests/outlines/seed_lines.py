"""Reading a seed excerpt as the extraction left it: numbered or bulleted lines, with the lines
the extraction cut joined again. Shared by the completeness tests (imported by name)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Line:
    lineno: int
    level: int | None  # index into the numbering patterns; None: a paragraph without a number
    number: str
    text: str
    path: tuple[str, ...] = ()


def read_lines(source: Path, numbering: list[re.Pattern[str]],
               heading_levels: set[int]) -> list[Line]:
    """Every line of the extraction, blank lines and page numbers dropped. A line that starts no
    number or bullet continues the previous one, unless it opens a paragraph (a capital, digit
    or "(" after a full stop, a colon or a heading)."""
    text = unicodedata.normalize("NFC", source.read_text(encoding="utf-8"))
    lines: list[Line] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.isdigit():  # blank, or a page number
            continue
        for level, pattern in enumerate(numbering):
            match = pattern.match(stripped)
            if match:
                lines.append(Line(lineno, level, match["number"], match["text"].strip()))
                break
        else:
            prev = lines[-1] if lines else None
            opens = stripped[0].isupper() or stripped[0].isdigit() or stripped[0] == "("
            after_end = prev is not None and (prev.text.rstrip().endswith((".", ":"))
                                              or prev.level in heading_levels)
            if prev is None or (opens and after_end):
                lines.append(Line(lineno, None, "", stripped))
            else:
                prev.text = f"{prev.text.rstrip()} {stripped}"
    return lines
