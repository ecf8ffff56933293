"""A command that only reads a round (the exports, snapshots, a year's series) refuses a
database file that is not there, in Vietnamese, and leaves no empty file behind; a command
that sets data up (`round list` on a new file) creates it. Each command chooses this with
the shared options of store/cli_options.py, so each is run here as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("command", [
    ["export", "--round", "1", "--format", "xlsx", "-o", "tong-hop.xlsx"],
    ["export", "--round", "1", "--format", "docx", "--unit", "VP", "-o", "vp.docx"],
    ["snapshot", "create", "--round", "1"],
    ["snapshot", "list", "--round", "1", "--json"],
    ["year", "--outline", "cam-giang-cchc-2025", "--year", "2025"],
], ids=lambda command: " ".join(command[:2]))
def test_a_reading_command_refuses_a_missing_database_and_creates_none(
        run, tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "khong-co.db"
    out = tmp_path / "ra"
    out.mkdir()
    args = [str(out / a) if a.endswith((".xlsx", ".docx")) else a for a in command]

    result = run(*args[:2], "--db", missing, *args[2:]) if args[0] == "snapshot" \
        else run(args[0], "--db", missing, *args[1:])

    assert result.exit_code == 1
    assert f"Không có tệp cơ sở dữ liệu '{missing}'." in result.output
    assert "Traceback" not in result.output
    assert not missing.exists()
    assert list(out.iterdir()) == []


def test_a_command_that_sets_data_up_creates_the_database(run, tmp_path: Path) -> None:
    new = tmp_path / "moi.db"
    result = run("round", "list", "--db", new)
    assert result.exit_code == 0, result.output
    assert new.exists()
