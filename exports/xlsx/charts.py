"""The "Biểu đồ" sheet: a titled bar chart per targeted item, by unit up to `DETAIL_UNITS`
units, by group of units (subtotals and total) above that.

Each chart's title (the item and its target) is also written in the cell above the chart's
data, so it shows and prints even where a reader's program draws charts without titles.
"""

from __future__ import annotations

from aggregate import SUBTOTAL_ROW, TOTAL_ROW, UNIT_ROW, Consolidation
from exports.layout import item_title, with_unit
from exports.xlsx.book import Book
from exports.xlsx.formats import item_format
from exports.xlsx.printing import DETAIL_UNITS, a4, fit_row, one_page_wide

NAME_WIDTH, VALUE_WIDTH = 36, 14
CHART_WIDTH = 560  # pixels: beside the two data columns, within a landscape A4 page
ROW_PIXELS = 20


def charts(book: Book, result: Consolidation) -> None:
    headers = [h for h in result.targets.headers if h.key in result.table.columns]
    if not headers:
        return
    ws = book.sheet("Biểu đồ")
    table = result.table
    units = table[table["row_type"] == UNIT_ROW]
    groups = table[table["row_type"].isin([SUBTOTAL_ROW, TOTAL_ROW])]
    row = 0
    ws.set_column(0, 0, NAME_WIDTH)
    ws.set_column(1, 1, VALUE_WIDTH)
    title_fmt = book.fmt(bold=True, text_wrap=True, valign="top")
    for header in headers:
        item = result.outline.item(header.key)
        shown = units[units[header.key].notna()]
        by_unit = len(shown) <= DETAIL_UNITS
        if not by_unit:
            shown = groups[groups[header.key].notna()]
        title = f"{item_title(item)} (chỉ tiêu {header.target})"
        fit_row(ws, row, [(title, NAME_WIDTH + VALUE_WIDTH)], bold=True)
        book.merged(ws, row, 0, 1, title, title_fmt)
        book.put_text(ws, row + 1, 0, "Đơn vị" if by_unit else "Nhóm đơn vị", book.head)
        book.put_text(ws, row + 1, 1, with_unit("Giá trị", item), book.head)
        first = row + 2
        number = book.fmt(num_format=item_format(item))
        for i, (name, value) in enumerate(zip(shown["name"], shown[header.key], strict=True)):
            book.put_text(ws, first + i, 0, str(name), book.text)
            book.put(ws, first + i, 1, float(value), number)
        last = first + max(len(shown), 1) - 1
        height = max(288, 18 * len(shown) + 80)
        if len(shown):
            chart = book.wb.add_chart({"type": "bar"})
            chart.add_series({
                "name": title,
                "categories": [ws.get_name(), first, 0, last, 0],
                "values": [ws.get_name(), first, 1, last, 1],
                "fill": {"color": "#4472C4"},
            })
            chart.set_title({"name": title, "overlay": False,
                             "name_font": {"size": 11, "bold": True}})
            chart.set_legend({"none": True})
            chart.set_y_axis({"reverse": True})
            chart.set_size({"width": CHART_WIDTH, "height": height})
            ws.insert_chart(row + 1, 3, chart)
        row = max(last + 2, row + 2 + height // ROW_PIXELS + 1)
    a4(ws, landscape=True)
    one_page_wide(ws)
