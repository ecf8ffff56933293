"""`decuong template` and `decuong ingest`: templates filled offline come back through the one
intake; refusals store nothing."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from web_helpers import fill

from store import get_file, get_revision, list_revisions, open_db

GOOD = {"nv_tong": "12", "nv_hoan_thanh": 9, "hs_tiep_nhan": "1.234",
        "hs_da_giai_quyet": 1200, "hs_dung_han": "1.188", "pakn_tiep_nhan": 3, "dvsn_tong": 0,
        "hai_long": "95 %"}


@pytest.fixture
def kt_template(run, demo, tmp_path):
    db, data = demo
    path = tmp_path / "kt-mau.xlsx"
    result = run("template", "--db", db, "--round", data["round"], "--unit", "KT", "-o", path)
    assert result.exit_code == 0, result.output
    return db, data, path.read_bytes()


def test_filled_template_is_accepted_with_its_original_bytes(run, kt_template, tmp_path):
    db, data, template = kt_template
    filled = tmp_path / "kt.xlsx"
    filled.write_bytes(fill(template, GOOD))
    result = run("ingest", "--db", db, filled, "--json")
    assert result.exit_code == 0, result.output
    [outcome] = json.loads(result.output[result.output.index("["):])
    assert (outcome["status"], outcome["unit"], outcome["revision"]) == ("accepted", "KT", 1)
    conn = open_db(db)
    revision = get_revision(conn, data["round"], "KT")
    assert revision["channel"] == "excel" and revision["status"] == "submitted"
    assert revision["values"]["hs_tiep_nhan"] == 1234
    assert revision["values"]["hs_ty_le_dung_han"] == 99.0
    assert revision["values"]["hai_long"] == 95.0
    assert get_file(conn, revision["file_sha256"]) == filled.read_bytes()

    again = run("ingest", "--db", db, filled, "--json")
    assert json.loads(again.output[again.output.index("["):])[0]["status"] == "duplicate"
    assert len(list_revisions(conn, data["round"], "KT")) == 1


def test_invalid_file_is_rejected_with_cells_named_and_nothing_stored(run, kt_template,
                                                                    tmp_path):
    db, data, template = kt_template
    filled = tmp_path / "kt-sai.xlsx"
    filled.write_bytes(fill(template, {**GOOD, "nv_hoan_thanh": "mười", "hai_long": "120"}))
    result = run("ingest", "--db", db, filled)
    assert result.exit_code == 1
    assert "từ chối" in result.output and "Báo cáo!D" in result.output
    assert list_revisions(open_db(db), data["round"], "KT") == []


def test_template_of_another_unit_cannot_be_passed_off(kt_template, tmp_path):
    from store.uploads import ingest_upload

    db, data, template = kt_template
    conn = open_db(db)
    before = list_revisions(conn, data["round"], "VP")
    outcome = ingest_upload(conn, fill(template, GOOD), "kt.xlsx", actor="vp", unit_code="VP")
    assert outcome.status == "rejected"
    assert "Phòng Kinh tế" in outcome.first_error
    assert list_revisions(conn, data["round"], "VP") == before
    assert list_revisions(conn, data["round"], "KT") == []


def test_rejected_upload_gives_the_workbook_back_annotated(kt_template):
    from store.uploads import ingest_upload

    db, _data, template = kt_template
    outcome = ingest_upload(open_db(db), fill(template, {**GOOD, "nv_tong": "-3"}), "kt.xlsx",
                            actor="kt", unit_code="KT", mark_errors=True)
    assert outcome.status == "rejected" and outcome.annotated
    book = openpyxl.load_workbook(io.BytesIO(outcome.annotated))
    sheet = book["Báo cáo"]
    commented = [c for row in sheet.iter_rows() for c in row if c.comment]
    assert len(commented) == 1 and "âm" in commented[0].comment.text


def test_no_marked_copy_is_made_unless_someone_will_download_it(kt_template):
    # `decuong ingest` prints the errors; a marked workbook would only cost time and memory.
    from store.uploads import ingest_upload

    db, _data, template = kt_template
    outcome = ingest_upload(open_db(db), fill(template, {**GOOD, "nv_tong": "-3"}), "kt.xlsx",
                            actor="kt", unit_code="KT")
    assert outcome.status == "rejected" and "âm" in outcome.first_error
    assert outcome.annotated is None


def test_ingest_folders_and_zips_and_keeps_going_after_a_bad_file(run, kt_template, tmp_path):
    db, data, template = kt_template
    folder = tmp_path / "nop"
    folder.mkdir()
    (folder / "kt.xlsx").write_bytes(fill(template, GOOD))
    (folder / "bao-cao.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    archive = tmp_path / "dot1.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ghi-chu.xlsx", "mã,giá trị\n")
    dry = run("ingest", "--db", db, folder, archive, "--dry-run", "--json")
    rows = json.loads(dry.output[dry.output.index("["):])
    assert sorted(r["status"] for r in rows) == ["rejected", "rejected", "valid"]
    assert list_revisions(open_db(db), data["round"], "KT") == []
    assert any("PDF" in r["errors"][0] for r in rows if r["errors"])

    real = run("ingest", "--db", db, folder, archive)
    assert real.exit_code == 1
    assert "Tổng: 3 tệp; nhận 1" in real.output
    assert get_revision(open_db(db), data["round"], "KT")["channel"] == "excel"


def test_a_zip_of_120_members_of_10_mib_is_refused_before_any_is_inflated(kt_template,
                                                                          tmp_path):
    db, data, _template = kt_template
    archive = tmp_path / "xa-b.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in range(120):
            zf.writestr(f"dv{n:03}.xlsx", bytes(10 * 1024 * 1024))
    assert archive.stat().st_size < 2 * 1024 * 1024
    # In a fresh interpreter: its peak memory (VmHWM) is the command's own.
    child = (
        "import sys\n"
        "from pathlib import Path\n"
        "from decuong_cli import main\n"
        "try:\n"
        "    main(['ingest', '--db', sys.argv[1], '--workers', '1', sys.argv[2]])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "hwm = [l for l in Path('/proc/self/status').read_text().splitlines()\n"
        "       if l.startswith('VmHWM:')][0].split()[1]\n"
        "print('RESULT', code, int(hwm) * 1024)\n")
    done = subprocess.run([sys.executable, "-c", child, str(db), str(archive)], text=True,
                          cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          timeout=300)
    lines = done.stdout.strip().splitlines()
    assert lines and lines[-1].startswith("RESULT"), done.stderr[-2000:]
    _, code, peak = lines[-1].split()
    assert code == "1" and int(peak) < 200 * 1000 * 1000, lines[-1]
    assert any(line.startswith("xa-b.zip") and "Tệp nén «xa-b.zip» khi giải nén lớn tới 1200 MB, "
               "vượt quá giới hạn 100 MB mỗi tệp nén" in line for line in lines), lines
    assert list_revisions(open_db(db), data["round"], "KT") == []


def test_ingest_with_workers_gives_the_same_table_as_one_process(run, demo, tmp_path):
    db, data = demo
    # A copy of the database, not a second demo: templates are sealed with its installation key.
    twin = tmp_path / "twin.db"
    with sqlite3.connect(db) as source, sqlite3.connect(twin) as copy:
        source.backup(copy)
    folder = tmp_path / "lo"
    folder.mkdir()
    for unit in data["units"]:
        path = tmp_path / f"{unit}-mau.xlsx"
        assert run("template", "--db", db, "--round", data["round"], "--unit", unit,
                   "-o", path).exit_code == 0
        filled = fill(path.read_bytes(), GOOD if unit != "KT" else {**GOOD, "nv_tong": "-1"})
        (folder / f"{unit}.xlsx").write_bytes(filled)
        (folder / f"{unit}-ban-sao.xlsx").write_bytes(filled)  # the same file sent twice
    (folder / "scan.xlsx").write_bytes(b"%PDF-1.4 scanned report")
    assert len(list(folder.iterdir())) >= 8  # enough for worker processes

    results = []
    for target, workers in ((db, "1"), (twin, "2")):
        result = run("ingest", "--db", target, folder, "--workers", workers, "--json")
        assert result.exit_code == 1  # KT's file is refused
        results.append(json.loads(result.output[result.output.index("["):]))
    assert results[0] == results[1]
    statuses = {row["file"]: row["status"] for row in results[1]}
    # The copy comes first in name order; VP's template is pre-filled with the demo's answers,
    # which GOOD makes inconsistent.
    assert statuses == {
        "KT-ban-sao.xlsx": "rejected", "KT.xlsx": "rejected",
        "TTPVHCC-ban-sao.xlsx": "accepted", "TTPVHCC.xlsx": "duplicate",
        "VHXH-ban-sao.xlsx": "accepted", "VHXH.xlsx": "duplicate",
        "VP-ban-sao.xlsx": "rejected", "VP.xlsx": "rejected", "scan.xlsx": "rejected"}
    for target in (db, twin):
        conn = open_db(target)
        assert [r["number"] for r in list_revisions(conn, data["round"], "VHXH")] == [1]
        conn.close()


def test_ingest_workers_must_be_at_least_one(run, kt_template, tmp_path):
    db, _data, _template = kt_template
    result = run("ingest", "--db", db, tmp_path, "--workers", "0")
    assert result.exit_code == 2 and "--workers" in result.output


def test_ingest_reports_every_skipped_file_with_its_reason(run, kt_template, tmp_path):
    """Nothing in a folder or archive is left out without a word: a LibreOffice .ods is read
    and refused with advice, a text file, an Excel lock file and a nested archive are listed as
    skipped with the reason — in the table and in --json."""
    db, _data, template = kt_template
    folder = tmp_path / "lo"
    folder.mkdir()
    (folder / "kt.xlsx").write_bytes(fill(template, GOOD))
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    (folder / "vhxh.ods").write_bytes(ods.getvalue())
    (folder / "ghi-chu.txt").write_text("Gửi kèm báo cáo", encoding="utf-8")
    (folder / "~$kt.xlsx").write_bytes(b"\x06lock")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("notes.txt", "x")
        archive.writestr("nested.zip", b"PK\x05\x06" + bytes(18))
    (folder / "lo-2.zip").write_bytes(inner.getvalue())

    as_json = run("ingest", "--db", db, folder, "--dry-run", "--json")
    rows = {r["file"]: r for r in json.loads(as_json.output[as_json.output.index("["):])}
    assert as_json.exit_code == 1  # the .ods is refused
    assert {name: r["status"] for name, r in rows.items()} == {
        "kt.xlsx": "valid", "vhxh.ods": "rejected", "ghi-chu.txt": "skipped",
        "~$kt.xlsx": "skipped", "notes.txt": "skipped", "nested.zip": "skipped"}
    assert "OpenDocument (.ods)" in rows["vhxh.ods"]["errors"][0]
    assert "lưu thành" in rows["vhxh.ods"]["errors"][0].lower()
    assert rows["ghi-chu.txt"]["errors"] == [
        "Không phải tệp Excel (.xlsx) nên không được đọc. Nếu đây là báo cáo, hãy mở bằng Excel "
        "hoặc LibreOffice, lưu thành «Sổ làm việc Excel (*.xlsx)» rồi nhận lại."]
    assert "Tệp khóa tạm do Excel" in rows["~$kt.xlsx"]["errors"][0]
    assert "giải nén" in rows["nested.zip"]["errors"][0]

    table = run("ingest", "--db", db, folder, "--dry-run")
    lines = {line.split()[0]: line for line in table.output.splitlines()
             if line and line.split()[0] in rows}
    assert "bỏ qua" in lines["ghi-chu.txt"] and "Không phải tệp Excel" in lines["ghi-chu.txt"]
    assert "từ chối" in lines["vhxh.ods"]
    assert "Tổng: 6 tệp; nhận 0, đã có 0, hợp lệ (thử) 1, từ chối 1, bỏ qua 4." in table.output


def test_ingest_cleans_file_names_from_archives_and_the_command_line(run, kt_template, tmp_path):
    """`..\\..\\x.xlsx` in a zip, a newline and a terminal escape in a file name: stored and
    printed as plain names; the stored bytes are the file's own."""
    db, data, template = kt_template
    filled = fill(template, GOOD)
    archive_path = tmp_path / "gui-ve.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("..\\..\\kt.xlsx", filled)
        archive.writestr("../../etc/bao\x1b]0;pwned\x07cao.xlsx", b"%PDF-1.4")
    odd = tmp_path / "kt\nsua\x1b[2J\x1b[31m.xlsx"
    odd.write_bytes(fill(template, {**GOOD, "nv_tong": "13"}))

    result = run("ingest", "--db", db, archive_path, odd, "--json")
    names = [r["file"] for r in json.loads(result.output[result.output.index("["):])]
    assert names == ["kt.xlsx", "baocao.xlsx", "ktsua.xlsx"]
    assert "\x1b" not in result.output and "pwned" not in result.output
    conn = open_db(db)
    stored = list_revisions(conn, data["round"], "KT")
    assert [r["file_name"] for r in stored] == ["kt.xlsx", "ktsua.xlsx"]
    assert get_file(conn, stored[0]["file_sha256"]) == filled

    text = run("ingest", "--db", db, odd)
    assert "\x1b" not in text.output and "ktsua.xlsx" in text.output
