""""Lập kế hoạch báo cáo năm": the coordinator previews a year's periodic rounds with their
Decree 09 dates, corrects a date, and opens them once."""

from __future__ import annotations

import pytest
from web_helpers import COORDINATOR, UNIT_A, UNIT_B, as_user, text

import store
from forms import find_outline

LANG_SON = "lang-son-ngoai-vu-ket-qua-cchc-2025"


@pytest.fixture
def coordinator(client):
    return as_user(client, COORDINATOR)


@pytest.fixture
def choice():
    outline, _ = find_outline(LANG_SON)
    return f"{outline.id}:{outline.version}"


def _form(choice, **extra):
    data = {"outline": choice, "year": "2026", "deadline_day": "20",
            "periods": ["quy-1", "nam"], "units": [UNIT_A, UNIT_B], "action": "preview"}
    data.update(extra)
    return data


def _periodic(db):
    return [r for r in store.list_rounds(db) if r["period_kind"]]


def test_the_rounds_page_links_to_the_year_plan(coordinator):
    page = text(coordinator.get("/coordinator/"))
    assert 'href="/coordinator/plan"' in page and "Lập kế hoạch báo cáo năm" in page
    form = text(coordinator.get("/coordinator/plan"))
    for short in ("Quý I", "Quý II", "Quý III", "Quý IV", "6 tháng", "9 tháng", "Năm"):
        assert f"> {short}</label>" in form


def test_preview_shows_the_decree_09_dates_and_opens_nothing(coordinator, choice, db):
    response = coordinator.post("/coordinator/plan", data=_form(choice))
    page = text(response)
    assert response.status_code == 200
    row = page[page.index('data-period="quy-1"'):page.index('data-period="nam"')]
    assert "Báo cáo quý I năm 2026" in row
    assert 'value="15/12/2025"' in row and 'value="14/03/2026"' in row
    assert 'value="20/03/2026"' in row
    row = page[page.index('data-period="nam"'):]
    assert 'value="14/12/2026"' in row and 'value="20/12/2026"' in row
    assert 'value="create"' in page
    assert _periodic(db) == []


def test_create_opens_the_rounds_with_the_dates_as_corrected(coordinator, choice, db):
    data = _form(choice, action="create", planned_year="2026",
                 **{"start_quy-1": "15/12/2025", "end_quy-1": "14/03/2026",
                    "deadline_quy-1": "25/03/2026", "start_nam": "15/12/2025",
                    "end_nam": "14/12/2026", "deadline_nam": "20/12/2026"})
    response = coordinator.post("/coordinator/plan", data=data, follow_redirects=True)
    page = text(response)
    assert response.status_code == 200
    assert "Báo cáo quý I năm 2026" in page and "Báo cáo năm 2026" in page
    rounds = sorted(_periodic(db), key=lambda r: r["id"])
    assert [(r["period_kind"], r["period_year"], r["period_start"], r["period_end"],
             r["deadline"]) for r in rounds] == [
        ("quy-1", 2026, "2025-12-15", "2026-03-14", "2026-03-25T16:59:59+00:00"),
        ("nam", 2026, "2025-12-15", "2026-12-14", "2026-12-20T16:59:59+00:00"),
    ]
    assert [u["unit_code"] for u in store.round_units(db, rounds[0]["id"])] == sorted(
        [UNIT_A, UNIT_B])
    # Again: nothing opens; the preview names the rounds already there.
    again = coordinator.post("/coordinator/plan", data=data, follow_redirects=True)
    assert "Không mở đợt nào" in text(again)
    assert len(_periodic(db)) == 2
    preview = text(coordinator.post("/coordinator/plan", data=_form(choice)))
    assert f"đợt số {rounds[0]['id']}</a>" in preview and "không mở lại" in preview
    assert 'name="deadline_quy-1"' not in preview


@pytest.mark.parametrize(("change", "message"), [
    ({"periods": []}, "Kỳ báo cáo: hãy chọn ít nhất một kỳ"),
    ({"year": "20x6"}, "Năm báo cáo: &#39;20x6&#39; không hợp lệ"),
    ({"deadline_day": ""}, "Chưa có hạn nộp cho kỳ quý I năm 2026"),
    ({"deadline_day": "40"}, "Ngày hạn nộp trong tháng cuối kỳ: &#39;40&#39; không hợp lệ"),
    ({"units": []}, "Đơn vị phải báo cáo: hãy chọn ít nhất một đơn vị"),
    ({"planned_year": "2026", "deadline_quy-1": "31/02/2026"},
     "Quý I năm 2026, hạn nộp: "),
    ({"planned_year": "2026", "deadline_quy-1": "01/03/2026"},
     "hạn nộp 01/03/2026 đứng trước ngày chốt số liệu 14/03/2026"),
])
def test_mistakes_open_nothing_and_keep_what_was_typed(coordinator, choice, db, change,
                                                      message):
    response = coordinator.post("/coordinator/plan", data=_form(choice, action="create",
                                                                **change))
    page = text(response)
    assert response.status_code == 422
    assert message in page
    assert _periodic(db) == []
    if "year" in change:
        assert f'value="{change["year"]}"' in page


def test_a_changed_year_is_shown_again_before_anything_opens(coordinator, choice, db):
    data = _form(choice, action="create", year="2027", planned_year="2026",
                 **{"deadline_quy-1": "20/03/2026"})
    page = text(coordinator.post("/coordinator/plan", data=data))
    assert "Năm báo cáo đã đổi" in page
    assert 'value="14/03/2027"' in page  # the new year's dates, not the old fields
    assert _periodic(db) == []


def test_units_cannot_plan(client, choice, db):
    as_user(client, "vhxh")
    assert client.get("/coordinator/plan").status_code == 404
    assert client.post("/coordinator/plan", data=_form(choice, action="create")).status_code \
        == 404
    assert _periodic(db) == []


def test_a_periodic_rounds_period_shows_on_fill_page_board_template_and_export(
        client, demo, db, tmp_path):
    import io

    import openpyxl
    from click.testing import CliRunner

    from decuong_cli import main
    from forms.periods import plan_year

    demo_round = store.get_round(db, demo["round"])
    result = store.plan_rounds(db, outline_id=demo_round["outline_id"],
                               outline_version=demo_round["outline_version"],
                               planned=plan_year(["quy-1"], 2026, deadline_day=20),
                               units=[UNIT_A, UNIT_B], actor=COORDINATOR)
    round_id = result.created[0][0]

    as_user(client, "vhxh")
    fill = text(client.get(f"/rounds/{round_id}/units/{UNIT_A}/edit"))
    subtitle = fill[fill.index('id="round-period"'):]
    assert subtitle.startswith('id="round-period">Báo cáo quý I năm 2026 · số liệu từ '
                               '15/12/2025 đến 14/03/2026</p>')
    workbook = client.get(f"/rounds/{round_id}/units/{UNIT_A}/excel/mau.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.data))["Báo cáo"]
    cells = [c.value for row in sheet.iter_rows(max_row=12) for c in row if c.value]
    assert "Đợt báo cáo: Báo cáo quý I năm 2026" in cells
    assert "Kỳ báo cáo: quý I năm 2026" in cells

    as_user(client, COORDINATOR)
    board = text(client.get(f"/coordinator/rounds/{round_id}"))
    assert "<h1>Báo cáo quý I năm 2026</h1>" in board
    assert "Kỳ: quý I năm 2026 (số liệu 15/12/2025 – 14/03/2026)" in board

    out = tmp_path / "tong-hop.xlsx"
    exported = CliRunner().invoke(main, ["export", "--db", str(demo["db_path"]), "--round",
                                         str(round_id), "--format", "xlsx", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    book = openpyxl.load_workbook(out)
    texts = [c.value for ws in book.worksheets for row in ws.iter_rows(max_row=12)
             for c in row if isinstance(c.value, str)]
    assert any("quý I năm 2026" in t for t in texts)
