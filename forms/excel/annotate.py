"""Give the user their own workbook back with every cell to fix in red and a note saying why.

People fix a spreadsheet where they filled it, so a refused upload comes back as the same file
(not a new template): each bad cell gets a fill (red for errors, amber for warnings) and an
Excel comment with the message, and a first sheet «Lỗi cần sửa» lists every issue with a link
to its cell, including issues that have no cell (e.g. a deleted row). Everything else in the
file is kept as openpyxl reads it (values, formats, validation, protection, hidden sheets; not
pictures a user pasted in).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from forms.excel.places import cells_of

if TYPE_CHECKING:
    import openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

# openpyxl is imported when a workbook is marked, not with the package: it adds 40 MB and a
# fifth of a second to every process that reads uploads, and most uploads are accepted.

#: Worksheet XML (decompressed, all sheets) above which no marked copy is made: openpyxl holds
#: every cell as an object, about 50 times the XML, so a sheet of tens of thousands of cells
#: would cost seconds and hundreds of MB for a convenience. Our template's sheets are ~100 KB.
MAX_ANNOTATED_XML = 4 * 1024 * 1024
SUMMARY_SHEET = "Lỗi cần sửa"
AUTHOR = "Hệ thống decuong"
ERROR_COLOR = "FFFFC7CE"
WARNING_COLOR = "FFFFEB9C"
ERROR_FONT_COLOR = "FF9C0006"


def can_annotate(original: bytes) -> bool:
    """Whether a marked copy of `original` is cheap enough to make (see MAX_ANNOTATED_XML),
    judged from the zip's directory only. Callers check it before `annotate`; a file that
    passed the safety checks declares its sizes truthfully."""
    try:
        with zipfile.ZipFile(io.BytesIO(original)) as zf:
            size = sum(info.file_size for info in zf.infolist()
                       if info.filename.startswith("xl/worksheets/"))
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return size <= MAX_ANNOTATED_XML


def annotate(original: bytes, located: Iterable[tuple[Any, str | None]], *,
             summary: bool = True) -> bytes:
    """The workbook `original` with each located issue marked on its cell.

    `located` is what `locate` returns: (issue, "Báo cáo!D12" or None, or several cells for a
    rule naming several items: each of them is marked). Several issues on one cell share one
    comment. With `summary`, a first sheet lists all issues.
    """
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb = openpyxl.load_workbook(io.BytesIO(original), rich_text=True)
    by_cell: dict[tuple[str, str], list[Any]] = {}
    entries: list[tuple[Any, str | None]] = []
    for issue, where in located:
        entries.append((issue, where))
        for cell in cells_of(where):  # a rule's issue marks every cell it names
            sheet, coord = cell.rsplit("!", 1)
            if sheet in wb.sheetnames:
                by_cell.setdefault((sheet, coord), []).append(issue)

    for (sheet, coord), issues in by_cell.items():
        ws = wb[sheet]
        cell = _anchor(ws, coord)
        is_error = any(getattr(i, "severity", "error") == "error" for i in issues)
        color = ERROR_COLOR if is_error else WARNING_COLOR
        cell.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)
        if is_error:
            old = cell.font
            cell.font = Font(name=old.name, size=old.size, italic=old.italic,
                             underline=old.underline, bold=True, color=ERROR_FONT_COLOR)
        where = f"{sheet}!{coord}"
        lines = [_bare(getattr(i, "message", str(i)), where) for i in issues]
        text = "\n\n".join(lines)
        if cell.comment is not None and cell.comment.author == AUTHOR:
            text = cell.comment.text + "\n\n" + text
        comment = Comment(text, AUTHOR)
        comment.width = 360
        comment.height = min(600, 40 + 18 * sum(1 + len(line) // 45 for line in lines))
        cell.comment = comment

    if summary:
        _summary(wb, entries)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _anchor(ws: Worksheet, coord: str) -> Any:
    """The cell at `coord`, or the top-left cell of the merged range holding it (the only
    cell of a merge that can carry a value, a fill or a comment)."""
    for merged in ws.merged_cells.ranges:
        if coord in merged:
            return ws.cell(merged.min_row, merged.min_col)
    return ws[coord]


def _bare(message: str, where: str) -> str:
    """The message without its "Báo cáo!D12: " prefix, which a comment on that cell repeats."""
    prefix = f"{where}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def _summary(wb: openpyxl.Workbook, entries: list[tuple[Any, str | None]]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    if SUMMARY_SHEET in wb.sheetnames:  # a file annotated before: list only the new issues
        del wb[SUMMARY_SHEET]
    ws = wb.create_sheet(SUMMARY_SHEET, 0)
    ws.sheet_properties.tabColor = "C00000"
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 90
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    errors = sum(1 for issue, _ in entries if getattr(issue, "severity", "error") == "error")
    ws["A1"] = (f"Báo cáo chưa được nhận: có {errors} lỗi cần sửa. Các ô cần sửa được tô màu "
                "và có ghi chú; sửa xong, lưu tệp và tải lên lại."
                if errors else "Báo cáo có một số điểm cần xem lại (cảnh báo, không chặn).")
    ws["A1"].font = Font(bold=True, color=ERROR_FONT_COLOR)
    for col, text in zip("ABCD", ("STT", "Ô", "Mức", "Nội dung"), strict=True):
        ws[f"{col}3"] = text
        ws[f"{col}3"].font = bold
    for index, (issue, where) in enumerate(entries, start=1):
        row = 3 + index
        ws.cell(row, 1, index)
        place = ws.cell(row, 2, where or "(cả tệp)")
        cells = cells_of(where)
        if cells:
            sheet, coord = cells[0].rsplit("!", 1)
            place.hyperlink = Hyperlink(ref=place.coordinate, location=f"'{sheet}'!{coord}")
            place.font = Font(color="FF0563C1", underline="single")
        severity = getattr(issue, "severity", "error")
        ws.cell(row, 3, "Lỗi" if severity == "error" else "Cảnh báo")
        message = getattr(issue, "message", str(issue))
        text = ws.cell(row, 4, _bare(message, where) if where else message)
        text.alignment = wrap
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
