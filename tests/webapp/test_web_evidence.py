"""Tài liệu kiểm chứng: a unit attaches PDF or images to an item; only it and coordinators
read them."""

from __future__ import annotations

import io

from web_helpers import USER_A, USER_B, as_user, text

import store

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def fill_url(demo, unit):
    return f"/rounds/{demo['round']}/units/{unit}/edit"


def test_unit_attaches_evidence_and_downloads_it(client, demo, db):
    as_user(client, USER_A)
    assert 'name="evidence-nv_tong"' in text(client.get(fill_url(demo, "VHXH")))
    response = client.post(fill_url(demo, "VHXH"), data={
        "action": "draft", "nv_tong": "3",
        "evidence-nv_tong": (io.BytesIO(PDF), "Biên bản kiểm tra.pdf"),
    }, content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    [meta] = store.list_attachments(db, demo["round"], "VHXH")
    assert (meta["item_key"], meta["file_name"], meta["media_type"]) == (
        "nv_tong", "Biên bản kiểm tra.pdf", "application/pdf")
    url = f"/rounds/{demo['round']}/units/VHXH/files/{meta['id']}"
    download = client.get(url)
    assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    assert as_user(client, USER_B).get(url).status_code == 404
    assert as_user(client, "daumoi").get(url).data == PDF


def test_a_file_that_is_not_pdf_or_image_is_refused_and_nothing_kept(client, demo, db):
    as_user(client, USER_A)
    response = client.post(fill_url(demo, "VHXH"), data={
        "action": "draft", "nv_tong": "3",
        "evidence-nv_tong": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "bao-cao.pdf"),
    }, content_type="multipart/form-data", follow_redirects=True)
    assert "không phải PDF, JPEG hay PNG" in text(response)
    assert store.list_attachments(db, demo["round"], "VHXH") == []
