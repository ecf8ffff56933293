"""Every sheet limit holds whatever the XML says of itself, and turning a file away costs little.

Each hostile workbook is made here from the test template and read by `read_workbook` in a
fresh interpreter, which reports its outcome, its CPU time and its peak resident memory (VmHWM,
which unlike ru_maxrss is not inherited from the pytest process over fork and exec). The
reader's own share is the peak minus the child's peak just after its imports.
"""

from __future__ import annotations

import json
import random
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from excel_helpers import part, rezip

from forms.excel import ExcelError, read_workbook
from forms.excel.limits import MAX_CELLS

ROOT = Path(__file__).resolve().parents[3]
SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024

CHILD = """
import json, sys, time
from pathlib import Path
from forms.excel import ExcelError, read_workbook

def hwm():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024

data = Path(sys.argv[1]).read_bytes()
floor = hwm()
start = time.process_time()
try:
    book = read_workbook(data)
    cells = sum(len(row) for name in book.sheet_names for row in book.rows(name))
    outcome = f"accepted {cells}"
except ExcelError as exc:
    outcome = exc.problems[0].message
print(json.dumps({"outcome": outcome, "cpu": time.process_time() - start,
                  "peak": hwm(), "floor": floor}))
"""


def _address_space_cap() -> None:
    # A reader that builds what it should not fails here instead of taking the machine.
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 * MB, 3 * 1024 * MB))


def read_in_child(data: bytes, tmp_path: Path) -> dict:
    file = tmp_path / "bao-cao.xlsx"
    file.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", CHILD, str(file)], cwd=ROOT, text=True,
                          capture_output=True, timeout=300, preexec_fn=_address_space_cap)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def appended(template: bytes, rows: bytes) -> bytes:
    sheet = part(template, SHEET)
    return rezip(template, {SHEET: sheet.replace(b"</sheetData>", rows + b"</sheetData>")})


def bare_rows(count: int) -> bytes:
    """Rows and cells without `r`; random values keep the deflate ratio of a real sheet."""
    rng = random.Random(3)
    return b"".join(b"<row><c><v>%d</v></c></row>" % rng.randrange(10**9) for _ in range(count))


def test_two_far_cells_are_refused_without_laying_out_their_grid(template, tmp_path) -> None:
    data = appended(template, b'<row r="10000"><c r="ALL10000"><v>1</v></c></row>')
    assert len(data) < 20_000
    report = read_in_child(data, tmp_path)
    assert report["outcome"].startswith(
        "Trang tính «Báo cáo» có dữ liệu trải tới ô ALL10000 (10.000 dòng × 1.000 cột = "
        "10.000.000 ô), vượt quá giới hạn 500.000 ô. Hãy tìm ô xa nhất (trong Excel: Ctrl+End)")
    assert report["peak"] - report["floor"] < 20 * MB, report
    assert report["cpu"] < 1.0, report


def test_a_million_rows_without_r_are_refused_at_the_first_row_past_the_limit(
        template, tmp_path) -> None:
    data = appended(template, bare_rows(1_048_453))
    assert len(data) < 20 * MB
    report = read_in_child(data, tmp_path)
    assert report["outcome"].startswith(
        "Trang tính «Báo cáo» có dữ liệu ở dòng 10.001, vượt quá giới hạn 10.000 dòng.")
    assert report["peak"] - report["floor"] < 50 * MB, report
    assert report["cpu"] < 1.0, report


def test_cells_without_r_run_on_to_the_next_column(template) -> None:
    with pytest.raises(ExcelError) as caught:
        read_workbook(appended(template, b"<row>" + b"<c><v>1</v></c>" * 1_001 + b"</row>"))
    assert caught.value.codes == ["sheet_too_wide"]
    assert "cột thứ 1.001" in caught.value.problems[0].message
    # One short of the limit is read, its last cell where a spreadsheet program puts it.
    book = read_workbook(appended(template, b"<row>" + b"<c><v>1</v></c>" * 1_000 + b"</row>"))
    rows = book.rows("Báo cáo")
    assert len(rows[-1]) == 1_000 and rows[-1][999] == 1.0


def test_another_element_carrying_r_does_not_pass_for_a_cell(template) -> None:
    # 1.001 bare cells, each beside an unknown element with an `r`: only a cell's `r` counts.
    row = b"<row>" + b'<c><v>1</v></c><x:note xmlns:x="urn:x" r="A1"/>' * 1_001 + b"</row>"
    with pytest.raises(ExcelError) as caught:
        read_workbook(appended(template, row))
    assert "cột thứ 1.001" in caught.value.problems[0].message


def test_a_reference_in_lower_case_is_read_as_the_reader_reads_it(template) -> None:
    # calamine takes "all10000" for ALL10000: so must the count.
    with pytest.raises(ExcelError) as caught:
        read_workbook(appended(template, b'<row r="10000"><c r="all10000"><v>1</v></c></row>'))
    assert caught.value.codes == ["sheet_too_spread"]
    assert "trải tới ô ALL10000" in caught.value.problems[0].message


@pytest.mark.parametrize("row", [
    b"<row r='10000'><c r='ALL10000'><v>1</v></c></row>",
    b'<row r = "10000"><c r ="ALL10000"><v>1</v></c></row>',
    b'<row r="10000"><c r=\n"ALL10000"><v>1</v></c></row>',
])
def test_attributes_no_spreadsheet_program_writes_are_refused(template, row) -> None:
    # Single quotes and spaces around "=" are XML the reader accepts: a far cell written so
    # must not pass unseen.
    with pytest.raises(ExcelError) as caught:
        read_workbook(appended(template, row))
    assert caught.value.codes == ["sheet_unusual_xml"]
    assert caught.value.problems[0].message.startswith(
        "Trang tính «Báo cáo» được ghi theo cách khác thường (thuộc tính của dòng hoặc ô đặt "
        "trong dấu nháy đơn, hoặc có khoảng trắng quanh dấu =)")


def test_a_comment_cannot_hide_rows(template) -> None:
    # "<!--" in an attribute value opens no comment for a lenient reader: rows after it count.
    rows = b'<row r="9000"><c r="A9000" t="str" x="<!--"><v>1</v></c></row>' + bare_rows(
        1_002) + b'<row><c x="-->"><v>1</v></c></row>'
    with pytest.raises(ExcelError) as caught:
        read_workbook(appended(template, rows))
    assert "dòng 10.001" in caught.value.problems[0].message


def test_a_row_without_r_follows_the_row_before_it(template) -> None:
    # Row 9.999 is named; the two after it are not, and the second is row 10.001.
    named = b'<row r="9999"><c r="A9999"><v>1</v></c></row>'
    book = read_workbook(appended(template, named + bare_rows(1)))
    assert len(book.rows("Báo cáo")) == 10_000
    with pytest.raises(ExcelError) as caught:
        read_workbook(appended(template, named + bare_rows(2)))
    assert "dòng 10.001" in caught.value.problems[0].message


def test_cells_piled_on_one_address_count_one_by_one(template, tmp_path) -> None:
    rng = random.Random(5)
    pile = b"".join(b'<c r="D500"><v>%d</v></c>' % rng.randrange(100)
                    for _ in range(MAX_CELLS + 1))
    report = read_in_child(appended(template, b'<row r="500">' + pile + b"</row>"), tmp_path)
    # Counted a piece of the part at a time: refused within the piece that crosses the limit.
    assert re.match(r"Trang tính «Báo cáo» có 50\d\.\d{3} ô, vượt quá giới hạn 500\.000 ô\.",
                    report["outcome"]), report
    assert report["peak"] - report["floor"] < 50 * MB, report
    assert report["cpu"] < 1.0, report


def test_the_largest_sheet_within_every_limit_is_read_in_bounded_memory(template,
                                                                          tmp_path) -> None:
    # 10.000 rows reaching column AX (50): the whole area the limits allow, laid out in full.
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="AX%d"><v>2</v></c></row>'
                    % (n, n, n, n) for n in range(200, 10_001))
    report = read_in_child(appended(template, rows), tmp_path)
    assert report["outcome"].startswith("accepted"), report
    assert report["peak"] < 200 * 1000 * 1000, report


def test_one_long_shared_string_named_by_many_cells_counts_once_per_cell(template,
                                                                         tmp_path) -> None:
    # 32 000 characters stored once, named by 5 000 cells: a 60 KB file that reads as 320 MB.
    shared = "xl/sharedStrings.xml"
    strings = part(template, shared)
    index = strings.count(b"<si>")
    rng = random.Random(8)
    text = "".join(rng.choice("abcdefghiklmnopqrstuvxy ") for _ in range(32_000)).encode()
    strings = strings.replace(b"</sst>", b"<si><t>" + text + b"</t></si></sst>")
    cells = b"".join(b'<row r="%d"><c r="H%d" t="s"><v>%d</v></c></row>' % (n, n, index)
                     for n in range(1_000, 6_000))
    sheet = part(template, SHEET).replace(b"</sheetData>", cells + b"</sheetData>")
    data = rezip(template, {shared: strings, SHEET: sheet})
    assert len(data) < 100_000
    report = read_in_child(data, tmp_path)
    assert report["outcome"].startswith("Các ô của trang tính «Báo cáo» chứa tổng cộng "), report
    assert "vượt quá giới hạn 20 MB của cả tệp" in report["outcome"]
    assert report["peak"] - report["floor"] < 50 * MB, report
    assert report["cpu"] < 1.0, report


def test_too_many_merged_ranges_are_refused(template) -> None:
    ranges = b"".join(b'<mergeCell ref="H%d:I%d"/>' % (n, n) for n in range(1, 10_002))
    sheet = part(template, SHEET)
    own = sheet.count(b"<mergeCell ")  # the template's own merges
    if b"</mergeCells>" in sheet:
        sheet = sheet.replace(b"</mergeCells>", ranges + b"</mergeCells>")
    else:
        sheet = sheet.replace(b"</sheetData>", b"</sheetData><mergeCells>" + ranges
                              + b"</mergeCells>")
    with pytest.raises(ExcelError) as caught:
        read_workbook(rezip(template, {SHEET: sheet}))
    assert caught.value.codes == ["too_many_merges"]
    count = f"{own + 10_001:,}".replace(",", ".")
    assert f"«Báo cáo» có {count} vùng ô gộp (merge), vượt quá giới hạn 10.000." in \
        caught.value.problems[0].message
