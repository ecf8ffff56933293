from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from decuong_cli import main

# The Excel tests fill templates with the web tests' helper (web_helpers beside them).
WEB_TESTS = str(Path(__file__).resolve().parents[1] / "webapp")
if WEB_TESTS not in sys.path:
    sys.path.insert(0, WEB_TESTS)


@pytest.fixture
def run():
    """Run `decuong ARGS…`; returns the click Result (exit_code, output)."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def demo(run, tmp_path):
    """A demo database; returns (db path, demo JSON)."""
    db = tmp_path / "demo.db"
    result = run("demo", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    return db, json.loads(result.output)
