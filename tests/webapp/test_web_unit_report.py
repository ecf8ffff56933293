""""Tải báo cáo (.docx)" on a report page: the unit's own report as an official document, for
the unit itself and the coordinator; another unit's URL is a 404."""

from __future__ import annotations

import io

import docx
from test_web_fill import VALID
from web_helpers import COORDINATOR, UNIT_A, UNIT_B, USER_A, USER_B, as_user, text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def submit(client, demo):
    as_user(client, USER_A)
    response = client.post(f"/rounds/{demo['round']}/units/{UNIT_A}/edit",
                           data={**VALID, "action": "submit"})
    assert response.status_code == 302, text(response)


def test_the_unit_downloads_its_own_report(client, demo):
    submit(client, demo)
    page = text(client.get(f"/rounds/{demo['round']}/units/{UNIT_A}/"))
    assert "Tải báo cáo (.docx)" in page
    url = f"/rounds/{demo['round']}/units/{UNIT_A}/bao-cao.docx"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert "Phòng Văn hóa - Xã hội" in response.headers["Content-Disposition"] \
        or "Ph%C3%B2ng" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    doc = docx.Document(io.BytesIO(response.data))
    left = [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left == ["UBND XÃ CẨM GIANG", "PHÒNG VĂN HÓA - XÃ HỘI"]
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "- Tổng số hồ sơ TTHC tiếp nhận: 1.234 hồ sơ" in body


def test_the_coordinator_gets_it_and_another_unit_does_not(client, demo):
    submit(client, demo)
    url = f"/rounds/{demo['round']}/units/{UNIT_A}/bao-cao.docx"
    as_user(client, COORDINATOR)
    assert "Tải báo cáo (.docx)" in text(client.get(f"/rounds/{demo['round']}/units/{UNIT_A}/"))
    assert client.get(url).status_code == 200
    as_user(client, USER_B)
    assert client.get(url).status_code == 404


def test_no_report_saved_yet_is_a_404_and_no_button(client, demo):
    as_user(client, USER_B)
    page = text(client.get(f"/rounds/{demo['round']}/units/{UNIT_B}/"))
    assert "Tải báo cáo (.docx)" not in page
    assert client.get(f"/rounds/{demo['round']}/units/{UNIT_B}/bao-cao.docx").status_code \
        == 404
