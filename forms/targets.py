"""A target (chỉ tiêu) in words, the same on every channel: the fill page, the outline page,
the Excel template, the consolidated page and charts, the exported spreadsheet and report.

"Chỉ tiêu: = true" means nothing to a reader: a yes/no target reads "Có" or "Không"; a number
"≥ 95 %" (the item's own number format, so a percent carries its sign), "≤ 10", "= 100 %".
A target against other items names them ("≤ «Tổng số nhiệm vụ»").
"""

from __future__ import annotations

from forms.expr.nodes import Name
from forms.kinds import get_kind
from forms.model import Item, Outline

#: The rule for a yes/no target on a group row, stated wherever such a verdict is shown.
YES_NO_TOTAL_RULE = ("Với chỉ tiêu có/không, tổng cộng (và mỗi dòng cộng nhóm) chỉ «đạt» khi "
                     "mọi đơn vị đã trả lời đều đạt; đơn vị chưa trả lời không được tính.")


def target_words(item: Item, outline: Outline | None = None) -> str:
    """The item's target as a reader says it, without the "Chỉ tiêu:" lead: "Có", "≥ 95 %".

    With the `outline`, a target that compares with another item names it by its label;
    without, by its key as written in the outline."""
    target = item.target
    if target is None:
        return ""
    value = target.constant()
    kind = get_kind(item.kind)
    if kind.judged_by_answer and isinstance(value, bool) and target.op in ("=", "!="):
        return kind.format(value == (target.op == "="), item)  # "Có" / "Không"
    if isinstance(value, bool):
        return f"{target.symbol} {'Có' if value else 'Không'}"
    if isinstance(value, int | float):
        return f"{target.symbol} {get_kind(item.kind).format(value, item)}"
    root = target.expr.root
    if isinstance(root, Name) and outline is not None and root.key in outline:
        return f"{target.symbol} «{outline.item(root.key).label}»"
    return f"{target.symbol} {target.expr.source}"
