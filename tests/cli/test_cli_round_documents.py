"""`decuong round create|update --doc-…`: a round's document details from the command line."""

from __future__ import annotations

import json

import store


def test_round_create_with_details_and_update_some(run, tmp_path):
    db = tmp_path / "d.db"
    (tmp_path / "units.csv").write_text("code,name\nA,Xã A\n", encoding="utf-8")
    assert run("units", "import", "--db", db, tmp_path / "units.csv").exit_code == 0
    created = run("round", "create", "--db", db, "--outline", "cam-giang-cchc-2025",
                  "--title", "Năm 2026", "--deadline", "2026-12-16", "--unit", "A",
                  "--doc-issuer", "UBND xã Cẩm Giang", "--doc-number-symbol", "/BC-UBND",
                  "--doc-date", "15/12/2026", "--doc-recipient", "UBND huyện Cẩm Giàng;",
                  "--doc-recipient", "Lưu: VT.", "--json")
    assert created.exit_code == 0, created.output
    round_id = json.loads(created.output)["round"]
    updated = run("round", "update", "--db", db, "--round", round_id,
                  "--doc-signer-title", "CHỦ TỊCH", "--doc-signer-name", "Nguyễn Văn A",
                  "--json")
    assert updated.exit_code == 0, updated.output
    conn = store.open_db(db)
    details = store.round_document(conn, round_id)
    assert details.issuer == "UBND xã Cẩm Giang"
    assert details.date == "2026-12-15"
    assert details.recipient_lines == ["UBND huyện Cẩm Giàng;", "Lưu: VT."]
    assert (details.signer_title, details.signer_name) == ("CHỦ TỊCH", "Nguyễn Văn A")


def test_a_bad_date_opens_no_round_and_says_which_option(run, tmp_path):
    db = tmp_path / "d.db"
    (tmp_path / "units.csv").write_text("code,name\nA,Xã A\n", encoding="utf-8")
    run("units", "import", "--db", db, tmp_path / "units.csv")
    bad = run("round", "create", "--db", db, "--outline", "cam-giang-cchc-2025",
              "--title", "Năm 2026", "--deadline", "2026-12-16", "--unit", "A",
              "--doc-date", "31/02/2026")
    assert bad.exit_code != 0
    assert "Ngày ban hành: '31/02/2026' không phải ngày hợp lệ" in bad.output
    assert store.list_rounds(store.open_db(db)) == []


def test_update_without_options_is_refused(run, demo):
    db, data = demo
    result = run("round", "update", "--db", db, "--round", data["round"])
    assert result.exit_code != 0 and "--doc-" in result.output
