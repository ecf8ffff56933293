"""How far a worksheet reaches, counted as its XML streams by, whatever the XML says of itself.

A sheet's `<dimension>` may be missing or lie, and so may its references: a `<row>` or `<c>`
without an `r` attribute is simply the next row or cell, so a file of a million bare `<row>`
elements declares nothing and still lays out a million rows. The spreadsheet reader (calamine)
builds a full grid from A1 to the farthest cell, 32 bytes a cell, before we see one value: two
cells at A1 and ALL10000 cost 300 MB. So every row and cell is counted here as the part is
decompressed, numbered as the reader numbers them, and the sheet is refused at the first piece
that goes past a limit — rows, columns, cells present, or the area of the grid — having cost
that far and no further.

The counting runs at the speed of C: regular expressions that start with a literal, `count`,
`findall` and `set` over whole pieces; Python only steps from row to row (at most MAX_ROWS of
them before a refusal), never from cell to cell.
"""

from __future__ import annotations

import re

from forms.excel.errors import ExcelError, human_size, problem
from forms.excel.layout import cell_name
from forms.excel.limits import MAX_CELLS, MAX_COLUMNS, MAX_MERGES, MAX_ROWS, MAX_TEXT
from forms.excel.strings import StringSizes
from forms.excel.styles import col_index
from forms.kinds.numbers import format_number

# A `row` element: the name preceded by "<" or a namespace prefix's ":", then what ends a name.
_ROW = re.compile(rb"row(?<=[<:]row)[\s/>]")
_ROW_NUMBER = re.compile(rb'(?:^|\s)r\s*=\s*["\'](\d+)["\']')
# A reference attribute, `r="…"` after whitespace (never `spr="…"`). Each pattern starts with its
# literal, which the regex engine scans for at C speed; the lookbehind checks the space after.
_REF_LETTERS = re.compile(rb'r="(?<=\sr=")([A-Za-z]+)\d')  # the reader takes "e3" for E3
_REF_DIGITS = re.compile(rb'r="(?<=\sr=")[A-Za-z]*(\d+)"')
# What the reader also accepts and the patterns above would not see: an attribute of a row or
# cell in single quotes, or with spaces around its "=". No spreadsheet program writes either,
# so a sheet that does is refused; the exact pattern runs only where a quick look finds a hint.
_LENIENT_HINTS = (b"'", b" =", b"= ", b"\n=", b"=\n", b"\t=", b"=\t", b"\r=", b"=\r")
_LENIENT_ATTR = re.compile(rb"<(?:[\w.-]+:)?(?:c|row)\s[^<>]*?(?:\s=|=\s|=')")
# A cell's opening tag up to its `r="`: only a cell's own `r` says where it is (another element
# carrying an `r` must not pass for one).
_CELL_REF = re.compile(rb'<c\s(?:[^>]*?\s)?r="')
_PREFIXED_CELL_REF = re.compile(rb'<[\w.-]+:c\s(?:[^>]*?\s)?r="')
_PREFIXED_CELL = re.compile(rb"<[\w.-]+:c[\s/>]")
_MERGE = re.compile(rb"mergeCell(?<=[<:]mergeCell)[\s/>]")


class SheetExtent:
    """Counts rows, cells and the farthest cell of one worksheet, fed its XML in pieces.

    Rows are numbered as the reader numbers them: `r` when given, else the previous row + 1;
    cells likewise within their row. A row mixing cells with and without `r` (no spreadsheet
    program writes one) is bounded from above: its farthest reference plus its bare cells.
    """

    def __init__(self, sheet: str, *, max_rows: int = MAX_ROWS,
                 max_columns: int = MAX_COLUMNS, max_cells: int = MAX_CELLS,
                 strings: StringSizes | None = None, max_text: int = MAX_TEXT) -> None:
        self.sheet = sheet
        self.strings, self.max_text = strings, max_text
        self.text = 0  # bytes of shared strings the cells name, each time they name one
        self.max_rows, self.max_columns, self.max_cells = max_rows, max_columns, max_cells
        self.row = 0  # 1-based number of the current row; 0 before the first
        self.row_elements = 0
        self.last_row = self.last_col = 0  # 1-based extent of the cells seen so far
        self.ref_col = 0  # the farthest column any `r` names
        self.cells = 0
        self.merges = 0
        self._row_cells = self._row_refs = 0  # of the current row, in the pieces so far
        self.buffer = bytearray()  # the part so far
        self._scanned = 0  # bytes of it counted
        self._in_comment = False  # the counted text ends inside <!-- … -->

    def feed(self, chunk: bytes) -> None:
        """Count what `chunk` completes. Only text up to the last ">" is counted, so a tag cut
        by the chunk boundary waits for its end; text without any ">" waits, never rescanned.
        The part is kept in `buffer` (the caller's copy of it) and scanned where it lies."""
        self.buffer += chunk
        end = self.buffer.rfind(b">", len(self.buffer) - len(chunk))
        if end >= 0:
            self._count(self.buffer, self._scanned, end + 1)
            self._scanned = end + 1

    def close(self) -> None:
        """Count what is left; raise if the sheet as a whole is over a limit."""
        if self._scanned < len(self.buffer):
            self._count(self.buffer, self._scanned, len(self.buffer))
            self._scanned = len(self.buffer)
        self._end_row()
        self._check_area()

    # -- counting ---------------------------------------------------------------------------

    def _count(self, buf: bytearray, lo: int, hi: int) -> None:
        """Count `buf[lo:hi]` but its XML comments: the reader skips them, and so does the
        counting (a comment of 45 MB costs a search for its end, not a dozen passes)."""
        while lo < hi:
            if self._in_comment:
                end = buf.find(b"-->", lo, hi)
                stop = hi if end < 0 else end
                # A "comment" holding rows or cells is counted all the same: "<!--" inside an
                # attribute value, which a lenient reader takes as text, must hide nothing.
                if _ROW.search(buf, lo, stop) or buf.find(b"<c", lo, stop) >= 0:
                    self._scan(buf, lo, stop)
                if end < 0:
                    return
                self._in_comment, lo = False, end + 3
                continue
            start = buf.find(b"<!--", lo, hi)
            if start < 0:
                self._scan(buf, lo, hi)
                return
            if start > lo:
                self._scan(buf, lo, start)
            self._in_comment, lo = True, start + 4

    def _scan(self, buf: bytearray, lo: int, hi: int) -> None:
        """Count `buf[lo:hi]`, which ends after a ">"."""
        if (any(buf.find(hint, lo, hi) >= 0 for hint in _LENIENT_HINTS)
                and _LENIENT_ATTR.search(buf, lo, hi)):
            raise ExcelError(problem("sheet_unusual_xml", sheet=self.sheet))
        if self.strings is not None and buf.find(b't="s"', lo, hi) >= 0:
            self.text += self.strings.text_of(buf, lo, hi)
            if self.text > self.max_text:
                raise ExcelError(problem("sheet_too_much_text", sheet=self.sheet,
                                         size=human_size(self.text),
                                         limit=human_size(self.max_text)))
        letters = _REF_LETTERS.findall(buf, lo, hi)
        far_row = self._references(buf, lo, hi, letters)
        # Cells that all carry `r` (as every spreadsheet program writes them) need no counting
        # of references row by row.
        named = self._refs_in(buf, lo, hi) >= self._cells_in(buf, lo, hi)
        at = lo
        for match in _ROW.finditer(buf, lo, hi):
            self._count_cells(buf, at, match.start(), named)
            self._end_row()
            tag_end = buf.find(b">", match.end() - 1, hi)
            number = _ROW_NUMBER.search(buf, match.end() - 1, tag_end if tag_end >= 0 else hi)
            self.row = int(number.group(1)) if number else self.row + 1
            self.row_elements += 1
            if self.row > self.max_rows or self.row_elements > self.max_rows:
                self._refuse_rows(max(self.row, self.row_elements))
            at = match.end()
        self._count_cells(buf, at, hi, named)
        if far_row > self.max_rows:  # a reference past every row counted so far
            self._refuse_rows(far_row)
        self.merges += len(_MERGE.findall(buf, lo, hi))
        if self.merges > MAX_MERGES:
            raise ExcelError(problem("too_many_merges", sheet=self.sheet,
                                     count=format_number(self.merges),
                                     limit=format_number(MAX_MERGES)))
        if self.cells + self._row_cells > self.max_cells:
            raise ExcelError(problem("sheet_too_many_cells", sheet=self.sheet,
                                     count=format_number(self.cells + self._row_cells),
                                     limit=format_number(self.max_cells)))
        self._check_area()

    @staticmethod
    def _cells_in(piece: bytes | bytearray, start: int, end: int) -> int:
        """`<c` elements between `start` and `end` (an inline rich text's `<color>` or
        `<charset>` counts too: an overcount only makes the bounds safer)."""
        cells = piece.count(b"<c", start, end) - piece.count(b"<col", start, end)
        if piece.find(b":c", start, end) >= 0:
            cells += len(_PREFIXED_CELL.findall(piece, start, end))
        return cells

    @staticmethod
    def _refs_in(piece: bytes | bytearray, start: int, end: int) -> int:
        """Cells between `start` and `end` whose tag carries `r`."""
        refs = len(_CELL_REF.findall(piece, start, end))
        if piece.find(b":c", start, end) >= 0:
            refs += len(_PREFIXED_CELL_REF.findall(piece, start, end))
        return refs

    def _count_cells(self, piece: bytes | bytearray, start: int, end: int,
                     named: bool) -> None:
        """Cells of the current row between `start` and `end`, and how many carry `r`
        (`named`: all of the piece's do)."""
        if start >= end:
            return
        cells = self._cells_in(piece, start, end)
        if cells <= 0:
            return
        self._row_cells += cells
        if named:
            self._row_refs += cells
            return
        self._row_refs += self._refs_in(piece, start, end)

    def _end_row(self) -> None:
        cells, refs = self._row_cells, self._row_refs
        self._row_cells = self._row_refs = 0
        if not cells:
            return
        self.cells += cells
        self.last_row = max(self.last_row, self.row)
        if refs < cells:  # bare cells: each is the one after the cell before it
            reach = cells if refs == 0 else self.ref_col + cells - refs
            self.last_col = max(self.last_col, reach)
            if reach > self.max_columns:
                self._refuse_columns(reach)

    def _references(self, buf: bytearray, lo: int, hi: int, letters: list[bytes]) -> int:
        """Take in the farthest column any cell's `r` names (`letters`: their columns), and
        return the farthest row any `r` names, for the caller to judge after counting rows."""
        if letters:
            col = max(col_index(text.decode("ascii").upper()) for text in set(letters)) + 1
            if col > self.max_columns:
                self._refuse_columns(col)
            self.ref_col = max(self.ref_col, col)
            self.last_col = max(self.last_col, col)
        digits = set(_REF_DIGITS.findall(buf, lo, hi))
        row = max(map(int, digits)) if digits else 0
        if row <= self.max_rows:
            self.last_row = max(self.last_row, row)
        return row

    # -- refusals ---------------------------------------------------------------------------

    def _check_area(self) -> None:
        area = self.last_row * self.last_col
        if area > self.max_cells:
            raise ExcelError(problem(
                "sheet_too_spread", sheet=self.sheet,
                far=cell_name(self.last_row - 1, self.last_col - 1),
                rows=format_number(self.last_row), columns=format_number(self.last_col),
                area=format_number(area), limit=format_number(self.max_cells)))

    def _refuse_rows(self, rows: int) -> None:
        raise ExcelError(problem("sheet_too_big", sheet=self.sheet, rows=format_number(rows),
                                 limit=format_number(self.max_rows)))

    def _refuse_columns(self, columns: int) -> None:
        raise ExcelError(problem("sheet_too_wide", sheet=self.sheet, columns=format_number(columns),
                                 limit=format_number(self.max_columns)))

