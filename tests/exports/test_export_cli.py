"""`decuong export` and `decuong snapshot` end to end on a stored round."""

from __future__ import annotations

import json
import zipfile

import docx
import openpyxl
from click.testing import CliRunner

from decuong_cli import main


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def test_export_every_format(stored, tmp_path):
    path, data = stored
    base = ("export", "--db", path, "--round", data["round"])
    out = run(*base, "--format", "xlsx", "-o", tmp_path / "a.xlsx")
    assert out.exit_code == 0, out.output
    assert "Đã ghi" in out.output
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames[0] == "Tổng quan"
    assert run(*base, "--format", "csv", "-o", tmp_path / "a.zip").exit_code == 0
    assert "01-tong-hop.csv" in zipfile.ZipFile(tmp_path / "a.zip").namelist()
    assert run(*base, "--format", "docx", "--basis", "accepted",
               "-o", tmp_path / "a.docx").exit_code == 0
    text = "\n".join(p.text for p in docx.Document(tmp_path / "a.docx").paragraphs)
    assert "chỉ các báo cáo đã được tiếp nhận" in text


def test_snapshot_create_list_and_export(stored, tmp_path):
    path, data = stored
    base = ("--db", path, "--round", data["round"])
    out = run("snapshot", "create", *base, "--label", "Số liệu gửi UBND tỉnh", "--json")
    assert out.exit_code == 0, out.output
    snapshot = json.loads(out.output)
    assert snapshot["reported_count"] == len(data["counted"])
    listing = run("snapshot", "list", *base)
    assert "Số liệu gửi UBND tỉnh" in listing.output
    out = run("export", *base, "--format", "xlsx", "--snapshot", snapshot["id"],
              "-o", tmp_path / "s.xlsx")
    assert out.exit_code == 0, out.output
    cover = openpyxl.load_workbook(tmp_path / "s.xlsx")["Tổng quan"]
    values = [cover.cell(r, 2).value for r in range(1, 12)]
    assert any(isinstance(v, str) and "Số liệu gửi UBND tỉnh" in v for v in values)


def test_unknown_round_is_a_vietnamese_error(stored, tmp_path):
    path, _ = stored
    out = CliRunner().invoke(main, ["export", "--db", str(path), "--round", "999",
                                    "--format", "xlsx", "-o", str(tmp_path / "x.xlsx")])
    assert out.exit_code != 0 and "Không có đợt báo cáo số 999" in out.output
