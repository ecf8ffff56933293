"""`decuong outlines add FILE --db PATH` keeps an outline as the browser's upload does, and
`round create --outline` then finds it; DECUONG_OUTLINES_DIR adds a folder of outlines beside
the shipped ones; a spreadsheet round trip of an unchanged outline is not a new version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forms.library import REPO_OUTLINES
from forms.spreadsheet import workbook_bytes
from store import get_round, list_outlines, open_db, outline_text, register_outline

OWN = """\
id: so-noi-vu-thu
version: 1
title: Báo cáo thử của Sở Nội vụ
items:
  - {type: integer, name: hs_nhan, number: "1.", label: Số hồ sơ tiếp nhận, unit: hồ sơ,
     required: true}
  - {type: integer, name: hs_xong, number: "2.", label: Số hồ sơ đã giải quyết, unit: hồ sơ}
  - {type: percent, name: ty_le, number: "3.", label: Tỷ lệ giải quyết,
     calculation: hs_xong / hs_nhan * 100}
"""

SHIPPED = sorted(REPO_OUTLINES.glob("*.yaml"))


def kept(db: Path) -> list[tuple[str, int]]:
    return [(row["id"], row["version"]) for row in list_outlines(open_db(db))]


def add(run, path: Path, db: Path) -> dict:
    result = run("outlines", "add", path, "--db", db, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def open_round(run, db: Path, outline: str):
    run("units", "import", "--db", db, write(db.parent / "dv.csv", "code,name\nDV1,Đơn vị 1\n"))
    return run("round", "create", "--db", db, "--outline", outline, "--title", "Đợt thử",
               "--deadline", "2099-12-31", "--unit", "DV1", "--json")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_yaml_outline_added_is_kept_and_a_round_opens_with_it(run, tmp_path):
    db = tmp_path / "d.db"
    refused = open_round(run, db, "so-noi-vu-thu")
    assert refused.exit_code != 0
    assert "Không có đề cương mã 'so-noi-vu-thu'" in refused.output
    assert "decuong outlines add" in refused.output

    report = add(run, write(tmp_path / "own.yaml", OWN), db)
    assert report == {"file": "own.yaml", "stored": True, "action": "new",
                      "outline": "so-noi-vu-thu", "version": 1,
                      "title": "Báo cáo thử của Sở Nội vụ"}
    assert outline_text(open_db(db), "so-noi-vu-thu", 1) == OWN

    opened = open_round(run, db, "so-noi-vu-thu")
    assert opened.exit_code == 0, opened.output
    row = get_round(open_db(db), json.loads(opened.output)["round"])
    assert (row["outline_id"], row["outline_version"]) == ("so-noi-vu-thu", 1)


def test_a_workbook_outline_added_is_kept_and_a_round_opens_with_it(run, tmp_path):
    db = tmp_path / "d.db"
    book = tmp_path / "own.xlsx"
    book.write_bytes(workbook_bytes(OWN))
    report = add(run, book, db)
    assert (report["action"], report["outline"], report["version"]) == ("new", "so-noi-vu-thu", 1)
    assert kept(db) == [("so-noi-vu-thu", 1)]
    opened = open_round(run, db, "so-noi-vu-thu:1")
    assert opened.exit_code == 0, opened.output


def test_an_edit_becomes_the_next_version_and_the_same_outline_is_not_kept_twice(run, tmp_path):
    db = tmp_path / "d.db"
    add(run, write(tmp_path / "own.yaml", OWN), db)
    again = run("outlines", "add", tmp_path / "own.yaml", "--db", db)
    assert again.exit_code == 0
    assert "đã có, phiên bản 1; không lưu thêm" in again.output
    edited = write(tmp_path / "sua.yaml", OWN.replace("Số hồ sơ tiếp nhận", "Số hồ sơ nhận"))
    result = run("outlines", "add", edited, "--db", db)
    assert "phiên bản 2" in result.output and "vẫn giữ phiên bản" in result.output
    assert kept(db) == [("so-noi-vu-thu", 2), ("so-noi-vu-thu", 1)]
    newest = open_round(run, db, "so-noi-vu-thu")
    assert get_round(open_db(db), json.loads(newest.output)["round"])["outline_version"] == 2


def test_a_broken_outline_is_refused_with_every_place_and_nothing_kept(run, tmp_path):
    db = tmp_path / "d.db"
    broken = write(tmp_path / "hong.yaml", OWN.replace("type: integer, name: hs_xong",
                                                       "type: interger, name: hs_xong"))
    result = run("outlines", "add", broken, "--db", db)
    assert result.exit_code == 1
    assert "hong.yaml:7:12: " in result.output and "Không có loại mục 'interger'" in result.output
    assert "1 lỗi, không lưu gì" in result.output
    assert kept(db) == []


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_outline_round_tripped_through_a_spreadsheet_is_not_a_new_version(
        run, tmp_path, path):
    db = tmp_path / "d.db"
    text = path.read_text(encoding="utf-8")
    book = tmp_path / "ve-va.xlsx"
    book.write_bytes(workbook_bytes(text))
    # Against the file only, then against the version kept in the database.
    assert add(run, book, db)["action"] == "exists"
    register_outline(open_db(db), text, actor="test")
    before = kept(db)
    report = add(run, book, db)
    assert (report["action"], report["stored"]) == ("exists", False)
    assert kept(db) == before


def test_a_real_change_made_in_the_spreadsheet_is_a_new_version(run, tmp_path):
    db = tmp_path / "d.db"
    write(tmp_path / "own.yaml", OWN)
    add(run, tmp_path / "own.yaml", db)
    book = tmp_path / "own.xlsx"
    book.write_bytes(workbook_bytes(OWN.replace("unit: hồ sơ,\n", "unit: bộ hồ sơ,\n")))
    report = add(run, book, db)
    assert (report["action"], report["version"]) == ("bump", 2)


def test_the_outlines_dir_variable_adds_a_folder_beside_the_shipped_outlines(
        run, tmp_path, monkeypatch):
    folder = tmp_path / "de-cuong-rieng"
    folder.mkdir()
    write(folder / "own.yaml", OWN)
    monkeypatch.setenv("DECUONG_OUTLINES_DIR", str(folder))
    listed = {row["id"] for row in json.loads(run("outlines", "list", "--json").output)}
    shipped = {p.stem.removesuffix(".sample") for p in SHIPPED}
    assert listed == shipped | {"so-noi-vu-thu"}
    db = tmp_path / "d.db"
    opened = open_round(run, db, "so-noi-vu-thu")
    assert opened.exit_code == 0, opened.output
    assert kept(db) == [("so-noi-vu-thu", 1)]  # kept on use: the round keeps this exact text
    with_db = json.loads(run("outlines", "list", "--db", db, "--json").output)
    assert {(r["id"], r["kept"]) for r in with_db} >= {("so-noi-vu-thu", True),
                                                        ("cam-giang-cchc-2025", False)}


def test_round_plan_takes_an_outline_added_to_the_database(run, tmp_path):
    db = tmp_path / "d.db"
    add(run, write(tmp_path / "own.yaml", OWN), db)
    run("units", "import", "--db", db, write(tmp_path / "dv.csv", "code,name\nDV1,Đơn vị 1\n"))
    planned = run("round", "plan", "--db", db, "--outline", "so-noi-vu-thu", "--year", "2026",
                  "--period", "quy-1", "--deadline-day", "20", "--unit", "DV1", "--json")
    assert planned.exit_code == 0, planned.output
    [opened] = json.loads(planned.output)["rounds"]
    row = get_round(open_db(db), opened["round"])
    assert (row["outline_id"], row["outline_version"]) == ("so-noi-vu-thu", 1)


def test_show_finds_an_added_outline_with_the_database(run, tmp_path):
    db = tmp_path / "d.db"
    add(run, write(tmp_path / "own.yaml", OWN), db)
    assert run("outlines", "show", "so-noi-vu-thu").exit_code != 0  # not in the folders
    shown = json.loads(run("outlines", "show", "so-noi-vu-thu:1", "--db", db, "--json").output)
    assert (shown["id"], shown["version"]) == ("so-noi-vu-thu", 1)
    assert [i["key"] for i in shown["items"]] == ["hs_nhan", "hs_xong", "ty_le"]
    text = run("outlines", "show", "so-noi-vu-thu", "--db", db).output
    assert text.splitlines()[0] == "Báo cáo thử của Sở Nội vụ (so-noi-vu-thu v1)"
    assert "= hs_xong / hs_nhan * 100" in text


def test_show_takes_a_version_of_a_shipped_outline_without_a_database(run):
    shown = json.loads(run("outlines", "show", "lai-chau-kiem-tra-cchc-2025:2", "--json").output)
    assert (shown["id"], shown["version"]) == ("lai-chau-kiem-tra-cchc-2025", 2)
    missing = run("outlines", "show", "lai-chau-kiem-tra-cchc-2025:9")
    assert missing.exit_code != 0 and "phiên bản 9 (các phiên bản đã có: 2)" in missing.output
