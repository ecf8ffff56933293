"""Export → import gives back the same outline, for every outline shipped in `outlines/`.

Parametrised over whatever is in the folder, so a new outline is covered the day it lands.
"""

from __future__ import annotations

from dataclasses import fields
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from forms.library import REPO_OUTLINES
from forms.loader import load_outline
from forms.model import Column, Item, Outline
from forms.spreadsheet import export_workbook, import_workbook, workbook_bytes

SHIPPED = sorted(Path(REPO_OUTLINES).glob("*.yaml"))


def _plain(value: Any) -> Any:
    """Expressions by their source; the rest as is."""
    if hasattr(value, "source") and hasattr(value, "names"):
        return value.source
    if hasattr(value, "expr") and hasattr(value, "op"):  # a Target
        return value.source
    return value


def snapshot(node: Item | Column) -> dict[str, Any]:
    """Every field of an item or column but its YAML line, children and columns nested."""
    out: dict[str, Any] = {}
    for f in fields(node):
        if f.name == "line":
            continue
        value = getattr(node, f.name)
        if f.name in ("children", "columns"):
            out[f.name] = [snapshot(child) for child in value]
        elif f.name == "row_rules":  # as the outline's rules below: all but the YAML line
            out[f.name] = [(r.name, r.expr.source, r.message, r.severity, r.items)
                           for r in value]
        else:
            out[f.name] = _plain(value)
    return out


def outline_snapshot(outline: Outline) -> dict[str, Any]:
    return {
        "as_dict": outline.as_dict(),
        "head": (outline.id, outline.version, outline.title, outline.issuer, outline.note,
                 outline.period, outline.deadline),
        "walk": [(i.kind, i.number, i.label, i.hint, i.unit, i.path) for i in outline.walk()],
        "items": [snapshot(item) for item in outline.items],
        "rules": [(r.name, r.expr.source, r.message, r.severity, r.items) for r in outline.rules],
    }


def test_there_is_a_shipped_outline():
    assert SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_round_trip(path: Path, tmp_path: Path):
    original = load_outline(path)
    target = tmp_path / "outline.xlsx"
    export_workbook(original, target)
    text, problems = import_workbook(target)
    assert problems == [], "\n".join(map(str, problems))
    again = load_outline(text)
    assert outline_snapshot(again) == outline_snapshot(original)
    # and once more from the YAML written by the import: a fixed point
    assert import_workbook(workbook_bytes(again))[0] == text


def test_choice_lists_keep_their_yaml_names(tmp_path: Path):
    source = tmp_path / "o.yaml"
    source.write_text("""\
id: ds
version: 1
title: Danh sách
choices:
  muc_do:
    - {name: tot, label: Tốt}
    - {name: kem, label: Kém}
items:
  - {type: select_one, name: a, label: A, choices: muc_do}
  - {type: select_one, name: b, label: B, choices: [{name: co, label: Có}]}
  - {type: select_one, name: c, label: C, choices: [{name: co, label: Có}]}
""", encoding="utf-8")
    book = CalamineWorkbook.from_filelike(BytesIO(workbook_bytes(source)))
    survey = book.get_sheet_by_name("survey").to_python()
    assert [row[0] for row in survey[1:]] == ["select_one muc_do", "select_one b",
                                            "select_one b"]
    choices = book.get_sheet_by_name("choices").to_python()
    assert [row[:2] for row in choices[1:]] == [["muc_do", "tot"], ["muc_do", "kem"],
                                                ["b", "co"]]


def test_the_workbook_reads_like_an_xlsform():
    outline = load_outline(SHIPPED[0])
    book = CalamineWorkbook.from_filelike(BytesIO(workbook_bytes(outline)))
    assert book.sheet_names == ["survey", "choices", "settings", "rules"]
    survey = book.get_sheet_by_name("survey").to_python()
    assert survey[0][:4] == ["type", "name", "number", "label"]
    types = [row[0] for row in survey[1:]]
    assert types.count("begin_group") + sum(t.startswith("begin_group ") for t in types) \
        == types.count("end_group")
    settings = book.get_sheet_by_name("settings").to_python()
    assert settings[1][0] == outline.id
