"""WordprocessingML built as text, in bulk: the body of a report is a stream of `<w:p>` and
`<w:tbl>` strings written straight into the .docx package (see exports.docx.package).

Why text and not python-docx's object model: each `add_paragraph` walks the whole body again
and each table row costs dozens of object calls, so a 4,000-unit report took minutes and a
gigabyte. Building the same XML as strings is linear in the document's size and keeps nothing
but the part being written.

Every piece of user text goes through `esc`: control characters XML cannot hold are dropped,
markup characters escaped, and the text lands in a `<w:t>`: a narrative such as
`=HYPERLINK(…)` reads as typed and never becomes a Word field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from exports.limits import fit_cell
from exports.safety import xml_safe

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_TEXT = 1_000_000  # characters of one run: a narrative longer than this is cut, marked

# Styles defined by exports.docx.official (ids, as python-docx derives them from the names).
BODY = None  # the Normal style: justified, first-line indent, 6 pt after
COMPACT = "Compact"  # header, closing and title blocks: no indent, no spacing
CELL = "TableText"  # table cells: 12 pt, no indent
HEADINGS = ("Heading1", "Heading2", "Heading3", "Heading4")


def esc(text: Any) -> str:
    """User text made safe for a `<w:t>`."""
    clean = xml_safe(str(text))
    if len(clean) > MAX_TEXT // 2:
        clean = fit_cell(clean, MAX_TEXT)
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text with its character format (`size` in points; None: the style's)."""

    text: str
    bold: bool = False
    italic: bool = False
    size: float | None = None
    caps: bool = False


def run(piece: Run | str) -> str:
    if isinstance(piece, str):
        piece = Run(piece)
    props = ""
    if piece.bold:
        props += "<w:b/><w:bCs/>"
    if piece.italic:
        props += "<w:i/><w:iCs/>"
    if piece.caps:
        props += "<w:caps/>"
    if piece.size:
        half = round(piece.size * 2)
        props += f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    text = esc(piece.text)
    if "\n" in text:  # a typed line break stays a line break inside the paragraph
        text = '</w:t><w:br/><w:t xml:space="preserve">'.join(text.split("\n"))
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(pieces: Sequence[Run | str] | Run | str = (), *, style: str | None = BODY,
         align: str | None = None, keep_next: bool = False, indent: bool | None = None,
         before: int | None = None, after: int | None = None,
         border_bottom: bool = False, sides: int | None = None,
         page_break: bool = False) -> str:
    """One paragraph. `align`: left/center/right/both; `indent` False removes the style's
    first-line indent; `before`/`after` in twentieths of a point; `border_bottom` draws a rule
    under the paragraph, `sides` twips of indent left and right (a short centred rule)."""
    if isinstance(pieces, Run | str):
        pieces = (pieces,)
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if keep_next:
        ppr += "<w:keepNext/>"
    if page_break:
        ppr += "<w:pageBreakBefore/>"
    if border_bottom:
        ppr += ('<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                'w:color="000000"/></w:pBdr>')
    if before is not None or after is not None:
        attrs = "".join(f' w:{name}="{value}"' for name, value in
                        (("before", before), ("after", after)) if value is not None)
        ppr += f"<w:spacing{attrs}/>"
    if sides is not None:
        ppr += f'<w:ind w:left="{sides}" w:right="{sides}" w:firstLine="0"/>'
    elif indent is False:
        ppr += '<w:ind w:firstLine="0"/>'
    if align:
        ppr += f'<w:jc w:val="{align}"/>'
    body = "".join(run(piece) for piece in pieces if piece)
    return f"<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>" if ppr else f"<w:p>{body}</w:p>"


def rule(width: int, column: int, *, after: int = 0) -> str:
    """A short centred horizontal rule `width` twips long in a column `column` twips wide: an
    empty 1 pt paragraph with a bottom border, narrowed by equal side indents."""
    sides = max(0, (column - width) // 2)
    return (f'<w:p><w:pPr><w:pStyle w:val="{COMPACT}"/><w:pBdr><w:bottom w:val="single" '
            f'w:sz="6" w:space="1" w:color="000000"/></w:pBdr><w:spacing w:before="60" '
            f'w:after="{after}" w:line="20" w:lineRule="exact"/><w:ind w:left="{sides}" '
            f'w:right="{sides}" w:firstLine="0"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: its text (several runs allowed), alignment and weight."""

    pieces: tuple[Run | str, ...]
    align: str | None = None

    @classmethod
    def of(cls, text: str, *, bold: bool = False, italic: bool = False,
           align: str | None = None) -> Cell:
        return cls((Run(text, bold=bold, italic=italic),), align)


_CELL_OPEN: dict[tuple[int, str, str | None, bool, bool], str] = {}
_CELL_CLOSE = "</w:t></w:r></w:p></w:tc>"


def _cell(cell: Cell | str, width: int, style: str) -> str:
    if isinstance(cell, str):
        cell = Cell((cell,))
    pieces = cell.pieces
    if len(pieces) == 1:  # the common cell: one run of one line, its opening built once
        piece = pieces[0]
        text, bold, italic = ((piece, False, False) if isinstance(piece, str)
                              else (piece.text, piece.bold, piece.italic))
        if "\n" not in text and (not isinstance(piece, Run) or (not piece.size
                                                                 and not piece.caps)):
            key = (width, style, cell.align, bold, italic)
            opening = _CELL_OPEN.get(key)
            if opening is None:
                props = ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
                jc = f'<w:jc w:val="{cell.align}"/>' if cell.align else ""
                opening = _CELL_OPEN[key] = (
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
                    f'<w:pStyle w:val="{style}"/>{jc}</w:pPr><w:r>'
                    f'{"<w:rPr>" + props + "</w:rPr>" if props else ""}'
                    '<w:t xml:space="preserve">')
            return opening + esc(text) + _CELL_CLOSE
    content = para(pieces, style=style, align=cell.align)
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'


def table(widths: Sequence[int], rows: Iterable[Sequence[Cell | str]], *, header_rows: int = 1,
          borders: bool = True, style: str = CELL) -> Iterable[str]:
    """A fixed-layout table (widths in twips), yielded row by row so thousands of rows never
    sit in memory at once. The first `header_rows` rows repeat on every page."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    look = '<w:tblStyle w:val="TableGrid"/>' if borders else (
        '<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/>'
        '<w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>')
    yield (f'<w:tbl><w:tblPr>{look}<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/>'
           '<w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
           f"<w:tblGrid>{grid}</w:tblGrid>")
    for number, cells in enumerate(rows):
        head = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if number < header_rows else (
            "<w:trPr><w:cantSplit/></w:trPr>")
        body = "".join(_cell(c, w, style) for c, w in zip(cells, widths, strict=True))
        yield f"<w:tr>{head}{body}</w:tr>"
    yield "</w:tbl>"
