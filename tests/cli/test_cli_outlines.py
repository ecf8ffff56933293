"""`decuong outlines list|show|check`."""

from __future__ import annotations

import json
from pathlib import Path

from forms.library import REPO_OUTLINES

BROKEN = """\
id: hong
version: 1
title: Đề cương hỏng
items:
  - {type: interger, name: a, label: A}
  - {type: integer, name: b, label: B, calculation: khong_co + 1}
"""


def test_help_reads_well(run):
    result = run("--help")
    assert result.exit_code == 0
    for command in ("demo", "outlines", "units", "round", "import"):
        assert command in result.output


def test_every_shipped_outline_is_clean(run):
    files = sorted(Path(REPO_OUTLINES).glob("*.yaml"))
    assert files, "no shipped outline"
    result = run("outlines", "check", *files)
    assert result.exit_code == 0, result.output
    assert result.output.count("không có lỗi") == len(files)


def test_check_prints_every_problem_and_fails(run, tmp_path):
    path = tmp_path / "hong.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = run("outlines", "check", path)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith(f"{path}:5:12: Không có loại mục 'interger'.")
    assert lines[1].startswith(f"{path}:6:53: Biểu thức 'khong_co + 1'")
    assert len(lines) == 2


def test_list_and_show_json(run):
    listing = json.loads(run("outlines", "list", "--json").output)
    assert "cam-giang-cchc-2025" in [row["id"] for row in listing]
    shown = json.loads(run("outlines", "show", "cam-giang-cchc-2025", "--json").output)
    item = next(i for i in shown["items"] if i["key"] == "hs_ty_le_dung_han")
    assert item["kind"] == "percent"
    assert item["formula"] == "hs_dung_han / hs_da_giai_quyet * 100"
    for key in ("key", "number", "label", "kind", "unit", "required", "choices", "formula",
                "target"):
        assert key in item
    targets = {i["key"]: i["target"] for i in shown["items"] if i["target"]}
    assert sorted(targets.values()) == [">= 90", ">= 95"]


def test_show_unknown_outline_says_what_to_do(run):
    result = run("outlines", "show", "khong-co")
    assert result.exit_code != 0
    assert "decuong outlines list" in result.output
