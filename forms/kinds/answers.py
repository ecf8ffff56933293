"""What `select_one` and `yes_no` share: one answer out of a fixed list.

Such an answer is written in a spreadsheet as its words and picked from a drop-down there,
lines up left like words, and consolidates as counts of units per answer.
"""

from __future__ import annotations

from typing import Any, ClassVar

from forms.kinds.base import Kind, Spec, validation


class AnswerKind(Kind):
    """A kind whose value is one answer of a list (the item's choices, or Có/Không)."""

    default_aggregate: ClassVar[str] = "count"
    align: ClassVar[str | None] = "left"
    excel_as_words: ClassVar[bool] = True

    def report_text(self, value: Any, spec: Spec | None = None) -> str:
        """The answer's words (a choice's label, Có/Không), never the stored token or a
        Python boolean: the report is read by people."""
        return self.format(value, spec)

    def sheet_value(self, value: Any, spec: Spec | None = None) -> Any:
        """The answer's words, as the unit picked them from the template's drop-down."""
        return self.format(value, spec)

    @staticmethod
    def drop_down(source: list[str] | None, *, title: str, message: str,
                  refusal: str) -> dict[str, Any]:
        """Excel's list validation of the answers' words: `title`/`message` ask, `refusal`
        says what the cell takes when something else is typed."""
        return validation("list", source=source, input_title=title, input_message=message,
                          error_title="Giá trị không hợp lệ", error_message=refusal)
