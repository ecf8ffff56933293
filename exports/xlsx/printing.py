"""Print set-up of the consolidated workbook: every sheet on A4, readable on paper.

Neither xlsxwriter nor Excel on opening fits a row's height to wrapped text written by a
program (Excel autofits only rows it edits itself), so wrapped cells would overlap the next row.
`row_height` estimates how many lines a text needs in a column of a given width and the row
is set that tall; overestimating by a line costs a little white space, underestimating hides
words, so the estimate errs on the generous side.

Page rules (paper size 9 is A4 in the OOXML `paperSize` codes):
- the overview: portrait, one page wide (`fitToWidth=1`, `fitToHeight=0`), so its title and
  values are never split across pages;
- a section sheet up to `WIDE_COLUMNS` value columns: landscape, its title rows repeated on
  every page, the unit columns frozen and repeated on every page, one page wide when it fits at
  `MIN_SCALE` or more, otherwise printed across pages at `ACROSS_SCALE`;
- a wider section also gets a transposed sheet (items as rows, units as columns) that prints
  portrait-readable; see `exports.xlsx.transposed`.
"""

from __future__ import annotations

from collections.abc import Iterable

from xlsxwriter.worksheet import Worksheet

A4 = 9
#: Above this many units, the summary sheets (transposed sections, the roll-up, the charts)
#: show groups of units; the unit-by-unit detail stays in the section sheets (issue 16: a
#: province's 4,000 units would otherwise print hundreds of pages).
DETAIL_UNITS = 60
FONT_SIZE = 11  # points: the workbook's body text
LINE_POINTS = 15.0  # one line of 11 pt Times New Roman with Excel's leading
PADDING_POINTS = 3.0
DEFAULT_HEIGHT = 15.0
MAX_HEIGHT = 409.0  # Excel's largest row height, in points
MAX_LINES = int(MAX_HEIGHT // LINE_POINTS) + 1
CHARS_PER_WIDTH = 1.2  # characters of 11 pt Times per unit of column width (measured ~1.3)
BOLD_FACTOR = 0.9  # bold text is wider
# Printable width of A4 with the margins below, in units of column width (about 7 px each).
PORTRAIT_WIDTH = 92
LANDSCAPE_WIDTH = 138
MIN_SCALE = 65  # percent: below this 11 pt text is no longer comfortable to read on paper
ACROSS_SCALE = 75  # percent: a sheet too wide for one page prints across pages at this scale
MARGINS = {"left": 0.5, "right": 0.4, "top": 0.6, "bottom": 0.6}  # inches


def lines_needed(text: str, width: float, *, bold: bool = False, size: float = FONT_SIZE) -> int:
    """Lines `text` takes wrapped in a column `width` wide (Excel's column width units) in a
    `size` pt font; counting stops past the tallest row Excel allows.

    A paragraph whose words are all short (the usual case) is bounded without walking it word
    by word: a wrapped line is full but for less than its longest word, so it holds at least
    `per_line - longest + 1` characters. Otherwise words are laid out one by one, as Excel
    wraps them."""
    scale = (BOLD_FACTOR if bold else 1.0) * FONT_SIZE / size
    per_line = max(1, int(width * CHARS_PER_WIDTH * scale))
    text = str(text)
    if len(text) <= per_line and "\n" not in text:
        return 1
    total = 0
    for paragraph in text.split("\n"):
        if len(paragraph) <= per_line:
            total += 1
        else:
            words = paragraph.split()
            longest = max(map(len, words), default=0)
            if longest * 4 <= per_line:
                total += -(-(len(paragraph) + 1) // (per_line - longest + 1))
            else:
                total += _laid_out(words, per_line)
        if total >= MAX_LINES:
            break
    return total


def _laid_out(words: list[str], per_line: int) -> int:
    lines, line = 1, 0
    for word in words:
        need = len(word) if line == 0 else line + 1 + len(word)
        if need <= per_line:
            line = need
        else:
            lines += (1 if line else 0) + (len(word) - 1) // per_line
            line = len(word) % per_line or per_line
            if lines >= MAX_LINES:
                break
    return lines


def height_for(lines: int, *, size: float = FONT_SIZE) -> float:
    """Points of a row showing `lines` lines of `size` pt text."""
    line = LINE_POINTS * size / FONT_SIZE
    return min(MAX_HEIGHT, max(DEFAULT_HEIGHT, lines * line + PADDING_POINTS))


def row_height(cells: Iterable[tuple[str, float]], *, bold: bool = False,
               size: float = FONT_SIZE) -> float:
    """Points a row needs so each (text, width) of its wrapped cells shows every line."""
    lines = max((lines_needed(text, width, bold=bold, size=size) for text, width in cells
                 if text), default=1)
    return height_for(lines, size=size)


def fit_row(ws: Worksheet, row: int, cells: Iterable[tuple[str, float]], *,
            bold: bool = False, size: float = FONT_SIZE) -> None:
    """Set `row` tall enough for its wrapped cells (call before moving past the row: the
    workbook writes rows in order)."""
    height = row_height(cells, bold=bold, size=size)
    if height > DEFAULT_HEIGHT:
        ws.set_row(row, height)


def a4(ws: Worksheet, *, landscape: bool) -> None:
    """A4, the given orientation, narrow margins, centred, page numbers in the footer."""
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(**MARGINS)
    ws.center_horizontally()
    ws.set_footer("&C&P / &N")


def one_page_wide(ws: Worksheet) -> None:
    ws.fit_to_pages(1, 0)


def fits_one_page_wide(total_width: float, *, landscape: bool) -> bool:
    """Whether columns of `total_width` fit one page wide at `MIN_SCALE` or more."""
    room = LANDSCAPE_WIDTH if landscape else PORTRAIT_WIDTH
    return total_width * MIN_SCALE / 100 <= room


def fit_or_across(ws: Worksheet, total_width: float, *, landscape: bool) -> bool:
    """One page wide when that stays readable, else across pages at `ACROSS_SCALE` (the
    caller repeats the columns that name a row); True when printed across pages."""
    if fits_one_page_wide(total_width, landscape=landscape):
        one_page_wide(ws)
        return False
    ws.set_print_scale(ACROSS_SCALE)
    return True
