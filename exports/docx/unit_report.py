"""A unit's own report, ready to sign: its latest revision in the official form, with the unit
as the issuing body and the coordinator's body as recipient; the outline's numbering and
wording, each number with its unit word, narratives as paragraphs, repeating tables as tables.

What the unit did not answer reads "chưa có số liệu" rather than a blank a reader could take
for zero. Computed rates are rounded to two decimals, as everywhere else.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from exports.docx.consolidated import subject
from exports.docx.official import (
    Closing,
    Heading,
    closing,
    column_table_head,
    front,
    package,
)
from exports.docx.xml import HEADINGS, Cell, Run, para, table
from exports.layout import item_title
from exports.meta import period_text, show_datetime
from forms.kinds import CATEGORY, get_kind
from forms.kinds.numbers import round_computed
from forms.model import Column, Item, Outline
from store.round_documents import DocumentDetails

NO_ANSWER = "chưa có số liệu"


def _shown(kind_name: str, spec: Item | Column, stored: Any, *, computed: bool = False,
           unit_word: bool = True) -> str:
    """A stored JSON value as the form shows it, with the unit word ("1.234 hồ sơ") unless
    a table's header already carries it."""
    if stored is None or stored == "":
        return ""
    kind = get_kind(kind_name)
    value = kind.from_json(stored)
    if computed:
        value = round_computed(value, spec)  # older revisions kept 4 decimals
    text = kind.format(value, spec)
    unit = getattr(spec, "unit", None)
    # A figure is read with its unit ("12 hồ sơ"), unless its kind writes its own ("95 %").
    if (unit_word and unit and CATEGORY.get(kind_name) == "number" and kind.measure is None
            and text):
        text = f"{text} {unit}"
    return text


def _table(item: Item, rows: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    columns = list(item.columns)
    widths, heads = column_table_head("STT", 600, columns)
    body = [[Cell.of(str(n), align="center")] + [
        Cell.of(_shown(c.kind, c, row.get(c.key), unit_word=False),
                align="right" if CATEGORY.get(c.kind) == "number" else None)
        for c in columns] for n, row in enumerate(rows, start=1)]
    yield from table(widths, [heads, *body])
    yield para("", after=0)


def _items(items: Sequence[Item], values: Mapping[str, Any], depth: int) -> Iterator[str]:
    for item in items:
        title = item_title(item)
        stored = values.get(item.key) if item.key else None
        if item.is_section:
            yield para(title, style=HEADINGS[min(depth, 3)])
        elif item.is_table:
            yield para(Run(title, bold=True), keep_next=True)
            if stored:
                yield from _table(item, stored)
            else:
                yield para(Run("(Không kê khai.)", italic=True))
        elif get_kind(item.kind).multiline:
            yield para(Run(title, bold=True), keep_next=bool(stored))
            lines = [line for line in str(stored or "").splitlines() if line.strip()]
            if not lines:
                yield para(Run(f"({NO_ANSWER}.)", italic=True))
            yield from (para(line) for line in lines)
        else:
            shown = _shown(item.kind, item, stored, computed=item.is_computed)
            yield para([f"{title}: ", Run(shown, bold=True) if shown
                        else Run(NO_ANSWER, italic=True)])
        yield from _items(item.children, values, depth + 1)


def chunks(outline: Outline, unit: Mapping[str, Any], revision: Mapping[str, Any], *,
           round_row: Mapping[str, Any], document: DocumentDetails,
           parent_name: str | None, generated_at: datetime | None) -> Iterator[str]:
    coordinator = document.issuer or outline.issuer
    period = period_text(round_row)
    yield from front(Heading(
        issuer=str(unit["name"]), parent=parent_name,
        subject=(subject(outline, ""), *((f"Kỳ báo cáo: {period}",) if period else ()))))
    asked = f" của {coordinator}" if coordinator else ""
    yield para(f"Thực hiện yêu cầu báo cáo «{round_row['title']}»{asked}, {unit['name']} "
               "báo cáo như sau:")
    yield from _items(outline.items, revision.get("values") or {}, 0)
    saved = revision.get("created_at")
    when = show_datetime(datetime.fromisoformat(saved)) if saved else ""
    yield para(Run(f"(Lập từ lần lưu thứ {revision.get('number')} lúc {when}"
                   f"{'; tải về lúc ' + show_datetime(generated_at) if generated_at else ''}.)",
                   italic=True, size=12))
    recipients = ([f"{coordinator};"] if coordinator else []) + ["Lưu: VT."]
    yield from closing(Closing(recipients=tuple(recipients)))


def write_unit_report(outline: Outline, unit: Mapping[str, Any], revision: Mapping[str, Any],
                      out: str | Path | IO[bytes], *, round_row: Mapping[str, Any],
                      document: DocumentDetails, parent_name: str | None = None,
                      generated_at: datetime | None = None) -> None:
    """Write one unit's report (its `revision`, as store.get_revision returns it) as .docx.

    `unit` has at least `name`; `round_row` is the round (title, period); `document` the
    round's document details, whose issuer is the coordinator's body the report goes to."""
    package(chunks(outline, unit, revision, round_row=round_row, document=document,
                   parent_name=parent_name, generated_at=generated_at), out)
