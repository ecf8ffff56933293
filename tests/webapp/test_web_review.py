"""Review: the coordinator returns a report with comments (on the report and on items) that the
unit sees on its fill page, accepts it, and compares revisions; the unit recalls a report."""

from __future__ import annotations

import re
from datetime import date

from test_web_fill import VALID
from web_helpers import COORDINATOR, UNIT_A, USER_A, as_user, text

import store


def base(demo, round_key="round"):
    return f"/rounds/{demo[round_key]}/units/{UNIT_A}"


def submit(client, demo, **changes):
    as_user(client, USER_A)
    response = client.post(base(demo) + "/edit", data={**VALID, **changes, "action": "submit"})
    assert response.status_code == 302, text(response)


def test_return_with_item_comment_is_shown_to_the_unit(client, demo, db):
    submit(client, demo)
    as_user(client, COORDINATOR)
    review = text(client.get(base(demo) + "/"))
    assert "Chấp nhận báo cáo" in review and 'name="comment-hs_tiep_nhan"' in review
    response = client.post(base(demo) + "/return", data={
        "comment": "Đề nghị rà soát số liệu hồ sơ.",
        "comment-hs_tiep_nhan": "Số hồ sơ tiếp nhận chưa khớp với phần mềm một cửa.",
        "comment-nv_tong": "  "})
    assert response.status_code == 302
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "returned"
    comments = store.comments_for(db, demo["round"], UNIT_A)
    assert {c["item_key"] for c in comments} == {None, "hs_tiep_nhan"}

    as_user(client, USER_A)
    assert "Sửa báo cáo" in text(client.get("/unit/"))
    page = text(client.get(base(demo) + "/edit"))
    assert "Báo cáo bị trả lại để sửa" in page
    assert "Đề nghị rà soát số liệu hồ sơ." in page
    item = page[page.index('id="item-hs_tiep_nhan"'):page.index('id="item-hs_da_giai_quyet"')]
    assert "Số hồ sơ tiếp nhận chưa khớp với phần mềm một cửa." in item
    assert 'value="1.234"' in page  # the returned values are loaded for correction

    # A draft keeps the comments in view; a new submission closes them.
    client.post(base(demo) + "/edit", data={**VALID, "hs_tiep_nhan": "1.240", "action": "draft"})
    assert "chưa khớp với phần mềm" in text(client.get(base(demo) + "/edit"))
    submit(client, demo, hs_tiep_nhan="1.240")
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "submitted"


def test_return_needs_a_reason(client, demo, db):
    submit(client, demo)
    as_user(client, COORDINATOR)
    response = client.post(base(demo) + "/return", data={"comment": ""}, follow_redirects=True)
    assert "Cần ghi lý do" in text(response)
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "submitted"


def test_accept_asks_for_confirmation_and_return_comes_first(client, demo, db):
    """The return form is the first thing on the review card; accepting needs the ticked
    confirmation box, which the server checks (a post without it changes nothing)."""
    submit(client, demo)
    as_user(client, COORDINATOR)
    page = text(client.get(base(demo) + "/"))
    card = page[page.index('class="review card"'):]
    assert card.index("Trả lại báo cáo") < card.index("Chấp nhận báo cáo")
    assert 'name="confirm" value="1" required' in card and "data-confirm=" in card
    assert "review.js" in page and " onclick=" not in page and " onsubmit=" not in page
    refused = client.post(base(demo) + "/accept", data={}, follow_redirects=True)
    assert "Chưa chấp nhận: hãy đánh dấu ô «Tôi đã xem kỹ" in text(refused)
    client.post(base(demo) + "/accept", data={"confirm": "yes"})
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "submitted"
    assert next(e["action"] for e in store.list_events(db, round_id=demo["round"],
                                                    unit_code=UNIT_A)) == "submission.submit"
    assert client.post(base(demo) + "/accept", data={"confirm": "1"}).status_code == 302
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "accepted"


def test_accepted_report_is_final_until_reopened(client, demo, db):
    submit(client, demo)
    as_user(client, COORDINATOR)
    client.post(base(demo) + "/accept", data={"confirm": "1"})
    again = client.post(base(demo) + "/accept", data={"confirm": "1"}, follow_redirects=True)
    assert "Chỉ chấp nhận được báo cáo đã nộp" in text(again)
    page = text(client.get(base(demo) + "/"))
    assert "Mở lại" in page and 'name="reason"' in page and "Chấp nhận báo cáo" not in page
    as_user(client, USER_A)
    assert client.get(base(demo) + "/edit").status_code == 302
    page = text(client.get(base(demo) + "/"))
    assert "đã chấp nhận" in page and "Thu hồi" not in page and 'name="reason"' not in page
    assert client.post(base(demo) + "/reopen", data={"reason": "x"}).status_code == 404
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "accepted"


def test_reopen_needs_a_reason_and_returns_the_report_to_the_unit(client, demo, db):
    submit(client, demo)
    as_user(client, COORDINATOR)
    client.post(base(demo) + "/accept", data={"confirm": "1"})
    empty = client.post(base(demo) + "/reopen", data={"reason": "  "}, follow_redirects=True)
    assert "Cần ghi lý do khi mở lại báo cáo" in text(empty)
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "accepted"
    done = client.post(base(demo) + "/reopen",
                       data={"reason": "Số hồ sơ phải tính đến 30/11/2025."},
                       follow_redirects=True)
    assert "Đã mở lại báo cáo" in text(done)
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "returned"
    event = store.list_events(db, round_id=demo["round"], unit_code=UNIT_A)[0]
    assert (event["action"], event["actor"]) == ("submission.reopen", COORDINATOR)

    history = text(client.get(base(demo) + "/history"))
    moves = re.findall(r'<tr class="comment-row move">.*?<strong>([^<]+)</strong> — ([^,]+),',
                       history, re.S)
    assert moves == [("Chấp nhận", COORDINATOR), ("Mở lại sau khi đã chấp nhận", COORDINATOR)]
    assert history.index("Mở lại sau khi đã chấp nhận") < history.index(
        "Số hồ sơ phải tính đến 30/11/2025.")

    as_user(client, USER_A)
    assert "Sửa báo cáo" in text(client.get("/unit/"))
    fill = text(client.get(base(demo) + "/edit"))
    assert "Báo cáo bị trả lại để sửa" in fill and "Số hồ sơ phải tính đến 30/11/2025." in fill
    submit(client, demo, hs_tiep_nhan="1.240")
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "submitted"
    assert store.get_revision(db, demo["round"], UNIT_A)["number"] == 2


def test_recall_before_the_deadline_returns_to_draft(client, demo, db):
    submit(client, demo)
    response = client.post(base(demo) + "/recall")
    assert response.status_code == 302 and response.location.endswith("/edit")
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "draft"
    again = client.post(base(demo) + "/recall", follow_redirects=True)
    assert "Không thể thu hồi" in text(again)


def test_no_recall_once_the_coordinator_has_acted(client, demo, db):
    submit(client, demo)
    as_user(client, COORDINATOR)
    client.post(base(demo) + "/return", data={"comment": "Sửa lại."})
    as_user(client, USER_A)
    client.post(base(demo) + "/recall")
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "returned"


def test_no_recall_after_the_deadline(client, demo, db):
    round_id = store.create_round(
        db, outline_id="cam-giang-cchc-2025", outline_version=1, title="Đợt đã quá hạn",
        period_start=None, period_end=None, period_label=None,
        deadline=store.deadline_end_of_day(date(2020, 1, 1)), units=[UNIT_A], created_by="t")
    store.submit_values(db, round_id=round_id, unit_code=UNIT_A, raw=VALID, channel="web",
                        actor=USER_A)
    as_user(client, USER_A)
    page = text(client.get(f"/rounds/{round_id}/units/{UNIT_A}/"))
    assert "Thu hồi để sửa" not in page
    client.post(f"/rounds/{round_id}/units/{UNIT_A}/recall")
    assert store.get_submission(db, round_id, UNIT_A)["status"] == "submitted"
    as_user(client, COORDINATOR)
    round_page = text(client.get(f"/coordinator/rounds/{round_id}"))
    assert "muộn" in round_page


def test_diff_and_history_show_what_changed(client, demo, db):
    submit(client, demo)
    as_user(client, COORDINATOR)
    client.post(base(demo) + "/return", data={"comment-nv_tong": "Kiểm tra tổng số."})
    submit(client, demo, nv_tong="12", cd_nguon_luc="Bố trí 2 công chức.")
    as_user(client, COORDINATOR)
    page = text(client.get(base(demo) + "/diff"))
    assert "So sánh lần 1 và lần 2" in page
    assert "Tổng số nhiệm vụ trong kế hoạch" in page
    assert "<del>10</del>" in page and "<ins>12</ins>" in page
    assert "Bố trí 2 công chức." in page
    assert "Tổng số hồ sơ TTHC tiếp nhận" not in page  # unchanged items are not listed
    same = text(client.get(base(demo) + "/diff?a=2&b=2"))
    assert "giống nhau" in same
    assert client.get(base(demo) + "/diff?a=1&b=9").status_code == 404
    history = text(client.get(base(demo) + "/history"))
    assert "Kiểm tra tổng số." in history and "Tổng số nhiệm vụ trong kế hoạch" in history
    old = text(client.get(base(demo) + "/?rev=1"))
    assert "Đây là một lần lưu cũ" in old and "Chấp nhận báo cáo" not in old
    assert client.get(base(demo) + "/?rev=7").status_code == 404


def test_read_only_view_highlights_rule_problems_of_a_draft(client, demo):
    as_user(client, USER_A)
    client.post(base(demo) + "/edit", data={"action": "draft", "nv_tong": "1",
                                            "nv_hoan_thanh": "5"})
    as_user(client, COORDINATOR)
    page = text(client.get(base(demo) + "/"))
    assert "has-error" in page
    assert "Số nhiệm vụ đã hoàn thành cộng số nhiệm vụ đang thực hiện" in page
    assert "Chấp nhận báo cáo" not in page  # a draft cannot be accepted
