"""The byte scanners of the safety checks find what they must wherever the XML puts it: far cell
references after any whitespace, merged cells with or without a namespace prefix (read by
calamine), percent styles whether or not their part is small enough to be cached."""

from __future__ import annotations

import io
import zipfile

import pytest
from excel_helpers import part, rezip

from forms.excel import ExcelError, read_workbook, zip_parts
from forms.excel.styles import percent_styles as _percent_styles
from forms.excel.zip_parts import SMALL_PART

SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize("space", [b" ", b"\n", b"\t", b"\r\n"])
def test_far_row_is_refused_after_any_whitespace(template, space) -> None:
    far = b"<row" + space + b'r="20000"><c' + space + b'r="A20000"><v>1</v></c></row>'
    sheet = part(template, SHEET).replace(b"</sheetData>", far + b"</sheetData>")
    with pytest.raises(ExcelError) as caught:
        read_workbook(rezip(template, {SHEET: sheet}))
    assert caught.value.codes == ["sheet_too_big"]


def test_far_column_after_a_newline_is_refused(template) -> None:
    far = b'<row r="90"><c\nr="XFD90"><v>1</v></c></row>'
    sheet = part(template, SHEET).replace(b"</sheetData>", far + b"</sheetData>")
    with pytest.raises(ExcelError) as caught:
        read_workbook(rezip(template, {SHEET: sheet}))
    assert caught.value.codes == ["sheet_too_wide"]


def test_an_attribute_ending_in_r_is_not_a_reference(template) -> None:
    sheet = part(template, SHEET).replace(b"<sheetData>", b'<sheetData foor="XFD99999">', 1)
    assert read_workbook(rezip(template, {SHEET: sheet})).sheet_names


def test_merged_cells_with_and_without_prefix(template) -> None:
    sheet = part(template, SHEET)
    sheet = sheet[:sheet.index(b"</sheetData>") + len(b"</sheetData>")] + (
        b'<mergeCells count="4"><mergeCell ref="B2:F2"/><x:mergeCell '
        b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'ref="C3:D4"/><mergeCell\nref="H1:H2"/><mergeCell ref="G7"/></mergeCells>'
        b"</worksheet>")
    book = read_workbook(rezip(template, {SHEET: sheet}))
    assert sorted(book.merged_ranges("Báo cáo")) == [
        (0, 7, 1, 7), (1, 1, 1, 5), (2, 2, 3, 3), (6, 6, 6, 6)]


def test_percent_styles_are_the_same_cached_or_not() -> None:
    styles = (b'<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/>'
              b'</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/>'
              b'<xf numFmtId="10"/></cellXfs></styleSheet>')
    padded = styles.replace(b"</styleSheet>", b"<!--" + b" " * SMALL_PART + b"--></styleSheet>")
    assert _percent_styles(styles) == _percent_styles(styles) == frozenset({1, 2})
    assert _percent_styles(padded) == frozenset({1, 2})


# Large parts are decompressed a chunk at a time (zip_parts.STREAM_CHUNK); with chunks of 1,000
# bytes the template's sheet takes that path and every reference may fall on a boundary.


def _padded(template: bytes, far: bytes, offset: int) -> bytes:
    """The main sheet past SMALL_PART, without `<dimension>`, with `far` `offset` bytes into
    a 1,000-byte chunk."""
    sheet = part(template, SHEET)
    start = sheet.index(b"<dimension")
    sheet = sheet[:start] + sheet[sheet.index(b"/>", start) + 2:]
    at = sheet.index(b"</sheetData>")
    size = SMALL_PART + (offset - at - SMALL_PART) % 1000  # so that at + size ≡ offset
    filler = b"<!--" + b"x" * (size - 7) + b"-->"
    return sheet[:at] + filler + far + sheet[at:]


@pytest.mark.parametrize("offset", range(985, 1000, 2))
def test_a_far_row_cut_by_a_chunk_boundary_is_still_found(template, offset, monkeypatch) -> None:
    monkeypatch.setattr(zip_parts, "STREAM_CHUNK", 1000)
    far = b'<row r="20000"><c><v>1</v></c></row>'  # one reference only (a cell may omit it)
    sheet = _padded(template, far, offset)
    assert sheet.index(far) % 1000 == offset
    assert len(sheet) > SMALL_PART
    with pytest.raises(ExcelError) as caught:
        read_workbook(rezip(template, {SHEET: sheet}))
    assert caught.value.codes == ["sheet_too_big"]
    assert "dòng 20.000" in caught.value.problems[0].message


def test_a_large_sheet_within_the_limits_is_read_whole(template, monkeypatch) -> None:
    monkeypatch.setattr(zip_parts, "STREAM_CHUNK", 1000)
    sheet = _padded(template, b"", 0)
    book = read_workbook(rezip(template, {SHEET: sheet}))
    assert book.sheet_names and book.rows("Báo cáo")


def test_a_sheet_of_a_million_rows_is_refused_without_decompressing_it_all(template,
                                                                          monkeypatch) -> None:
    # 1,000,000 rows without <dimension>: the check must stop near row 10,001, not read on.
    seen = []
    stream = zip_parts.stream

    def counting(data, info):
        for chunk in stream(data, info):
            seen.append(len(chunk))
            yield chunk

    monkeypatch.setattr(zip_parts, "stream", counting)
    sheet = part(template, SHEET)
    start = sheet.index(b"<dimension")
    sheet = sheet[:start] + sheet[sheet.index(b"/>", start) + 2:]
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n)
                    for n in range(100, 1_000_000))
    sheet = sheet.replace(b"</sheetData>", rows + b"</sheetData>")
    with pytest.raises(ExcelError) as caught:
        read_workbook(rezip(template, {SHEET: sheet}))
    assert "dòng 10.001" in caught.value.problems[0].message
    assert sum(seen) < 2 * zip_parts.STREAM_CHUNK < len(sheet) // 10


def test_a_large_part_that_fails_its_crc_is_refused(template, monkeypatch) -> None:
    monkeypatch.setattr(zip_parts, "STREAM_CHUNK", 1000)
    shared = "xl/sharedStrings.xml"
    data = rezip(template, {shared: part(template, shared).replace(
        b"</sst>", b"<!--" + b"y" * SMALL_PART + b"--></sst>")})
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(shared)
    broken = bytearray(data)
    at = data.index(b"PK\x01\x02")  # the central directory
    while True:  # the central directory entry of the shared strings: give it another CRC
        name_len = int.from_bytes(broken[at + 28:at + 30], "little")
        if bytes(broken[at + 46:at + 46 + name_len]) == shared.encode():
            broken[at + 16:at + 20] = (info.CRC ^ 1).to_bytes(4, "little")
            break
        at = data.index(b"PK\x01\x02", at + 4)
    with pytest.raises(ExcelError) as caught:
        read_workbook(bytes(broken))
    assert caught.value.codes == ["corrupt"]
