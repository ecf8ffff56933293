"""Shared pieces of the web tests: the demo database with an example round, the test app,
and a fast login. A plain module (not conftest) so test files can import it by a unique name."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

import store
from store.demo import ACCOUNTS, create_demo

#: A small outline with every kind the Cẩm Giang outline lacks: a formula, a table, choices,
#: and one item asking for tài liệu kiểm chứng (`evidence: true`).
EXAMPLE_OUTLINE = """\
id: vi-du-web
version: 1
title: Đề cương thử nghiệm
choices:
  muc_do:
    - {name: tot, label: Tốt}
    - {name: kha, label: Khá}
items:
  - type: section
    number: I.
    label: KẾT QUẢ
    items:
      - {type: integer, name: nv_tong, number: "1.", label: Tổng số nhiệm vụ, unit: nhiệm vụ,
         required: true, evidence: true}
      - {type: integer, name: nv_xong, number: "2.", label: Số nhiệm vụ đã hoàn thành,
         unit: nhiệm vụ}
      - {type: percent, name: nv_ty_le, number: "3.", label: Tỷ lệ hoàn thành,
         calculation: nv_xong / nv_tong * 100, target: ">= 100"}
      - {type: text, name: dau_moi, number: "4.", label: Công chức đầu mối}
      - {type: yes_no, name: co_quy_che, number: "5.", label: Đã ban hành Quy chế}
      - {type: select_one, name: tu_danh_gia, number: "6.", label: Tự đánh giá, choices: muc_do}
      - {type: date, name: ngay_ke_hoach, number: "7.", label: Ngày ban hành kế hoạch}
      - type: table
        name: sang_kien
        number: "8."
        label: Những sáng kiến
        max_rows: 20
        columns:
          - {type: text, name: ten, label: Tên sáng kiến, required: true}
          - {type: date, name: ngay, label: Ngày áp dụng}
rules:
  - name: nv_xong_le_tong
    constraint: nv_xong <= nv_tong
    message: Số nhiệm vụ đã hoàn thành không được lớn hơn tổng số nhiệm vụ.
  - name: nv_xong_it
    constraint: nv_xong >= 1
    message: Chưa hoàn thành nhiệm vụ nào — hãy kiểm tra lại.
    severity: warning
"""

PASSWORDS = {a["username"]: a["password"] for a in ACCOUNTS}
UNIT_A, UNIT_B = "VHXH", "KT"
USER_A, USER_B, COORDINATOR = "vhxh", "kt", "daumoi"
FAR_DEADLINE = date(2099, 12, 31)


def build_demo_db(path: Path) -> dict[str, Any]:
    """The demo plus a second round of EXAMPLE_OUTLINE expecting the same units."""
    db = store.open_db(path)
    try:
        demo = create_demo(db)
        outline = store.register_outline(db, EXAMPLE_OUTLINE, actor="test")
        demo["example_round"] = store.create_round(
            db, outline_id=outline.id, outline_version=outline.version,
            title="Đợt thử nghiệm", period_start="2025-07-01", period_end=None,
            period_label="6 tháng cuối năm", deadline=store.deadline_end_of_day(FAR_DEADLINE),
            units=demo["units"], created_by="test")
    finally:
        db.close()
    return demo


def create_test_app(db_path: Path, tmp_path: Path, **config: Any) -> Flask:
    from webapp import create_app

    settings = {"TESTING": True, "DATABASE": str(db_path), "SECRET_KEY": "test-secret",
                "WTF_CSRF_ENABLED": False, "KEEP_DB_CONNECTIONS": False, **config}
    app = create_app(settings)
    app.instance_path = str(tmp_path / "instance")
    return app


def as_user(client: FlaskClient, username: str | None) -> FlaskClient:
    """Log in by starting a server-side session directly (fast: skips password hashing and
    the login throttle); None logs out."""
    token = None
    if username is not None:
        db = store.open_db(client.application.config["DATABASE"])
        try:
            token = store.start_session(db, username)
        finally:
            db.close()
    with client.session_transaction() as session:
        session.clear()
        if token is not None:
            session["sid"] = token
    return client


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def fill(data: bytes, typed: dict[str, Any]) -> bytes:
    """Type values into a template as a person would, by the row of each item's hidden key
    (with openpyxl a formula is saved without its result, as a script would save it)."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Báo cáo"]
    rows = {sheet.cell(row, 1).value: row for row in range(1, sheet.max_row + 1)}
    for key, value in typed.items():
        sheet.cell(rows[key], 4).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
