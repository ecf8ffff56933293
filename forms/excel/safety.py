"""Look at an uploaded file before any spreadsheet parser does.

Uploads come from e-mail and Zalo: renamed PDFs and photos, old .xls, password-protected files,
and now and then something hostile. Everything here is decided from the zip's central directory
and the first bytes of each part, so a zip bomb or a sheet declaring a million rows is refused
before it is decompressed; only then are the parts calamine will read decompressed once, with a
cap, to check that they really are as small as declared (a lying header cannot smuggle a bomb
past the size checks, and a damaged part is found here rather than half-way through parsing),
and each worksheet's rows and cells are counted as it streams (`extent`), so a sheet that says
nothing about its size is refused at its first row past a limit.

The pieces: `sniff` (what the file is), `zip_parts` (capped reads of parts), `extent` (how far
a sheet reaches), `styles` (percent formats); this module runs them in order of cost.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field

from forms.excel import zip_parts
from forms.excel.errors import ExcelError, problem
from forms.excel.extent import SheetExtent
from forms.excel.formulas import uncached_formulas
from forms.excel.limits import (
    MAX_BYTES,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ENTRIES,
    MAX_RATIO,
    MAX_ROWS,
    MAX_TEXT,
    MAX_UNCOMPRESSED,
    RATIO_FLOOR,
)
from forms.excel.sniff import OLE_MAGIC, sniff
from forms.excel.strings import StringSizes
from forms.excel.styles import col_index, percent_cells, percent_styles
from forms.excel.zip_parts import HEAD, SMALL_PART
from forms.kinds.numbers import format_number

__all__ = ["MAX_BYTES", "MAX_CELLS", "MAX_COLUMNS", "MAX_ROWS", "OLE_MAGIC", "Inspection",
           "inspect", "sniff"]

_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]*)\$?(\d*)(?::\$?([A-Z]+)\$?(\d+))?"')
_ELEMENT = re.compile(rb"<[A-Za-z_]")
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b([^>]*)>')
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")


@dataclass
class Inspection:
    """What the checks learnt that the reader needs: sheet name → part, and percent styles."""

    sheet_parts: dict[str, str] = field(default_factory=dict)
    parts: dict[str, bytes | bytearray] = field(default_factory=dict)  # worksheet XML, decompressed
    percent_styles: frozenset[int] = frozenset()
    #: part → cells holding a formula saved without its result (`formulas`), found while the
    #: sheet's XML is at hand, so it need not be kept for them.
    uncached: dict[str, frozenset[bytes]] = field(default_factory=dict)

    def uncached_formulas(self, sheet: str) -> frozenset[bytes]:
        """References (b"D17") of the cells of `sheet` holding a formula without a result."""
        return self.uncached.get(self.sheet_parts.get(sheet, ""), frozenset())

    def percent_cells(self, sheet: str) -> set[tuple[int, int]]:
        """Zero-based (row, col) of the cells of `sheet` formatted as an Excel percentage: a
        user who types "95%" in Excel gets 0.95 in such a cell."""
        xml = self.parts.get(self.sheet_parts.get(sheet, ""), b"")
        return percent_cells(xml, self.percent_styles)


def inspect(data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS,
            max_columns: int = MAX_COLUMNS, max_cells: int = MAX_CELLS) -> Inspection:
    """Every safety check, in order of cost; raise ExcelError on the first refusal."""
    sniff(data, max_bytes=max_bytes)
    count = zip_parts.entry_count(data)
    if count is not None and count > MAX_ENTRIES:
        raise ExcelError(problem("too_many_parts", count=count, limit=MAX_ENTRIES))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ExcelError(problem("corrupt")) from None
    with zf:
        infos = zf.infolist()
        _check_names(infos)
        _check_sizes(infos)
        # Small parts are read whole at once; large ones are judged by their head first, so
        # a sheet declaring a million rows is refused before it is decompressed.
        bodies: dict[str, bytes] = {}
        for info in infos:
            if not _is_xml(info.filename):
                continue
            if info.file_size <= SMALL_PART:
                whole = zip_parts.read_whole(data, info)
                bodies[info.filename] = whole
                _check_prolog(whole[:HEAD])
            else:
                _check_prolog(zip_parts.head(data, info))
        found = Inspection()
        found.sheet_parts = _sheet_parts(bodies)
        names = {part: sheet for sheet, part in found.sheet_parts.items()}
        for info in infos:
            name = info.filename
            if not name.startswith("xl/worksheets/") or not _is_xml(name):
                continue
            sheet = names.get(name, name)
            head = bodies[name][:HEAD] if name in bodies else zip_parts.head(data, info)
            _check_dimension(head, sheet, max_rows, max_columns)
        # Decompress the rest of what calamine will read, with the declared sizes as a cap.
        # A large part goes a chunk at a time and is kept only if the reader needs it (a sheet's
        # XML past inspection only when the styles have a percent format: styles come first).
        strings: StringSizes | None = None
        text_left = MAX_TEXT
        for info in sorted(infos, key=_styles_and_strings_first):
            name = info.filename
            if not _is_xml(name) or name.startswith(("xl/theme/", "docProps/")):
                continue
            if name.startswith("xl/worksheets/"):
                extent = SheetExtent(names.get(name, name), max_rows=max_rows,
                                     max_columns=max_columns, max_cells=max_cells,
                                     strings=strings, max_text=text_left)
                body: bytes | bytearray
                if name in bodies:
                    body = bodies[name]
                    extent.feed(body)
                else:
                    body = _read_sheet(data, info, extent)
                extent.close()
                text_left -= extent.text
                found.uncached[name] = uncached_formulas(body)
                if found.percent_styles:
                    found.parts[name] = body
            elif name == "xl/styles.xml":
                styles = bodies.get(name) or zip_parts.read_whole(data, info)
                found.percent_styles = percent_styles(styles)
            elif _is_shared_strings(name):
                strings = StringSizes()
                chunks = [bodies[name]] if name in bodies else zip_parts.stream(data, info)
                for chunk in chunks:
                    strings.feed(chunk)
                strings.close()
            elif name not in bodies:
                for _chunk in zip_parts.stream(data, info):
                    pass  # only verified: calamine reads it, nothing here needs it
        return found


def _styles_and_strings_first(info: zipfile.ZipInfo) -> int:
    """Styles, then shared strings, then the rest: what the sheets' checks need comes first."""
    if info.filename == "xl/styles.xml":
        return 0
    return 1 if _is_shared_strings(info.filename) else 2


def _is_shared_strings(name: str) -> bool:
    return name.lower().endswith("sharedstrings.xml")


def _read_sheet(data: bytes, info: zipfile.ZipInfo, extent: SheetExtent) -> bytearray:
    """A large worksheet, counted chunk by chunk as it is decompressed: a sheet that runs to a
    million rows is refused at its first row past the limit, having cost that far only. The
    part is the one copy the counting kept (never a second)."""
    for chunk in zip_parts.stream(data, info):
        extent.feed(chunk)
    return extent.buffer


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml"))


def _check_names(infos: list[zipfile.ZipInfo]) -> None:
    names = {info.filename for info in infos}
    lowered = {name.lower() for name in names}
    if any(info.flag_bits & 0x1 for info in infos):
        raise ExcelError(problem("encrypted"))
    if "mimetype" in names and "content.xml" in names:
        raise ExcelError(problem("ods"))
    if "xl/workbook.bin" in lowered:
        raise ExcelError(problem("xlsb"))
    if any(n.endswith("vbaproject.bin") or n.startswith(("xl/macrosheets/", "xl/activex/"))
           for n in lowered):
        raise ExcelError(problem("macros"))
    if any(n.startswith("xl/externallinks/") for n in lowered):
        raise ExcelError(problem("external_links"))
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise ExcelError(problem("not_xlsx", what="tệp Word (.docx) đổi tên"))
        if "ppt/presentation.xml" in names:
            raise ExcelError(problem("not_xlsx", what="tệp PowerPoint (.pptx) đổi tên"))
        if "[Content_Types].xml" in names:
            raise ExcelError(problem("corrupt"))
        raise ExcelError(problem("not_xlsx", what="tệp nén .zip đổi tên"))


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise ExcelError(problem("zip_bomb"))


def _check_prolog(head: bytes) -> None:
    """Refuse DTDs: no spreadsheet part needs one, and entity expansion is the classic XML
    bomb. A declaration can only stand before the root element, i.e. within the head."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise ExcelError(problem("xml_entities"))
    if len(head) >= HEAD and not _ELEMENT.search(head):
        raise ExcelError(problem("xml_entities"))  # a prolog too long to judge


def _sheet_parts(bodies: dict[str, bytes]) -> dict[str, str]:
    """Sheet name → worksheet part, from workbook.xml and its relationships."""
    workbook = bodies.get("xl/workbook.xml", b"")
    rels = bodies.get("xl/_rels/workbook.xml.rels", b"")
    targets: dict[bytes, str] = {}
    for match in _REL.finditer(rels):
        attrs = dict(_ATTR.findall(match.group(1)))
        if b"Id" in attrs and b"Target" in attrs:
            target = attrs[b"Target"].decode("utf-8", "replace")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[attrs[b"Id"]] = target
    parts: dict[str, str] = {}
    for match in _SHEET.finditer(workbook):
        attrs = dict(_ATTR.findall(match.group(1)))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), None)
        if b"name" in attrs and rid in targets:
            name = html.unescape(attrs[b"name"].decode("utf-8", "replace"))
            parts[name] = targets[rid]
    return parts


def _check_dimension(head: bytes, sheet: str, max_rows: int, max_columns: int) -> None:
    match = _DIMENSION.search(head)
    if not match:
        return
    last_col = match.group(3) or match.group(1)
    last_row = match.group(4) or match.group(2)
    if last_row and int(last_row) > max_rows:
        raise ExcelError(problem("sheet_too_big", sheet=sheet, rows=format_number(int(last_row)),
                                 limit=format_number(max_rows)))
    if last_col and col_index(last_col.decode()) + 1 > max_columns:
        raise ExcelError(problem("sheet_too_wide", sheet=sheet,
                                 columns=format_number(col_index(last_col.decode()) + 1),
                                 limit=format_number(max_columns)))



