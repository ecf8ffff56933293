"""Review moves that can be undone: an accepted report is reopened (Mở lại) by the coordinator
with a reason; it goes back to the unit as returned, audited, and the unit edits and resubmits."""

from __future__ import annotations

from datetime import datetime

import pytest

import store


def _save(db, round_id, values, status="submitted", unit="A"):
    return store.save_revision(db, round_id=round_id, unit_code=unit, values=values,
                               status=status, channel="web", actor="a")


def _accepted(db, make_round):
    round_id = make_round()
    _save(db, round_id, {"x": 1})
    store.set_status(db, round_id, "A", "accepted", "dau-moi")
    return round_id


def test_reopen_returns_an_accepted_report_with_its_reason(fresh_db, make_round):
    round_id = _accepted(fresh_db, make_round)
    at = datetime.fromisoformat("2025-11-20T09:30:00+07:00")
    state = store.reopen(fresh_db, round_id, "A", "dau-moi",
                         "  Mục x phải lấy số liệu đến 30/11/2025.  ", now=at)
    assert state["status"] == "returned"
    assert state["latest_revision"] == 1  # no revision created: the values did not change
    assert len(store.list_revisions(fresh_db, round_id, "A")) == 1
    comments = store.comments_for(fresh_db, round_id, "A")
    assert [(c["revision_number"], c["item_key"], c["text"], c["author"]) for c in comments] \
        == [(1, None, "Mục x phải lấy số liệu đến 30/11/2025.", "dau-moi")]
    event = store.list_events(fresh_db, round_id=round_id, unit_code="A")[0]
    assert event["action"] == "submission.reopen"
    assert event["actor"] == "dau-moi" and event["at"] == "2025-11-20T02:30:00+00:00"
    assert event["detail"]["comment"] == "Mục x phải lấy số liệu đến 30/11/2025."
    assert (event["detail"]["from"], event["detail"]["to"]) == ("accepted", "returned")


def test_after_reopening_the_unit_edits_and_resubmits(fresh_db, make_round):
    round_id = _accepted(fresh_db, make_round)
    with pytest.raises(store.Conflict, match="đã được chấp nhận"):
        _save(fresh_db, round_id, {"x": 2}, status="draft")
    store.reopen(fresh_db, round_id, "A", "dau-moi", "Sửa mục x.")
    assert _save(fresh_db, round_id, {"x": 2}, status="draft")["number"] == 2
    assert _save(fresh_db, round_id, {"x": 3})["number"] == 3
    assert store.get_submission(fresh_db, round_id, "A")["status"] == "submitted"
    assert store.get_revision(fresh_db, round_id, "A", 1)["values"] == {"x": 1}  # kept
    store.set_status(fresh_db, round_id, "A", "accepted", "dau-moi")  # and can be accepted again
    assert store.get_submission(fresh_db, round_id, "A")["status"] == "accepted"


def test_reopen_needs_a_reason(fresh_db, make_round):
    round_id = _accepted(fresh_db, make_round)
    for reason in (None, "", "   "):
        with pytest.raises(store.StoreError, match="Cần ghi lý do khi mở lại báo cáo"):
            store.reopen(fresh_db, round_id, "A", "dau-moi", reason)
    assert store.get_submission(fresh_db, round_id, "A")["status"] == "accepted"
    assert store.comments_for(fresh_db, round_id, "A") == []
    assert next(e["action"] for e in store.list_events(fresh_db, round_id=round_id)) \
        == "submission.accept"


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
def test_only_an_accepted_report_can_be_reopened(fresh_db, make_round, status):
    round_id = make_round()
    _save(fresh_db, round_id, {"x": 1}, status="draft" if status == "draft" else "submitted")
    if status == "returned":
        store.set_status(fresh_db, round_id, "A", "returned", "dau-moi", comment="Sửa")
    label = store.STATUS_LABELS[status]
    with pytest.raises(store.Conflict, match=f"Chỉ mở lại được báo cáo đã chấp nhận.*{label}"):
        store.reopen(fresh_db, round_id, "A", "dau-moi", "Lý do")
    assert store.get_submission(fresh_db, round_id, "A")["status"] == status


def test_reopen_refuses_a_unit_without_report_and_a_closed_round(fresh_db, make_round):
    round_id = _accepted(fresh_db, make_round)
    with pytest.raises(store.SubmissionNotFound):
        store.reopen(fresh_db, round_id, "B", "dau-moi", "Lý do")
    store.set_round_status(fresh_db, round_id, "closed", actor="dau-moi")
    with pytest.raises(store.Conflict, match="đã đóng, không thể mở lại báo cáo; hãy mở lại"):
        store.reopen(fresh_db, round_id, "A", "dau-moi", "Lý do")
    assert store.get_submission(fresh_db, round_id, "A")["status"] == "accepted"


def test_return_never_undoes_an_acceptance(fresh_db, make_round):
    """A stale "Trả lại" form posted after someone accepted must not reopen silently."""
    round_id = _accepted(fresh_db, make_round)
    with pytest.raises(store.Conflict, match="Chỉ trả lại được báo cáo đã nộp"):
        store.set_status(fresh_db, round_id, "A", "returned", "dau-moi", comment="Sửa")
    assert store.get_submission(fresh_db, round_id, "A")["status"] == "accepted"
