"""Splitting the source into tokens, with the column each starts at."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .errors import ExprSyntaxError

KEYWORDS = frozenset({"and", "or", "not", "true", "false"})

# Aliases are folded here so that the tree only knows one spelling of each comparison.
OPERATORS = {
    "<=": "<=",
    ">=": ">=",
    "==": "=",
    "!=": "!=",
    "<>": "!=",
    "<": "<",
    ">": ">",
    "=": "=",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "+": "+",
    "-": "-",
    "*": "*",
    "/": "/",
    "(": "(",
    ")": ")",
    ",": ",",
}

NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
NUMBER_RE = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
DIGITS = frozenset("0123456789")  # not str.isdigit: "²" and "٣" are digits to Python
MAX_DIGITS = 300  # past this int() is slow or refused, and no report needs it


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "string", "name", "column", "func", "keyword", "op", "self", "end"
    text: str  # as written
    value: object  # number value, string content, normalised operator or keyword
    column: int  # 1-based


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        column = i + 1
        if ch.isspace():
            i += 1
            continue
        if ch in DIGITS or (ch == "." and source[i + 1 : i + 2] in DIGITS):
            i = _number(source, i, tokens)
            continue
        if ch == ".":
            tokens.append(Token("self", ".", ".", column))
            i += 1
            continue
        if ch == '"':
            i = _string(source, i, tokens)
            continue
        if ch.isalpha() or ch == "_":
            i = _word(source, i, tokens)
            continue
        two = source[i : i + 2]
        if two in OPERATORS:
            tokens.append(Token("op", two, OPERATORS[two], column))
            i += 2
            continue
        if ch in OPERATORS:
            tokens.append(Token("op", ch, OPERATORS[ch], column))
            i += 1
            continue
        raise ExprSyntaxError(column, f'không hiểu ký tự "{ch}"')
    tokens.append(Token("end", "", None, n + 1))
    return tokens


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _number(source: str, i: int, tokens: list[Token]) -> int:
    match = NUMBER_RE.match(source, i)
    assert match is not None  # the caller saw a digit
    end = match.end()
    text = match.group()
    if end < len(source) and (_is_word_char(source[end]) or source[end] == "."):
        # "1.000.000", "5.", "5kg": say what is wrong rather than give a puzzling later error.
        stop = end
        while stop < len(source) and (_is_word_char(source[stop]) or source[stop] == "."):
            stop += 1
        bad = source[i:stop]
        if bad.count(".") > 1:
            raise ExprSyntaxError(
                i + 1,
                f'số "{bad}" viết sai: trong biểu thức dùng dấu chấm cho phần thập phân '
                "(0.5) và không dùng dấu ngăn cách hàng nghìn",
            )
        raise ExprSyntaxError(i + 1, f'số "{bad}" viết sai')
    if len(text) > MAX_DIGITS:
        raise ExprSyntaxError(i + 1, "số quá lớn")
    value: int | float
    if any(c in text for c in ".eE"):
        value = float(text)
        if not math.isfinite(value):
            raise ExprSyntaxError(i + 1, "số quá lớn")
    else:
        value = int(text)
    tokens.append(Token("number", text, value, i + 1))
    return end


def _string(source: str, i: int, tokens: list[Token]) -> int:
    parts: list[str] = []
    j = i + 1
    while True:
        close = source.find('"', j)
        if close < 0:
            raise ExprSyntaxError(i + 1, 'chuỗi chưa đóng: thiếu dấu " ở cuối')
        parts.append(source[j:close])
        if source[close + 1 : close + 2] == '"':  # a doubled quote stands for one quote
            parts.append('"')
            j = close + 2
            continue
        tokens.append(Token("string", source[i : close + 1], "".join(parts), i + 1))
        return close + 1


def _word(source: str, i: int, tokens: list[Token]) -> int:
    end = i
    while end < len(source) and _is_word_char(source[end]):
        end += 1
    text = source[i:end]
    lower = text.lower()
    after = end
    while after < len(source) and source[after].isspace():
        after += 1
    if lower in KEYWORDS:
        tokens.append(Token("keyword", text, lower, i + 1))
    elif source[end : end + 1] == "." and source[end + 1 : end + 2].isalpha() \
            and NAME_RE.match(text):
        return _column(source, i, end, tokens)
    elif source[after : after + 1] == "(":
        tokens.append(Token("func", text, lower, i + 1))
    elif NAME_RE.match(text):
        tokens.append(Token("name", text, text, i + 1))
    else:
        raise ExprSyntaxError(
            i + 1,
            f'tên mục "{text}" viết sai: chỉ dùng chữ thường không dấu (a–z), chữ số và dấu _, '
            "bắt đầu bằng một chữ",
        )
    return end


def _column(source: str, i: int, dot: int, tokens: list[Token]) -> int:
    """`bang.cot`: a column of a repeating table, written with no space around the dot."""
    end = dot + 1
    while end < len(source) and _is_word_char(source[end]):
        end += 1
    table, column = source[i:dot], source[dot + 1 : end]
    if not NAME_RE.match(column):
        raise ExprSyntaxError(
            dot + 2,
            f'tên cột "{column}" viết sai: chỉ dùng chữ thường không dấu (a–z), chữ số và dấu _, '
            "bắt đầu bằng một chữ",
        )
    tokens.append(Token("column", source[i:end], (table, column), i + 1))
    return end


COMPARE_OPS_SET = frozenset({"<", "<=", ">", ">=", "=", "!="})
