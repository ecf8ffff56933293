"""`decuong import --db PATH --round R FILE.jsonl|FILE.csv`: many units from one file, each
validated like the web form, one located report per unit; a bad line never stops the others, a
refused unit stores nothing, a dry run stores nothing, no revision is overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import get_revision, list_revisions, open_db, set_status

OUTLINE = """\
id: nhap-nhieu
version: 1
title: Đề cương thử nhập nhiều đơn vị
items:
  - {type: integer, name: nhan, number: "1.", label: Số hồ sơ tiếp nhận, required: true}
  - {type: integer, name: xong, number: "2.", label: Số hồ sơ đã giải quyết}
  - {type: yes_no, name: co_ke_hoach, number: "3.", label: Đã ban hành kế hoạch}
  - type: table
    name: sang_kien
    number: "4."
    label: Sáng kiến
    columns:
      - {type: text, name: ten, label: Tên sáng kiến, required: true}
      - {type: integer, name: so_nguoi, label: Số người tham gia}
rules:
  - name: xong_le_nhan
    constraint: xong <= nhan
    message: Số hồ sơ đã giải quyết không được lớn hơn số tiếp nhận.
  - name: xong_it
    constraint: xong >= 1
    message: Chưa giải quyết hồ sơ nào — hãy kiểm tra lại.
    severity: warning
"""
UNITS = ("DV1", "DV2", "DV3", "DV4")


@pytest.fixture
def world(run, tmp_path) -> tuple[Path, int]:
    """A database with the outline above and an open round expecting DV1…DV4."""
    db = tmp_path / "d.db"
    (tmp_path / "dc.yaml").write_text(OUTLINE, encoding="utf-8")
    assert run("outlines", "add", tmp_path / "dc.yaml", "--db", db).exit_code == 0
    units = tmp_path / "dv.csv"
    units.write_text("code,name\n" + "".join(f"{c},Đơn vị {c}\n" for c in UNITS),
                     encoding="utf-8")
    assert run("units", "import", "--db", db, units).exit_code == 0
    created = run("round", "create", "--db", db, "--outline", "nhap-nhieu", "--title", "Đợt",
                  "--deadline", "2099-12-31", *[a for c in UNITS for a in ("--unit", c)],
                  "--json")
    assert created.exit_code == 0, created.output
    return db, json.loads(created.output)["round"]


def jsonl(path: Path, *lines: object) -> Path:
    path.write_text("\n".join(line if isinstance(line, str) else
                              json.dumps(line, ensure_ascii=False) for line in lines) + "\n",
                    encoding="utf-8")
    return path


def reports(result) -> dict[str | None, dict]:
    return {r["unit"]: r for r in json.loads(result.output)}


def revisions(db: Path, round_id: int) -> dict[str, int]:
    conn = open_db(db)
    return {c: len(list_revisions(conn, round_id, c)) for c in UNITS}


GOOD = {"nhan": "10", "xong": "8", "co_ke_hoach": "có",
        "sang_kien": [{"ten": "Một cửa thứ Bảy", "so_nguoi": "4"}]}


def test_jsonl_stores_every_good_unit_and_reports_each_bad_line_where_it_is(run, world,
                                                                            tmp_path):
    db, round_id = world
    path = jsonl(tmp_path / "bao-cao.jsonl",
                 {"unit": "DV1", "values": GOOD},
                 '{"unit": "DV2", "values": {"nhan": 5,',
                 {"unit": "DV3", "values": {**GOOD, "xong": "12"}},
                 {"unit": "KHONG", "values": GOOD},
                 {"unit": "DV4", "values": {"nhan": "3", "xong": "0"}})
    result = run("import", "--db", db, "--round", round_id, path, "--json")
    assert result.exit_code == 1  # some unit was refused
    listed = json.loads(result.output)
    assert [(r["unit"], r["line"], r["status"]) for r in listed] == [
        ("DV1", 1, "stored"), (None, 2, "rejected"), ("DV3", 3, "rejected"),
        ("KHONG", 4, "rejected"), ("DV4", 5, "stored")]
    by_unit = reports(result)
    assert by_unit["DV1"]["revision"] == 1 and by_unit["DV1"]["messages"] == []
    assert by_unit[None]["messages"][0]["line"] == 2
    assert "JSON không hợp lệ" in by_unit[None]["messages"][0]["message"]
    rule = by_unit["DV3"]["messages"]
    assert [(m["line"], m["severity"]) for m in rule] == [(3, "error")]
    assert rule[0]["item"] in {"nhan", "xong"}  # an item the rule names
    assert rule[0]["message"].startswith(
        "Số hồ sơ đã giải quyết không được lớn hơn số tiếp nhận.")
    assert by_unit["KHONG"]["messages"][0]["message"].startswith(
        f"Đơn vị 'KHONG' không thuộc đợt báo cáo số {round_id}.")
    warning = by_unit["DV4"]["messages"]
    assert [(m["line"], m["severity"]) for m in warning] == [(5, "warning")]

    assert revisions(db, round_id) == {"DV1": 1, "DV2": 0, "DV3": 0, "DV4": 1}
    stored = get_revision(open_db(db), round_id, "DV1")
    assert stored["channel"] == "import" and stored["status"] == "submitted"
    assert stored["values"]["co_ke_hoach"] is True
    assert stored["values"]["sang_kien"] == [{"ten": "Một cửa thứ Bảy", "so_nguoi": 4}]


def test_importing_again_appends_a_revision_and_never_overwrites_one(run, world, tmp_path):
    db, round_id = world
    path = jsonl(tmp_path / "a.jsonl", {"unit": "DV1", "values": GOOD})
    assert run("import", "--db", db, "--round", round_id, path).exit_code == 0
    first = get_revision(open_db(db), round_id, "DV1", 1)
    jsonl(path, {"unit": "DV1", "values": {**GOOD, "nhan": "11"}})
    again = run("import", "--db", db, "--round", round_id, path)
    assert again.exit_code == 0, again.output
    assert "a.jsonl:1: DV1: đã lưu lần sửa 2" in again.output
    conn = open_db(db)
    assert get_revision(conn, round_id, "DV1", 1) == first
    assert get_revision(conn, round_id, "DV1")["values"]["nhan"] == 11


def test_a_unit_the_store_refuses_changes_nothing_and_the_others_are_stored(run, world,
                                                                             tmp_path):
    db, round_id = world
    path = jsonl(tmp_path / "a.jsonl", {"unit": "DV1", "values": GOOD})
    run("import", "--db", db, "--round", round_id, path)
    set_status(open_db(db), round_id, "DV1", "accepted", actor="dau-moi")
    jsonl(path, {"unit": "DV1", "values": GOOD}, {"unit": "DV2", "values": GOOD})
    result = run("import", "--db", db, "--round", round_id, path, "--json")
    assert result.exit_code == 1
    by_unit = reports(result)
    assert by_unit["DV1"]["status"] == "rejected"
    assert "đã được chấp nhận" in by_unit["DV1"]["messages"][0]["message"]
    assert by_unit["DV2"]["status"] == "stored"
    assert revisions(db, round_id) == {"DV1": 1, "DV2": 1, "DV3": 0, "DV4": 0}


def test_a_unit_on_two_lines_is_refused_on_both(run, world, tmp_path):
    db, round_id = world
    path = jsonl(tmp_path / "a.jsonl", {"unit": "DV1", "values": GOOD},
                 {"unit": "DV2", "values": GOOD}, {"unit": "DV1", "values": GOOD})
    by_unit = reports(run("import", "--db", db, "--round", round_id, path, "--json"))
    assert by_unit["DV1"]["status"] == "rejected"
    assert by_unit["DV1"]["messages"][0]["line"] == 3
    assert "có ở cả dòng 1 và dòng 3" in by_unit["DV1"]["messages"][0]["message"]
    assert revisions(db, round_id) == {"DV1": 0, "DV2": 1, "DV3": 0, "DV4": 0}


def test_a_dry_run_reports_like_the_real_run_and_stores_nothing(run, world, tmp_path):
    db, round_id = world
    path = jsonl(tmp_path / "a.jsonl", {"unit": "DV1", "values": GOOD},
                 {"unit": "DV2", "values": {"xong": "1"}})
    dry = run("import", "--db", db, "--round", round_id, path, "--dry-run", "--json")
    assert dry.exit_code == 1
    by_unit = reports(dry)
    assert (by_unit["DV1"]["status"], by_unit["DV1"]["revision"]) == ("valid", 1)
    assert by_unit["DV2"]["status"] == "rejected"
    assert [m["item"] for m in by_unit["DV2"]["messages"]] == ["nhan"]  # required, left out
    assert by_unit["DV2"]["messages"][0]["line"] == 2
    assert revisions(db, round_id) == dict.fromkeys(UNITS, 0)
    text = run("import", "--db", db, "--round", round_id, path, "--dry-run")
    assert "Kiểm tra thử: 1 đơn vị hợp lệ, 1 bị từ chối; không ghi gì (--dry-run)." in text.output
    assert revisions(db, round_id) == dict.fromkeys(UNITS, 0)


def test_long_csv_with_bom_and_table_cells_stores_each_unit_with_located_messages(
        run, world, tmp_path):
    db, round_id = world
    path = tmp_path / "bao-cao.csv"
    path.write_text(
        "unit,item,value\n"                       # 1
        "DV1,nhan,10\n"                           # 2
        "DV1,xong,8\n"                            # 3
        "DV1,sang_kien.1.ten,Một cửa thứ Bảy\n"   # 4
        "DV1,sang_kien.1.so_nguoi,4\n"            # 5
        "DV1,sang_kien.2.ten,\"Hẹn trả, qua bưu điện\"\n"  # 6
        "DV2,nhan,5\n"                            # 7
        "DV2,xong,abc\n"                          # 8
        "DV3,nhan,7\n"                            # 9
        "DV3,sang_kien.1.so_nguoi,hai\n"          # 10
        "KHONG,nhan,1\n"                          # 11
        "DV4,nhan\n",                             # 12
        encoding="utf-8-sig")
    result = run("import", "--db", db, "--round", round_id, path, "--json")
    assert result.exit_code == 1
    by_unit = reports(result)
    assert (by_unit["DV1"]["status"], by_unit["DV1"]["line"]) == ("stored", 2)
    stored = get_revision(open_db(db), round_id, "DV1")["values"]
    assert stored["sang_kien"] == [{"ten": "Một cửa thứ Bảy", "so_nguoi": 4},
                                   {"ten": "Hẹn trả, qua bưu điện", "so_nguoi": None}]
    assert [(m["line"], m["item"]) for m in by_unit["DV2"]["messages"]] == [(8, "xong")]
    cells = [(m["line"], m["item"]) for m in by_unit["DV3"]["messages"]]
    assert (10, "sang_kien") in cells  # the cell's own line
    assert by_unit["KHONG"]["messages"][0]["line"] == 11
    assert by_unit["DV4"]["messages"][0]["line"] == 12
    assert "Cần đúng 3 cột unit,item,value" in by_unit["DV4"]["messages"][0]["message"]
    assert revisions(db, round_id) == {"DV1": 1, "DV2": 0, "DV3": 0, "DV4": 0}


def test_a_csv_without_the_long_header_is_refused_with_what_to_do(run, world, tmp_path):
    db, round_id = world
    path = tmp_path / "mot-don-vi.csv"
    path.write_text("key,value\nnhan,10\n", encoding="utf-8")
    result = run("import", "--db", db, "--round", round_id, path)
    assert result.exit_code == 1
    assert "mot-don-vi.csv:1:" in result.output and "unit,item,value" in result.output
    assert "thêm --unit MÃ" in result.output
    single = run("import", "--db", db, "--round", round_id, "--unit", "DV1", path)
    assert single.exit_code == 0, single.output  # the one-unit CSV still works with --unit
    assert revisions(db, round_id) == {"DV1": 1, "DV2": 0, "DV3": 0, "DV4": 0}


def test_a_csv_item_given_twice_refuses_that_unit(run, world, tmp_path):
    db, round_id = world
    path = tmp_path / "hai-lan.csv"
    path.write_text("unit,item,value\nDV1,nhan,10\nDV2,nhan,4\nDV1,nhan,12\n", encoding="utf-8")
    by_unit = reports(run("import", "--db", db, "--round", round_id, path, "--json"))
    assert by_unit["DV1"]["status"] == "rejected" and by_unit["DV2"]["status"] == "stored"
    assert by_unit["DV1"]["messages"][0]["line"] == 4
    assert "đã có giá trị ở dòng 2" in by_unit["DV1"]["messages"][0]["message"]


def test_an_unknown_round_stops_before_reading_anything(run, world, tmp_path):
    db, _round_id = world
    path = jsonl(tmp_path / "a.jsonl", {"unit": "DV1", "values": GOOD})
    result = run("import", "--db", db, "--round", 999, path)
    assert result.exit_code != 0 and "Không có đợt báo cáo số 999" in result.output
