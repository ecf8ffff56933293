"""CSV out of the browser: the reminder list (chưa nộp). The units import reads through
`store.unit_lists`, like the command line.

Written CSV starts with a BOM (Excel on Windows otherwise reads UTF-8 as a legacy code page and
garbles Vietnamese) and neutralises cells a spreadsheet would run as a formula, with the rule the
exports use.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from exports.safety import neutralise as _neutralise


def neutralise(cell: Any) -> str:
    """A cell text that no spreadsheet will evaluate (see `exports.safety.neutralise`)."""
    return _neutralise("" if cell is None else str(cell))


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
