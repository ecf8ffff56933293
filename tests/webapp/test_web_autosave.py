"""Autosave and the lost-update guard, through Flask's test client: the JSON endpoint, the
plain form's hidden token and its conflict section, and what the fill page shows."""

from __future__ import annotations

import html
import json
import re

import pytest
from web_helpers import COORDINATOR, UNIT_A, UNIT_B, USER_A, USER_B, as_user, create_test_app, text

import store


@pytest.fixture
def unit_a(client):
    return as_user(client, USER_A)


def edit_url(demo, code=UNIT_A):
    return f"/rounds/{demo['example_round']}/units/{code}/edit"


def save_url(demo, code=UNIT_A):
    return f"/rounds/{demo['example_round']}/units/{code}/autosave"


def autosave(client, demo, fields, token, commit=False, code=UNIT_A, headers=None):
    body = {"fields": [[k, v] for k, v in fields.items()], "token": list(token),
            "commit": commit}
    return client.post(save_url(demo, code), data=json.dumps(body),
                       content_type="application/json",
                       headers={"Accept": "application/json", **(headers or {})})


def state(db, demo, code=UNIT_A):
    return store.report_state(db, demo["example_round"], code)


def revisions(db, demo):
    return db.conn.execute("SELECT count(*) FROM revisions").fetchone()[0]


def test_autosave_keeps_the_typing_without_a_revision(unit_a, demo, db):
    before = revisions(db, demo)
    response = autosave(unit_a, demo, {"nv_tong": "12", "dau_moi": "Chị Lan"}, (0, 0))
    assert response.status_code == 200, text(response)
    answer = response.get_json()
    assert answer["state"] == "saved" and answer["token"] == [0, 1]
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", answer["saved_at"])
    assert response.headers["Cache-Control"] == "no-store"
    assert revisions(db, demo) == before
    assert state(db, demo).draft.raw["nv_tong"] == "12"
    # The fill page shows the working draft, says so, and carries its token.
    page = text(unit_a.get(edit_url(demo)))
    assert re.search(r'id="nv_tong" name="nv_tong" value="12"', page)
    assert "Đang hiển thị bản đang nhập dở, tự động lưu lúc" in page
    assert 'name="base_revision" value="0"' in page and 'name="draft_version" value="1"' in page


def test_autosave_keeps_an_unreadable_value_as_typed_and_names_it(unit_a, demo, db):
    response = autosave(unit_a, demo, {"nv_tong": "mười", "nv_xong": "3"}, (0, 0))
    answer = response.get_json()
    assert response.status_code == 200 and answer["state"] == "saved"
    assert [p["key"] for p in answer["problems"]] == ["nv_tong"]
    assert '"mười" không phải là số nguyên' in answer["problems"][0]["message"]
    page = html.unescape(text(unit_a.get(edit_url(demo))))
    assert 'value="mười"' in page and '"mười" không phải là số nguyên' in page


def test_a_stale_autosave_gets_409_with_the_items_that_differ(unit_a, demo, db):
    first = autosave(unit_a, demo, {"nv_tong": "12", "nv_xong": ""}, (0, 0))  # tab 1
    assert first.status_code == 200
    second = autosave(unit_a, demo, {"nv_tong": "", "nv_xong": "5"}, (0, 0))  # tab 2
    assert second.status_code == 409
    answer = second.get_json()
    assert answer["state"] == "conflict" and answer["token"] == [0, 1]
    assert answer["theirs"].startswith("bản tự động lưu lúc")
    assert answer["items"] == [
        {"key": "nv_tong", "ref": "1. Tổng số nhiệm vụ", "mine": "(để trống)", "theirs": "12"},
        {"key": "nv_xong", "ref": "2. Số nhiệm vụ đã hoàn thành", "mine": "5",
         "theirs": "(để trống)"},
    ]
    assert "chưa lưu gì" in answer["message"]
    assert state(db, demo).draft.raw["nv_tong"] == "12", "nothing is applied blindly"


def test_choosing_per_item_resolves_the_conflict(unit_a, demo, db):
    autosave(unit_a, demo, {"nv_tong": "12"}, (0, 0))
    resolved = autosave(unit_a, demo, {"nv_tong": "", "nv_xong": "5",
                                       "conflict-nv_tong": "theirs",
                                       "conflict-nv_xong": "mine"}, (0, 1))
    assert resolved.status_code == 200, text(resolved)
    raw = state(db, demo).draft.raw
    assert (raw["nv_tong"], raw["nv_xong"]) == ("12", "5")
    fields = dict(resolved.get_json()["fields"])  # what the page must now show
    assert fields["nv_tong"] == "12" and fields["nv_xong"] == "5"


def test_the_same_figure_written_differently_is_no_conflict(unit_a, demo, db):
    autosave(unit_a, demo, {"nv_tong": "1234"}, (0, 0))
    same = autosave(unit_a, demo, {"nv_tong": "1.234"}, (0, 0))
    assert same.status_code == 200 and same.get_json()["token"] == [0, 2]


def test_commit_makes_a_draft_revision_and_ends_the_working_draft(unit_a, demo, db):
    autosave(unit_a, demo, {"nv_tong": "12"}, (0, 0))
    response = autosave(unit_a, demo, {"nv_tong": "12", "nv_xong": "mười"}, (0, 1), commit=True)
    answer = response.get_json()
    assert response.status_code == 200, answer
    assert answer["revision"] == 1 and answer["token"] == [1, 0]
    assert "1 mục chưa đọc được, được giữ nguyên như đã gõ" in answer["message"]
    assert state(db, demo).draft is None
    revision = store.get_revision(db, demo["example_round"], UNIT_A)
    assert revision["status"] == "draft" and revision["values"]["nv_tong"] == 12
    assert store.revision_rejects(db, revision["id"]) == {"nv_xong": "mười"}


def test_a_submitted_report_is_locked(unit_a, demo, db):
    store.submit_values(db, round_id=demo["example_round"], unit_code=UNIT_A,
                        raw={"nv_tong": "3"}, channel="web", actor=USER_A, mode="submit")
    response = autosave(unit_a, demo, {"nv_tong": "4"}, (0, 0))
    assert response.status_code == 409
    assert response.get_json()["state"] == "locked"
    assert "rút lại báo cáo" in response.get_json()["message"]
    assert state(db, demo).draft is None


@pytest.mark.parametrize("user", [USER_B, COORDINATOR])
def test_another_unit_or_the_coordinator_gets_404(client, demo, db, user):
    as_user(client, user)
    response = autosave(client, demo, {"nv_tong": "9"}, (0, 0))
    assert response.status_code == 404
    assert state(db, demo).draft is None


def test_unit_b_saves_only_its_own_draft(client, demo, db):
    as_user(client, USER_B)
    assert autosave(client, demo, {"nv_tong": "9"}, (0, 0), code=UNIT_B).status_code == 200
    assert state(db, demo, UNIT_B).draft.raw["nv_tong"] == "9"
    assert state(db, demo).draft is None


def test_an_expired_session_is_not_answered_as_saved(client, demo, db):
    as_user(client, None)
    response = autosave(client, demo, {"nv_tong": "9"}, (0, 0))
    assert response.status_code in (302, 401)
    assert response.status_code == 401 or "/auth/login" in response.headers["Location"]
    assert state(db, demo).draft is None


def test_malformed_bodies_are_refused_with_a_message(unit_a, demo, db):
    response = unit_a.post(save_url(demo), data="not json", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["state"] == "refused"
    response = unit_a.post(save_url(demo), data=json.dumps({"fields": []}),
                           content_type="application/json")
    assert response.status_code == 400 and "mã phiên bản" in response.get_json()["message"]
    assert state(db, demo).draft is None


def test_csrf_is_enforced_through_the_header(demo, tmp_path):
    app = create_test_app(demo["db_path"], tmp_path, WTF_CSRF_ENABLED=True)
    client = as_user(app.test_client(), USER_A)
    refused = autosave(client, demo, {"nv_tong": "9"}, (0, 0))
    assert refused.status_code == 400
    page = text(client.get(edit_url(demo)))
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    accepted = autosave(client, demo, {"nv_tong": "9"}, (0, 0), headers={"X-CSRFToken": token})
    assert accepted.status_code == 200, text(accepted)


# --- the plain form (no JavaScript) ----------------------------------------------------------


def test_plain_post_on_a_stale_token_shows_the_conflict_and_stores_nothing(unit_a, demo, db):
    autosave(unit_a, demo, {"nv_tong": "12"}, (0, 0))  # another tab typed meanwhile
    response = unit_a.post(edit_url(demo), data={
        "action": "draft", "nv_xong": "5", "base_revision": "0", "draft_version": "0"})
    assert response.status_code == 409
    page = text(response)
    start = page.index('id="xung-dot"')
    section = page[start:page.index("</section>", start)]
    assert "2 mục khác với bản của bạn" in section
    assert 'name="conflict-nv_tong" value="theirs"' in section
    assert "Lấy bản kia: <strong>12</strong>" in section
    assert re.search(r'id="nv_xong" name="nv_xong" value="5"', page), "the typing is kept"
    assert 'name="draft_version" value="1"' in page  # the token of the version shown
    assert store.get_submission(db, demo["example_round"], UNIT_A) is None
    # Choosing: take their total, keep my completed count.
    saved = unit_a.post(edit_url(demo), data={
        "action": "draft", "nv_xong": "5", "base_revision": "0", "draft_version": "1",
        "conflict-nv_tong": "theirs", "conflict-nv_xong": "mine"})
    assert saved.status_code == 302
    values = store.get_revision(db, demo["example_round"], UNIT_A)["values"]
    assert (values["nv_tong"], values["nv_xong"]) == (12, 5)
    assert state(db, demo).draft is None


def test_plain_post_without_a_token_still_saves(unit_a, demo, db):
    response = unit_a.post(edit_url(demo), data={"action": "draft", "nv_tong": "7"})
    assert response.status_code == 302
    assert store.get_revision(db, demo["example_round"], UNIT_A)["values"]["nv_tong"] == 7


def test_a_working_draft_overtaken_by_an_upload_is_shown_with_the_comparison(unit_a, demo, db):
    autosave(unit_a, demo, {"dau_moi": "Anh Minh"}, (0, 0))
    store.submit_values(db, round_id=demo["example_round"], unit_code=UNIT_A,
                        raw={"dau_moi": "Chị Hoa"}, channel="excel", actor=USER_A, mode="draft")
    page = text(unit_a.get(edit_url(demo)))
    assert re.search(r'id="dau_moi" name="dau_moi" value="Anh Minh"', page)
    assert "sau đó báo cáo đã có lần lưu thứ 1" in page
    assert "Lấy bản kia: <strong>Chị Hoa</strong>" in page
    assert 'name="base_revision" value="1"' in page




def test_a_report_submitted_and_returned_meanwhile_is_a_conflict_not_an_overwrite(
        unit_a, demo, db):
    """A tab left open on the draft while the report was submitted elsewhere and then returned
    by the coordinator: its next save is shown against the submitted figures, not applied."""
    first = autosave(unit_a, demo, {"nv_tong": "9"}, (0, 0))
    assert first.status_code == 200
    store.submit_values(db, round_id=demo["example_round"], unit_code=UNIT_A,
                        raw={"nv_tong": "10", "nv_xong": "4"}, channel="web", actor=USER_A,
                        mode="submit", token=(0, 1))  # another tab submits
    store.set_status(db, demo["example_round"], UNIT_A, "returned", COORDINATOR,
                     comment="Đề nghị rà soát lại.")
    stale = autosave(unit_a, demo, {"nv_tong": "9", "nv_xong": ""}, (0, 1))
    answer = stale.get_json()
    assert stale.status_code == 409 and answer["state"] == "conflict"
    assert answer["token"] == [1, 0]
    assert answer["theirs"].startswith("lần lưu thứ 1 lúc")
    assert [(i["key"], i["mine"], i["theirs"]) for i in answer["items"]] == [
        ("nv_tong", "9", "10"), ("nv_xong", "(để trống)", "4")]
    assert state(db, demo).draft is None
    assert store.get_revision(db, demo["example_round"], UNIT_A)["values"]["nv_tong"] == 10


def test_text_that_cannot_be_stored_is_refused_not_a_server_error(unit_a, demo, db):
    """A lone surrogate (only a forged JSON escape makes one) cannot be written as UTF-8."""
    body = '{"fields": [["dau_moi", "a\\ud800b"]], "token": [0, 0]}'
    response = unit_a.post(save_url(demo), data=body, content_type="application/json")
    assert response.status_code == 422
    assert "không phải văn bản UTF-8 hợp lệ" in response.get_json()["message"]
    assert state(db, demo).draft is None
