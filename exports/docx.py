"""The consolidated report draft (python-docx): the coordinator's official summary, half written.

The outline's own numbering and wording carry the document: each section is a heading; each
numeric item states its total (a rate as the ratio of the sums, a typed percent as a mean with
its range), its target verdict, and a per-unit table (consecutive figures under the same
heading share one table); each narrative item lists the units' answers unit by unit; repeating
tables are stacked with a unit column. Set in Times New Roman, as Vietnamese official documents
are (Nghị định 30/2020/NĐ-CP), a font every office machine has with Vietnamese glyphs.

Text is only ever added as runs of plain text: a narrative such as `=HYPERLINK(…)` reads as
typed and never becomes a Word field. Control characters XML cannot hold are dropped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from aggregate import NOT_REPORTED, UNIT_ROW, ColumnHeader, Consolidation
from aggregate.targets import MET, NOT_MET
from exports.layout import item_title
from exports.limits import fit_cell
from exports.meta import ExportMeta, show_datetime
from exports.safety import xml_safe
from forms.kinds import CATEGORY
from forms.kinds.numbers import format_number
from forms.model import Item

FONT = "Times New Roman"
TABLE_COLUMNS = 4  # figures per unit table; more would not fit a portrait A4 page
NO_DATA_MARK = "—"


def _text(text: Any) -> str:
    return fit_cell(xml_safe(str(text)), 1_000_000)


def _style(document: Any) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4",
                 "Table Grid"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        if name == "Normal":
            style.font.size = Pt(13)
        else:
            style.font.color.rgb = None


def _para(document: Any, text: str = "", *, bold: bool = False, italic: bool = False,
          align: Any = None) -> Any:
    paragraph = document.add_paragraph()
    if text:
        run = paragraph.add_run(_text(text))
        run.bold = bold
        run.italic = italic
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _value(item: Item, header: ColumnHeader, value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA_MARK
    unit = item.unit or ("%" if item.kind == "percent" else "")
    decimals = 0 if header.role in ("mean_n", "yes", "choice") else 2
    shown = format_number(value, decimals)
    return f"{shown} {unit}".strip() if header.role == "value" else shown


def _total_sentence(result: Consolidation, item: Item, headers: Sequence[ColumnHeader]) -> str:
    total = result.total
    main = headers[0]
    value = total[main.key]
    text = f"{item_title(item)}: "
    if main.role == "yes":
        return text + f"{format_number(value, 0) or 0} đơn vị trả lời «Có»."
    if main.role == "choice":
        parts = [f"{h.header.split('«', 1)[1].split('»', 1)[0]}: "
                 f"{format_number(total[h.key], 0) or 0}" for h in headers]
        return text + "; ".join(parts) + " (số đơn vị)."
    if main.aggregate == "mean":
        if value != value:
            return text + "không có số liệu."
        low, high, n = (total[f"{main.key}@{x}"] for x in ("min", "max", "n"))
        return text + (f"trung bình {_value(item, main, value)} (thấp nhất "
                       f"{format_number(low, 2)}, cao nhất {format_number(high, 2)}; "
                       f"{format_number(n, 0)} đơn vị có số liệu).")
    if value != value:
        return text + "không có số liệu."
    sentence = text + f"tổng cộng {_value(item, main, value)}"
    if main.aggregate == "formula":
        sentence += " (tính trên số tổng cộng, không lấy trung bình)"
    return sentence + "."


def _verdict(result: Consolidation, item: Item) -> str | None:
    if item.target is None or item.key not in result.targets.table.columns:
        return None
    word = result.targets.table[item.key].iloc[-1]
    counts = result.targets.counts.loc[item.key]
    judged = {MET: "Đạt", NOT_MET: "Không đạt"}.get(word, "Không có số liệu để đánh giá")
    return (f"Chỉ tiêu {item.target.display}: {judged} (tổng cộng). Số đơn vị đạt: "
            f"{counts[MET]}; không đạt: {counts[NOT_MET]}; không có số liệu: "
            f"{counts['không có số liệu']}.")


def _unit_table(document: Any, result: Consolidation, group: Sequence[Item],
                by_item: dict[str, list[ColumnHeader]]) -> None:
    table_rows = result.table
    for start in range(0, len(group), TABLE_COLUMNS):
        chunk = group[start:start + TABLE_COLUMNS]
        main = [by_item[item.key or ""][0] for item in chunk]
        table = document.add_table(rows=1, cols=2 + len(chunk))
        table.style = "Table Grid"
        head = table.rows[0].cells
        head[0].text = "STT"
        head[1].text = "Đơn vị"
        for cell, item, header in zip(head[2:], chunk, main, strict=True):
            unit = item.unit or ("%" if item.kind == "percent" else "")
            label = f"{item_title(item)} ({unit})" if unit else item_title(item)
            if header.aggregate == "mean":
                label += " — trung bình ở dòng cộng"
            cell.text = _text(label)
        for cell in head:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        number = 0
        columns = [h.key for h in main]
        rows = table_rows[["row_type", "name", "status", *columns]].itertuples(index=False)
        for row_type, name, status, *values in rows:
            cells = table.add_row().cells
            group_row = row_type != UNIT_ROW
            if not group_row:
                number += 1
                cells[0].text = str(number)
            cells[1].text = _text(name)
            if status == NOT_REPORTED:
                cells[2].text = NO_DATA_MARK
                cells[2].paragraphs[0].add_run(" chưa báo cáo").italic = True
                for cell in cells[3:]:
                    cell.text = NO_DATA_MARK
            else:
                for cell, item, header, value in zip(cells[2:], chunk, main, values,
                                                     strict=True):
                    cell.text = _value(item, header, value)
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if group_row:
                for cell in cells:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        document.add_paragraph()


def _stacked(document: Any, result: Consolidation, item: Item) -> None:
    frame = result.tables.get(item.key or "")
    if frame is None or frame.empty:
        _para(document, "(Không có đơn vị nào kê khai.)", italic=True)
        return
    columns = list(item.columns)
    table = document.add_table(rows=1, cols=1 + len(columns))
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text = "Đơn vị"
    for cell, column in zip(head[1:], columns, strict=True):
        cell.text = _text(f"{column.label} ({column.unit})" if column.unit else column.label)
    for record in frame.to_dict("records"):
        cells = table.add_row().cells
        cells[0].text = _text(record["unit_name"])
        for cell, column in zip(cells[1:], columns, strict=True):
            value = record.get(column.key)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                cell.text = ""
            elif CATEGORY.get(column.kind) == "number":
                cell.text = format_number(value, 2)
            elif column.kind == "select_one":
                cell.text = _text(next((c.label for c in column.choices if c.name == value),
                                       value))
            elif column.kind == "date" and isinstance(value, str) and len(value) == 10:
                cell.text = f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
            else:
                cell.text = _text(value)
    document.add_paragraph()


def _completeness(document: Any, result: Consolidation) -> None:
    done = result.completeness
    _para(document, "TÌNH HÌNH NỘP BÁO CÁO", bold=True)
    _para(document, (
        f"Tổng số đơn vị phải báo cáo: {done.expected}. Đã nộp: {done.submitted} "
        f"(đúng hạn {done.on_time}, nộp muộn {done.late}); bị trả lại để chỉnh sửa: "
        f"{done.returned}; chưa nộp: {done.missing}. Đã tiếp nhận: {done.accepted}."))
    late = [u.name for u in result.units if u.late and u.status in ("submitted", "accepted")]
    missing = [u.name for u in result.units if u.status in ("missing", "draft")]
    if late:
        _para(document, "Các đơn vị nộp muộn: " + ", ".join(late) + ".")
    if missing:
        _para(document, "Các đơn vị chưa nộp: " + ", ".join(missing) + ".")


def write(consolidation: Consolidation, path_or_buffer: str | Path | IO[bytes], *,
          meta: ExportMeta) -> None:
    """Write the consolidated report draft to a .docx path or binary buffer."""
    result = consolidation
    outline = result.outline
    document = Document()
    _style(document)
    section = document.sections[0]
    section.page_height, section.page_width = Pt(841.9), Pt(595.3)  # A4 portrait
    if outline.issuer:
        _para(document, outline.issuer.upper(), bold=True)
    _para(document, "BÁO CÁO TỔNG HỢP", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, outline.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for label, value in (("Đợt báo cáo", meta.round_title), ("Kỳ báo cáo", meta.period),
                         ("Hạn nộp", show_datetime(meta.deadline)),
                         ("Số liệu tổng hợp từ", meta.basis_text),
                         ("Thời điểm lập", show_datetime(meta.generated_at))):
        if value:
            paragraph = _para(document)
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(_text(value))
    _completeness(document, result)

    by_item: dict[str, list[ColumnHeader]] = {}
    for header in result.columns:
        by_item.setdefault(header.item_key, []).append(header)
    narratives = {n.key: n for n in result.narratives}

    def visit(items: Sequence[Item], depth: int) -> None:
        pending: list[Item] = []

        def flush() -> None:
            if pending:
                _unit_table(document, result, list(pending), by_item)
                pending.clear()

        for item in items:
            key = item.key or ""
            if key in by_item:
                _para(document, _total_sentence(result, item, by_item[key]))
                verdict = _verdict(result, item)
                if verdict:
                    _para(document, verdict, italic=True)
                pending.append(item)
                if item.children:
                    flush()
                    visit(item.children, depth + 1)
                continue
            flush()
            if item.is_section:
                document.add_heading(_text(item_title(item)), level=min(depth + 1, 4))
                visit(item.children, depth + 1)
            elif key in narratives:
                _para(document, item_title(item), bold=True)
                entries = narratives[key].entries
                if not entries:
                    _para(document, "(Không có đơn vị nào trả lời.)", italic=True)
                for entry in entries:
                    paragraph = document.add_paragraph()
                    paragraph.add_run(_text(f"- {entry.name}: ")).bold = True
                    paragraph.add_run(_text(entry.text))
            elif item.kind == "table":
                _para(document, item_title(item), bold=True)
                _stacked(document, result, item)
            else:
                _para(document, item_title(item), bold=True)
            if item.children and not item.is_section:
                visit(item.children, depth + 1)
        flush()

    visit(outline.items, 0)
    _para(document, f"(Bản dự thảo do decuong lập lúc {show_datetime(meta.generated_at)}; "
                    "số liệu trống nghĩa là đơn vị không báo cáo, không phải số 0.)",
          italic=True)
    # python-docx types its target as str or a stream; a Path is given to it as text.
    document.save(str(path_or_buffer) if isinstance(path_or_buffer, Path) else path_or_buffer)


__all__ = ["write"]
