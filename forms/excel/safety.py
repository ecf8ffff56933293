"""Look at an uploaded file before any spreadsheet parser does.

Uploads come from e-mail and Zalo: renamed PDFs and photos, old .xls, password-protected files,
and now and then something hostile. Everything here is decided from the zip's central directory
and the first bytes of each part, so a zip bomb or a sheet declaring a million rows is refused
before it is decompressed; only then are the parts calamine will read decompressed once, with a
cap, to check that they really are as small as declared (a lying header cannot smuggle a bomb
past the size checks, and a damaged part is found here rather than half-way through parsing).
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from forms.excel.errors import ExcelError, human_size, problem

MAX_BYTES = 10 * 1024 * 1024  # a filled template is tens of KB; leave room for pasted photos
MAX_ENTRIES = 1000
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # all parts together, as declared and as decompressed
MAX_RATIO = 100  # deflate of real spreadsheet XML stays well under 100:1 for large parts
RATIO_FLOOR = 1024 * 1024  # the ratio is only judged on parts larger than this
MAX_ROWS = 10_000
MAX_COLUMNS = 1_000
HEAD = 4096  # bytes of each XML part read before deciding anything else
SMALL_PART = 256 * 1024  # parts up to this size are decompressed whole in one go
STREAM_CHUNK = 1024 * 1024  # larger parts are decompressed this much at a time
OVERLAP = 64  # bytes rescanned across chunks: longer than any cell reference attribute

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]*)\$?(\d*)(?::\$?([A-Z]+)\$?(\d+))?"')
_ELEMENT = re.compile(rb"<[A-Za-z_]")
# A cell or row reference with a column of 3+ letters or a row of 5+ digits: rare, and the only
# ones that can exceed the limits (the exact value is then computed). The pattern starts with a
# literal, which the regex engine scans for at C speed; the whitespace before `r=` is checked by
# hand, as a leading `\s` would make the engine try every byte.
_FAR_REF = re.compile(rb'r="([A-Z]{3,}\d+|[A-Z]*\d{5,})"')
_SPACE = frozenset(b" \t\n\r\x0b\x0c")  # what `\s` means in a bytes pattern
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b([^>]*)>')
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_NUMFMT = re.compile(rb'<(?:\w+:)?numFmt\s+([^>]*)>')
_CELLXFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_REF = re.compile(r"([A-Z]*)(\d+)")
# `<mergeCell ref=…` (or `<x:mergeCell`): the pattern starts with its literal, which the regex
# engine scans for at C speed; the "<" and namespace prefix before it are checked by hand.
_MERGE = re.compile(rb'mergeCell\s+ref="([^":]{1,20})(?::([^"]{1,20}))?"')
_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
MAX_MERGES = 10_000
_MAYBE_PERCENT = re.compile(rb'%|numFmtId="(?:9|10)"')
_PERCENT_BUILTIN = {9, 10}


@dataclass
class Inspection:
    """What the checks learnt that the reader needs: sheet name → part, and percent styles."""

    sheet_parts: dict[str, str] = field(default_factory=dict)
    parts: dict[str, bytes] = field(default_factory=dict)  # worksheet XML, decompressed
    percent_styles: frozenset[int] = frozenset()

    def merged_ranges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        """Zero-based (first row, first col, last row, last col) of the merged cells of `sheet`,
        at most MAX_MERGES of them (a real template has a few hundred)."""
        xml = self.parts.get(self.sheet_parts.get(sheet, ""), b"")
        first = xml.find(b"mergeCell")  # usually past the sheet data: start the scan there
        if first < 0:
            return []
        found = []
        for match in _MERGE.finditer(xml, first):
            if not _opens_element(xml, match.start()):
                continue
            merged = _merge_range(*match.groups())
            if merged is not None:
                found.append(merged)
            if len(found) >= MAX_MERGES:
                break
        return found

    def percent_cells(self, sheet: str) -> set[tuple[int, int]]:
        """Zero-based (row, col) of the cells of `sheet` formatted as an Excel percentage: a
        user who types "95%" in Excel gets 0.95 in such a cell. Empty unless the workbook's
        styles use a percent format at all (our template never does)."""
        if not self.percent_styles:
            return set()
        xml = self.parts.get(self.sheet_parts.get(sheet, ""), b"")
        found: set[tuple[int, int]] = set()
        for match in _CELL.finditer(xml):
            attrs = dict(_ATTR.findall(match.group(1)))
            style, ref = attrs.get(b"s"), attrs.get(b"r")
            if style is None or ref is None or int(style) not in self.percent_styles:
                continue
            cell = _REF.fullmatch(ref.decode("ascii", "replace"))
            if cell:
                found.add((int(cell.group(2)) - 1, _col_index(cell.group(1))))
        return found


def sniff(data: bytes, *, max_bytes: int = MAX_BYTES) -> None:
    """Refuse what is not a zip before opening it, saying what the file seems to be."""
    if not data:
        raise ExcelError(problem("empty"))
    if len(data) > max_bytes:
        raise ExcelError(problem("too_large", size=human_size(len(data)),
                                 limit=human_size(max_bytes)))
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return
    if data[:8] == OLE_MAGIC:
        # An OLE compound file is either an encrypted OOXML package or a legacy .xls/.doc.
        if _ENCRYPTED_STREAM in data:
            raise ExcelError(problem("encrypted"))
        raise ExcelError(problem("old_xls"))
    raise ExcelError(problem("not_xlsx", what=_what(data)))


def _what(data: bytes) -> str:
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "tệp PDF đổi tên"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")) or head[8:12] == b"WEBP":
        return "tệp ảnh đổi tên"
    if head.startswith(b"{\\rtf"):
        return "tệp văn bản RTF đổi tên"
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "tệp nén đổi tên"
    text = _as_text(head)
    if text is None:
        return "một loại tệp khác"
    stripped = text.lstrip().lower()
    if stripped.startswith(("<html", "<!doctype html", "<table", "<meta")):
        return "trang web HTML đổi tên"
    if stripped.startswith("<?xml") or stripped.startswith("<"):
        return "tệp XML đổi tên, ví dụ Bảng tính XML 2003"
    first = text.splitlines()[0] if text.splitlines() else ""
    if any(sep in first for sep in (",", ";", "\t")):
        return "tệp CSV đổi tên"
    return "tệp văn bản đổi tên"


def _as_text(head: bytes) -> str | None:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        if all(ch.isprintable() or ch in "\r\n\t" for ch in text):
            return text
    # A cut in the middle of a UTF-8 sequence at the end of `head` is fine.
    try:
        text = head[:-3].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if all(ch.isprintable() or ch in "\r\n\t" for ch in text) else None


def _entry_count(data: bytes) -> int | None:
    """Entries declared by the end-of-central-directory record, read without building the
    (possibly enormous) list of entries."""
    tail = data[-(65535 + 22):]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    return struct.unpack("<H", tail[at + 10: at + 12])[0]


def inspect(data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS,
            max_columns: int = MAX_COLUMNS) -> Inspection:
    """Every safety check, in order of cost; raise ExcelError on the first refusal."""
    sniff(data, max_bytes=max_bytes)
    count = _entry_count(data)
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
                body = _read_capped(data, info)
                bodies[info.filename] = body
                _check_prolog(body[:HEAD])
            else:
                _check_prolog(_head(data, info))
        found = Inspection()
        found.sheet_parts = _sheet_parts(bodies)
        names = {part: sheet for sheet, part in found.sheet_parts.items()}
        for info in infos:
            name = info.filename
            if not name.startswith("xl/worksheets/") or not _is_xml(name):
                continue
            sheet = names.get(name, name)
            head = bodies[name][:HEAD] if name in bodies else _head(data, info)
            _check_dimension(head, sheet, max_rows, max_columns)
        # Decompress the rest of what calamine will read, with the declared sizes as a cap.
        # A large part goes a chunk at a time and is kept only if the reader needs it, so
        # checking it costs a megabyte, or the part itself, never twice the part.
        for info in infos:
            name = info.filename
            if not _is_xml(name) or name.startswith(("xl/theme/", "docProps/")):
                continue
            is_sheet = name.startswith("xl/worksheets/")
            if name in bodies:
                body = bodies[name]
                if is_sheet:
                    _check_extent(body, names.get(name, name), max_rows, max_columns)
            elif is_sheet:
                body = _read_sheet(data, info, names.get(name, name), max_rows, max_columns)
            elif name == "xl/styles.xml":
                body = _read_capped(data, info)
            else:
                for _chunk in _stream(data, info):
                    pass  # only verified: calamine reads it, nothing here needs it
                continue
            if is_sheet:
                found.parts[name] = body
            elif name == "xl/styles.xml":
                found.percent_styles = _percent_styles(body)
        return found


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


def _payload(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of a part, located through its local header."""
    at = info.header_offset
    header = data[at: at + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise ExcelError(problem("corrupt"))
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = at + 30 + name_len + extra_len
    return data[start: start + info.compress_size]


def _inflate(data: bytes, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Up to `limit` decompressed bytes of a part. zlib's `max_length` caps the output, so a
    part that inflates beyond what it declares costs no more than its declared size."""
    payload = _payload(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        return payload[:limit]
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ExcelError(problem("corrupt"))
    try:
        return zlib.decompressobj(-15).decompress(payload, limit)
    except zlib.error:
        raise ExcelError(problem("corrupt")) from None


def _head(data: bytes, info: zipfile.ZipInfo) -> bytes:
    return _inflate(data, info, HEAD)


def _read_capped(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The whole part, refused if it is longer or shorter than declared or fails its CRC: a
    lying header cannot smuggle a bomb past the size checks."""
    if info.file_size <= SMALL_PART:  # one call: the common case, and the fastest
        body = _inflate(data, info, info.file_size + 1)
        if len(body) != info.file_size or zlib.crc32(body) != info.CRC:
            raise ExcelError(problem("corrupt"))
        return body
    return b"".join(_stream(data, info))


def _stream(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The decompressed part, STREAM_CHUNK bytes at a time; refused as soon as it grows past
    its declared size, and at the end if it is shorter or fails its CRC."""
    payload = _payload(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        chunks: Iterator[bytes] = iter((payload[:info.file_size + 1],))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _inflated(payload)
    else:
        raise ExcelError(problem("corrupt"))
    size = crc = 0
    for chunk in chunks:
        size += len(chunk)
        if size > info.file_size:
            raise ExcelError(problem("corrupt"))
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if size != info.file_size or crc != info.CRC:
        raise ExcelError(problem("corrupt"))


def _inflated(payload: bytes) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-15)
    pending = payload
    try:
        while True:
            chunk = inflater.decompress(pending, STREAM_CHUNK)
            pending = inflater.unconsumed_tail
            if chunk:
                yield chunk
            if inflater.eof or not (chunk or pending):
                return
    except zlib.error:
        raise ExcelError(problem("corrupt")) from None


def _read_sheet(data: bytes, info: zipfile.ZipInfo, sheet: str, max_rows: int,
                max_columns: int) -> bytes:
    """A large worksheet, its references checked chunk by chunk as it is decompressed: a sheet
    without `<dimension>` that runs to a million rows is refused at its first row past the
    limit, having cost that far and no further."""
    body = bytearray()
    for chunk in _stream(data, info):
        start = max(0, len(body) - OVERLAP)  # a reference cut by the chunk boundary
        body += chunk
        _check_extent(bytes(body[start:]), sheet, max_rows, max_columns)
    return bytes(body)


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
        raise ExcelError(problem("sheet_too_big", sheet=sheet, rows=_vn(int(last_row)),
                                 limit=_vn(max_rows)))
    if last_col and _col_index(last_col.decode()) + 1 > max_columns:
        raise ExcelError(problem("sheet_too_wide", sheet=sheet,
                                 columns=_vn(_col_index(last_col.decode()) + 1),
                                 limit=_vn(max_columns)))


def _check_extent(body: bytes, sheet: str, max_rows: int, max_columns: int) -> None:
    """The dimension may be missing or lie; calamine sizes its grid from the farthest cell, so
    every row and cell reference must stay within the limits."""
    for match in _FAR_REF.finditer(body):
        at = match.start()
        if at == 0 or body[at - 1] not in _SPACE:
            continue  # `spr="…"` and the like: not a reference attribute
        ref = _REF.fullmatch(match.group(1).decode("ascii"))
        letters, digits = (ref.group(1), ref.group(2)) if ref else ("", match.group(1).decode())
        if int(digits) > max_rows:
            raise ExcelError(problem("sheet_too_big", sheet=sheet, rows=_vn(int(digits)),
                                     limit=_vn(max_rows)))
        if letters and _col_index(letters) + 1 > max_columns:
            raise ExcelError(problem("sheet_too_wide", sheet=sheet,
                                     columns=_vn(_col_index(letters) + 1),
                                     limit=_vn(max_columns)))


def _opens_element(xml: bytes, at: int) -> bool:
    """Whether the name at `at` is an element's, i.e. preceded by "<" or "<prefix:"."""
    if at > 0 and xml[at - 1] == ord("<"):
        return True
    if at < 2 or xml[at - 1] != ord(":"):
        return False
    start = at - 1
    while start > 0 and xml[start - 1] in _WORD:
        start -= 1
    return start < at - 1 and start > 0 and xml[start - 1] == ord("<")


@lru_cache(maxsize=4096)
def _merge_range(first: bytes, last: bytes | None) -> tuple[int, int, int, int] | None:
    """A mergeCell's `ref` ("B12:D12", "$B$12") as zero-based bounds; None when it is not a
    range of cells. Cached: every template of an outline merges the same cells."""
    start = _REF.fullmatch(first.decode("latin-1").replace("$", ""))
    end = _REF.fullmatch((last or first).decode("latin-1").replace("$", ""))
    if not (start and end and start.group(1) and end.group(1)):
        return None
    return (int(start.group(2)) - 1, _col_index(start.group(1)),
            int(end.group(2)) - 1, _col_index(end.group(1)))


def _percent_styles(styles: bytes) -> frozenset[int]:
    """Indices of the cell formats (`s` attribute of a cell) whose number format is a
    percentage. The templates of one outline share their styles part, so a small one is
    looked up in a cache (bounded in count and size) before being parsed again."""
    if len(styles) <= SMALL_PART:
        return _percent_styles_cached(styles)
    return _parse_percent_styles(styles)


@lru_cache(maxsize=16)
def _percent_styles_cached(styles: bytes) -> frozenset[int]:
    return _parse_percent_styles(styles)


def _parse_percent_styles(styles: bytes) -> frozenset[int]:
    """Percent formats: built-in 9 and 10, or a custom code with an unquoted %."""
    if not _MAYBE_PERCENT.search(styles):
        return frozenset()  # the common case, decided without parsing
    percent_ids = set(_PERCENT_BUILTIN)
    for match in _NUMFMT.finditer(styles):
        attrs = dict(_ATTR.findall(match.group(1)))
        code = html.unescape(attrs.get(b"formatCode", b"").decode("utf-8", "replace"))
        if _is_percent_code(code):
            percent_ids.add(int(attrs.get(b"numFmtId", b"-1")))
    block = _CELLXFS.search(styles)
    if not block:
        return frozenset()
    found = set()
    for index, match in enumerate(_XF.finditer(block.group(1))):
        attrs = dict(_ATTR.findall(match.group(1)))
        if int(attrs.get(b"numFmtId", b"0") or 0) in percent_ids:
            found.add(index)
    return frozenset(found)


def _is_percent_code(code: str) -> bool:
    """Whether Excel multiplies by 100 for this format: a % outside quotes, brackets and
    backslash escapes (`0.##" %"`, our template's kind of format, does not)."""
    quoted = bracket = escaped = False
    for ch in code:
        if escaped:
            escaped = False
        elif quoted:
            quoted = ch != '"'
        elif bracket:
            bracket = ch != "]"
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = True
        elif ch == "[":
            bracket = True
        elif ch == "%":
            return True
    return False


def _col_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _vn(number: int) -> str:
    """1000000 → 1.000.000."""
    return f"{number:,}".replace(",", ".")
