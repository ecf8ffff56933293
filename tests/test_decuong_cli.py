"""`decuong --help` starts without the heavy libraries: the command list comes from
decuong_cli.COMMANDS, and a command's module is imported only when that command is used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "flask", "werkzeug", "docx", "openpyxl", "xlsxwriter", "waitress")


def imported_by(*args: str) -> tuple[str, set[str]]:
    """What `python -X importtime -m decuong_cli ARGS` prints and every top-level package it
    imported (importtime writes one line per module to stderr)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "decuong_cli", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {line.rsplit("|", 1)[1].strip().split(".")[0]
               for line in done.stderr.splitlines() if line.startswith("import time:")}
    return done.stdout, modules


def test_help_lists_every_command_without_importing_pandas_flask_or_docx():
    output, modules = imported_by("--help")
    for command in ("demo", "import", "outlines", "round", "serve", "export", "users"):
        assert f"\n  {command} " in output
    assert "click" in modules  # the measurement sees imports at all
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert not modules & {"store", "forms", "webapp", "exports", "aggregate"}


def test_a_command_loads_its_own_module_and_not_the_web_or_the_documents():
    # (pandas does come with the database: sqlite-utils imports it when it is installed.)
    output, modules = imported_by("outlines", "check", "outlines/cam-giang-cchc-2025.yaml")
    assert "không có lỗi" in output
    assert "forms" in modules
    assert not modules & {"webapp", "exports", "flask", "docx"}, sorted(
        modules & {"webapp", "exports", "flask", "docx"})


def test_command_list_fits_a_narrow_terminal_cut_at_a_word():
    from decuong_cli import _fit

    text = "Back up the database while the server keeps running (SQLite online backup)."
    assert _fit(text, 200) == text
    assert _fit(text, 30) == "Back up the database while..."
    assert len(_fit(text, 30)) <= 30
