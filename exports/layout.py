"""Multi-row column headers in the outline's numbering, shared by the spreadsheet writers.

A section's value columns sit under their sub-sections as the printed outline nests them:
"II. KẾT QUẢ…" over "1. Tiếp nhận…" over "- Tổng số hồ sơ (hồ sơ)". Each column gets a path
of header nodes from the top section down to the item (and, for an item with several columns
such as a mean with its minimum, maximum and count, one more row naming the column). Paths
are padded to a common height by repeating the item's node, so every node covers a rectangle
of the header grid: the writer merges or boxes those rectangles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aggregate import ColumnHeader
from exports.headers import ancestors, qualified, qualifiers
from forms.kinds import unit_word
from forms.model import BULLETS, Item, Outline

ROLE_WORDS = {
    "mean_min": "Nhỏ nhất",
    "mean_max": "Lớn nhất",
    "mean_n": "Số đơn vị có số liệu",
}
OWN_TOTAL = "Tổng số"  # the column of an item that also heads sub-items ("Trong đó: …")


@dataclass(frozen=True)
class HeaderCell:
    """One rectangle of the header grid (rows and columns relative to the value columns)."""

    text: str
    first_row: int
    last_row: int
    first_col: int
    last_col: int


def item_title(item: Item) -> str:
    number = item.number if item.number else ""
    return f"{number} {item.label}".strip()


def with_unit(text: str, item: Item) -> str:
    unit = unit_word(item)
    return f"{text} ({unit})" if unit else text


def _has_value_children(item: Item, keys: set[str]) -> bool:
    return any(child.key in keys for node in item.children for child in node.walk())


def column_label(header: ColumnHeader, item: Item) -> str | None:
    """The extra header row of a multi-column item, or None for a one-column item."""
    if header.role == "value" and header.aggregate == "mean":
        return "Trung bình"
    if header.role in ROLE_WORDS:
        return ROLE_WORDS[header.role]
    if header.role == "choice":
        choice = header.key.split("=", 1)[1]
        label = next((c.label for c in item.choices if c.name == choice), choice)
        return f"«{label}» (số đơn vị)"
    return None


def leaf_title(header: ColumnHeader, item: Item, qualifier: str | None = None) -> str:
    """The cell naming the item of a column; `qualifier` tells it from a namesake (see
    `exports.headers`)."""
    title = qualified(item_title(item), qualifier)
    if header.role == "yes":
        return f"{title}: số đơn vị trả lời «Có»"
    return with_unit(title, item)


def header_grid(outline: Outline, columns: Sequence[ColumnHeader]) -> tuple[int, list[HeaderCell]]:
    """(height, rectangles) of the header over `columns` (one section's value columns, in
    outline order)."""
    above = ancestors(outline)
    keys = {c.item_key for c in columns}
    named = [a.key for c in columns for a in above.get(c.item_key, []) if a.key]
    apart = qualifiers(outline, [*named, *keys], item_title)
    paths: list[list[tuple[object, str]]] = []
    details: list[int] = []
    for header in columns:
        item = outline.item(header.item_key)
        path: list[tuple[object, str]] = [
            (("section", id(a)), qualified(item_title(a), apart.get(a.key or "")))
            for a in above.get(header.item_key, [])]
        if _has_value_children(item, keys):
            path.append((("section", id(item)),
                         with_unit(qualified(item_title(item), apart.get(item.key or "")),
                                   item)))
            path.append((("own", header.item_key), with_unit(OWN_TOTAL, item)))
        else:
            path.append((("leaf", header.item_key),
                         leaf_title(header, item, apart.get(header.item_key))))
        extra = column_label(header, item)
        if extra is not None:
            path.append((("detail", header.key), extra))
        details.append(1 if extra is not None else 0)
        paths.append(path)
    height = max((len(p) for p in paths), default=1)
    spans: dict[object, list[int]] = {}  # node → [r0, r1, c0, c1]
    texts: dict[object, str] = {}
    order: list[object] = []
    for col, (path, detail) in enumerate(zip(paths, details, strict=True)):
        leaf_at = len(path) - 1 - detail
        padded = path[:leaf_at] + [path[leaf_at]] * (height - len(path) + 1) + path[leaf_at + 1:]
        for row, (node, text) in enumerate(padded):
            if node not in spans:
                spans[node] = [row, row, col, col]
                texts[node] = text
                order.append(node)
            else:
                span = spans[node]
                span[0], span[1] = min(span[0], row), max(span[1], row)
                span[2], span[3] = min(span[2], col), max(span[3], col)
    cells = [HeaderCell(texts[n], *spans[n]) for n in order]
    cells.sort(key=lambda c: (c.first_row, c.first_col))
    return height, cells


def bare_number(item: Item) -> str:
    """The item's own number unless it is a bullet."""
    return "" if item.number in BULLETS else item.number
