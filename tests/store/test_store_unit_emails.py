"""Units' e-mail addresses: checked where they are typed or imported (one message per bad
row, nothing written), kept by an import whose list has no address column."""

from __future__ import annotations

import pytest

import store
from store.emails import email_problem, smtp_address
from store.unit_lists import read_unit_list


@pytest.mark.parametrize("address", [
    "vanthu@camgiang.gov.vn", "a.b+c@x-y.example.vn", "van.thu@bộ-nội-vụ.vn", None, ""])
def test_deliverable_addresses_are_accepted(address):
    assert email_problem(address) is None


@pytest.mark.parametrize(("address", "words"), [
    ("vanthu.camgiang.gov.vn", "thiếu phần tên trước dấu @"),
    ("@camgiang.gov.vn", "thiếu phần tên trước dấu @"),
    ("văn.thư@camgiang.gov.vn", "phần trước dấu @ chỉ được có chữ không dấu"),
    ("vanthu@localhost", "tên miền sau dấu @ không hợp lệ"),
    ("vanthu@camgiang..vn", "tên miền sau dấu @ không hợp lệ"),
    ("a@x.vn; b@x.vn", "mỗi đơn vị chỉ nhận nhắc nhở ở một địa chỉ"),
    ("a@x.vn,b@x.vn", "mỗi đơn vị chỉ nhận nhắc nhở ở một địa chỉ"),
    ("a" * 250 + "@x.vn", "quá 254 ký tự"),
])
def test_undeliverable_addresses_say_what_to_type(address, words):
    problem = email_problem(address)
    assert problem is not None
    assert words in problem
    assert "ten@coquan.gov.vn" in problem


def test_an_international_domain_is_sent_as_idna():
    # The IDNA form of münchen.de is the textbook example (RFC 3492 tooling, DENIC).
    assert smtp_address("van.thu@münchen.de") == "van.thu@xn--mnchen-3ya.de"


def test_add_unit_keeps_a_good_address_and_refuses_a_bad_one(fresh_db):
    store.add_unit(fresh_db, "VP", "Văn phòng", email=" vanthu@camgiang.gov.vn ")
    assert store.get_unit(fresh_db, "VP")["email"] == "vanthu@camgiang.gov.vn"
    with pytest.raises(store.StoreError, match="Thư điện tử: «vanthu» thiếu phần tên"):
        store.add_unit(fresh_db, "KT", "Phòng Kinh tế", email="vanthu")
    assert [u["code"] for u in store.list_units(fresh_db)] == ["VP"]


def test_import_with_the_column_sets_addresses_and_names_bad_rows(fresh_db):
    good = "mã,tên,thư điện tử\nVP,Văn phòng,vp@x.gov.vn\nKT,Kinh tế,\n".encode()
    store.upsert_units(fresh_db, read_unit_list(good, "ds.csv"), first_row=2)
    assert {u["code"]: u["email"] for u in store.list_units(fresh_db)} == {
        "VP": "vp@x.gov.vn", "KT": None}
    bad = "code,name,email\nVP,Văn phòng,vp@x.gov.vn\nKT,Kinh tế,kt-at-x.gov.vn\n".encode()
    with pytest.raises(store.StoreError) as caught:
        store.upsert_units(fresh_db, read_unit_list(bad, "ds.csv"), first_row=2)
    assert caught.value.errors == [
        "Dòng 3: cột «thư điện tử»: «kt-at-x.gov.vn» thiếu phần tên trước dấu @. Hãy nhập "
        "một địa chỉ dạng ten@coquan.gov.vn."]
    assert store.get_unit(fresh_db, "KT")["email"] is None  # nothing written


def test_import_without_the_column_keeps_known_addresses(fresh_db):
    store.add_unit(fresh_db, "VP", "Văn phòng", email="vp@x.gov.vn")
    old_list = "code,name,contact\nVP,Văn phòng HĐND và UBND,Chánh Văn phòng\n".encode()
    store.upsert_units(fresh_db, read_unit_list(old_list, "cu.csv"), first_row=2)
    unit = store.get_unit(fresh_db, "VP")
    assert (unit["name"], unit["contact"], unit["email"]) == (
        "Văn phòng HĐND và UBND", "Chánh Văn phòng", "vp@x.gov.vn")
