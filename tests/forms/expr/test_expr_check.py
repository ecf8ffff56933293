"""Static checks: what the outline checker reports about an expression that parses."""

import pytest

from forms.expr import FUNCTIONS, ExprProblem, parse

KINDS = {
    "tong_hs": "number",
    "dung_han": "number",
    "ten_dv": "text",
    "xep_loai": "choice",
    "ngay_ky": "date",
    "co_kh": "bool",
    "ds_vb": "table",
}


@pytest.mark.parametrize(
    "source",
    [
        "dung_han / tong_hs * 100",
        "round(dung_han / tong_hs * 100, 1) >= 95",
        'xep_loai = "tot"',
        'ten_dv != ""',
        "co_kh and tong_hs > 0",
        "not co_kh",
        "co_kh = true",
        "if(co_kh, tong_hs, 0)",
        "sum(tong_hs, dung_han) - max(tong_hs, 1)",
        "ngay_ky < ngay_ky",
        "abs(-tong_hs)",
    ],
)
def test_sound_expressions_have_no_problems(source: str) -> None:
    assert parse(source).problems(KINDS) == []


@pytest.mark.parametrize(
    ("source", "self_kind", "column", "fragment"),
    [
        ("tong_hss + 1", None, 1, 'không có mục nào tên "tong_hss"; có phải là "tong_hs"?'),
        ("abc + 1", None, 1, 'không có mục nào tên "abc"'),
        (". <= 1000", None, 1, 'dấu "." (chính mục này)'),
        ("summ(tong_hs)", None, 1, 'không có hàm "summ"; có phải là "sum"?'),
        ("foo(tong_hs)", None, 1, "các hàm dùng được: sum, min, max, round, if, abs"),
        ("tong_hs + mean(1)", None, 11, 'không có hàm "mean"'),
        ("round(tong_hs, 1, 2)", None, 1, 'hàm "round" cần 1 hoặc 2 đối số, ở đây có 3'),
        ("if(co_kh, 1)", None, 1, 'hàm "if" cần đúng 3 đối số, ở đây có 2'),
        ("sum()", None, 1, 'hàm "sum" cần ít nhất 1 đối số, ở đây có 0'),
        ("abs()", None, 1, 'hàm "abs" cần đúng 1 đối số'),
        ("ten_dv + 1", None, 1, 'không thể làm phép tính với mục văn bản "ten_dv"'),
        ("1 + xep_loai", None, 5, 'không thể làm phép tính với mục lựa chọn "xep_loai"'),
        ("ngay_ky - 1", None, 1, 'không thể làm phép tính với mục ngày tháng "ngay_ky"'),
        ("co_kh * 2", None, 1, 'không thể làm phép tính với mục có/không "co_kh"'),
        ("-ds_vb", None, 2, 'không thể làm phép tính với mục bảng "ds_vb"'),
        ("sum(tong_hs, ten_dv)", None, 14, 'mục văn bản "ten_dv"'),
        ("round(xep_loai)", None, 7, 'mục lựa chọn "xep_loai"'),
        ('"abc" * 2', None, 1, 'không thể làm phép tính với chuỗi "abc"'),
        ("(tong_hs > 1) + 1", None, 10, "không thể làm phép tính với kết quả đúng/sai"),
        (". + 1", "text", 1, "không thể làm phép tính với chính mục này (mục văn bản)"),
        ('tong_hs = "tot"', None, 11, 'không thể so sánh mục số "tong_hs" với chuỗi "tot"'),
        ('"5" < 6', None, 1, 'không thể so sánh chuỗi "5" với số 6'),
        ('. = "x"', "number", 5, "không thể so sánh chính mục này (mục số) với chuỗi"),
        ("ngay_ky > 0", None, 11, "không thể so sánh mục ngày tháng"),
        ("ds_vb = 1", None, 1, 'không thể so sánh mục bảng "ds_vb"'),
        ("co_kh < true", None, 7, "chỉ so sánh được bằng = hoặc !="),
        ("tong_hs and co_kh", None, 1, "cần một điều kiện đúng/sai"),
        ("not ten_dv", None, 5, 'không phải mục văn bản "ten_dv"'),
        ("if(tong_hs, 1, 2)", None, 4, "cần một điều kiện đúng/sai"),
    ],
)
def test_problems(source: str, self_kind: str | None, column: int, fragment: str) -> None:
    found = parse(source).problems(KINDS, self_kind)
    assert len(found) == 1, found
    assert found[0].column == column
    assert fragment in found[0].message


def test_all_problems_reported_at_once_in_column_order() -> None:
    found = parse("ten_dv + abc / summ(1) + .").problems(KINDS)
    assert [p.column for p in found] == [1, 10, 16, 26]
    assert all(isinstance(p, ExprProblem) for p in found)


def test_self_allowed_with_a_kind() -> None:
    assert parse(". <= tong_hs").problems(KINDS, "number") == []
    assert parse('. = "tot"').problems(KINDS, "choice") == []


def test_function_table() -> None:
    assert set(FUNCTIONS) == {"sum", "min", "max", "round", "if", "abs", "count", "avg"}
    assert FUNCTIONS["round"].accepts(1) and FUNCTIONS["round"].accepts(2)
    assert not FUNCTIONS["round"].accepts(3)
    assert FUNCTIONS["sum"].accepts(40) and not FUNCTIONS["sum"].accepts(0)
    with pytest.raises(TypeError):
        FUNCTIONS["x"] = FUNCTIONS["sum"]  # type: ignore[index]
