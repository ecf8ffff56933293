"""Figures and sentences of the consolidated report: values with their unit words, the total
of an item with how many units it covers, target verdicts, and the rows of unit tables."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from aggregate import NOT_REPORTED, TOTAL_ROW, UNIT_ROW, ColumnHeader, Consolidation
from aggregate.model import no_data
from aggregate.targets import MET, NOT_MET
from exports.docx.xml import Cell, Run
from exports.layout import item_title
from forms.kinds import get_kind, unit_word
from forms.kinds.numbers import format_number
from forms.model import Column, Item
from forms.targets import YES_NO_TOTAL_RULE, target_words

NO_DATA_MARK = "—"


def value_text(item: Item, header: ColumnHeader, value: Any) -> str:
    """A figure with its unit word ("1.234 hồ sơ", "95,5 %"); "—" for no data."""
    if no_data(value):
        return NO_DATA_MARK
    shown = format_number(value, header.decimals)
    return f"{shown} {unit_word(item)}".strip() if header.role == "value" else shown


@dataclass(frozen=True)
class Coverage:
    """How many units each column covers: unit rows with a value, out of the expected."""

    counts: dict[str, int]
    expected: int

    @classmethod
    def of(cls, result: Consolidation) -> Coverage:
        table = result.table
        units = table[table["row_type"] == UNIT_ROW]
        keys = [h.key for h in result.columns]
        counts = units[keys].notna().sum().to_dict() if keys else {}
        return cls({str(k): int(v) for k, v in counts.items()}, len(units))

    def words(self, key: str, verb: str = "có số liệu") -> str:
        return f"{self.counts.get(key, 0)}/{self.expected} đơn vị {verb}"


def total_sentence(result: Consolidation, item: Item, headers: Sequence[ColumnHeader],
                   coverage: Coverage) -> str:
    """"- Tổng số hồ sơ: tổng cộng 1.234 hồ sơ (57/60 đơn vị có số liệu)."."""
    total = result.total
    main = headers[0]
    value = total[main.key]
    text = f"{item_title(item)}: "
    covered = coverage.words(main.key, "trả lời" if main.role in ("yes", "choice")
                             else "có số liệu")
    if main.role == "yes":
        return text + f"{format_number(value, 0) or 0} đơn vị trả lời «Có» ({covered})."
    if main.role == "choice":
        parts = [f"{h.header.split('«', 1)[1].split('»', 1)[0]}: "
                 f"{format_number(total[h.key], 0) or 0}" for h in headers]
        return text + "; ".join(parts) + f" (số đơn vị; {covered})."
    if value != value:
        return text + f"không có số liệu ({covered})."
    if main.aggregate == "mean":
        low, high = (total[f"{main.key}@{x}"] for x in ("min", "max"))
        return text + (f"trung bình {value_text(item, main, value)} (thấp nhất "
                       f"{format_number(low, 2)}, cao nhất {format_number(high, 2)}; {covered}).")
    sentence = text + f"tổng cộng {value_text(item, main, value)} ({covered}"
    if main.aggregate == "formula":
        sentence += "; tính trên số tổng cộng, không lấy trung bình"
    return sentence + ")."


def verdict(result: Consolidation, item: Item) -> str | None:
    if item.target is None or item.key not in result.targets.table.columns:
        return None
    word = result.targets.table[item.key].iloc[-1]
    counts = result.targets.counts.loc[item.key]
    judged = {MET: "Đạt", NOT_MET: "Không đạt"}.get(word, "Không có số liệu để đánh giá")
    rule = f" {YES_NO_TOTAL_RULE}" if get_kind(item.kind).judged_by_answer else ""
    return (f"Chỉ tiêu {target_words(item, result.outline)}: {judged} (tổng cộng). Số đơn vị "
            f"đạt: {counts[MET]}; không đạt: {counts[NOT_MET]}; không có số liệu: "
            f"{counts['không có số liệu']}.{rule}")


def figure_label(item: Item, header: ColumnHeader) -> str:
    unit = unit_word(item)
    label = f"{item_title(item)} ({unit})" if unit else item_title(item)
    if header.aggregate == "mean":
        label += " — trung bình ở dòng cộng"
    return label


def unit_rows(result: Consolidation, chunk: Sequence[Item], main: Sequence[ColumnHeader],
              *, groups_only: bool) -> Iterator[list[Cell]]:
    """Rows of a unit table: every unit with the group subtotals and the total, or (when
    `groups_only`) the subtotals and total with how many units each covers."""
    columns = [h.key for h in main]
    frame = result.table[["row_type", "name", "status", *columns]]
    number = group_reported = group_expected = all_reported = all_expected = 0
    for row_type, name, status, *values in frame.itertuples(index=False, name=None):
        unit = row_type == UNIT_ROW
        if unit:
            number += 1
            counted = status != NOT_REPORTED
            group_expected, all_expected = group_expected + 1, all_expected + 1
            group_reported, all_reported = group_reported + counted, all_reported + counted
            if groups_only:
                continue
        if not unit and groups_only:
            reported, expected = ((all_reported, all_expected) if row_type == TOTAL_ROW
                                  else (group_reported, group_expected))
            lead = [Cell.of(str(name), bold=True),
                    Cell.of(f"{reported}/{expected}", bold=True, align="right")]
        else:
            lead = [Cell.of(str(number) if unit else "", align="center"),
                    Cell.of(str(name), bold=not unit)]
        if not unit:
            group_reported = group_expected = 0
        if unit and status == NOT_REPORTED:
            figures = [Cell((NO_DATA_MARK, Run(" chưa báo cáo", italic=True)), "right")]
            figures += [Cell.of(NO_DATA_MARK, align="right") for _ in values[1:]]
        else:
            figures = [Cell.of(value_text(item, header, value), bold=not unit, align="right")
                       for item, header, value in zip(chunk, main, values, strict=True)]
        yield lead + figures


def stacked_rows(frame: Any, columns: Sequence[Column]) -> Iterator[list[Cell | str]]:
    """Rows of a repeating table stacked over units (unit name first)."""
    keys = [c.key for c in columns]
    for record in frame[["unit_name", *keys]].itertuples(index=False, name=None):
        cells: list[Cell | str] = [Cell.of(str(record[0]))]
        for column, value in zip(columns, record[1:], strict=True):
            kind = get_kind(column.kind)
            if no_data(value):
                cells.append("")
            elif kind.align == "right":  # a figure: right-aligned under its column's head
                cells.append(Cell.of(kind.report_text(value, column), align="right"))
            else:
                cells.append(kind.report_text(value, column))
        yield cells
