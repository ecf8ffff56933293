"""The identity sheet and its seal as templates already handed out carry them.

A template sealed by an earlier release must still verify after an upgrade, so the seal's
payload — the layout, then the identity fields in their shipped order, then the outline's keys —
is written out here by hand and the HMAC computed with hashlib, not with the code under test.
The identity is read back field by field from what a spreadsheet program leaves in the cells.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from forms.excel.identity import Identity, TemplateKey, outline_keys
from forms.loader import load_outline

KEY = TemplateKey(installation="cai-dat-thu", secret=b"bi-mat-thu-nghiem-32-byte-------")

OUTLINE = """\
id: dau-an
version: 3
title: Thử dấu niêm phong
items:
  - {type: integer, name: so_ho_so, number: "1.", label: Số hồ sơ}
  - type: table
    name: bang
    number: "2."
    label: Bảng
    columns:
      - {name: ten, type: text, label: Tên}
      - {name: so, type: integer, label: Số}
"""

IDENTITY = Identity(outline_id="dau-an", outline_version=3, round_id=12,
                    round_title="Đợt quý I", unit_code="VP", unit_name="Văn phòng")


def test_the_seal_is_the_hmac_of_the_layout_the_fields_in_shipped_order_and_the_keys() -> None:
    outline = load_outline(OUTLINE)
    assert outline_keys(outline) == ["so_ho_so", "bang", "bang.ten", "bang.so"]
    payload = ["decuong-xlsx/2", "dau-an", 3, 12, "Đợt quý I", "VP", "Văn phòng", "cai-dat-thu",
               ["so_ho_so", "bang", "bang.ten", "bang.so"]]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    by_hand = hmac.new(KEY.secret, text.encode("utf-8"), hashlib.sha256).hexdigest()

    sealed = IDENTITY.sealed(outline, KEY)

    assert sealed.installation == "cai-dat-thu"
    assert sealed.checksum == by_hand
    assert sealed.matches(outline, KEY)


def test_the_identity_sheet_lists_the_fields_in_shipped_order_the_seal_last() -> None:
    sealed = Identity(outline_id="dau-an", outline_version=3, round_id=None, round_title=None,
                      unit_code="VP", unit_name=None, checksum="ab12", installation="cai-dat")
    assert sealed.rows() == [
        ("layout", "decuong-xlsx/2"), ("outline_id", "dau-an"), ("outline_version", "3"),
        ("round_id", ""), ("round_title", ""), ("unit_code", "VP"), ("unit_name", ""),
        ("installation", "cai-dat"), ("checksum", "ab12")]


def test_the_identity_is_read_back_from_what_a_spreadsheet_leaves_in_the_cells() -> None:
    rows = [("layout", "decuong-xlsx/2"), ("outline_id", " dau-an "), ("outline_version", 3.0),
            ("round_id", 12.0), ("round_title", "Đợt quý I"), ("unit_code", "VP"),
            ("unit_name", ""), ("installation", "cai-dat"), ("checksum", "ab12"),
            (None, "a stray cell"), ("", "another")]
    assert Identity.from_rows(rows) == Identity(
        outline_id="dau-an", outline_version=3, round_id=12, round_title="Đợt quý I",
        unit_code="VP", unit_name=None, checksum="ab12", installation="cai-dat")


def test_a_generic_template_has_no_round_and_no_unit() -> None:
    rows = [("layout", "decuong-xlsx/2"), ("outline_id", "dau-an"), ("outline_version", "3"),
            ("round_id", ""), ("unit_code", None)]
    read = Identity.from_rows(rows)
    assert (read.round_id, read.round_title, read.unit_code, read.unit_name, read.checksum,
            read.installation) == (None, None, None, None, None, None)


@pytest.mark.parametrize(("change", "named"), [
    ({"outline_id": ""}, "outline_id"),
    ({"outline_version": ""}, "outline_version"),
    ({"outline_version": "ba"}, "outline_version"),
    ({"round_id": "mười hai"}, "round_id"),
])
def test_a_field_that_cannot_be_read_is_named(change: dict[str, str], named: str) -> None:
    rows = {"layout": "decuong-xlsx/2", "outline_id": "dau-an", "outline_version": "3",
            "round_id": "12", **change}
    with pytest.raises(ValueError) as refused:
        Identity.from_rows(rows.items())
    assert str(refused.value) == named
