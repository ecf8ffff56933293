"""The checker reports every problem of a broken outline, each at its file:line:column."""

from __future__ import annotations

import textwrap

import pytest

from forms.errors import Code, OutlineError
from forms.loader import check_outline, load_outline

HEAD = """\
id: vi-du
version: 1
title: Đề cương ví dụ
"""


def check(body: str, head: str = HEAD) -> list:
    text = head + textwrap.dedent(body)
    return check_outline(text, filename="vi-du.yaml")


def located(problems) -> list[tuple[int, int, Code]]:
    return [(p.line, p.column, p.code) for p in problems]


def test_a_clean_outline_has_no_problem():
    assert check("""\
        items:
          - {type: integer, name: a, number: "1.", label: Số A, unit: hồ sơ}
          - {type: integer, name: b, number: "2.", label: Số B}
          - {type: percent, name: r, number: "3.", label: Tỷ lệ, calculation: a / b * 100}
        """) == []


BROKEN = [
    pytest.param(
        """\
        items:
          - {type: integer, name: a, label: A
        """,
        [(6, 1, Code.YAML_SYNTAX)],
        "bắt đầu ở dòng 5",
        id="yaml-syntax",
    ),
    pytest.param(
        """\
        items:
          - {type: interger, name: a, label: A}
        """,
        [(5, 12, Code.UNKNOWN_KIND)],
        "Có phải ý bạn là 'integer'?",
        id="unknown-kind-with-suggestion",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: a, label: A}
          - {type: integer, name: a, label: B}
        """,
        [(6, 27, Code.DUPLICATE_NAME)],
        "đã dùng ở dòng 5",
        id="duplicate-key",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: a, number: "1.", label: A}
          - {type: integer, name: b, number: "1.", label: B}
        """,
        [(6, 38, Code.DUPLICATE_NUMBER)],
        "Số thứ tự '1.' đã dùng",
        id="duplicate-number",
    ),
    pytest.param(
        """\
        items:
          - {type: percent, name: r, label: R, calculation: a / tong * 100}
        """,
        [(5, 53, Code.EXPR_PROBLEM), (5, 57, Code.EXPR_PROBLEM)],
        "không có mục nào tên",
        id="formula-names-unknown-items",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: a, label: A, calculation: b + 1}
          - {type: integer, name: b, label: B, calculation: a + 1}
        """,
        [(5, 53, Code.CALC_CYCLE)],
        "Công thức vòng tròn: a → b → a",
        id="formula-cycle",
    ),
    pytest.param(
        """\
        items:
          - {type: text, name: t, label: T}
          - {type: integer, name: n, label: N, calculation: t * 2}
        """,
        [(6, 53, Code.EXPR_PROBLEM)],
        "văn bản",
        id="arithmetic-on-text",
    ),
    pytest.param(
        """\
        items:
          - {type: percent, name: r, label: R, target: "khoảng 95"}
        """,
        [(5, 48, Code.BAD_TARGET)],
        "Chỉ tiêu 'khoảng 95' không hợp lệ",
        id="malformed-target",
    ),
    pytest.param(
        """\
        items:
          - {type: percent, name: r, label: R, target: ">= chi_tieu"}
        """,
        [(5, 52, Code.EXPR_PROBLEM)],
        "không có mục nào tên \"chi_tieu\"",
        id="target-names-unknown-item",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: a, label: A}
        rules:
          - name: r1
            constraint: a <= tong
            message: A không được lớn hơn tổng.
        """,
        [(8, 22, Code.EXPR_PROBLEM)],
        "không có mục nào tên",
        id="rule-names-unknown-item",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: a, label: A}
        rules:
          - name: r1
            constraint: a <= (1
            message: Sai.
        """,
        [(8, 24, Code.EXPR_SYNTAX)],
        "sai cú pháp",
        id="rule-syntax",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: a, label: A}
        rules:
          - name: r1
            constraint: a >= 0
            message: Sai.
            severity: fatal
        """,
        [(10, 15, Code.BAD_SEVERITY)],
        "'error' (chặn nộp) hoặc 'warning'",
        id="bad-severity",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: Tong So, label: A}
        """,
        [(5, 27, Code.BAD_NAME)],
        "chữ thường không dấu",
        id="bad-name",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: not, label: A}
        """,
        [(5, 27, Code.BAD_NAME)],
        "không trùng các từ and, or, not",
        id="name-is-an-expression-word",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, label: A}
        """,
        [(5, 5, Code.MISSING_NAME)],
        "cần có 'name'",
        id="missing-name",
    ),
    pytest.param(
        """\
        items:
          - {type: select_one, name: c, label: C, choices: muc_doo}
        choices:
          muc_do:
            - {name: tot, label: Tốt}
        """,
        [(5, 52, Code.UNKNOWN_CHOICES)],
        "Có phải ý bạn là 'muc_do'?",
        id="unknown-choice-list",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: a, label: A, min: 10, max: 1}
        """,
        [(5, 45, Code.BAD_BOUNDS)],
        "min (10) lớn hơn max (1)",
        id="bad-bounds",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: a, label: A, lable: A}
        """,
        [(5, 40, Code.UNKNOWN_KEY)],
        "Có phải ý bạn là 'label'?",
        id="unknown-item-key",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: a, label: A}
        items:
          - {type: integer, name: b, label: B}
        """,
        [(6, 1, Code.DUPLICATE_YAML_KEY)],
        "xuất hiện hai lần",
        id="duplicate-yaml-key",
    ),
    pytest.param(
        """\
        items:
          - {type: table, name: t, label: T}
        """,
        [(5, 5, Code.MISSING_COLUMNS)],
        "cần 'columns'",
        id="table-without-columns",
    ),
    pytest.param(
        """\
        items:
          - {type: text, name: t, label: T, aggregate: sum}
        """,
        [(5, 48, Code.BAD_AGGREGATE)],
        "không dùng được cho loại 'text'",
        id="aggregate-wrong-for-kind",
    ),
    pytest.param(
        """\
        items:
          - {type: integer, name: a, label: A, calculation: "a1 +"}
        """,
        [(5, 58, Code.EXPR_SYNTAX)],
        "sai cú pháp",
        id="formula-syntax",
    ),
]


@pytest.mark.parametrize(("body", "expected", "fragment"), BROKEN)
def test_each_broken_outline_is_reported_at_its_place(body, expected, fragment):
    problems = check(body)
    assert located(problems) == expected
    assert all(str(p).startswith(f"vi-du.yaml:{p.line}:{p.column}: ") for p in problems)
    assert any(fragment in p.message for p in problems), [p.message for p in problems]


def test_missing_header_keys_are_all_reported():
    problems = check_outline("items:\n  - {type: integer, name: a, label: A}\n", filename="x.yaml")
    assert sorted(p.message for p in problems) == sorted(
        f"Thiếu khóa bắt buộc '{key}' trong đề cương." for key in ("id", "version", "title"))


def test_every_problem_is_reported_at_once():
    problems = check("""\
        items:
          - {type: interger, name: a, label: A}
          - {type: integer, name: b, label: B, calculation: zz + 1}
        rules:
          - {name: r, constraint: b > 0, message: M, severity: maybe}
        """)
    assert {p.code for p in problems} == {Code.UNKNOWN_KIND, Code.EXPR_PROBLEM, Code.BAD_SEVERITY}


def test_a_broken_outline_never_loads():
    with pytest.raises(OutlineError) as caught:
        load_outline(HEAD + "items:\n  - {type: integer, name: a, label: A, max: x}\n",
                     filename="x.yaml")
    assert [p.code for p in caught.value.problems] == [Code.BAD_NUMBER]


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "cp1258.yaml"
    path.write_bytes((HEAD + "items: []\n").encode("utf-8") + b"\xff\xfe")
    problems = check_outline(path)
    assert problems[0].code is Code.YAML_SYNTAX
    assert "UTF-8" in problems[0].message
