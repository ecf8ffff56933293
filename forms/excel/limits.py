"""Every limit an uploaded workbook is held to, in one place (docs/reliability.md lists them with
their messages). Real filled templates are tens of KB, a few hundred rows and under thirty
columns; each limit leaves a wide margin above that and keeps a hostile file's cost bounded."""

from __future__ import annotations

MAX_BYTES = 10 * 1024 * 1024  # a filled template is tens of KB; leave room for pasted photos
MAX_ENTRIES = 1000  # parts in the workbook's zip
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # all parts together, as declared and as decompressed
MAX_RATIO = 100  # deflate of real spreadsheet XML stays well under 100:1 for large parts
RATIO_FLOOR = 1024 * 1024  # the ratio is only judged on parts larger than this
MAX_ROWS = 10_000  # rows of one sheet, however they are numbered (or not)
MAX_COLUMNS = 1_000  # columns of one sheet
#: Cells of one sheet, and the area (last row × last column) a reader lays out for it: the
#: spreadsheet reader builds a full grid up to the farthest cell, 32 bytes a cell, so two far
#: cells would otherwise cost as much as ten million present ones. 10.000 rows × 50 columns.
MAX_CELLS = 500_000
MAX_MERGES = 10_000  # merged ranges of one sheet (a real template has a few hundred)
#: Text the cells of a workbook expand to, a shared string counted once per cell naming it.
MAX_TEXT = 20 * 1024 * 1024
