"""`yes_no`: true / false, typed `có`/`không`, `x`, `1`/`0`, `đúng`/`sai`, `đã`/`chưa`…

Reports often mark a yes with an `x` in a column, and people type without diacritics, so the
accepted words are generous; anything else is refused rather than read as "no".
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any, ClassVar

from forms.kinds.answers import AnswerKind
from forms.kinds.base import Parsed, Spec, Tally, quote

YES_LABEL, NO_LABEL = "Có", "Không"
#: What the web form's radio buttons post (read back by `_parse` like any typed word).
YES_TOKEN, NO_TOKEN = "co", "khong"

_YES = frozenset({"có", "co", "x", "1", "true", "yes", "y", "đ", "đúng", "dung", "đã", "đã có",
                  "✓", "✔", "☑"})
_NO = frozenset({"không", "khong", "ko", "k", "0", "false", "no", "n", "sai", "chưa",
                 "chưa có", "chua", "chua co"})


def fold(text: str) -> str:
    """NFC, case-folded, single-spaced, without a trailing full stop: `Có.` → `có`."""
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(text.split()).rstrip(".").strip()


class YesNoKind(AnswerKind, name="yes_no", order=90, title="có/không", category="bool"):
    widget: ClassVar[str] = "radio"
    judged_by_answer: ClassVar[bool] = True

    def tallies(self, key: str, spec: Spec | None = None) -> tuple[Tally, ...]:
        """How many units answered «Có» (the «Không» are the rest of those who answered)."""
        return (Tally(key, "yes", f"số đơn vị trả lời «{YES_LABEL}»", True),)

    def input_choices(self, spec: Spec | None = None) -> tuple[tuple[str, str], ...]:
        return ((YES_TOKEN, YES_LABEL), (NO_TOKEN, NO_LABEL))

    def input_text(self, stored: Any, spec: Spec | None = None) -> str:
        if stored is None or stored == "":
            return ""
        return YES_TOKEN if self.from_json(stored) else NO_TOKEN

    def _parse(self, raw: object, spec: Spec | None) -> Parsed:
        if isinstance(raw, bool):
            return Parsed(raw, ())
        if isinstance(raw, int | float) and (not isinstance(raw, float) or math.isfinite(raw)):
            if raw in (0, 1):
                return Parsed(raw == 1, ())
        elif isinstance(raw, str):
            word = fold(raw)
            if word in _YES:
                return Parsed(True, ())
            if word in _NO:
                return Parsed(False, ())
        return Parsed(None, (f'{quote(raw)} không phải là "Có" hoặc "Không". '
                             'Hãy nhập "Có" hoặc "Không" (có thể gõ x thay cho "Có").',))

    def format(self, value: Any, spec: Spec | None = None) -> str:
        if value is None:
            return ""
        return YES_LABEL if value else NO_LABEL

    def to_json(self, value: Any) -> Any:
        return None if value is None else bool(value)

    def from_json(self, obj: Any) -> Any:
        return None if obj is None else bool(obj)

    def excel_validation(self, spec: Spec | None = None) -> dict[str, Any]:
        return self.drop_down([YES_LABEL, NO_LABEL], title="Chọn Có hoặc Không",
                              message='Chọn "Có" hoặc "Không" trong danh sách.',
                              refusal='Ô này chỉ nhận "Có" hoặc "Không".')


KIND = YES_NO = YesNoKind()
