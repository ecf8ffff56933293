"""The aggregated workbook (xlsxwriter): what a coordinator opens, and prints, the night before
the summary. One module per part:

- `overview`: "Tổng quan" — the round, completeness with a pie chart, targets on the total;
- `sections`: one sheet per top-level section (units by kind, subtotals, total, verdicts);
- `transposed`: for a section too wide to print, the same figures with items as rows;
- `rollup`: "Theo cấp" — each unit with everything below it in the unit hierarchy;
- `charts`: "Biểu đồ" — a titled bar chart per targeted item;
- `lists`: narratives, repeating tables, every unit's status, who has not reported;
- `book` (checked writes, constant memory), `formats` (number formats shared with the
  template), `printing` (A4 set-up and row heights for wrapped text).

Numbers are written as numbers with formats (`#,##0` counts, `#,##0.00` means, `#,##0.00" %"`
rates, see `forms.excel.number_formats`); Excel shows them with the reader's own separators
(1.234,5 on a Vietnamese system). No data is an empty cell, never 0.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from aggregate import Consolidation
from exports.meta import ExportMeta
from exports.xlsx.book import Book
from exports.xlsx.charts import charts
from exports.xlsx.lists import narratives, tables, units
from exports.xlsx.overview import overview
from exports.xlsx.rollup import rollup
from exports.xlsx.sections import section
from exports.xlsx.transposed import transposed


def write(consolidation: Consolidation, path_or_buffer: str | Path | IO[bytes], *,
          meta: ExportMeta) -> None:
    """Write the aggregated workbook of `consolidation` to a path or a binary buffer."""
    book = Book(path_or_buffer)
    try:
        overview(book, consolidation, meta)
        for summary in consolidation.sections:
            wide = section(book, consolidation, meta, summary.number, summary.label,
                           summary.columns, summary.table)
            if wide:
                transposed(book, consolidation, meta, summary.number, summary.label,
                           summary.columns, summary.table)
        rollup(book, consolidation)
        charts(book, consolidation)
        narratives(book, consolidation)
        tables(book, consolidation)
        units(book, consolidation, meta)
    finally:
        book.wb.close()


__all__ = ["write"]
