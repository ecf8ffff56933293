"""Outlines in the browser: upload (YAML or workbook) → the checker's report or a preview →
confirm → a round opened with it from the create-round form; an edit of a kept version becomes
the next version while old rounds keep theirs; downloads; access and CSRF."""

from __future__ import annotations

import html
import io
import re
import time
from typing import Any

import openpyxl
import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from web_helpers import (
    COORDINATOR,
    EXAMPLE_OUTLINE,
    UNIT_A,
    USER_A,
    as_user,
    create_test_app,
    text,
)

import store
from forms import check_outline, load_outline
from forms.spreadsheet import import_workbook

BASE = "/coordinator/outlines/"

NEW_OUTLINE = """\
id: thu-tai-len
version: 1
title: Đề cương tải lên <thử> & kiểm tra
items:
  - type: section
    number: I.
    label: KẾT QUẢ GIẢI QUYẾT HỒ SƠ
    items:
      - {type: integer, name: hs_nhan, number: "1.", label: Tổng số hồ sơ tiếp nhận,
         unit: hồ sơ, required: true}
      - {type: integer, name: hs_dung_han, number: "2.", label: Số hồ sơ giải quyết đúng hạn,
         unit: hồ sơ}
      - {type: percent, name: hs_ty_le, number: "3.", label: Tỷ lệ giải quyết đúng hạn,
         calculation: hs_dung_han / hs_nhan * 100, target: ">= 95"}
      - {type: long_text, name: danh_gia, number: "4.", label: Đánh giá chung}
rules:
  - name: dung_han_le_nhan
    constraint: hs_dung_han <= hs_nhan
    message: Số hồ sơ đúng hạn không được lớn hơn số hồ sơ tiếp nhận.
"""

BROKEN_OUTLINE = """\
id: thu-hong
version: 1
title: Đề cương có lỗi
items:
  - {type: interger, name: a, number: "1.", label: Mục A}
  - {type: integer, name: a, number: "2.", label: Mục A lặp tên}
  - {type: percent, name: c, number: "3.", label: Tỷ lệ, calculation: a / khong_co * 100}
  - {type: integer, name: d, number: "4.", label: Mục D, target: "khoảng 5"}
"""


def coordinator(client: FlaskClient) -> FlaskClient:
    return as_user(client, COORDINATOR)


def upload(client: FlaskClient, data: bytes | str, name: str, **kw: Any) -> Any:
    content = data.encode("utf-8") if isinstance(data, str) else data
    return client.post(BASE + "upload", data={"file": (io.BytesIO(content), name), **kw},
                       content_type="multipart/form-data")


def confirm_form(page: str) -> dict[str, str]:
    """The confirm form's fields as a browser would post them (the textarea's first line break
    is dropped by the HTML parser; hidden inputs as they are)."""
    form = page[page.index('action="/coordinator/outlines/confirm"'):]
    form = form[:form.index("</form>")]
    fields = {name: html.unescape(value) for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)}
    textarea = re.search(r"<textarea name=\"text\"[^>]*>\n?(.*?)</textarea>", form, re.S)
    assert textarea is not None
    fields["text"] = html.unescape(textarea[1]).replace("\n", "\r\n")  # as browsers post it
    return fields


def kept_ids(db: Any) -> list[tuple[str, int]]:
    return [(r["id"], r["version"]) for r in store.list_outlines(db)]


def open_round(client: FlaskClient, value: str, title: str) -> Any:
    return client.post("/coordinator/rounds/new", data={
        "outline": value, "title": title, "period_start": "01/07/2025", "period_end": "",
        "period_label": "6 tháng cuối năm 2025", "deadline": "31/12/2099", "units": [UNIT_A]})


# --- access --------------------------------------------------------------------------------


def test_only_coordinators_reach_outlines(client, demo):
    paths = [BASE, f"{BASE}vi-du-web/1", f"{BASE}vi-du-web/1.yaml", f"{BASE}vi-du-web/1.xlsx"]
    for path in paths:
        response = as_user(client, None).get(path)
        assert response.status_code == 302 and "/auth/login" in response.location
        assert as_user(client, USER_A).get(path).status_code == 404
    assert upload(as_user(client, USER_A), NEW_OUTLINE, "a.yaml").status_code == 404
    assert as_user(client, USER_A).post(BASE + "confirm", data={"text": NEW_OUTLINE}
                                        ).status_code == 404
    assert "Đề cương</a>" not in text(as_user(client, USER_A).get("/unit/"))


def test_list_shows_shipped_and_kept_versions_with_counts(client, demo):
    page = text(coordinator(client).get(BASE))
    assert 'href="/coordinator/outlines/"' in page  # the nav link
    example = load_outline(EXAMPLE_OUTLINE)
    row = re.search(r'<tr data-outline="vi-du-web" data-version="1">(.*?)</tr>', page, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num"[^>]*>(?:<a [^>]*>)?(\d+)', row[1])
    assert cells == ["1", str(len(example.fields())), "1"]  # version, items, rounds using it
    assert "Đề cương thử nghiệm" in page and "đã lưu" in row[1]
    assert 'data-outline="lai-chau-kiem-tra-cchc-2025"' in page  # shipped, not yet kept
    assert "tệp có sẵn lai-chau-kiem-tra-cchc-2025.yaml" in page
    assert "/coordinator/rounds/new?outline=vi-du-web:1" in page
    shipped = text(client.get(f"{BASE}lai-chau-kiem-tra-cchc-2025/2"))
    assert "Tệp có sẵn lai-chau-kiem-tra-cchc-2025.yaml" in shipped
    assert "/coordinator/rounds/new?outline=lai-chau-kiem-tra-cchc-2025:2" in shipped
    assert client.get(f"{BASE}vi-du-web/9").status_code == 404


# --- YAML: clean → preview → confirm → round ----------------------------------------------


def test_yaml_upload_preview_confirm_and_open_a_round(client, db, demo):
    before = kept_ids(db)
    preview = coordinator(client).post(
        BASE + "upload", data={"file": (io.BytesIO(NEW_OUTLINE.encode()), "thu.yaml")},
        content_type="multipart/form-data")
    page = text(preview)
    assert preview.status_code == 200
    assert kept_ids(db) == before  # nothing stored before the confirmation
    for shown in ("I.", "KẾT QUẢ GIẢI QUYẾT HỒ SƠ", "Tổng số hồ sơ tiếp nhận", "(hồ sơ)",
                  "số nguyên", "tỷ lệ %", "đoạn văn", "hs_dung_han / hs_nhan * 100", "≥ 95",
                  "Số hồ sơ đúng hạn không được lớn hơn số hồ sơ tiếp nhận.", "Đề cương mới"):
        assert shown in page, shown
    assert str(escape("Đề cương tải lên <thử> & kiểm tra")) in page
    assert "<thử>" not in page

    saved = client.post(BASE + "confirm", data=confirm_form(page))
    assert saved.status_code == 302 and saved.location.endswith(f"{BASE}thu-tai-len/1")
    assert ("thu-tai-len", 1) in kept_ids(db)
    assert store.outline_text(db, "thu-tai-len", 1) == NEW_OUTLINE
    shown = text(client.get(saved.location))
    assert "Đã lưu đề cương" in shown
    assert "/coordinator/rounds/new?outline=thu-tai-len:1" in shown
    listing = text(client.get(BASE))
    assert 'data-outline="thu-tai-len" data-version="1"' in listing

    form = text(client.get("/coordinator/rounds/new?outline=thu-tai-len:1"))
    assert '<option value="thu-tai-len:1" selected>' in form
    opened = open_round(client, "thu-tai-len:1", "Đợt tải lên thử")
    assert opened.status_code == 302
    round_id = int(opened.location.rstrip("/").rsplit("/", 1)[1])
    assert store.get_round(db, round_id)["outline_id"] == "thu-tai-len"

    home = text(as_user(client, USER_A).get("/unit/"))
    assert "Đợt tải lên thử" in home
    fill = text(client.get(f"/rounds/{round_id}/units/{UNIT_A}/edit"))
    assert "Tổng số hồ sơ tiếp nhận" in fill and "Tỷ lệ giải quyết đúng hạn" in fill


def test_broken_yaml_shows_every_problem_with_its_place_and_stores_nothing(client, db):
    before = kept_ids(db)
    events = len(store.list_events(db))
    response = upload(coordinator(client), BROKEN_OUTLINE, "hong.yaml")
    page = text(response)
    assert response.status_code == 422
    problems = check_outline(BROKEN_OUTLINE, filename="hong.yaml")
    assert len(problems) >= 4
    for problem in problems:
        assert f"hong.yaml:{problem.line}:{problem.column}" in page
        assert str(escape(problem.message)) in page
    assert f"{len(problems)} lỗi" in page
    assert "Có phải ý bạn là &#39;integer&#39;?" in page
    assert "confirm" not in page  # no way to save it
    assert kept_ids(db) == before and len(store.list_events(db)) == events


def test_an_alias_bomb_is_refused_at_its_first_anchor_and_stores_nothing(client, db):
    # 339 bytes, six levels of nine aliases: half a million strings once expanded.
    lines = ["a0: &a0 [" + ", ".join(["x"] * 9) + "]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 7)]
    bomb = "\n".join(lines) + "\n"
    before = kept_ids(db)
    events = len(store.list_events(db))
    start = time.process_time()
    response = upload(coordinator(client), bomb, "bom.yaml")
    assert time.process_time() - start < 1.0
    page = text(response)
    assert response.status_code == 422
    assert "bom.yaml:1:5" in page
    assert str(escape("Tệp đề cương dùng neo YAML ('a0')")) in page
    assert "confirm" not in page
    assert kept_ids(db) == before and len(store.list_events(db)) == events


def test_confirm_checks_the_text_again(client, db):
    before = kept_ids(db)
    response = coordinator(client).post(BASE + "confirm", data={
        "text": BROKEN_OUTLINE, "version": "1", "file_name": "hong.yaml"})
    assert response.status_code == 422 and "hong.yaml:" in text(response)
    assert kept_ids(db) == before


def test_not_utf8_and_too_large_files_are_refused(client, db, demo, tmp_path):
    before = kept_ids(db)
    legacy = "title: Đêm".encode("cp1258")  # an old Windows code page
    response = upload(coordinator(client), legacy, "a.yaml")
    assert response.status_code == 422 and "UTF-8" in text(response)
    small = create_test_app(demo["db_path"], tmp_path, MAX_OUTLINE_MB=0.001)
    big = as_user(small.test_client(), COORDINATOR)
    refused = upload(big, NEW_OUTLINE + "#" * 2000, "to.yaml")
    assert refused.status_code == 302
    assert "quá lớn" in text(big.get(refused.location))
    assert kept_ids(db) == before


# --- a workbook authored with the spreadsheet conventions -----------------------------------


def authored_workbook(*, misspelt: bool = False) -> bytes:
    """A workbook as a coordinator would type it: XLSForm columns plus number, unit, target."""
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "number", "label", "unit", "required", "calculation",
                   "target"])
    rows = [
        ["begin_group", None, "I.", "KẾT QUẢ THỰC HIỆN", None, None, None, None],
        ["integer", "nv_tong", "1.", "Tổng số nhiệm vụ", "nhiệm vụ", "yes", None, None],
        ["interger" if misspelt else "integer", "nv_xong", "2.", "Số nhiệm vụ đã hoàn thành",
         "nhiệm vụ", None, None, None],
        ["percent", "nv_ty_le", "3.", "Tỷ lệ hoàn thành", None, None, "${nv_xong} / nv_tong * 100",
         ">= 90"],
        ["select_one muc_do", "tu_danh_gia", "4.", "Tự đánh giá", None, None, None, None],
        ["end_group", None, None, None, None, None, None, None],
    ]
    for row in rows:
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    choices.append(["muc_do", "tot", "Tốt"])
    choices.append(["muc_do", "kha", "Khá"])
    settings = book.create_sheet("settings")
    settings.append(["id", "version", "title"])
    settings.append(["thu-bang-tinh", 1, "Đề cương soạn bằng bảng tính"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_workbook_outline_runs_a_round_from_the_browser(client, db):
    preview = upload(coordinator(client), authored_workbook(), "de-cuong.xlsx")
    page = text(preview)
    assert preview.status_code == 200, page
    assert "Tổng số nhiệm vụ" in page and "nv_xong / nv_tong * 100" in page and "≥ 90" in page
    assert "Tốt; Khá" in page and "Tệp YAML tạo từ bảng tính" in page
    saved = client.post(BASE + "confirm", data=confirm_form(page))
    assert saved.status_code == 302
    kept = store.get_outline(db, "thu-bang-tinh", 1)
    target = kept.item("nv_ty_le").target
    assert (target.op, target.constant()) == (">=", 90)
    opened = open_round(client, "thu-bang-tinh:1", "Đợt từ bảng tính")
    assert opened.status_code == 302
    round_id = int(opened.location.rstrip("/").rsplit("/", 1)[1])
    assert store.outline_for_round(db, round_id).id == "thu-bang-tinh"
    assert "Đợt từ bảng tính" in text(as_user(client, USER_A).get("/unit/"))


def test_workbook_problems_are_shown_by_sheet_and_cell(client, db):
    before = kept_ids(db)
    response = upload(coordinator(client), authored_workbook(misspelt=True), "sai.xlsx")
    page = text(response)
    assert response.status_code == 422
    _, problems = import_workbook(authored_workbook(misspelt=True))
    assert problems
    for problem in problems:
        assert f"sai.xlsx: {problem.where}" in page
        assert str(escape(problem.message)) in page
    assert "survey!A4" in page
    assert kept_ids(db) == before


# --- editing a kept outline ------------------------------------------------------------------


def test_an_edit_of_a_used_version_becomes_the_next_version(client, db, demo):
    round_id = demo["example_round"]
    edited = EXAMPLE_OUTLINE.replace("Tổng số nhiệm vụ", "Tổng số nhiệm vụ được giao")
    preview = upload(coordinator(client), edited, "vi-du-web.yaml")
    page = text(preview)
    assert "phiên bản 1 đã có với nội dung khác" in page
    assert "phiên bản 2" in page and "vẫn giữ phiên bản cũ" in page
    assert "đang được dùng ở 1 đợt báo cáo" in page
    fields = confirm_form(page)
    assert fields["version"] == "2"
    saved = client.post(BASE + "confirm", data=fields)
    assert saved.location.endswith(f"{BASE}vi-du-web/2")

    new = store.get_outline(db, "vi-du-web", 2)
    assert new.item("nv_tong").label == "Tổng số nhiệm vụ được giao"
    assert store.outline_text(db, "vi-du-web", 2) == edited.replace("version: 1", "version: 2")
    assert store.get_round(db, round_id)["outline_version"] == 1
    assert store.outline_for_round(db, round_id).item("nv_tong").label == "Tổng số nhiệm vụ"

    kept = kept_ids(db)
    again = text(upload(client, edited, "vi-du-web.yaml"))
    assert "Đề cương này đã có" in again and "phiên bản 2" in again
    assert 'action="/coordinator/outlines/confirm"' not in again
    same = text(upload(client, EXAMPLE_OUTLINE, "vi-du-web.yaml"))
    assert "Đề cương này đã có" in same and "phiên bản 1" in same
    assert kept_ids(db) == kept

    page = text(client.get(f"{BASE}vi-du-web/2"))
    assert "Các phiên bản" in page and f'href="{BASE}vi-du-web/1"' in page


def test_an_edit_of_a_shipped_file_does_not_shadow_it(client, db):
    from forms.library import find_outline

    outline, path = find_outline("lai-chau-kiem-tra-cchc-2025")
    source = path.read_text(encoding="utf-8")
    edited = source.replace(outline.title, outline.title + " (sửa)", 1)
    assert edited != source
    page = text(upload(coordinator(client), edited, "lai-chau.yaml"))
    fields = confirm_form(page)
    assert fields["version"] == str(outline.version + 1)
    client.post(BASE + "confirm", data=fields)
    assert store.get_outline(db, outline.id, outline.version + 1).title.endswith("(sửa)")
    form = text(client.get("/coordinator/rounds/new"))
    assert f'value="{outline.id}:{outline.version}"' in form  # the shipped one still offered
    assert f'value="{outline.id}:{outline.version + 1}"' in form


# --- downloads -------------------------------------------------------------------------------


def test_every_version_downloads_as_yaml_and_as_workbook(client, db):
    coordinator(client)
    yaml_file = client.get(f"{BASE}vi-du-web/1.yaml")
    assert yaml_file.status_code == 200
    assert "vi-du-web-v1.yaml" in yaml_file.headers["Content-Disposition"]
    # Vietnamese text: the charset is said, not left for the browser to guess.
    assert yaml_file.headers["Content-Type"] == "application/yaml; charset=utf-8"
    assert text(yaml_file) == store.outline_text(db, "vi-du-web", 1)
    book = client.get(f"{BASE}vi-du-web/1.xlsx")
    assert book.status_code == 200 and book.data.startswith(b"PK")
    yaml_text, problems = import_workbook(book.data)
    assert problems == []
    assert load_outline(yaml_text).as_dict() == store.get_outline(db, "vi-du-web", 1).as_dict()
    shipped = client.get(f"{BASE}lai-chau-kiem-tra-cchc-2025/2.xlsx")
    assert shipped.status_code == 200
    assert client.get(f"{BASE}khong-co/1.yaml").status_code == 404


# --- CSRF ------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(demo, tmp_path) -> FlaskClient:
    app = create_test_app(demo["db_path"], tmp_path, WTF_CSRF_ENABLED=True)
    return as_user(app.test_client(), COORDINATOR)


def test_upload_and_confirm_need_the_csrf_token(csrf_client, db):
    before = kept_ids(db)
    refused = upload(csrf_client, NEW_OUTLINE, "thu.yaml")
    assert refused.status_code == 400
    assert csrf_client.post(BASE + "confirm", data={"text": NEW_OUTLINE}).status_code == 400
    assert kept_ids(db) == before
    token = re.search(r'name="csrf_token" value="([^"]+)"', text(csrf_client.get(BASE)))
    assert token is not None
    preview = upload(csrf_client, NEW_OUTLINE, "thu.yaml", csrf_token=token[1])
    assert preview.status_code == 200
    saved = csrf_client.post(BASE + "confirm", data=confirm_form(text(preview)))
    assert saved.status_code == 302 and ("thu-tai-len", 1) in kept_ids(db)


# --- the store's versioning helpers the upload relies on -------------------------------------


def test_with_version_rewrites_only_the_top_level_version():
    source = (
        "id: thu-phien-ban\n"
        "note: |\n  version: 5\n"
        "version: 3   # tăng khi sửa\n"
        "title: 'Tiêu đề có version: 9'\n"
        "items:\n  - {type: text, name: a, label: Mục A, hint: \"version: 1\"}\n")
    rewritten = store.with_version(source, 4)
    assert rewritten == source.replace("version: 3   #", "version: 4   #")
    flow = '{id: thu-dong, version: 2, title: T, items: [{type: text, name: a, label: A}]}\n'
    assert store.with_version(flow, 10) == flow.replace("version: 2", "version: 10")
    with pytest.raises(ValueError):
        store.with_version(source, 0)


def test_register_can_keep_an_edit_as_the_next_version(db):
    edited = EXAMPLE_OUTLINE.replace("Tổng số nhiệm vụ", "Tổng số nhiệm vụ (sửa)")
    with pytest.raises(store.Conflict):
        store.register_outline(db, edited)
    kept = store.register_outline(db, edited, bump_version=True, actor="test")
    assert kept.version == 2 and store.next_version(db, "vi-du-web") == 3
    assert store.next_version(db, "vi-du-web", at_least=7) == 7
    assert store.next_version(db, "chua-co") == 1
    assert store.register_outline(db, EXAMPLE_OUTLINE, bump_version=True).version == 1
    assert [v for i, v in kept_ids(db) if i == "vi-du-web"] == [2, 1]


def test_a_shipped_outline_downloaded_as_a_workbook_and_uploaded_unchanged_is_not_new(client, db):
    coordinator(client)
    book = client.get(f"{BASE}cam-giang-cchc-2025/1.xlsx")
    assert book.status_code == 200
    before = kept_ids(db)
    page = text(upload(client, book.data, "cam-giang-cchc-2025-v1.xlsx"))
    assert "Đề cương này đã có" in page and "phiên bản 1" in page
    assert 'action="/coordinator/outlines/confirm"' not in page
    assert kept_ids(db) == before
