"""E-mail reminders against a real SMTP server (aiosmtpd on 127.0.0.1): who gets a message,
what it says (decoded Vietnamese subject and body, the link to the unit's fill page), the audit
rows and the board's «đã nhắc … lần», per-unit failures (a refused recipient, nothing
listening), STARTTLS with a login, and the board's confirmation page."""

from __future__ import annotations

from typing import Any

import pytest
from flask import url_for
from smtp_helpers import free_port, password_checker, self_signed, server_tls, smtp_server
from web_helpers import COORDINATOR, text

import store
from webapp.reminders.message import fill_path
from webapp.reminders.run import remind_round
from webapp.reminders.settings import smtp_settings

BASE = "https://baocao.camgiang.example.vn"
ADDRESSES = {"VHXH": "vhxh@camgiang.example.vn", "KT": "kinhte@camgiang.example.vn",
             "VP": "vanphong@camgiang.example.vn"}  # TTPVHCC has none; VP has submitted


def _give_addresses(db: Any) -> None:
    for code, address in ADDRESSES.items():
        unit = store.get_unit(db, code)
        store.upsert_units(db, [{**unit, "email": address}], actor="test")


def _env(monkeypatch: pytest.MonkeyPatch, port: int, **more: str) -> None:
    values = {"DECUONG_SMTP_HOST": "127.0.0.1", "DECUONG_SMTP_PORT": str(port),
              "DECUONG_SMTP_SECURITY": "none", "DECUONG_SMTP_FROM": "baocao@camgiang.example.vn",
              "DECUONG_BASE_URL": BASE + "/", **more}
    for key in ("DECUONG_SMTP_USER", "DECUONG_SMTP_PASSWORD"):
        monkeypatch.delenv(key, raising=False)
    for key, value in values.items():
        monkeypatch.setenv(key, value)


def _events(db: Any, round_id: int, action: str) -> dict[str, dict[str, Any]]:
    return {e["unit_code"]: e for e in store.list_events(db, round_id=round_id, action=action)}


def test_each_unit_not_submitted_receives_a_vietnamese_reminder_with_its_link(
        demo, db, monkeypatch):
    _give_addresses(db)
    round_id = demo["round"]
    title = store.get_round(db, round_id)["title"]
    with smtp_server() as inbox:
        _env(monkeypatch, inbox.port)
        result = remind_round(db, round_id, settings=smtp_settings(), base_url=BASE,
                              actor=COORDINATOR)
    # VP submitted (the demo's sample): nothing to it. TTPVHCC has no address: listed as such.
    assert sorted(r.rcpt_tos[0] for r in inbox.received) == [
        "kinhte@camgiang.example.vn", "vhxh@camgiang.example.vn"]
    assert inbox.to("vanphong@camgiang.example.vn") == []
    assert {u.unit: u.status for u in result.units} == {
        "VHXH": "sent", "KT": "sent", "TTPVHCC": "no_email"}
    assert result.submitted == 1
    message = inbox.to("vhxh@camgiang.example.vn")[0]
    assert message["Subject"].startswith(f"Nhắc nộp báo cáo: {title} (hạn ")
    assert message["To"].addresses[0].display_name == "Phòng Văn hóa - Xã hội"
    assert message["From"].addresses[0].addr_spec == "baocao@camgiang.example.vn"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert "Kính gửi: Phòng Văn hóa - Xã hội (VHXH)," in body
    assert f"đơn vị chưa nộp báo cáo «{title}»" in body
    deadline = store.get_round(db, round_id)["deadline"]
    from webapp.display import vn_date
    assert f"Hạn nộp: 23:59 ngày {vn_date(deadline)} (còn " in body
    assert f"{BASE}/rounds/{round_id}/units/VHXH/edit" in body.splitlines()
    # The raw message is 7-bit clean (encoded words, quoted-printable) for any mail server.
    assert all(b < 128 for b in message.as_bytes())
    sent = _events(db, round_id, "reminder.sent")
    assert set(sent) == {"VHXH", "KT"}
    assert sent["KT"]["actor"] == COORDINATOR
    assert sent["KT"]["detail"]["to"] == "kinhte@camgiang.example.vn"
    assert _events(db, round_id, "reminder.failed") == {}


def test_a_refused_recipient_fails_that_unit_only(demo, db, monkeypatch):
    _give_addresses(db)
    round_id = demo["round"]
    with smtp_server(refuse={"kinhte@camgiang.example.vn"}) as inbox:
        _env(monkeypatch, inbox.port)
        result = remind_round(db, round_id, settings=smtp_settings(), base_url=BASE,
                              actor=COORDINATOR)
    assert [r.rcpt_tos for r in inbox.received] == [["vhxh@camgiang.example.vn"]]
    outcome = {u.unit: u for u in result.units}
    assert outcome["VHXH"].status == "sent"
    assert outcome["KT"].status == "failed"
    assert "không nhận địa chỉ «kinhte@camgiang.example.vn»" in (outcome["KT"].error or "")
    assert "550" in (outcome["KT"].error or "")
    failed = _events(db, round_id, "reminder.failed")
    assert set(failed) == {"KT"}
    assert "550" in failed["KT"]["detail"]["error"]
    assert set(_events(db, round_id, "reminder.sent")) == {"VHXH"}


def test_nothing_listening_fails_every_unit_with_the_reason(demo, db, monkeypatch):
    _give_addresses(db)
    round_id = demo["round"]
    _env(monkeypatch, free_port())
    result = remind_round(db, round_id, settings=smtp_settings(), base_url=BASE,
                          actor=COORDINATOR)
    outcome = {u.unit: u for u in result.units}
    assert {u: o.status for u, o in outcome.items()} == {
        "VHXH": "failed", "KT": "failed", "TTPVHCC": "no_email"}
    assert outcome["KT"].error is not None
    assert outcome["KT"].error.startswith("Không kết nối được máy chủ thư 127.0.0.1:")
    assert set(_events(db, round_id, "reminder.failed")) == {"VHXH", "KT"}
    assert _events(db, round_id, "reminder.sent") == {}


def test_starttls_with_a_login(demo, db, monkeypatch, tmp_path):
    """STARTTLS required by the server, a certificate made with openssl and trusted through
    SSL_CERT_FILE, and the login from the environment."""
    _give_addresses(db)
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with smtp_server(tls_context=server_tls(cert, key), require_starttls=True,
                     authenticator=password_checker("guithu", "mat-khau-smtp"),
                     auth_require_tls=True) as inbox:
        _env(monkeypatch, inbox.port, DECUONG_SMTP_SECURITY="starttls")
        monkeypatch.setenv("DECUONG_SMTP_USER", "guithu")
        monkeypatch.setenv("DECUONG_SMTP_PASSWORD", "sai-mat-khau")
        refused = remind_round(db, demo["round"], settings=smtp_settings(), base_url=BASE,
                               actor=COORDINATOR)
        monkeypatch.setenv("DECUONG_SMTP_PASSWORD", "mat-khau-smtp")
        result = remind_round(db, demo["round"], settings=smtp_settings(), base_url=BASE,
                              actor=COORDINATOR)
    assert {u.status for u in refused.units if u.email} == {"failed"}
    assert "từ chối đăng nhập" in (refused.units[0].error or "")
    assert {u.unit: u.status for u in result.units if u.email} == {"VHXH": "sent",
                                                                    "KT": "sent"}
    assert len(inbox.received) == 2


def test_fill_path_is_the_fill_page_route(app):
    with app.test_request_context():
        assert fill_path(7, "VHXH") == url_for("unit.fill", round_id=7, code="VHXH")
        for code in ("X Y/Z", "ĐV-1", "a&b;c"):
            assert fill_path(7, code) == url_for("unit.fill", round_id=7, code=code)


def test_board_confirms_then_sends_and_shows_how_often_each_unit_was_reminded(
        demo, db, client, login, monkeypatch):
    _give_addresses(db)
    round_id = demo["round"]
    login(client, COORDINATOR)
    board = text(client.get(f"/coordinator/rounds/{round_id}"))
    assert f'href="/coordinator/rounds/{round_id}/nhac-nho"' in board
    with smtp_server() as inbox:
        _env(monkeypatch, inbox.port)
        page = client.get(f"/coordinator/rounds/{round_id}/nhac-nho")
        assert page.status_code == 200
        confirm = text(page)
        assert "Xác nhận gửi nhắc nhở" in confirm
        assert "vhxh@camgiang.example.vn" in confirm
        assert "chưa có — không gửi được" in confirm  # TTPVHCC
        assert "vanphong@" not in confirm  # VP has submitted
        assert inbox.received == []  # looking at the page sends nothing
        sent = client.post(f"/coordinator/rounds/{round_id}/nhac-nho")
        assert sent.status_code == 200
        client.post(f"/coordinator/rounds/{round_id}/nhac-nho")
    assert len(inbox.received) == 4
    assert '<strong class="n-sent">2</strong>' in text(sent)
    # Links use DECUONG_BASE_URL (its final slash dropped), not the test client's host.
    assert f"{BASE}/rounds/{round_id}/units/KT/edit" in inbox.to(
        "kinhte@camgiang.example.vn")[0].get_content()
    board = text(client.get(f"/coordinator/rounds/{round_id}"))
    last = _events(db, round_id, "reminder.sent")["KT"]["at"]
    from webapp.display import vn_date
    assert board.count(f"đã nhắc 2 lần, lần cuối {vn_date(last)}") == 2


def test_board_without_smtp_settings_says_what_to_set_and_sends_nothing(
        demo, db, client, login, monkeypatch):
    _give_addresses(db)
    for key in ("DECUONG_SMTP_HOST", "DECUONG_SMTP_FROM"):
        monkeypatch.delenv(key, raising=False)
    login(client, COORDINATOR)
    page = text(client.get(f"/coordinator/rounds/{demo['round']}/nhac-nho"))
    assert "chưa có máy chủ thư (DECUONG_SMTP_HOST hoặc --smtp-host)" in page
    assert "Xác nhận gửi nhắc nhở" not in page
    response = client.post(f"/coordinator/rounds/{demo['round']}/nhac-nho")
    assert response.status_code == 422
    assert store.list_events(db, round_id=demo["round"], action="reminder.sent") == []


def test_a_closed_round_is_not_reminded(demo, db, client, login, monkeypatch):
    store.set_round_status(db, demo["round"], "closed", actor="test")
    login(client, COORDINATOR)
    response = client.post(f"/coordinator/rounds/{demo['round']}/nhac-nho")
    assert response.status_code == 409
    assert "đã đóng nên không gửi nhắc nhở" in text(response)
    assert client.get("/coordinator/rounds/999999/nhac-nho").status_code == 404


def test_unit_form_takes_an_address_and_refuses_a_bad_one(demo, db, client, login):
    login(client, COORDINATOR)
    bad = client.post("/coordinator/units/new", data={
        "code": "TP", "name": "Phòng Tư pháp", "email": "tuphap.gov.vn"})
    assert bad.status_code == 422
    assert "Thư điện tử: «tuphap.gov.vn» thiếu phần tên trước dấu @." in text(bad)
    assert 'value="tuphap.gov.vn"' in text(bad)  # what was typed is kept in the form
    with pytest.raises(store.UnitNotFound):
        store.get_unit(db, "TP")
    client.post("/coordinator/units/new", data={
        "code": "TP", "name": "Phòng Tư pháp", "email": "tuphap@camgiang.gov.vn"})
    assert store.get_unit(db, "TP")["email"] == "tuphap@camgiang.gov.vn"
    edited = client.post("/coordinator/units/KT/edit", data={
        "name": "Phòng Kinh tế", "email": "kt@"})
    assert edited.status_code == 422
    assert "tên miền sau dấu @ không hợp lệ" in text(edited)
    client.post("/coordinator/units/KT/edit", data={
        "name": "Phòng Kinh tế", "email": "kt@camgiang.gov.vn"})
    assert store.get_unit(db, "KT")["email"] == "kt@camgiang.gov.vn"
    assert "kt@camgiang.gov.vn" in text(client.get("/coordinator/units/"))


def test_an_overdue_round_says_how_late_and_a_returned_report_where_the_comments_are(
        demo, db, monkeypatch):
    """Subject and body for a round 5 days past its deadline: VHXH's report was returned, KT
    has a draft; both are reminded, each with its own situation."""
    from datetime import datetime, timedelta

    from store.rounds import VIETNAM
    _give_addresses(db)
    outline = store.get_round(db, demo["round"])
    past = datetime.now(VIETNAM).date() - timedelta(days=5)
    round_id = store.create_round(
        db, outline_id=outline["outline_id"], outline_version=outline["outline_version"],
        title="Báo cáo quý III", period_start=None, period_end=None, period_label=None,
        deadline=store.deadline_end_of_day(past), units=["VHXH", "KT"], created_by="test")
    store.save_revision(db, round_id=round_id, unit_code="VHXH", values={}, status="submitted",
                        channel="web", actor="vhxh")
    store.set_status(db, round_id, "VHXH", "returned", COORDINATOR, comment="Thiếu số liệu.")
    store.save_revision(db, round_id=round_id, unit_code="KT", values={}, status="draft",
                        channel="web", actor="kt")
    with smtp_server() as inbox:
        _env(monkeypatch, inbox.port)
        remind_round(db, round_id, settings=smtp_settings(), base_url=BASE, actor=COORDINATOR)
    returned = inbox.to("vhxh@camgiang.example.vn")[0]
    draft = inbox.to("kinhte@camgiang.example.vn")[0]
    assert returned["Subject"] == "Nhắc nộp báo cáo: Báo cáo quý III (đã quá hạn 5 ngày)"
    assert f"Hạn nộp: 23:59 ngày {past:%d/%m/%Y} (quá hạn 5 ngày)." in returned.get_content()
    assert ("báo cáo của đơn vị đã được trả lại để chỉnh sửa và chưa nộp lại «Báo cáo quý III»"
            in returned.get_content())
    assert "Ý kiến của bộ phận tổng hợp có ở trang báo cáo" in returned.get_content()
    assert "báo cáo của đơn vị mới lưu nháp, chưa nộp «Báo cáo quý III»" in draft.get_content()
    assert "Ý kiến của bộ phận tổng hợp" not in draft.get_content()


def test_a_unit_list_in_excel_with_an_address_column_is_imported(demo, db, client, login):
    """An .xlsx written with openpyxl, as a coordinator's spreadsheet would be, uploaded on the
    units page: the Vietnamese header «Thư điện tử» is read, a bad address names its row."""
    import io

    import openpyxl

    def workbook(rows: list[tuple[str, str, str]]) -> bytes:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(("Mã", "Tên", "Thư điện tử"))
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    login(client, COORDINATOR)
    bad = client.post("/coordinator/units/import", data={"file": (io.BytesIO(workbook([
        ("KT", "Phòng Kinh tế", "kt@camgiang.gov.vn"), ("VP", "Văn phòng", "vp@")])),
        "don-vi.xlsx")}, content_type="multipart/form-data")
    assert bad.status_code == 422
    assert "Dòng 3: cột «thư điện tử»: «vp@»: tên miền sau dấu @ không hợp lệ." in text(bad)
    assert store.get_unit(db, "KT")["email"] is None
    good = client.post("/coordinator/units/import", data={"file": (io.BytesIO(workbook([
        ("KT", "Phòng Kinh tế", "kt@camgiang.gov.vn")])), "don-vi.xlsx")},
        content_type="multipart/form-data")
    assert good.status_code == 302
    assert store.get_unit(db, "KT")["email"] == "kt@camgiang.gov.vn"
