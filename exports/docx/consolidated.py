"""The coordinator's consolidated report, in the official form (exports.docx.official).

The outline's own numbering and wording carry the document: each section is a heading; each
numeric item states its total with how many units it covers (a rate as the ratio of the sums,
a typed percent as a mean with its range), its target verdict, and a unit table (consecutive
figures under the same heading share one). Narratives list the units' answers unit by unit;
repeating tables are stacked with a unit column.

A report stays readable at a province's scale: past `BODY_UNITS` units a table in the body
shows the groups of units (by kind) with their subtotals and how many units each covers, and
the unit-by-unit detail (tables, narratives, long stacked tables) moves to the annex
("Phụ lục") after the signature, numbered so the body can point to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from aggregate import ColumnHeader, Consolidation
from exports.docx.figures import (
    Coverage,
    figure_label,
    stacked_rows,
    total_sentence,
    unit_rows,
    verdict,
)
from exports.docx.official import (
    TEXT_WIDTH,
    Closing,
    Heading,
    closing,
    column_table_head,
    front,
)
from exports.docx.xml import HEADINGS, Cell, Run, para, table
from exports.layout import item_title
from exports.meta import ExportMeta, show_datetime
from forms.model import Item, Outline
from store.round_documents import DocumentDetails

TABLE_COLUMNS = 4  # figures per unit table; more would not fit a portrait A4 page
BODY_UNITS = 100  # more units than this: groups in the body, every unit in the annex
BODY_STACKED_ROWS = 200  # more rows of a repeating table than this go to the annex


@dataclass
class Annex:
    """Parts moved out of the body, written after the signature in the order announced."""

    parts: list[Callable[[], Iterator[str]]] = field(default_factory=list)

    def add(self, part: Callable[[], Iterator[str]]) -> int:
        self.parts.append(part)
        return len(self.parts)


def subject(outline: Outline, prefix: str) -> str:
    """The subject line from the outline's title: "Đề cương báo cáo công tác CCHC năm 2025"
    becomes "<prefix> công tác CCHC năm 2025"."""
    title = outline.title.strip()
    for lead in ("Đề cương báo cáo", "Đề cương", "Báo cáo"):
        if title.lower().startswith(lead.lower()):
            title = title[len(lead):].strip(" :,-")
            break
    return f"{prefix} {title}".strip() if prefix else title[:1].upper() + title[1:]


def _unit_table(result: Consolidation, chunk: Sequence[Item], main: Sequence[ColumnHeader],
                *, groups_only: bool) -> Iterator[str]:
    heads = [Cell.of(figure_label(item, header), bold=True, align="center")
             for item, header in zip(chunk, main, strict=True)]
    if groups_only:
        lead = [Cell.of("Nhóm đơn vị", bold=True, align="center"),
                Cell.of("Số đơn vị đã báo cáo", bold=True, align="center")]
        first = [2400, 1150]
    else:
        lead = [Cell.of("STT", bold=True, align="center"),
                Cell.of("Đơn vị", bold=True, align="center")]
        first = [600, 2950]
    rest = TEXT_WIDTH - sum(first)
    widths = first + [rest // len(chunk)] * len(chunk)
    yield from table(widths, [lead + heads, *unit_rows(result, chunk, main,
                                                       groups_only=groups_only)])
    yield para("", after=0)


def _stacked(result: Consolidation, item: Item) -> Iterator[str]:
    frame = result.tables.get(item.key or "")
    columns = list(item.columns)
    widths, heads = column_table_head("Đơn vị", 2400, columns)
    yield from table(widths, [heads, *stacked_rows(frame, columns)])
    yield para("", after=0)


class Body:
    """The body's walk over the outline; parts too long for the body go to `annex`."""

    def __init__(self, result: Consolidation) -> None:
        self.result = result
        self.coverage = Coverage.of(result)
        self.large = self.coverage.expected > BODY_UNITS
        self.annex = Annex()
        self.by_item: dict[str, list[ColumnHeader]] = {}
        for header in result.columns:
            self.by_item.setdefault(header.item_key, []).append(header)
        self.narratives = {n.key: n for n in result.narratives}

    def figures(self, group: list[Item]) -> Iterator[str]:
        for start in range(0, len(group), TABLE_COLUMNS):
            chunk = group[start:start + TABLE_COLUMNS]
            main = [self.by_item[item.key or ""][0] for item in chunk]
            yield from _unit_table(self.result, chunk, main, groups_only=self.large)
            if self.large:
                titles = "; ".join(item_title(i) for i in chunk)

                def detail(chunk=chunk, main=main, titles=titles) -> Iterator[str]:
                    yield para(Run(titles, bold=True), keep_next=True)
                    yield from _unit_table(self.result, chunk, main, groups_only=False)

                number = self.annex.add(detail)
                yield para(Run(f"Số liệu của từng đơn vị: Phụ lục, mục {number}.",
                               italic=True))

    def narrative(self, item: Item) -> Iterator[str]:
        entries = self.narratives[item.key or ""].entries
        yield para(Run(item_title(item), bold=True), keep_next=True)
        answered = f"{len(entries)}/{self.coverage.expected} đơn vị trả lời"
        if not entries:
            yield para(Run(f"(Không có đơn vị nào trả lời; {answered}.)", italic=True))
            return

        def lines() -> Iterator[str]:
            for entry in entries:
                yield para([Run(f"- {entry.name}: ", bold=True), entry.text])

        if self.large:
            def detail() -> Iterator[str]:
                yield para(Run(item_title(item), bold=True), keep_next=True)
                yield from lines()

            number = self.annex.add(detail)
            yield para(Run(f"Có {answered}; ý kiến của từng đơn vị: Phụ lục, mục "
                           f"{number}.", italic=True))
        else:
            yield para(Run(f"({answered}.)", italic=True))
            yield from lines()

    def stacked(self, item: Item) -> Iterator[str]:
        yield para(Run(item_title(item), bold=True), keep_next=True)
        frame = self.result.tables.get(item.key or "")
        if frame is None or frame.empty:
            yield para(Run("(Không có đơn vị nào kê khai.)", italic=True))
            return
        units = frame["unit_name"].nunique()
        if len(frame) > BODY_STACKED_ROWS:
            def detail() -> Iterator[str]:
                yield para(Run(item_title(item), bold=True), keep_next=True)
                yield from _stacked(self.result, item)

            number = self.annex.add(detail)
            yield para(Run(f"{len(frame)} dòng do {units}/{self.coverage.expected} đơn vị kê "
                           f"khai: Phụ lục, mục {number}.", italic=True))
        else:
            yield para(Run(f"({len(frame)} dòng do {units}/{self.coverage.expected} đơn vị "
                           "kê khai.)", italic=True))
            yield from _stacked(self.result, item)

    def visit(self, items: Sequence[Item], depth: int) -> Iterator[str]:
        pending: list[Item] = []
        for item in items:
            key = item.key or ""
            if key in self.by_item:
                yield para(total_sentence(self.result, item, self.by_item[key], self.coverage))
                judged = verdict(self.result, item)
                if judged:
                    yield para(Run(judged, italic=True))
                pending.append(item)
                if item.children:
                    yield from self.figures(pending)
                    pending = []
                    yield from self.visit(item.children, depth + 1)
                continue
            if pending:
                yield from self.figures(pending)
                pending = []
            if item.is_section:
                yield para(item_title(item), style=HEADINGS[min(depth, 3)])
                yield from self.visit(item.children, depth + 1)
                continue
            if key in self.narratives:
                yield from self.narrative(item)
            elif item.is_table:
                yield from self.stacked(item)
            else:
                yield para(Run(item_title(item), bold=True))
            if item.children:
                yield from self.visit(item.children, depth + 1)
        if pending:
            yield from self.figures(pending)


def _completeness(result: Consolidation) -> Iterator[str]:
    done = result.completeness
    yield para("TÌNH HÌNH NỘP BÁO CÁO", style=HEADINGS[0])
    yield para(f"Tổng số đơn vị phải báo cáo: {done.expected}. Đã nộp: {done.submitted} "
               f"(đúng hạn {done.on_time}, nộp muộn {done.late}); bị trả lại để chỉnh sửa: "
               f"{done.returned}; chưa nộp: {done.missing}. Đã tiếp nhận: {done.accepted}.")
    late = [u.name for u in result.units if u.late and u.status in ("submitted", "accepted")]
    missing = [u.name for u in result.units if u.status in ("missing", "draft")]
    if late:
        yield para("Các đơn vị nộp muộn: " + ", ".join(late) + ".")
    if missing:
        yield para("Các đơn vị chưa nộp: " + ", ".join(missing) + ".")


def chunks(result: Consolidation, meta: ExportMeta, details: DocumentDetails
           ) -> Iterator[str]:
    """The whole document body, piece by piece."""
    outline = result.outline
    yield from front(Heading(
        issuer=details.issuer or outline.issuer, parent=details.issuer_parent,
        number_symbol=details.number_symbol, place=details.place, day=details.day,
        subject=(subject(outline, "Tổng hợp kết quả"),
                 *((f"Kỳ báo cáo: {meta.period}",) if meta.period else ()))))
    facts = [f"Đề cương: {outline.title}",
             f"Đợt báo cáo: {meta.round_title}" if meta.round_title else "",
             f"Kỳ báo cáo: {meta.period}" if meta.period else "",
             f"Hạn nộp: {show_datetime(meta.deadline)}" if meta.deadline else "",
             f"Số liệu tổng hợp từ {meta.basis_text}"]
    yield para("; ".join(f for f in facts if f) + ".")
    body = Body(result)
    yield from _completeness(result)
    yield from body.visit(outline.items, 0)
    yield para(Run(f"(Số liệu lập lúc {show_datetime(meta.generated_at)}; ô «—» là đơn vị "
                   "không có số liệu, không phải số 0.)", italic=True, size=12))
    yield from closing(Closing(recipients=tuple(details.recipient_lines),
                               authority=details.signer_authority,
                               title=details.signer_title, name=details.signer_name))
    if body.annex.parts:
        yield para(Run("PHỤ LỤC", bold=True), style="Compact", align="center",
                   page_break=True)
        yield para(Run("SỐ LIỆU VÀ Ý KIẾN CỦA TỪNG ĐƠN VỊ", bold=True), style="Compact",
                   align="center")
        yield para(Run(f"(Kèm theo báo cáo tổng hợp {meta.round_title})", italic=True),
                   style="Compact", align="center", after=240)
        for number, part in enumerate(body.annex.parts, start=1):
            yield para(Run(f"Mục {number}.", bold=True), keep_next=True)
            yield from part()
