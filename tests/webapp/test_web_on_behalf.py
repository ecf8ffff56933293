"""Entry on behalf of a unit (nhập hộ): the coordinator fills or uploads a unit's report; the
same engine judges it, the revision is marked with the coordinator as actor, and history and
the round board say «nhập hộ». Only a report the unit could still change is entered, a stale
page is refused, and the unit's own typing is never thrown away."""

from __future__ import annotations

import html
import io
import re

from web_helpers import COORDINATOR, USER_B, fill, text

import store

UNIT = "KT"  # the demo's Phòng Kinh tế: nothing saved in the demo round
VALID = {"nv_tong": "10", "nv_hoan_thanh": "6", "nv_dang_thuc_hien": "4",
         "hs_tiep_nhan": "1.234", "hs_da_giai_quyet": "1.200", "hs_dung_han": "1.150",
         "pakn_tiep_nhan": "3", "dvsn_tong": "2"}
RULE = "Số nhiệm vụ đã hoàn thành cộng số nhiệm vụ đang thực hiện"


def url(demo, what="nhap-ho", code=UNIT):
    return f"/coordinator/rounds/{demo['round']}/units/{code}/{what}"


def test_the_coordinator_submits_a_paper_report_for_a_unit(demo, db, client, login):
    login(client, COORDINATOR)
    page = text(client.get(url(demo)))
    assert "Nhập hộ báo cáo của Phòng Kinh tế" in page
    assert 'id="nv_tong"' in page and "data-autosave-url" not in page
    response = client.post(url(demo), data={**VALID, "action": "submit"})
    assert response.status_code == 302
    assert response.location.endswith(f"/rounds/{demo['round']}/units/{UNIT}/")
    revision = store.get_revision(db, demo["round"], UNIT)
    assert (revision["status"], revision["channel"], revision["actor"],
            revision["on_behalf"]) == ("submitted", "web", COORDINATOR, 1)
    assert revision["values"]["hs_tiep_nhan"] == 1234
    event = store.list_events(db, round_id=demo["round"], unit_code=UNIT,
                              action="submission.submit")[0]
    assert event["actor"] == COORDINATOR and event["detail"]["on_behalf"] is True
    view = text(client.get(response.location))
    assert "Đã nhập hộ và nộp báo cáo cho Phòng Kinh tế (lần lưu thứ 1)." in view
    assert "nhập hộ (trên web)" in view and f"bởi {COORDINATOR}" in view
    history = text(client.get(f"/rounds/{demo['round']}/units/{UNIT}/history"))
    assert "nhập hộ (trên web)" in history
    board = text(client.get(f"/coordinator/rounds/{demo['round']}"))
    row = board[board.index(f'<td data-label="Mã">{UNIT}</td>'):]
    row = row[:row.index("</tr>")]
    assert 'class="badge onbehalf"' in row and ">nhập hộ</span>" in row
    assert "Nhập hộ</a>" not in row  # submitted: no more entry on its behalf
    # The unit sees the same: its report, entered for it, in its history.
    login(client, USER_B)
    assert "nhập hộ (trên web)" in text(client.get(
        f"/rounds/{demo['round']}/units/{UNIT}/history"))


def test_the_same_engine_refuses_the_same_errors_and_stores_nothing(demo, db, client, login):
    bad = {**VALID, "nv_hoan_thanh": "8", "hs_tiep_nhan": "", "action": "submit"}
    login(client, COORDINATOR)
    refused = client.post(url(demo), data=bad)
    assert refused.status_code == 422
    coordinator_page = html.unescape(text(refused))
    assert RULE in coordinator_page and 'value="8"' in coordinator_page
    assert store.get_submission(db, demo["round"], UNIT) is None
    login(client, USER_B)
    own = html.unescape(text(client.post(
        f"/rounds/{demo['round']}/units/{UNIT}/edit", data=bad)))

    def messages(page: str) -> list[str]:
        summary = page[page.index('id="tom-tat"'):page.index('id="fill-form"')]
        return sorted(line.strip() for line in summary.splitlines() if "Mục" in line)

    assert messages(coordinator_page) == messages(own) != []


def test_a_submitted_report_is_not_entered_again(demo, db, client, login):
    login(client, USER_B)
    client.post(f"/rounds/{demo['round']}/units/{UNIT}/edit", data={**VALID, "action": "submit"})
    login(client, COORDINATOR)
    response = client.get(url(demo))
    assert response.status_code == 302
    assert "Không nhập hộ được: đơn vị đã nộp báo cáo" in text(client.get(response.location))
    client.post(url(demo), data={**VALID, "nv_tong": "99", "action": "submit"})
    assert store.get_submission(db, demo["round"], UNIT)["latest_revision"] == 1


def test_a_save_on_a_stale_page_is_refused_and_the_units_typing_is_kept(demo, db, client, login,
                                                                       app):
    login(client, COORDINATOR)
    page = text(client.get(url(demo)))
    token = {"base_revision": page.split('name="base_revision" value="')[1].split('"')[0],
             "draft_version": page.split('name="draft_version" value="')[1].split('"')[0]}
    unit = app.test_client()
    login(unit, USER_B)
    unit.post(f"/rounds/{demo['round']}/units/{UNIT}/edit", data={"action": "draft",
                                                                  "nv_tong": "7"})
    stale = client.post(url(demo), data={**VALID, **token, "action": "submit"})
    assert stale.status_code == 409
    assert "vừa được lưu ở nơi khác" in text(stale)
    assert store.get_revision(db, demo["round"], UNIT)["actor"] == USER_B
    # The unit types on (a working draft); the coordinator saves on a fresh page: the unit's
    # working draft is not discarded.
    fresh = text(client.get(url(demo)))
    answer = unit.post(f"/rounds/{demo['round']}/units/{UNIT}/autosave",
                       json={"fields": [["nv_tong", "8"]], "token": [1, 0]})
    assert answer.status_code == 200, answer.get_json()
    token = {"base_revision": fresh.split('name="base_revision" value="')[1].split('"')[0],
             "draft_version": "1"}
    saved = client.post(url(demo), data={**VALID, **token, "action": "draft"})
    assert saved.status_code == 302
    state = store.report_state(db, demo["round"], UNIT)
    assert state.draft is not None and state.draft.raw["nv_tong"] == "8"
    assert store.get_revision(db, demo["round"], UNIT)["on_behalf"] == 1


def test_an_excel_template_filled_for_the_unit_is_uploaded_on_its_behalf(demo, db, client,
                                                                         login):
    login(client, COORDINATOR)
    template = client.get(f"/rounds/{demo['round']}/units/{UNIT}/excel/mau.xlsx").data
    other = client.get(f"/rounds/{demo['round']}/units/VHXH/excel/mau.xlsx").data
    wrong = client.post(url(demo, "nhap-ho/excel"), data={
        "mode": "submit", "file": (io.BytesIO(fill(other, VALID)), "vhxh.xlsx")},
        content_type="multipart/form-data")
    assert wrong.status_code == 302
    assert store.get_submission(db, demo["round"], UNIT) is None
    assert "chưa được nhận" in text(client.get(wrong.location))
    done = client.post(url(demo, "nhap-ho/excel"), data={
        "mode": "submit", "file": (io.BytesIO(fill(template, VALID)), "kt-giay.xlsx")},
        content_type="multipart/form-data")
    assert done.status_code == 302
    revision = store.get_revision(db, demo["round"], UNIT)
    assert (revision["channel"], revision["actor"], revision["on_behalf"],
            revision["file_name"]) == ("excel", COORDINATOR, 1, "kt-giay.xlsx")
    assert revision["values"]["nv_tong"] == 10
    history = text(client.get(f"/rounds/{demo['round']}/units/{UNIT}/history"))
    assert "nhập hộ (tệp Excel): kt-giay.xlsx" in history


def attribute(page: str, name: str) -> str | None:
    """The value of the first `name="…"` attribute on the page (None: absent)."""
    found = re.search(rf'{name}="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else None


def test_the_page_keeps_the_typing_in_a_browser_buffer_of_the_coordinators_own(demo, db, client,
                                                                               login, app):
    """The buffer's key names coordinator, round and unit (never the unit's own key), and the
    pages say up to which revision of the coordinator's own the buffer is stored."""
    login(client, COORDINATOR)
    page = text(client.get(url(demo)))
    assert "fill-buffer.js" in page and "on-behalf.js" in page
    key = f"decuong-nhap-ho:{demo['round']}:{UNIT}:{COORDINATOR}"
    assert attribute(page, "data-buffer-key") == key
    assert attribute(page, "data-buffer-stored") == "0"
    saved = client.post(url(demo), data={**VALID, "action": "draft"})
    landing = text(client.get(saved.location))
    assert attribute(landing, "data-buffer-done") == key
    assert attribute(landing, "data-buffer-stored") == "1"
    # The unit saves on top: its revision is not the coordinator's, so a buffer posted before
    # it is still unsaved (and its stale token meets the lost-update guard).
    unit = login(app.test_client(), USER_B)
    own = text(unit.get(f"/rounds/{demo['round']}/units/{UNIT}/edit"))
    assert attribute(own, "data-buffer-key") == f"decuong-fill:{demo['round']}:{UNIT}:{USER_B}"
    assert "on-behalf.js" not in own
    unit.post(f"/rounds/{demo['round']}/units/{UNIT}/edit", data={**VALID, "action": "draft"})
    assert store.get_revision(db, demo["round"], UNIT)["number"] == 2
    assert "data-buffer-done" not in text(unit.get(saved.location))
    assert attribute(text(client.get(url(demo))), "data-buffer-stored") == "1"
    assert "data-buffer-done" not in text(client.get(saved.location))
