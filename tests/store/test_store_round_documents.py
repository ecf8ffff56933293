"""A round's document details (store.round_documents): stored cleaned, validated as a whole,
and a rejected input changes nothing."""

from __future__ import annotations

import unicodedata

import pytest

import store
from store.round_documents import DocumentDetails, clean_details


def test_a_new_round_has_no_details(fresh_db, make_round):
    round_id = make_round()
    assert store.round_document(fresh_db, round_id) == DocumentDetails()


def test_details_are_stored_nfc_trimmed_and_dated(fresh_db, make_round):
    round_id = make_round()
    nfd = unicodedata.normalize("NFD", "UBND xã Cẩm Giang")
    stored = store.set_round_document(fresh_db, round_id, {
        "doc_issuer": f"  {nfd}  ", "doc_issuer_parent": "UBND huyện Cẩm Giàng",
        "doc_number_symbol": "/BC-UBND", "doc_place": "Cẩm Giang", "doc_date": "15/12/2026",
        "doc_recipients": "UBND huyện Cẩm Giàng;\r\n\r\n  Lưu:   VT. \n",
        "doc_signer_authority": "TM. ỦY BAN NHÂN DÂN", "doc_signer_title": "CHỦ TỊCH",
        "doc_signer_name": "Nguyễn Văn A"}, actor="test")
    assert stored.issuer == "UBND xã Cẩm Giang"
    assert unicodedata.is_normalized("NFC", stored.issuer)
    assert stored.date == "2026-12-15"
    assert stored.recipient_lines == ["UBND huyện Cẩm Giàng;", "Lưu: VT."]
    assert store.round_document(fresh_db, round_id) == stored
    events = [e["action"] for e in store.list_events(fresh_db, round_id=round_id)]
    assert "round.document" in events


def test_only_given_keys_change_and_empty_clears(fresh_db, make_round):
    round_id = make_round()
    store.set_round_document(fresh_db, round_id, {"doc_issuer": "UBND xã A",
                                                  "doc_place": "Xã A"}, actor="test")
    after = store.set_round_document(fresh_db, round_id, {"doc_place": ""}, actor="test")
    assert after.issuer == "UBND xã A" and after.place is None


def test_a_rejected_input_names_every_field_and_changes_nothing(fresh_db, make_round):
    round_id = make_round()
    store.set_round_document(fresh_db, round_id, {"doc_issuer": "UBND xã A"}, actor="test")
    with pytest.raises(store.StoreError) as caught:
        store.set_round_document(fresh_db, round_id, {
            "doc_issuer": "UBND xã B", "doc_date": "31/02/2026",
            "doc_signer_name": "x" * 101, "doc_place": "Xã\x07A"}, actor="test")
    errors = caught.value.errors
    assert any(e.startswith("Ngày ban hành: '31/02/2026'") and "dd/mm/yyyy" in e
               for e in errors)
    assert any(e.startswith("Họ và tên người ký: dài 101 ký tự, nhiều nhất 100") for e in errors)
    assert any(e.startswith("Địa danh: có ký tự điều khiển") for e in errors)
    assert store.round_document(fresh_db, round_id).issuer == "UBND xã A"


def test_too_many_recipients_are_refused():
    with pytest.raises(store.StoreError) as caught:
        clean_details({"doc_recipients": "\n".join(f"Nơi {i}" for i in range(31))})
    assert "có 31 dòng, nhiều nhất 30" in caught.value.errors[0]


def test_an_unknown_round_is_refused(fresh_db):
    with pytest.raises(store.RoundNotFound):
        store.set_round_document(fresh_db, 99, {"doc_issuer": "X"}, actor="test")
