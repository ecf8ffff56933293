"""Units: adding, importing lists (all-or-nothing validation), hierarchy, NFC."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest

import store


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_add_and_get_unit_normalises_text(fresh_db):
    store.add_unit(fresh_db, "UBND", "UBND xã Cẩm Giang", kind="xa")
    unit = store.add_unit(
        fresh_db, "  VHXH ", _nfd("Phòng Văn hóa - Xã hội"), kind=_nfd("phòng"), parent="UBND",
        contact=" ", now=datetime.fromisoformat("2025-10-01T08:00:00+07:00"),
    )
    assert unit == {
        "code": "VHXH",
        "name": "Phòng Văn hóa - Xã hội",
        "kind": "phòng",
        "parent": "UBND",
        "contact": None,
        "email": None,
        "created_at": "2025-10-01T01:00:00+00:00",
    }
    assert unicodedata.is_normalized("NFC", unit["name"])
    assert store.get_unit(fresh_db, "VHXH") == unit


def test_get_unknown_unit_raises_vietnamese_not_found(fresh_db):
    with pytest.raises(store.UnitNotFound) as info:
        store.get_unit(fresh_db, "X")
    assert str(info.value) == "Không có đơn vị mã 'X'."
    assert isinstance(info.value, store.NotFound)
    assert isinstance(info.value, store.StoreError)


def test_add_unit_refuses_duplicates_and_unknown_parent(fresh_db):
    store.add_unit(fresh_db, "A", "Đơn vị A")
    with pytest.raises(store.Conflict, match="Đã có đơn vị mã 'A'"):
        store.add_unit(fresh_db, "A", "Khác")
    with pytest.raises(store.UnitNotFound, match="cấp trên mã 'Z'"):
        store.add_unit(fresh_db, "B", "Đơn vị B", parent="Z")
    with pytest.raises(store.StoreError, match="Thiếu tên"):
        store.add_unit(fresh_db, "C", "  ")
    assert [u["code"] for u in store.list_units(fresh_db)] == ["A"]


def test_upsert_units_accepts_parents_listed_after_children(fresh_db):
    rows = [
        {"code": "P1", "name": "Phòng Nội vụ", "kind": "phong", "parent": "XA"},
        {"code": "P2", "name": "Phòng Tư pháp", "kind": "phong", "parent": "XA"},
        {"code": "XA", "name": "UBND xã", "kind": "xa", "extra column": "ignored"},
    ]
    assert store.upsert_units(fresh_db, rows) == 3
    assert [u["code"] for u in store.children(fresh_db, "XA")] == ["P1", "P2"]
    assert [u["code"] for u in store.list_units(fresh_db, kind="phong")] == ["P1", "P2"]
    assert store.children(fresh_db, "P1") == []
    with pytest.raises(store.UnitNotFound):
        store.children(fresh_db, "NOPE")


def test_upsert_updates_existing_units_and_keeps_created_at(fresh_db):
    first = datetime.fromisoformat("2025-01-01T00:00:00+00:00")
    store.upsert_units(fresh_db, [{"code": "A", "name": "Tên cũ", "contact": "a@x.vn"}], now=first)
    written = store.upsert_units(fresh_db, [{"code": "A", "name": "Tên mới"}])
    assert written == 1
    unit = store.get_unit(fresh_db, "A")
    assert unit["name"] == "Tên mới"
    assert unit["contact"] is None  # a row describes the unit completely
    assert unit["created_at"] == "2025-01-01T00:00:00+00:00"


def test_upsert_with_bad_rows_writes_nothing_and_names_every_row(fresh_db):
    store.add_unit(fresh_db, "OLD", "Đơn vị cũ")
    rows = [
        {"code": "OK", "name": "Hợp lệ"},              # 2
        {"code": "", "name": "Thiếu mã"},              # 3
        {"code": "N", "name": None},                   # 4
        {"code": "OK", "name": "Trùng"},               # 5
        {"code": "C", "name": "Con", "parent": "MISSING"},  # 6
        {"code": "L1", "name": "Vòng 1", "parent": "L2"},   # 7
        {"code": "L2", "name": "Vòng 2", "parent": "L1"},   # 8
        {"code": "S", "name": "Tự trỏ", "parent": "S"},     # 9
    ]
    with pytest.raises(store.StoreError) as info:
        store.upsert_units(fresh_db, rows, first_row=2)
    assert info.value.errors == [
        "Dòng 3: thiếu mã đơn vị.",
        "Dòng 4: thiếu tên đơn vị.",
        "Dòng 5: mã đơn vị 'OK' trùng với dòng 2.",
        "Dòng 6: đơn vị cấp trên 'MISSING' không có trong danh sách và chưa có trong hệ thống.",
        "Dòng 7: quan hệ cấp trên tạo thành vòng lặp: L1 → L2 → L1.",
        "Dòng 9: đơn vị 'S' không thể là cấp trên của chính nó.",
    ]
    assert str(info.value).startswith("Danh sách đơn vị có lỗi, chưa ghi đơn vị nào:")
    assert [u["code"] for u in store.list_units(fresh_db)] == ["OLD"]  # "OK" not written either


def test_upsert_detects_cycle_through_existing_units(fresh_db):
    store.upsert_units(fresh_db, [{"code": "T", "name": "Tỉnh"},
                                  {"code": "X", "name": "Xã", "parent": "T"}])
    with pytest.raises(store.StoreError, match="vòng lặp: T → X → T"):
        store.upsert_units(fresh_db, [{"code": "T", "name": "Tỉnh", "parent": "X"}])
    assert store.get_unit(fresh_db, "T")["parent"] is None
