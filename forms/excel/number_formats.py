"""Excel number formats: one convention for every workbook decuong writes.

The template a unit fills (`forms.excel.template`) and the consolidated workbook a coordinator
prints (`exports.xlsx`) show the same figure the same way, so both take their formats from here
(exports depend on forms, never the reverse).

- A percentage is stored as the number a person reads, 0–100 (95 means 95 %), never as Excel's
  fraction 0.95: the format adds a literal " %" in quotes, so Excel does not multiply by 100
  (and the upload reader, `styles._is_percent_code`, does not take it for Excel's percent).
- Rates, means and decimals show `DECIMALS` (2) places, as the outline's rounding rule says
  (issue 15: one rounding); a fixed count, because `0.##` leaves a dangling separator ("95,")
  on whole numbers. 100 reads "100,00 %" on a Vietnamese system ("100.00 %" on an English one:
  Excel applies the reader's own separators).
- Counts and money are whole numbers with thousands grouped: 1.234.567.
"""

from __future__ import annotations

from forms.kinds import KINDS

DECIMALS = 2  # rates and means, unless an outline asks for another number of places

WHOLE = "#,##0"
DAY = "dd/mm/yyyy"
MOMENT = "dd/mm/yyyy hh:mm"


def fraction(decimals: int = DECIMALS) -> str:
    """A plain number with `decimals` places: `#,##0.00`."""
    return WHOLE if decimals <= 0 else f"{WHOLE}.{'0' * decimals}"


def percent(decimals: int = DECIMALS) -> str:
    """A 0–100 rate with `decimals` places and a literal percent sign: `#,##0.00" %"`."""
    return f'{fraction(decimals)}" %"'


FRACTION = fraction()
PERCENT = percent()

#: The formats a kind names in `Kind.excel_number_format` (whole, fraction, percent, day).
FORMATS: dict[str, str] = {"whole": WHOLE, "fraction": FRACTION, "percent": PERCENT, "day": DAY}

#: The format of an input of each kind (the template's cells, the export's unit rows), for
#: the kinds that name one.
BY_KIND: dict[str, str] = {name: FORMATS[kind.excel_number_format]
                           for name, kind in KINDS.items() if kind.excel_number_format}
