"""`select_one`: one choice of a list, typed as the choice's label (`Tốt`) or name (`tot`).

The stored value is the choice's `name`, so that relabelling a choice does not change data.
Matching ignores case, Unicode normalisation and extra spaces; when nothing matches exactly, a
label typed without diacritics (`Chua dat`) is accepted if it fits exactly one choice.
"""

from __future__ import annotations

import unicodedata
from typing import Any, ClassVar

from forms.kinds.answers import AnswerKind
from forms.kinds.base import Parsed, Spec, Tally, quote, spec_attr
from forms.kinds.text import natural_text

_INLINE_LIMIT = 255  # Excel's limit on an inline list, commas included


def fold(text: str) -> str:
    """NFC, case-folded and single-spaced: how two spellings of one label compare."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def bare(text: str) -> str:
    """`fold` without diacritics: `Chưa đạt` → `chua dat`."""
    decomposed = unicodedata.normalize("NFD", fold(text)).replace("đ", "d")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class SelectOneKind(AnswerKind, name="select_one", order=80, title="chọn một",
                    category="choice"):
    has_choices: ClassVar[bool] = True
    widget: ClassVar[str] = "select"

    def tallies(self, key: str, spec: Spec | None = None) -> tuple[Tally, ...]:
        """How many units chose each choice, in the outline's order."""
        return tuple(Tally(f"{key}={c.name}", "choice", f"«{c.label}» (số đơn vị)", c.name)
                     for c in spec_attr(spec, "choices", ()))

    def input_choices(self, spec: Spec | None = None) -> tuple[tuple[str, str], ...]:
        """"— Chọn —" (no answer) first, then the item's choices."""
        choices = spec_attr(spec, "choices", ())
        return (("", "— Chọn —"), *((c.name, c.label) for c in choices))

    def input_text(self, stored: Any, spec: Spec | None = None) -> str:
        return "" if stored is None else str(stored)  # the choice's name, as the select posts

    def _parse(self, raw: object, spec: Spec | None) -> Parsed:
        choices = tuple(spec_attr(spec, "choices", ()))
        text = natural_text(raw) if not isinstance(raw, bool) else None
        if text is not None:
            wanted = fold(text)
            for choice in choices:
                if wanted in (fold(choice.name), fold(choice.label)):
                    return Parsed(choice.name, ())
            loose = bare(text)
            near = {c.name for c in choices if loose in (bare(c.name), bare(c.label))}
            if len(near) == 1:
                return Parsed(near.pop(), ())
        if not choices:
            return Parsed(None, (f"{quote(raw)}: mục này chưa có danh sách lựa chọn.",))
        labels = ", ".join(c.label for c in choices)
        return Parsed(None, (f"{quote(raw)} không có trong danh sách lựa chọn. "
                             f"Hãy chọn một trong: {labels}.",))

    def format(self, value: Any, spec: Spec | None = None) -> str:
        if value is None:
            return ""
        for choice in spec_attr(spec, "choices", ()):
            if choice.name == value:
                return choice.label
        return str(value)

    def excel_validation(self, spec: Spec | None = None) -> dict[str, Any] | None:
        """A drop-down of labels; over Excel's inline limit, or with a comma in a label, it
        returns `source: None` and `needs_range: True`: the caller writes the labels to a
        hidden sheet, points `source` at that range and drops `needs_range`."""
        labels = [c.label for c in spec_attr(spec, "choices", ())]
        if not labels:
            return None
        inline = ",".join(labels)
        fits = len(inline.encode("utf-16-le")) // 2 <= _INLINE_LIMIT
        fits = fits and not any("," in label or '"' in label for label in labels)
        options = self.drop_down(
            labels if fits else None,
            title="Chọn trong danh sách",
            message="Chọn một trong: " + ", ".join(labels) + ".",
            refusal="Ô này chỉ nhận một lựa chọn trong danh sách. "
                    "Hãy bấm vào mũi tên bên phải ô để chọn.",
        )
        if not fits:
            options["needs_range"] = True
        return options


KIND = SELECT_ONE = SelectOneKind()
