from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from decuong_cli import main


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
