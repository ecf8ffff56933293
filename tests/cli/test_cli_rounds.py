"""`decuong demo`, `units import`, `round create|list|status` and `import`."""

from __future__ import annotations

import json

from store import get_revision, list_revisions, open_db


def test_demo_json_names_round_units_and_accounts(demo):
    _db, data = demo
    assert data["units"] == ["VP", "VHXH", "KT", "TTPVHCC"]
    roles = sorted((a["role"], a["unit"]) for a in data["accounts"])
    assert roles[0] == ("coordinator", None)
    assert sorted(u for r, u in roles if r == "unit") == sorted(data["units"])
    assert all(set(a) == {"username", "password", "role", "unit"} for a in data["accounts"])


def test_demo_twice_changes_nothing(run, demo):
    db, data = demo
    again = json.loads(run("demo", "--db", db, "--json").output)
    assert again == data
    listing = json.loads(run("round", "list", "--db", db, "--json").output)
    assert len(listing) == 1


def test_demo_accounts_log_in_with_the_printed_passwords(demo):
    from store import verify_password

    db, data = demo
    conn = open_db(db)
    for account in data["accounts"]:
        assert verify_password(conn, account["username"], account["password"]) is not None


def test_round_status_json(run, demo):
    db, data = demo
    status = json.loads(run("round", "status", "--db", db, "--round", data["round"],
                            "--json").output)
    assert status["round"] == data["round"]
    by_unit = {u["unit"]: u for u in status["units"]}
    assert set(by_unit) == set(data["units"])
    assert by_unit["VP"]["status"] == "submitted" and by_unit["VP"]["revision"] == 1
    assert by_unit["KT"] == {**by_unit["KT"], "status": "missing", "submitted_at": None,
                             "late": False, "revision": None}


def test_import_json_validates_like_the_web_form_and_stores_a_revision(run, demo, tmp_path):
    db, data = demo
    good = tmp_path / "kt.json"
    good.write_text(json.dumps({"nv_tong": "10", "nv_hoan_thanh": "1.000",
                                "hs_tiep_nhan": "5", "hs_da_giai_quyet": "4",
                                "hs_dung_han": "2", "pakn_tiep_nhan": "0",
                                "dvsn_tong": "0"}), encoding="utf-8")
    result = run("import", "--db", db, "--round", data["round"], "--unit", "KT", good)
    assert result.exit_code == 1  # 1.000 completed > 10 total: the rule refuses it
    assert "Lỗi" in result.output
    assert get_revision(open_db(db), data["round"], "KT") is None

    good.write_text(json.dumps({"nv_tong": "10", "nv_hoan_thanh": "8",
                                "hs_tiep_nhan": "5", "hs_da_giai_quyet": "4",
                                "hs_dung_han": "2", "pakn_tiep_nhan": "0",
                                "dvsn_tong": "0"}), encoding="utf-8")
    result = run("import", "--db", db, "--round", data["round"], "--unit", "KT", good)
    assert result.exit_code == 0, result.output
    stored = get_revision(open_db(db), data["round"], "KT")
    assert stored["channel"] == "import" and stored["status"] == "submitted"
    assert stored["values"]["hs_ty_le_dung_han"] == 50.0
    assert stored["values"]["nv_hoan_thanh"] == 8


def test_import_csv_draft_and_dry_run(run, demo, tmp_path):
    db, data = demo
    path = tmp_path / "tt.csv"
    path.write_text("key,value\nnv_tong,7\nhai_long,\"95,5 %\"\n", encoding="utf-8-sig")
    dry = run("import", "--db", db, "--round", data["round"], "--unit", "TTPVHCC", "--draft",
              "--dry-run", "--json", path)
    report = json.loads(dry.output)
    assert report["ok"] and not report["stored"]
    assert report["values"]["hai_long"] == 95.5
    assert list_revisions(open_db(db), data["round"], "TTPVHCC") == []

    draft = run("import", "--db", db, "--round", data["round"], "--unit", "TTPVHCC", "--draft",
                path)
    assert draft.exit_code == 0, draft.output
    assert get_revision(open_db(db), data["round"], "TTPVHCC")["status"] == "draft"


def test_units_import_csv_and_round_create(run, tmp_path):
    db = tmp_path / "x.db"
    units = tmp_path / "units.csv"
    units.write_text("mã,tên,loại,cấp trên\nXA,UBND xã A,xã,\nP1,Phòng Một,phòng,XA\n",
                     encoding="utf-8-sig")
    assert run("units", "import", "--db", db, units).exit_code == 0
    created = run("round", "create", "--db", db, "--outline", "cam-giang-cchc-2025",
                  "--title", "Quý IV", "--deadline", "31/12/2025", "--unit", "P1", "--json")
    assert created.exit_code == 0, created.output
    round_id = json.loads(created.output)["round"]
    status = json.loads(run("round", "status", "--db", db, "--round", round_id, "--json").output)
    assert status["deadline"] == "2025-12-31T16:59:59+00:00"
    assert [u["unit"] for u in status["units"]] == ["P1"]


def test_units_import_with_a_bad_row_writes_nothing(run, tmp_path):
    db = tmp_path / "x.db"
    units = tmp_path / "units.csv"
    units.write_text("code,name,parent\nA,Đơn vị A,\nB,,A\nC,Đơn vị C,KHONG\n", encoding="utf-8")
    result = run("units", "import", "--db", db, units)
    assert result.exit_code != 0
    assert "Dòng 3: thiếu tên đơn vị" in result.output and "Dòng 4" in result.output
    from store import list_units
    assert list_units(open_db(db)) == []


def test_units_import_xlsx(run, tmp_path):
    import openpyxl

    db = tmp_path / "x.db"
    path = tmp_path / "don-vi.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["code", "name", "kind", "contact"])
    book.active.append(["XA", "UBND xã A", "xã", "Văn phòng UBND"])
    book.save(path)
    result = run("units", "import", "--db", db, path)
    assert result.exit_code == 0, result.output
    from store import get_unit
    unit = get_unit(open_db(db), "XA")
    assert (unit["name"], unit["kind"], unit["contact"]) == ("UBND xã A", "xã", "Văn phòng UBND")
