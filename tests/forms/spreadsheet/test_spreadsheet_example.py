"""The documented example workbook: committed as the script writes it, clean, and in the doc."""

from __future__ import annotations

import importlib.util
from io import BytesIO
from pathlib import Path

from forms.loader import load_outline
from forms.spreadsheet import import_workbook

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "docs" / "examples" / "make_example.py"
WORKBOOK = ROOT / "docs" / "examples" / "vi-du-de-cuong.xlsx"
DOC = ROOT / "docs" / "outline-spreadsheet.md"


def _script():
    spec = importlib.util.spec_from_file_location("make_example", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _built() -> bytes:
    buffer = BytesIO()
    _script().build(buffer)
    return buffer.getvalue()


def test_committed_workbook_is_what_the_script_writes():
    assert WORKBOOK.read_bytes() == _built(), "run: python docs/examples/make_example.py"


def test_example_imports_cleanly_to_the_scripts_outline():
    text, problems = import_workbook(WORKBOOK)
    assert problems == [], "\n".join(map(str, problems))
    assert load_outline(text).as_dict() == load_outline(_script().EXAMPLE_YAML).as_dict()


def test_doc_shows_the_example_sheets_as_tables():
    doc = DOC.read_text(encoding="utf-8")
    for table in _script().markdown(_built()).split("\n\n"):
        assert table.strip() in doc, f"docs/outline-spreadsheet.md lacks:\n{table}"
