"""`evidence: true` (tài liệu kiểm chứng wanted): on an item for that item, on a section for
every value item inside it, never on a computed item; checked like any other key, at its
file:line:column, and carried through the spreadsheet format."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from forms.errors import Code
from forms.library import REPO_OUTLINES
from forms.loader import check_outline, load_outline
from forms.spreadsheet import import_workbook, workbook_bytes

sys.path.insert(0, str(Path(__file__).parent / "spreadsheet"))
from spreadsheet_helpers import problems_at

HEAD = """\
id: vi-du
version: 1
title: Đề cương ví dụ
"""

FLAGGED = HEAD + textwrap.dedent("""\
    items:
      - type: section
        number: I.
        label: Có kiểm chứng
        evidence: true
        items:
          - {type: integer, name: a, number: "1.", label: A}
          - {type: integer, name: b, number: "2.", label: B}
          - {type: percent, name: r, number: "3.", label: Tỷ lệ, calculation: a / b * 100}
          - type: section
            number: "4."
            label: Sâu hơn
            items:
              - {type: long_text, name: c, number: "-", label: C}
          - type: table
            name: t
            number: "5."
            label: Bảng
            columns:
              - {type: text, name: ten, label: Tên}
      - type: section
        number: II.
        label: Không kiểm chứng
        items:
          - type: integer
            name: d
            number: "1."
            label: D
            evidence: true
            items:
              - {type: integer, name: d1, number: "-", label: D1}
          - {type: integer, name: e, number: "2.", label: E, evidence: false}
    """)


def wanted(outline) -> list[str]:
    return [item.key for item in outline.fields() if item.wants_evidence]


def test_a_section_flags_every_value_item_inside_it_but_computed_ones():
    outline = load_outline(FLAGGED)
    assert wanted(outline) == ["a", "b", "c", "t", "d"]
    assert outline.items[0].evidence is True and outline.items[0].wants_evidence is False
    assert outline.item("r").wants_evidence is False  # computed: no file, ever
    assert outline.item("d1").wants_evidence is False  # an item's own flag is about it alone
    assert outline.item("e").evidence is False


def test_without_the_key_nothing_wants_evidence():
    outline = load_outline(HEAD + "items:\n  - {type: integer, name: a, label: A}\n")
    assert wanted(outline) == []
    assert outline.as_dict()["items"][0]["evidence"] is False


def test_as_dict_lists_the_flag_per_item():
    listed = {i["key"]: i["evidence"] for i in load_outline(FLAGGED).as_dict()["items"]}
    assert listed["a"] is True and listed["r"] is False and listed["e"] is False


def located(text: str) -> list[tuple[int, int, Code, str]]:
    return [(p.line, p.column, p.code, p.message) for p in check_outline(text, filename="x.yaml")]


def test_a_value_that_is_not_true_or_false_is_located():
    text = HEAD + "items:\n  - {type: integer, name: a, label: A, evidence: có}\n"
    assert located(text) == [(5, 50, Code.BAD_BOOL,
                              "'evidence' phải là true hoặc false, không phải 'có'.")]


def test_evidence_on_a_computed_item_is_an_error_at_the_key():
    text = HEAD + textwrap.dedent("""\
        items:
          - {type: integer, name: a, label: A}
          - type: percent
            name: r
            label: Tỷ lệ
            calculation: a * 100
            evidence: true
        """)
    [(line, column, code, message)] = located(text)
    assert (line, column, code) == (10, 5, Code.EVIDENCE_ON_COMPUTED)
    assert message.startswith("Mục tự tính 'r' không nhận tài liệu kiểm chứng")


def test_evidence_on_a_table_column_is_an_unknown_key():
    text = HEAD + textwrap.dedent("""\
        items:
          - type: table
            name: t
            label: Bảng
            columns:
              - {type: text, name: ten, label: Tên, evidence: true}
        """)
    [(line, _column, code, message)] = located(text)
    assert (line, code) == (9, Code.UNKNOWN_KEY)
    assert "'evidence'" in message and "cột" in message


def test_the_spreadsheet_carries_the_flag_both_ways():
    outline = load_outline(FLAGGED)
    text, problems = import_workbook(workbook_bytes(outline))
    assert problems == []
    again = load_outline(text)
    assert wanted(again) == wanted(outline)
    assert [i.evidence for i in again.walk()] == [i.evidence for i in outline.walk()]


def test_a_spreadsheet_evidence_cell_that_is_not_yes_or_no_is_located():
    md = """
| survey |
|        | type    | name | label | evidence |
|        | integer | a    | A     | hơi hơi  |
"""
    found = problems_at(md)
    assert list(found) == ["survey!D2"]
    assert found["survey!D2"] == "'evidence' phải là true hoặc false, không phải 'hơi hơi'."


def test_the_lai_chau_inspection_outline_asks_for_evidence_and_the_others_do_not():
    flagged = {path.stem: wanted(load_outline(path))
               for path in sorted(Path(REPO_OUTLINES).glob("*.yaml"))}
    lai_chau = load_outline(Path(REPO_OUTLINES) / "lai-chau-kiem-tra-cchc-2025.yaml")
    typed = [i.key for i in lai_chau.fields() if not i.is_computed]
    assert flagged.pop("lai-chau-kiem-tra-cchc-2025") == typed
    assert flagged == {name: [] for name in flagged}
