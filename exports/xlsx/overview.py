"""The "Tổng quan" sheet: the round, who has reported (with a pie chart) and the verdicts of the
targets on the total — the page a coordinator prints first.

It prints portrait on A4, one page wide: seven columns whose widths add up to the printable
width, the title and long values merged across them and wrapped, every wrapped row as tall as
its text (see `printing`).
"""

from __future__ import annotations

from aggregate import MET, NOT_MET, Consolidation
from aggregate.completeness import COUNT_LABELS
from aggregate.groups import FORMULA_NOTE, MEAN_NOTE
from exports.headers import qualified, qualifiers
from exports.meta import ExportMeta, show_datetime
from exports.xlsx.book import Book
from exports.xlsx.formats import GREEN, RED, WHOLE, item_format
from exports.xlsx.printing import a4, fit_row, one_page_wide
from forms.targets import YES_NO_TOTAL_RULE

SHEET = "Tổng quan"
#: Column widths: Mục, Chỉ tiêu, Tổng cộng, Đánh giá, then three counts of units (≈ A4 portrait).
WIDTHS = (30, 14, 12, 11, 8, 8, 8)
LAST = len(WIDTHS) - 1
VALUE_WIDTH = sum(WIDTHS[1:])
TITLE_SIZE = 14
PIE = ("on_time", "late", "missing", "returned")  # consecutive in COUNT_LABELS: the slices
CHART_ROWS = 15  # rows left free under the counts for the pie (288 px at 20 px a row)
TARGET_HEADS = ("Mục", "Chỉ tiêu", "Tổng cộng", "Đánh giá", "Số đơn vị đạt",
                "Số đơn vị không đạt", "Số đơn vị không có số liệu")
EMPTY_NOTE = "Ô để trống: không có số liệu (không phải số 0)."


def overview(book: Book, result: Consolidation, meta: ExportMeta) -> None:
    ws = book.sheet(SHEET)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    outline = result.outline
    title = book.fmt(bold=True, font_size=TITLE_SIZE, text_wrap=True, align="center",
                     valign="vcenter")
    fit_row(ws, 0, [(outline.title, sum(WIDTHS))], bold=True, size=TITLE_SIZE)
    book.merged(ws, 0, 0, LAST, outline.title, title)
    lines = [
        ("Cơ quan ban hành đề cương", outline.issuer or ""),
        ("Đợt báo cáo", meta.round_title),
        ("Kỳ báo cáo", meta.period),
        ("Hạn nộp", show_datetime(meta.deadline)),
        ("Số liệu tổng hợp từ", meta.basis_text),
        ("Đề cương", f"{outline.id}, phiên bản {outline.version}"),
        ("Thời điểm lập", show_datetime(meta.generated_at)),
    ]
    label = book.fmt(bold=True, text_wrap=True, valign="top")
    value = book.fmt(text_wrap=True, valign="top")
    row = 2
    for name, text in lines:
        fit_row(ws, row, [(name, WIDTHS[0]), (text, VALUE_WIDTH)])
        book.put_text(ws, row, 0, name, label)
        book.merged(ws, row, 1, LAST, text, value)
        row += 1
    row += 1
    book.put_text(ws, row, 0, "TÌNH HÌNH NỘP BÁO CÁO", book.bold)
    row += 1
    counts = result.completeness.counts()
    first_count = row
    whole = book.fmt(num_format=WHOLE, align="right")
    for key, text in COUNT_LABELS.items():
        book.put_text(ws, row, 0, text, book.text)
        book.put(ws, row, 1, counts[key], whole)
        row += 1
    keys = list(COUNT_LABELS)
    first_slice = first_count + keys.index(PIE[0])
    chart = book.wb.add_chart({"type": "pie"})
    chart.add_series({
        "name": "Tình hình nộp báo cáo",
        "categories": [ws.get_name(), first_slice, 0, first_slice + len(PIE) - 1, 0],
        "values": [ws.get_name(), first_slice, 1, first_slice + len(PIE) - 1, 1],
        "data_labels": {"value": True},
    })
    chart.set_title({"name": "Tình hình nộp báo cáo"})
    chart.set_size({"width": 560, "height": 288})
    row += 1
    ws.insert_chart(row, 0, chart, {"x_offset": 10})
    row += CHART_ROWS + 1
    if result.targets.headers:
        row = _targets(book, ws, result, row) + 1
    book.put_text(ws, row, 0, "Ghi chú", book.bold)
    rules = [YES_NO_TOTAL_RULE] if any(h.yes_no for h in result.targets.headers) else []
    for note in (FORMULA_NOTE, MEAN_NOTE, *rules, EMPTY_NOTE):
        row += 1
        fit_row(ws, row, [(note, sum(WIDTHS))])
        book.merged(ws, row, 0, LAST, note, value)
    a4(ws, landscape=False)
    one_page_wide(ws)


def _targets(book: Book, ws, result: Consolidation, row: int) -> int:
    """The verdicts of the targets on the total; returns the next free row."""
    book.merged(ws, row, 0, LAST, "CHỈ TIÊU (ĐÁNH GIÁ TRÊN SỐ TỔNG CỘNG)", book.bold)
    row += 1
    fit_row(ws, row, zip(TARGET_HEADS, WIDTHS, strict=True), bold=True)
    for col, text in enumerate(TARGET_HEADS):
        book.put_text(ws, row, col, text, book.head)
    row += 1
    total = result.total
    verdict_total = result.targets.table.iloc[-1]
    tallies = result.targets.counts.to_dict("index")  # item key → {verdict word: units}
    wrap = book.fmt(text_wrap=True, valign="top", border=1)
    whole = book.fmt(num_format=WHOLE, valign="top", border=1)
    apart = qualifiers(result.outline, (h.key for h in result.targets.headers),
                       lambda item: item.ref)
    for header in result.targets.headers:
        item = result.outline.item(header.key)
        ref = qualified(header.ref, apart.get(header.key))
        figure = total[header.key] if header.key in total.index else None
        verdict = str(verdict_total[header.key])
        fit_row(ws, row, [(ref, WIDTHS[0]), (header.target, WIDTHS[1]),
                          (verdict, WIDTHS[3])])
        book.put_text(ws, row, 0, ref, wrap)
        book.put_text(ws, row, 1, header.target, wrap)
        book.put(ws, row, 2, figure, book.fmt(num_format=item_format(item), valign="top",
                                               border=1))
        colour = RED if verdict == NOT_MET else GREEN if verdict == MET else {}
        book.put_text(ws, row, 3, verdict, book.fmt(text_wrap=True, valign="top", border=1,
                                                    **colour))
        for col, word in enumerate(("đạt", "không đạt", "không có số liệu"), start=4):
            book.put(ws, row, col, int(tallies[header.key][word]), whole)
        row += 1
    return row
