"""The functions an outline may call: one table shared by the parser's users, the evaluator,
the checker and the Excel writer, so that adding one cannot leave a channel behind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Function:
    name: str
    min_args: int
    max_args: int | None  # None: any number
    summary: str  # for outline authors, in Vietnamese

    def accepts(self, count: int) -> bool:
        return count >= self.min_args and (self.max_args is None or count <= self.max_args)

    @property
    def arity(self) -> str:
        if self.max_args is None:
            return f"ít nhất {self.min_args} đối số"
        if self.max_args == self.min_args:
            return f"đúng {self.min_args} đối số"
        if self.max_args == self.min_args + 1:
            return f"{self.min_args} hoặc {self.max_args} đối số"
        return f"từ {self.min_args} đến {self.max_args} đối số"


#: Functions over the cells of a table column (`sum(t.c)`); `count` also takes a table (`count(t)`).
COLUMN_FUNCTIONS = frozenset({"sum", "min", "max", "avg", "count"})
#: Column functions that need numbers.
NUMERIC_COLUMN_FUNCTIONS = frozenset({"sum", "min", "max", "avg"})

FUNCTIONS: Mapping[str, Function] = MappingProxyType(
    {
        f.name: f
        for f in (
            Function("sum", 1, None, "tổng các giá trị có dữ liệu"),
            Function("min", 1, None, "giá trị nhỏ nhất trong các giá trị có dữ liệu"),
            Function("max", 1, None, "giá trị lớn nhất trong các giá trị có dữ liệu"),
            Function("round", 1, 2, "làm tròn (nửa lên, xa số 0), mặc định đến số nguyên"),
            Function("if", 3, 3, "if(điều kiện, giá trị khi đúng, giá trị khi sai)"),
            Function("abs", 1, 1, "giá trị tuyệt đối"),
            Function("count", 1, 1, "số dòng có dữ liệu của một bảng, count(bang), hoặc số ô "
                     "có dữ liệu của một cột, count(bang.cot)"),
            Function("avg", 1, 1, "trung bình các ô có dữ liệu của một cột số, avg(bang.cot)"),
        )
    }
)
