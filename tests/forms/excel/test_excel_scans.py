"""The byte scanners of the safety checks find what they must wherever the XML puts it: far cell
references after any whitespace, merged cells with or without a namespace prefix, percent styles
whether or not their part is small enough to be cached."""

from __future__ import annotations

import pytest
from excel_helpers import part, rezip

from forms.excel import ExcelError, read_workbook
from forms.excel.safety import SMALL_PART, Inspection, _percent_styles

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


def _merges(xml: bytes) -> list[tuple[int, int, int, int]]:
    return Inspection(sheet_parts={"S": "p"}, parts={"p": xml}).merged_ranges("S")


def test_merged_cells_with_and_without_prefix() -> None:
    xml = (b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCell ref="A1:Z9"'
           b'</t></is></c></row></sheetData><mergeCells count="4"><mergeCell ref="B2:F2"/>'
           b'<x:mergeCell ref="$C$3:$D$4"/><mergeCell  ref="G7"/><mergeCell ref="7:9"/>'
           b'<not:a:mergeCell ref="A1:B1"/><mergeCell\nref="H1:H2"/></mergeCells></worksheet>')
    # Text that looks like a merge, a prefix that is not a name, whole rows: not cell ranges.
    assert _merges(xml) == [(1, 1, 1, 5), (2, 2, 3, 3), (6, 6, 6, 6), (0, 7, 1, 7)]
    assert _merges(b"<worksheet/>") == []


def test_percent_styles_are_the_same_cached_or_not() -> None:
    styles = (b'<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/>'
              b'</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/>'
              b'<xf numFmtId="10"/></cellXfs></styleSheet>')
    padded = styles.replace(b"</styleSheet>", b"<!--" + b" " * SMALL_PART + b"--></styleSheet>")
    assert _percent_styles(styles) == _percent_styles(styles) == frozenset({1, 2})
    assert _percent_styles(padded) == frozenset({1, 2})
