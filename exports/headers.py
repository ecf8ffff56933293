"""Column headers a reader can tell apart, in every spreadsheet decuong writes.

Outlines repeat labels: the Cẩm Giang outline asks "Số VBQPPL có kiến nghị xử lý đã được xử lý
xong" once after kiểm tra and once after rà soát, under the same parent. A table whose two
columns read the same is useless on paper, so when items of one table would show the same
words, each gets a qualifier saying which it is, found generically (no outline-specific code):

1. the nearest item above it that the others do not share (its section or parent), else
2. its hint, when the hints differ ("Sau kiểm tra." → "sau kiểm tra"), else
3. its position among them ("mục thứ 2").

`distinct` is the last guard for single-row headers (csv, the roll-up and transposed sheets):
whatever still collides gets " (2)", " (3)", so no two header cells are ever equal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

from aggregate import ColumnHeader
from forms.model import BULLETS, Item, Outline

SEPARATOR = " — "
MAX_QUALIFIER = 60  # characters: a qualifier names, it does not repeat a whole heading


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _shorten(text: str) -> str:
    text = " ".join(text.split()).rstrip(" .:;")
    return text if len(text) <= MAX_QUALIFIER else text[: MAX_QUALIFIER - 1].rstrip() + "…"


def _heading(item: Item) -> str:
    """An item named as a qualifier: its own number (not a bullet) and label."""
    number = "" if item.number in BULLETS else item.number
    return _shorten(f"{number} {item.label}".strip())


def _from_hint(hint: str) -> str:
    text = _shorten(hint)
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]  # "Sau kiểm tra." reads "… — sau kiểm tra"
    return text


def ancestors(outline: Outline) -> dict[str, list[Item]]:
    """Item key → the items above it, outermost first."""
    out: dict[str, list[Item]] = {}

    def visit(item: Item, above: list[Item]) -> None:
        if item.key:
            out[item.key] = above
        for child in item.children:
            visit(child, [*above, item])

    for top in outline.items:
        visit(top, [])
    return out


def _tell_apart(items: Sequence[Item], above: Mapping[str, list[Item]]) -> list[str]:
    chains = [above.get(item.key or "", []) for item in items]
    shared = set.intersection(*({id(a) for a in chain} for chain in chains))
    nearest = [next((a for a in reversed(chain) if id(a) not in shared), None)
               for chain in chains]
    if all(nearest):
        words = [_heading(a) for a in nearest if a is not None]
        if len({_norm(w) for w in words}) == len(words):
            return words
    hints = [_from_hint(item.hint or "") for item in items]
    if all(hints) and len({_norm(h) for h in hints}) == len(hints):
        return hints
    return [f"mục thứ {i}" for i in range(1, len(items) + 1)]


def qualifiers(outline: Outline, keys: Iterable[str],
               shown: Callable[[Item], str]) -> dict[str, str]:
    """Item key → the words telling it apart from the other items of `keys` that `shown`
    writes the same; items whose words are already unique are left out."""
    groups: dict[str, list[Item]] = {}
    for key in dict.fromkeys(keys):
        item = outline.item(key)
        groups.setdefault(_norm(shown(item)), []).append(item)
    above = ancestors(outline)
    out: dict[str, str] = {}
    for same in groups.values():
        if len(same) > 1:
            for item, words in zip(same, _tell_apart(same, above), strict=True):
                out[item.key or ""] = words
    return out


def qualified(text: str, qualifier: str | None) -> str:
    return f"{text}{SEPARATOR}{qualifier}" if qualifier else text


def column_names(outline: Outline, columns: Sequence[ColumnHeader]) -> dict[str, str]:
    """Column key → a one-row header (`ColumnHeader.header`, which starts with the item's
    reference), qualified where two items of `columns` share their reference."""
    extra = qualifiers(outline, (c.item_key for c in columns), lambda item: item.ref)
    out = {}
    for column in columns:
        words = extra.get(column.item_key)
        text = column.header
        if words and text.startswith(column.ref):
            text = qualified(column.ref, words) + text[len(column.ref):]
        out[column.key] = text
    return out


def distinct(names: Sequence[str]) -> list[str]:
    """`names` with any repeat (ignoring case and spacing) numbered " (2)", " (3)"…"""
    seen: set[str] = set()
    out = []
    for name in names:
        candidate, number = name, 2
        while _norm(candidate) in seen:
            candidate = f"{name} ({number})"
            number += 1
        seen.add(_norm(candidate))
        out.append(candidate)
    return out
