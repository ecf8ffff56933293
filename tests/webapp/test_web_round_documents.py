"""The coordinator sets a round's document details in the new-round form and on the round
page ("Thông tin văn bản"); a rejected form keeps what was typed and stores nothing."""

from __future__ import annotations

import pytest
from web_helpers import COORDINATOR, as_user, text

import store


@pytest.fixture
def coordinator(client):
    return as_user(client, COORDINATOR)


def test_new_round_form_stores_the_details(coordinator, db):
    page = text(coordinator.get("/coordinator/rounds/new"))
    assert "Thông tin văn bản" in page and 'name="doc_signer_name"' in page
    response = coordinator.post("/coordinator/rounds/new", data={
        "outline": "cam-giang-cchc-2025:1", "title": "Năm 2026", "deadline": "16/12/2026",
        "units": ["VP"], "doc_issuer": "UBND xã Cẩm Giang", "doc_date": "15/12/2026",
        "doc_recipients": "UBND huyện;\nLưu: VT."})
    assert response.status_code == 302
    round_id = int(response.location.rstrip("/").rsplit("/", 1)[-1])
    details = store.round_document(db, round_id)
    assert (details.issuer, details.date) == ("UBND xã Cẩm Giang", "2026-12-15")
    assert details.recipient_lines == ["UBND huyện;", "Lưu: VT."]


def test_new_round_with_a_bad_date_opens_nothing_and_keeps_the_typing(coordinator, db):
    before = len(store.list_rounds(db))
    response = coordinator.post("/coordinator/rounds/new", data={
        "outline": "cam-giang-cchc-2025:1", "title": "Năm 2026", "deadline": "16/12/2026",
        "units": ["VP"], "doc_issuer": "UBND xã Cẩm Giang", "doc_date": "32/12/2026"})
    assert response.status_code == 422
    page = text(response)
    assert "Ngày ban hành: &#39;32/12/2026&#39; không phải ngày hợp lệ" in page \
        or "Ngày ban hành: '32/12/2026' không phải ngày hợp lệ" in page
    assert 'value="UBND xã Cẩm Giang"' in page and 'value="32/12/2026"' in page
    assert len(store.list_rounds(db)) == before


def test_round_page_form_saves_and_shows_the_details(coordinator, demo, db):
    round_id = demo["round"]
    page = text(coordinator.get(f"/coordinator/rounds/{round_id}"))
    assert "Thông tin văn bản" in page
    response = coordinator.post(f"/coordinator/rounds/{round_id}/van-ban", data={
        "doc_issuer": "UBND xã Cẩm Giang", "doc_signer_title": "CHỦ TỊCH",
        "doc_date": "2026-12-15"})
    assert response.status_code == 302
    assert store.round_document(db, round_id).signer_title == "CHỦ TỊCH"
    again = text(coordinator.get(f"/coordinator/rounds/{round_id}"))
    assert 'value="UBND xã Cẩm Giang"' in again and 'value="15/12/2026"' in again


def test_round_page_form_refuses_a_long_name_and_changes_nothing(coordinator, demo, db):
    round_id = demo["round"]
    store.set_round_document(db, round_id, {"doc_signer_name": "Nguyễn Văn A"}, actor="t")
    response = coordinator.post(f"/coordinator/rounds/{round_id}/van-ban", data={
        "doc_signer_name": "Trần " * 30, "doc_place": "Cẩm Giang"})
    assert response.status_code == 422
    assert "Họ và tên người ký: dài" in text(response)
    assert 'value="Cẩm Giang"' in text(response)
    details = store.round_document(db, round_id)
    assert details.signer_name == "Nguyễn Văn A" and details.place is None
