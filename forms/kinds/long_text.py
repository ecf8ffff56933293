"""`long_text`: narrative paragraphs (the unit's assessment, its proposals), read like `text`
but up to Excel's cell limit and asked for in a text area."""

from __future__ import annotations

from typing import ClassVar

from forms.kinds.text import TextKind


class LongTextKind(TextKind, name="long_text", order=60, title="đoạn văn"):
    multiline: ClassVar[bool] = True
    #: Excel's cell limit is 32,767; keep a margin for what exports add.
    limit: ClassVar[int] = 32000
    widget: ClassVar[str] = "textarea"
    input_title: ClassVar[str] = "Nhập nội dung báo cáo"


KIND = LONG_TEXT = LongTextKind()
