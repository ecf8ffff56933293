"""Working drafts: autosave overwrites one row per round × unit, never the history; every save
names the state it was made on and is refused when that state has moved; a draft keeps what
it cannot read as typed."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

import store
from store.working_drafts import discard_working_draft

OUTLINE = """\
id: nhap-do
version: 1
title: Đề cương nháp dở
items:
  - {type: integer, name: tong, number: "1.", label: Tổng số nhiệm vụ, required: true}
  - {type: integer, name: xong, number: "2.", label: Số nhiệm vụ đã hoàn thành}
  - {type: text, name: ghi_chu, number: "3.", label: Ghi chú}
  - type: table
    name: sang_kien
    number: "4."
    label: Sáng kiến
    columns:
      - {type: text, name: ten, label: Tên sáng kiến}
      - {type: date, name: ngay, label: Ngày áp dụng}
rules:
  - name: xong_le_tong
    constraint: xong <= tong
    message: Số nhiệm vụ đã hoàn thành không được lớn hơn tổng số nhiệm vụ.
"""


@pytest.fixture
def round_id(fresh_db) -> int:
    store.upsert_units(fresh_db, [{"code": c, "name": f"Đơn vị {c}"} for c in ("A", "B")])
    outline = store.register_outline(fresh_db, OUTLINE, actor="test")
    return store.create_round(
        fresh_db, outline_id=outline.id, outline_version=outline.version, title="Đợt nháp",
        period_start=date(2025, 7, 1), period_end=None, period_label="6 tháng",
        deadline=store.deadline_end_of_day(date(2099, 12, 31)), units=["A", "B"],
        created_by="test")


def _count(db, table: str) -> int:
    return db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_autosave_upserts_one_row_and_writes_no_revision(fresh_db, round_id):
    state = store.report_state(fresh_db, round_id, "A")
    assert state.token == (0, 0) and state.draft is None
    first = store.save_working_draft(fresh_db, round_id=round_id, unit_code="A",
                                     raw={"tong": "1"}, token=(0, 0), actor="a")
    second = store.save_working_draft(fresh_db, round_id=round_id, unit_code="A",
                                      raw={"tong": "12"}, token=(0, 1), actor="a")
    assert (first.version, second.version) == (1, 2)
    assert _count(fresh_db, "working_drafts") == 1
    assert _count(fresh_db, "revisions") == 0
    state = store.report_state(fresh_db, round_id, "A")
    assert state.draft is not None and state.draft.raw == {"tong": "12"}
    assert state.token == (0, 2) and state.draft.base_revision == 0
    # Unit B's draft is its own row.
    store.save_working_draft(fresh_db, round_id=round_id, unit_code="B", raw={"tong": "3"},
                             token=(0, 0), actor="b")
    assert store.report_state(fresh_db, round_id, "A").draft.raw == {"tong": "12"}


def test_a_stale_version_is_refused_and_changes_nothing(fresh_db, round_id):
    store.save_working_draft(fresh_db, round_id=round_id, unit_code="A",
                             raw={"tong": "5"}, token=(0, 0), actor="tab-1")
    with pytest.raises(store.StaleReport) as caught:  # tab 2 loaded before tab 1 saved
        store.save_working_draft(fresh_db, round_id=round_id, unit_code="A",
                                 raw={"xong": "2"}, token=(0, 0), actor="tab-2")
    assert caught.value.state.token == (0, 1)
    assert caught.value.state.draft.raw == {"tong": "5"}
    assert "chưa lưu gì" in str(caught.value)
    assert store.report_state(fresh_db, round_id, "A").draft.raw == {"tong": "5"}


def test_a_revision_made_elsewhere_makes_the_page_stale(fresh_db, round_id):
    store.submit_values(fresh_db, round_id=round_id, unit_code="A", raw={"tong": "7"},
                        channel="excel", actor="a", mode="draft")
    with pytest.raises(store.StaleReport):
        store.save_working_draft(fresh_db, round_id=round_id, unit_code="A",
                                 raw={"tong": "8"}, token=(0, 0), actor="a")
    draft = store.save_working_draft(fresh_db, round_id=round_id, unit_code="A",
                                     raw={"tong": "8"}, token=(1, 0), actor="a")
    assert draft.base_revision == 1


def test_explicit_save_is_a_revision_and_ends_the_working_draft(fresh_db, round_id):
    store.save_working_draft(fresh_db, round_id=round_id, unit_code="A",
                             raw={"tong": "9"}, token=(0, 0), actor="a")
    intake = store.submit_values(fresh_db, round_id=round_id, unit_code="A",
                                 raw={"tong": "9", "xong": "4"}, channel="web", actor="a",
                                 mode="draft", token=(0, 1))
    assert intake.revision is not None and intake.revision["number"] == 1
    assert intake.revision["values"]["tong"] == 9
    state = store.report_state(fresh_db, round_id, "A")
    assert state.draft is None and state.token == (1, 0)
    assert _count(fresh_db, "working_drafts") == 0


def test_explicit_save_on_a_stale_token_stores_nothing(fresh_db, round_id):
    store.save_working_draft(fresh_db, round_id=round_id, unit_code="A",
                             raw={"tong": "9"}, token=(0, 0), actor="tab-1")
    with pytest.raises(store.StaleReport):
        store.submit_values(fresh_db, round_id=round_id, unit_code="A", raw={"tong": "1"},
                            channel="web", actor="tab-2", mode="submit", token=(0, 0))
    assert _count(fresh_db, "revisions") == 0
    assert store.report_state(fresh_db, round_id, "A").draft.raw == {"tong": "9"}


def test_an_excel_upload_keeps_the_working_draft_for_the_unit_to_compare(fresh_db, round_id):
    store.save_working_draft(fresh_db, round_id=round_id, unit_code="A",
                             raw={"ghi_chu": "đang gõ dở"}, token=(0, 0), actor="a")
    store.submit_values(fresh_db, round_id=round_id, unit_code="A", raw={"tong": "3"},
                        channel="excel", actor="a", mode="draft")
    state = store.report_state(fresh_db, round_id, "A")
    assert state.draft is not None and state.draft.raw == {"ghi_chu": "đang gõ dở"}
    assert not state.draft_is_current and state.latest_revision == 1


def test_lenient_draft_keeps_unreadable_text_beside_the_readable_values(fresh_db, round_id):
    raw = {"tong": "mười", "xong": "3", "ghi_chu": "ổn",
           "sang_kien": [{"ten": "Một cửa", "ngay": "31/02/2025"}]}
    strict = store.submit_values(fresh_db, round_id=round_id, unit_code="A", raw=raw,
                                 channel="excel", actor="a", mode="draft")
    assert strict.revision is None, "an upload keeps its marked-workbook answer"
    intake = store.submit_values(fresh_db, round_id=round_id, unit_code="A", raw=raw,
                                 channel="web", actor="a", mode="draft", keep_unreadable=True)
    assert intake.revision is not None, "one unreadable value must not refuse the draft"
    values = store.get_revision(fresh_db, round_id, "A")["values"]
    assert values["xong"] == 3 and values["ghi_chu"] == "ổn" and values["tong"] is None
    assert values["sang_kien"] == [{"ten": "Một cửa", "ngay": None}]
    kept = store.revision_rejects(fresh_db, intake.revision["id"])
    assert kept == {"tong": "mười", "sang_kien": [{"ten": "Một cửa", "ngay": "31/02/2025"}]}
    assert intake.kept_as_typed == kept
    messages = [i.message for i in intake.result.errors]
    assert any(m.startswith("Mục «1. Tổng số nhiệm vụ»: \"mười\"") for m in messages), messages


def test_submit_still_refuses_unreadable_values(fresh_db, round_id):
    intake = store.submit_values(fresh_db, round_id=round_id, unit_code="A",
                                 raw={"tong": "mười"}, channel="web", actor="a", mode="submit")
    assert intake.revision is None
    assert _count(fresh_db, "revisions") == 0 and _count(fresh_db, "revision_rejects") == 0


def test_draft_is_saved_even_when_a_rule_would_fail(fresh_db, round_id):
    """Draft mode never runs cross-item rules: half-typed figures are not judged."""
    intake = store.submit_values(fresh_db, round_id=round_id, unit_code="A",
                                 raw={"tong": "2", "xong": "5"}, channel="web", actor="a",
                                 mode="draft")
    assert intake.revision is not None and intake.revision["warnings"] == []
    assert not intake.result.issues
    refused = store.submit_values(fresh_db, round_id=round_id, unit_code="A",
                                  raw={"tong": "2", "xong": "5"}, channel="web", actor="a",
                                  mode="submit")
    assert refused.revision is None and [i.rule for i in refused.result.errors] == ["xong_le_tong"]


def test_a_submitted_report_takes_no_working_draft(fresh_db, round_id):
    store.submit_values(fresh_db, round_id=round_id, unit_code="A", raw={"tong": "2"},
                        channel="web", actor="a", mode="submit", token=(0, 0))
    with pytest.raises(store.ReportLocked) as caught:
        store.save_working_draft(fresh_db, round_id=round_id, unit_code="A",
                                 raw={"tong": "3"}, token=(1, 0), actor="a")
    assert "rút lại" in str(caught.value)
    assert _count(fresh_db, "working_drafts") == 0


def test_no_revision_is_ever_overwritten(fresh_db, round_id):
    """Autosaves and explicit saves only ever append revisions; the kept text is append-only
    too, even for hand-written SQL."""
    token = (0, 0)
    for number, total in enumerate(("1", "2", "mười"), start=1):
        draft = store.save_working_draft(fresh_db, round_id=round_id, unit_code="A",
                                         raw={"tong": total}, token=token, actor="a")
        intake = store.submit_values(fresh_db, round_id=round_id, unit_code="A",
                                     raw={"tong": total}, channel="web", actor="a",
                                     mode="draft", token=(token[0], draft.version),
                                     keep_unreadable=True)
        assert intake.revision["number"] == number
        token = (number, 0)
    history = [store.get_revision(fresh_db, round_id, "A", n)["values"]["tong"]
               for n in (1, 2, 3)]
    assert history == [1, 2, None]
    for sql in ("UPDATE revision_rejects SET rejected_json = '{}'",
                "DELETE FROM revision_rejects", "UPDATE revisions SET values_json = '{}'"):
        with pytest.raises(sqlite3.IntegrityError, match="chỉ được ghi thêm"):
            fresh_db.conn.execute(sql)


def test_discarding_a_missing_draft_is_harmless(fresh_db, round_id):
    discard_working_draft(fresh_db, round_id, "A")
    assert store.report_state(fresh_db, round_id, "A").token == (0, 0)
