"""`decuong round plan`: a reporting year's periodic rounds, opened once."""

from __future__ import annotations

import json

from store import get_round, list_rounds, open_db, round_units

LANG_SON = "lang-son-ngoai-vu-ket-qua-cchc-2025"


def plan(run, db, *extra):
    return run("round", "plan", "--db", db, "--outline", LANG_SON, "--year", "2026",
               "--unit", "VP", "--unit", "KT", *extra)


def test_json_lists_each_round_with_its_period_dates_and_deadline(run, demo):
    db, _ = demo
    result = plan(run, db, "--period", "nam", "--period", "quy-1", "--deadline-day", "20",
                  "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["rounds"]
    assert [set(r) for r in data["rounds"]] == [{"round", "period", "start", "end",
                                                 "deadline"}] * 2
    rounds = [(r["period"], r["start"], r["end"], r["deadline"]) for r in data["rounds"]]
    assert rounds == [
        ("quy-1", "2025-12-15", "2026-03-14", "2026-03-20T23:59:59+07:00"),
        ("nam", "2025-12-15", "2026-12-14", "2026-12-20T23:59:59+07:00"),
    ]
    conn = open_db(db)
    first = get_round(conn, data["rounds"][0]["round"])
    assert (first["title"], first["period_label"]) == ("Báo cáo quý I năm 2026", "quý I năm 2026")
    assert (first["period_kind"], first["period_year"]) == ("quy-1", 2026)
    assert first["deadline"] == "2026-03-20T16:59:59+00:00"
    assert [u["unit_code"] for u in round_units(conn, first["id"])] == ["KT", "VP"]
    listing = json.loads(run("round", "list", "--db", db, "--json").stdout)
    assert sorted((r["round"], r["period"], r["year"]) for r in listing if r["period"]) == [
        (line["round"], line["period"], 2026) for line in data["rounds"]]
    assert [r["period"] for r in listing if r["title"].startswith("Kiểm tra")] == [None]


def test_a_second_run_opens_nothing_and_names_the_rounds_already_there(run, demo):
    db, _ = demo
    first = json.loads(plan(run, db, "--period", "quy-1", "--period", "quy-2",
                            "--deadline-day", "20", "--json").stdout)
    before = len(list_rounds(open_db(db)))
    again = plan(run, db, "--period", "quy-1", "--period", "quy-2", "--deadline-day", "25")
    assert again.exit_code == 0
    assert "Không tạo đợt nào" in again.output
    for line in first["rounds"]:
        assert f"Đợt số {line['round']}" in again.output
    assert "quý I năm 2026" in again.output and "quý II năm 2026" in again.output
    assert len(list_rounds(open_db(db))) == before
    # The JSON of a repeated plan names the same rounds with their stored dates.
    repeated = json.loads(plan(run, db, "--period", "quy-1", "--period", "quy-2",
                               "--deadline-day", "25", "--json").stdout)
    assert repeated == first


def test_a_later_plan_adds_only_the_missing_periods(run, demo):
    db, _ = demo
    plan(run, db, "--period", "quy-1", "--deadline-day", "20")
    result = plan(run, db, "--period", "quy-1", "--period", "6-thang", "--deadline-day", "20")
    assert "Đã mở đợt số" in result.output and "Báo cáo 6 tháng đầu năm 2026" in result.output
    assert "(quý I năm 2026) đã có, không tạo lại" in result.output
    kinds = sorted(r["period_kind"] for r in list_rounds(open_db(db)) if r["period_kind"])
    assert kinds == ["6-thang", "quy-1"]


def test_dates_are_overridden_per_period(run, demo):
    db, _ = demo
    result = plan(run, db, "--period", "quy-1", "--period", "quy-2", "--deadline-day", "20",
                  "--deadline", "quy-1=25/03/2026", "--start", "quy-2=2026-04-01",
                  "--end", "quy-2=2026-06-10", "--json")
    assert result.exit_code == 0, result.output
    rounds = json.loads(result.stdout)["rounds"]
    assert [(r["start"], r["end"], r["deadline"][:10]) for r in rounds] == [
        ("2025-12-15", "2026-03-14", "2026-03-25"),
        ("2026-04-01", "2026-06-10", "2026-06-20"),
    ]


def test_mistakes_open_nothing_and_are_explained_in_vietnamese(run, demo):
    db, _ = demo
    cases = [
        (("--period", "quy-1"), "Chưa có hạn nộp cho kỳ quy-1: hãy thêm --deadline-day N"),
        (("--period", "quy-5", "--deadline-day", "20"), "Kỳ báo cáo 'quy-5' không có"),
        (("--period", "quy-1", "--deadline-day", "ba"), "'ba' không phải ngày trong tháng"),
        (("--period", "quy-1", "--deadline", "quy-1:2026-03-20"), "cần dạng KỲ=NGÀY"),
        (("--period", "quy-1", "--deadline", "quy-1=20.3.2026"), "không phải ngày"),
        (("--period", "quy-1", "--deadline-day", "20", "--unit", "KHONG-CO"),
         "Không có đơn vị mã 'KHONG-CO'"),
    ]
    for args, message in cases:
        result = plan(run, db, *args)
        assert result.exit_code != 0
        assert message in result.output, (args, result.output)
    bad_year = run("round", "plan", "--db", db, "--outline", LANG_SON, "--year", "26",
                   "--period", "nam", "--deadline-day", "20", "--unit", "VP")
    assert "'26' không phải năm báo cáo (từ 2000 đến 2100)" in bad_year.output
    unknown = run("round", "plan", "--db", db, "--outline", "khong-co", "--year", "2026",
                  "--period", "nam", "--deadline-day", "20", "--unit", "VP")
    assert "Không có đề cương mã 'khong-co'" in unknown.output
    assert [r for r in list_rounds(open_db(db)) if r["period_kind"]] == []


def test_two_plans_at_once_open_each_round_once(demo):
    """Two real processes planning the same year on the same file: one opens the rounds, the
    other waits for its write lock, then finds them and opens nothing."""
    import subprocess
    import sys
    from pathlib import Path

    db, _ = demo
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "decuong_cli", "round", "plan", "--db", str(db),
               "--outline", LANG_SON, "--year", "2027", "--period", "quy-1", "--period",
               "quy-2", "--period", "quy-3", "--period", "quy-4", "--period", "nam",
               "--unit", "VP", "--unit", "KT", "--deadline-day", "20", "--json"]
    runs = [subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    first, second = (json.loads(out) for out, _ in outputs)
    assert first == second  # both name the same five rounds
    notes = [err for _, err in outputs]
    assert sum("không tạo lại" in err for err in notes) == 1
    periodic = [r for r in list_rounds(open_db(db)) if r["period_year"] == 2027]
    assert sorted(r["period_kind"] for r in periodic) == sorted(
        ["quy-1", "quy-2", "quy-3", "quy-4", "nam"])
