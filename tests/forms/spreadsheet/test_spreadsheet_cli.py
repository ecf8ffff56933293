"""`decuong outlines import FILE.xlsx -o FILE.yaml` and `… export ID -o FILE.xlsx`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from spreadsheet_helpers import workbook

from decuong_cli import main
from forms.library import REPO_OUTLINES
from forms.loader import load_outline


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args: object):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


GOOD = """
| survey |
|        | type    | name | number | label       | unit  |
|        | integer | a    | 1.     | Số hồ sơ    | hồ sơ |
| settings |
|          | id    | version | title     |
|          | moi   | 1       | Đề cương mới |
"""

BAD = """
| survey |
|        | type     | name | label |
|        | interger | a    | A     |
|        | integer  | a    | B     |
| settings |
|          | id  | version | title |
|          | moi | 1       | Mới   |
"""


def test_export_a_shipped_outline_by_id_then_import_it(cli, tmp_path: Path):
    shipped = load_outline(sorted(Path(REPO_OUTLINES).glob("*.yaml"))[0])
    xlsx = tmp_path / "de-cuong.xlsx"
    result = cli("outlines", "export", shipped.id, "-o", xlsx)
    assert result.exit_code == 0, result.output
    assert xlsx.stat().st_size > 0 and f"Đã ghi {xlsx}" in result.output
    out = tmp_path / "de-cuong.yaml"
    result = cli("outlines", "import", xlsx, "-o", out)
    assert result.exit_code == 0, result.output
    assert load_outline(out).as_dict() == shipped.as_dict()


def test_export_a_yaml_file_by_path(cli, tmp_path: Path):
    source = tmp_path / "moi.yaml"
    source.write_text("id: moi\nversion: 1\ntitle: Mới\nitems:\n  - {type: integer, name: a, "
                      "label: A}\n", encoding="utf-8")
    xlsx = tmp_path / "moi.xlsx"
    result = cli("outlines", "export", source, "-o", xlsx)
    assert result.exit_code == 0, result.output
    assert xlsx.exists()


def test_export_a_broken_yaml_or_unknown_id_fails(cli, tmp_path: Path):
    source = tmp_path / "hong.yaml"
    source.write_text("id: hong\nversion: 1\ntitle: Hỏng\nitems:\n  - {type: interger, name: a, "
                      "label: A}\n", encoding="utf-8")
    result = cli("outlines", "export", source, "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 1 and "interger" in result.output
    assert not (tmp_path / "x.xlsx").exists()
    result = cli("outlines", "export", "khong-co-ma-nay", "-o", tmp_path / "y.xlsx")
    assert result.exit_code != 0 and "Không có đề cương mã 'khong-co-ma-nay'" in result.output


def test_import_writes_the_yaml(cli, tmp_path: Path):
    xlsx = tmp_path / "moi.xlsx"
    xlsx.write_bytes(workbook(GOOD))
    out = tmp_path / "moi.yaml"
    result = cli("outlines", "import", xlsx, "-o", out)
    assert result.exit_code == 0, result.output
    outline = load_outline(out)
    assert outline.item("a").unit == "hồ sơ" and outline.items[0].number == "1."
    assert "moi v1" in result.output


def test_import_without_output_prints_the_yaml(cli, tmp_path: Path):
    xlsx = tmp_path / "moi.xlsx"
    xlsx.write_bytes(workbook(GOOD))
    result = cli("outlines", "import", xlsx)
    assert result.exit_code == 0
    assert result.output.startswith("id: moi\n")


def test_import_with_problems_prints_cells_and_writes_nothing(cli, tmp_path: Path):
    xlsx = tmp_path / "hong.xlsx"
    xlsx.write_bytes(workbook(BAD))
    out = tmp_path / "hong.yaml"
    result = cli("outlines", "import", xlsx, "-o", out)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("survey!A2: Không có loại mục 'interger'. Có phải ý bạn là "
                               "'integer'?")
    assert lines[1] == "survey!B3: Tên mục 'a' đã dùng ở survey!B2. Mỗi mục cần một tên riêng."
    assert not out.exists()
