"""The table functions through the web form (Flask test client on a real SQLite file): the live
check (`POST …/check`) and a save give what the engine gives for the same typed rows — each
row's computed points, the count and total over the table — and a rule within a row is marked at
every cell of that row it names, on the live answer and on the refused page."""

from __future__ import annotations

import pytest
from web_helpers import FAR_DEADLINE, UNIT_A, USER_A, as_user, text

import store
from forms.library import REPO_OUTLINES
from forms.validate import to_json, validate

PAR_INDEX = REPO_OUTLINES / "lang-son-ngoai-vu-khac-phuc-par-index-2024.yaml"
ROWS = [("1.5", "0,5", "2"), ("1.6", "4", "3"), ("3.3.2", "0", "1,5")]


@pytest.fixture
def par_round(db, demo) -> dict:
    outline = store.register_outline(db, PAR_INDEX.read_text(encoding="utf-8"), actor="test")
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version, title="Khắc phục",
        period_start="2025-01-01", period_end="2025-12-31", period_label="Năm 2025",
        deadline=store.deadline_end_of_day(FAR_DEADLINE), units=demo["units"],
        created_by="test")
    return {"round": round_id, "outline": outline}


def posted(rows=ROWS, **extra) -> dict:
    """The fill form as the browser posts it: each cell by its name, the row count, and the
    read-only computed cells with whatever they showed (here nonsense: never read)."""
    data = {"tieu_chi-rows": str(len(rows)), **extra}
    for index, (code, got, maximum) in enumerate(rows):
        data[f"tieu_chi-{index}-ma_tieu_chi"] = code
        data[f"tieu_chi-{index}-diem_dat"] = got
        data[f"tieu_chi-{index}-diem_toi_da"] = maximum
        data[f"tieu_chi-{index}-diem_con_thieu"] = "999"
    return data


def typed(rows=ROWS) -> dict:
    return {"tieu_chi": [{"ma_tieu_chi": c, "diem_dat": g, "diem_toi_da": m} for c, g, m in rows]}


def test_the_live_check_gives_the_engines_figures_and_marks_the_rows_cells(client, par_round):
    unit = as_user(client, USER_A)
    answer = unit.post(f"/rounds/{par_round['round']}/units/{UNIT_A}/check",
                       data=posted()).get_json()
    engine = validate(par_round["outline"], typed(), mode="check")
    assert answer["values"]["so_tieu_chi_chua_dat"] == "3"
    assert answer["values"]["tong_diem_con_thieu"] == "2"  # 1,5 − 1 + 1,5
    assert engine.values["tong_diem_con_thieu"] == 2.0
    [issue] = [i for i in answer["issues"] if i["rule"] == "diem_dat_le_toi_da"]
    assert issue["message"] == next(i.message for i in engine.issues
                                    if i.rule == "diem_dat_le_toi_da")
    assert issue["message"].startswith("Dòng 2: ")
    assert issue["fields"] == ["tieu_chi-1-diem_dat", "tieu_chi-1-diem_toi_da"]


def test_a_saved_draft_stores_what_the_engine_computes(client, db, par_round):
    unit = as_user(client, USER_A)
    rows = [ROWS[0], ("", "", ""), ROWS[2]]  # a blank row between: no row
    saved = unit.post(f"/rounds/{par_round['round']}/units/{UNIT_A}/edit",
                      data={**posted(rows), "action": "draft"})
    assert saved.status_code == 302
    stored = store.get_revision(db, par_round["round"], UNIT_A)["values"]
    engine = to_json(par_round["outline"], validate(par_round["outline"], typed(rows)).values)
    assert stored["tieu_chi"] == engine["tieu_chi"]
    assert [row["diem_con_thieu"] for row in stored["tieu_chi"]] == [1.5, 1.5]
    assert (stored["so_tieu_chi_chua_dat"], stored["tong_diem_con_thieu"]) == (2, 3.0)


def test_a_refused_submit_names_the_row_and_links_to_its_cell(client, db, par_round):
    unit = as_user(client, USER_A)
    # A blank row (only its computed cell shows something) before the wrong one: no row.
    rows = [ROWS[0], ("", "", ""), ROWS[1]]
    response = unit.post(f"/rounds/{par_round['round']}/units/{UNIT_A}/edit",
                         data={**posted(rows), "action": "submit"})
    assert response.status_code == 422
    page = text(response)
    assert "Dòng 2: Điểm đạt được của tiêu chí không được lớn hơn điểm tối đa" in page
    # The error summary links to that row's cell on the page: the page's third row.
    summary = page[page.index('id="tom-tat"'):page.index('id="fill-form"')]
    assert 'href="#tieu_chi-2-diem_dat"' in summary
    assert store.get_submission(db, par_round["round"], UNIT_A) is None
