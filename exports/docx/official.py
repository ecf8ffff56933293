"""The official form of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I),
shared by the consolidated report and each unit's own report.

- A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm.
- Times New Roman in black for every style, headings included: every `w:rFonts` of the
  styles names it for ascii/hAnsi/cs/eastAsia and no theme font is left (Word's theme fonts
  would turn headings into Calibri Light beside a serif body).
- Header: a two-column table — the parent body (upper case) and the issuing body (upper
  case, bold) with a short rule under it on the left; "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
  over "Độc lập - Tự do - Hạnh phúc" with a rule as long as that line on the right; then
  "Số: …/BC-…" on the left and "place, ngày … tháng … năm …" (italic) on the right.
- "BÁO CÁO" bold and centred, the subject line under it in bold, a short rule below.
- Body 14 pt, justified, first-line indent 1,27 cm, 6 pt after each paragraph.
- Page numbers centred in the top margin from page 2 (a different, empty first-page header).
- At the end, "Nơi nhận:" (12 pt bold italic) and its list (11 pt) on the left, the signature
  block (authority and title upper case bold, then the name bold) on the right.

Where a detail is not set, the dotted blank an official fills by hand is printed instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from exports.docx.xml import COMPACT, Cell, Run, para, rule, table
from forms.model import Column

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH = 9354  # twips between the margins: 210 mm - 30 mm - 15 mm
LEFT_COLUMN = 3800  # the header table's left column (issuing body, number)
RIGHT_COLUMN = TEXT_WIDTH - LEFT_COLUMN
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
DOTS = "……………"
MARKER = "DECUONG-BODY-MARKER"
_FONTS = (f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" '
          f'w:eastAsia="{FONT}"/>')


@dataclass(frozen=True)
class Heading:
    """What the first page says: who issues, number, place and date, subject."""

    issuer: str | None
    parent: str | None = None
    number_symbol: str | None = None
    place: str | None = None
    day: date | None = None
    kind: str = "BÁO CÁO"
    subject: tuple[str, ...] = ()
    symbol_hint: str = "/BC-…"


@dataclass(frozen=True)
class Closing:
    """What the last page says: recipients and who signs."""

    recipients: tuple[str, ...] = ()
    authority: str | None = None
    title: str | None = None
    name: str | None = None
    extra: tuple[str, ...] = field(default=())


def number_line(symbol: str | None, hint: str = "/BC-…") -> str:
    """"Số: 125/BC-UBND"; "Số:      /BC-UBND" when only the symbol is set (the number is
    written by hand when the document is registered); "Số:      /BC-…" when nothing is."""
    text = (symbol or "").strip()
    if not text:
        return f"Số:       {hint}"
    if text.startswith("/"):
        return f"Số:       {text}"
    return f"Số: {text}"


def date_line(place: str | None, day: date | None) -> str:
    """"Cẩm Giang, ngày 05 tháng 02 năm 2026" (a day below 10 and the months 1 and 2 get a
    leading zero, as Nghị định 30 writes them); dotted blanks for what is not set."""
    where = place.strip() if place and place.strip() else "……"
    if day is None:
        return f"{where}, ngày … tháng … năm …"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{where}, ngày {day.day:02d} tháng {month} năm {day.year}"


def front(heading: Heading) -> Iterator[str]:
    """The header table, the document kind and the subject."""
    left = []
    if heading.parent:
        left.append(para(Run(heading.parent.upper(), size=13), style=COMPACT,
                         align="center"))
    issuer = heading.issuer.upper() if heading.issuer else DOTS
    left.append(para(Run(issuer, bold=True, size=13), style=COMPACT, align="center"))
    left_cell = "".join(left) + rule(1300, LEFT_COLUMN, after=0)
    right_cell = (para(Run(NATION, bold=True, size=12), style=COMPACT, align="center")
                  + para(Run(MOTTO, bold=True, size=13), style=COMPACT, align="center")
                  + rule(3350, RIGHT_COLUMN, after=0))
    yield _raw_table((LEFT_COLUMN, RIGHT_COLUMN), [
        (left_cell, right_cell),
        (para(Run(number_line(heading.number_symbol, heading.symbol_hint), size=13),
              style=COMPACT, align="center", before=120),
         para(Run(date_line(heading.place, heading.day), italic=True, size=14),
              style=COMPACT, align="center", before=120)),
    ])
    yield para(Run(heading.kind, bold=True, size=14), style=COMPACT, align="center",
               before=360, keep_next=True)
    for line in heading.subject:
        yield para(Run(line, bold=True, size=14), style=COMPACT, align="center",
                   keep_next=True)
    yield rule(1800, TEXT_WIDTH, after=240)


def _raw_table(widths: tuple[int, int], rows: list[tuple[str, str]]) -> str:
    """A borderless table whose cells hold ready-made paragraphs."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           '<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/>'
           '<w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/>'
           '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" '
           'w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
           f"<w:tblGrid>{grid}</w:tblGrid>"]
    for cells in rows:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for content, width in zip(cells, widths, strict=True):
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                       f"{content}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def closing(block: Closing) -> Iterator[str]:
    """"Nơi nhận:" and its list on the left, the signature block on the right."""
    lines = list(block.recipients) or ["……;", "Lưu: VT."]
    recipients = para(Run("Nơi nhận:", bold=True, italic=True, size=12), style=COMPACT,
                      before=240) + "".join(
        para(Run(line if line.startswith(("-", "–")) else f"- {line}", size=11),
             style=COMPACT) for line in lines)
    sign = []
    first = True
    for text in (block.authority, block.title or DOTS):
        if text:
            sign.append(para(Run(text.upper(), bold=True, size=14), style=COMPACT,
                             align="center", before=240 if first else None))
            first = False
    sign.extend(para("", style=COMPACT) for _ in range(4))  # room for signature and seal
    sign.append(para(Run(block.name or "", bold=True, size=14), style=COMPACT,
                     align="center"))
    yield _raw_table((LEFT_COLUMN + 600, RIGHT_COLUMN - 600),
                     [(recipients, "".join(sign))])


def _style_document(document) -> None:
    """Page, margins, styles and the page-number header of a fresh python-docx Document."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Mm(12.7)
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.line_spacing = 1.1
    for level, name in enumerate(("Heading 1", "Heading 2", "Heading 3", "Heading 4")):
        style = styles[name]
        style.font.size = Pt(BODY_PT)
        style.font.bold = True
        style.font.italic = level == 3
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.first_line_indent = Mm(12.7)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    compact = styles.add_style(COMPACT, WD_STYLE_TYPE.PARAGRAPH)
    compact.base_style = normal
    compact.paragraph_format.first_line_indent = Mm(0)
    compact.paragraph_format.space_after = Pt(0)
    compact.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = compact
    cell.font.size = Pt(12)
    # Page numbers: centred at the top from page 2; the first page's header stays empty.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    page_run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    page_run.append(text)
    field.append(page_run)
    header._p.append(field)
    header.paragraph_format.first_line_indent = Mm(0)


_RFONTS = re.compile(r"<w:rFonts\b[^>]*/>")
_COLOR = re.compile(r"<w:color\b[^>]*/>")


def _serif_styles(xml: str) -> str:
    """Every font of a styles part set to Times New Roman and every colour to black: no
    `asciiTheme`/`hAnsiTheme`/`eastAsiaTheme`/`cstheme` attribute survives."""
    xml = _COLOR.sub('<w:color w:val="000000"/>', _RFONTS.sub(_FONTS, xml))
    if "<w:rPrDefault><w:rPr>" in xml and "<w:rPrDefault><w:rPr><w:rFonts" not in xml:
        xml = xml.replace("<w:rPrDefault><w:rPr>", f"<w:rPrDefault><w:rPr>{_FONTS}", 1)
    return xml


def package(chunks: Iterable[str], out: str | Path | IO[bytes]) -> None:
    """Write a .docx whose body is `chunks` (WordprocessingML strings, in order), streamed
    into the package: nothing but the current batch of text is held in memory."""
    document = Document()
    _style_document(document)
    document.add_paragraph(MARKER)
    template = io.BytesIO()
    document.save(template)
    template.seek(0)
    target = str(out) if isinstance(out, Path) else out
    with zipfile.ZipFile(template) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as result:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename in ("word/styles.xml", "word/stylesWithEffects.xml"):
                data = _serif_styles(data.decode("utf-8")).encode("utf-8")
            if info.filename != "word/document.xml":
                result.writestr(info.filename, data)
                continue
            xml = data.decode("utf-8")
            at = xml.index(MARKER)
            start, end = xml.rindex("<w:p>", 0, at), xml.index("</w:p>", at) + len("</w:p>")
            with result.open(info.filename, "w") as stream:
                stream.write(xml[:start].encode("utf-8"))
                batch: list[str] = []
                size = 0
                for chunk in chunks:
                    batch.append(chunk)
                    size += len(chunk)
                    if size > 1 << 20:
                        stream.write("".join(batch).encode("utf-8"))
                        batch, size = [], 0
                stream.write("".join(batch).encode("utf-8"))
                stream.write(xml[end:].encode("utf-8"))


__all__ = ["BODY_PT", "FONT", "TEXT_WIDTH", "Cell", "Closing", "Heading", "closing",
           "date_line", "front", "number_line", "package", "table"]


def column_table_head(first: str, first_width: int, columns: Sequence[Column]
                      ) -> tuple[list[int], list[Cell]]:
    """Widths and header cells of a repeating table in a report: a first column (the unit, or
    the row number) and one column per table column, with its unit word, sharing the rest of
    the text width."""
    heads = [Cell.of(first, bold=True, align="center")] + [
        Cell.of(f"{c.label} ({c.unit})" if c.unit else c.label, bold=True, align="center")
        for c in columns]
    share = (TEXT_WIDTH - first_width) // max(1, len(columns))
    return [first_width] + [share] * len(columns), heads
