"""Hostile posts to the fill page, as unit A, through the whole web app (form parsing, the view,
the engine, the store): each answered with a clear Vietnamese message — never a 500 — and,
unless the post is valid, nothing stored or changed (every row of every table compared).

A draft whose only problems are unreadable values is not refused: every readable value is
stored as a new revision and each unreadable one is kept exactly as typed beside it, shown back
in its field with the engine's message (nothing the unit typed is lost). Input that fits no
field of the form (unknown rows, files in text fields, too many rows) is still refused whole.

The form is the example outline of the web tests (integer with a formula, text, yes/no, choice,
date and a table of at most 20 rows). Posts are multipart/form-data, as the fill page sends
them, unless a case says otherwise.
"""

from __future__ import annotations

import html
import io
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rel_web import UNIT_A, USER_A, as_user, build_demo_db, create_test_app, text
from rel_world import dump

import store

Body = dict[str, Any] | bytes


@dataclass
class Case:
    id: str
    body: Body | Callable[[], Body]
    status: int
    says: tuple[str, ...]
    stored: bool = False  # a valid post: a new revision, checked by `check`
    content_type: str = "multipart/form-data"
    config: dict[str, Any] = field(default_factory=dict)
    check: Callable[[dict[str, Any]], None] | None = None
    kept: tuple[str, ...] = ()  # a draft's unreadable items, kept as typed beside the revision


def raw_multipart(fields: list[tuple[bytes, bytes]]) -> bytes:
    boundary = b"ranhgioi"
    out = b""
    for name, value in fields:
        out += (b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + name
                + b'"\r\n\r\n' + value + b"\r\n")
    return out + b"--" + boundary + b"--\r\n"


MULTIPART_RAW = "multipart/form-data; boundary=ranhgioi"
URLENCODED = "application/x-www-form-urlencoded"
REFUSED_SUBMIT = "Báo cáo chưa được nộp: còn lỗi cần sửa"
REFUSED_DRAFT = "Chưa lưu được bản nháp: có giá trị không đọc được"
KEPT_DRAFT = "có giá trị chưa đọc được: giữ nguyên như bạn đã gõ"
REFUSED_POST = "Chưa lưu: dữ liệu gửi lên có chỗ không đúng với biểu mẫu"


def _only_outline_keys(values: dict[str, Any]) -> None:
    assert set(values) == {"nv_tong", "nv_xong", "nv_ty_le", "dau_moi", "co_quy_che",
                           "tu_danh_gia", "ngay_ke_hoach", "sang_kien"}, values
    assert values["nv_tong"] == 5 and values["nv_xong"] == 4
    assert values["nv_ty_le"] == 80, "a computed item is computed, never taken from the post"


def _table(rows: int, **extra: str) -> dict[str, str]:
    form = {"action": "draft", "sang_kien-rows": str(rows)}
    for n in range(rows):
        form[f"sang_kien-{n}-ten"] = f"Sáng kiến {n + 1}"
    return {**form, **extra}


CASES = [
    # missing and extra fields
    Case("empty-submit", {"action": "submit"}, 422, (REFUSED_SUBMIT, "Tổng số nhiệm vụ")),
    Case("required-missing", {"action": "submit", "dau_moi": "Nguyễn Văn A", "nv_xong": "3"},
         422, (REFUSED_SUBMIT, "Tổng số nhiệm vụ")),
    Case("only-unknown-fields", {"action": "submit", "khong_co": "x", "__class__": "y",
                                 "nv_tong.__dict__": "1"}, 422, (REFUSED_SUBMIT,)),
    Case("unknown-fields-beside-valid-ones",
         {"action": "draft", "nv_tong": "5", "nv_xong": "4", "nv_ty_le": "999",
          "khong_co": "<b>x</b>", "sang_kien-0-khong_co": "x"}, 302, ("Đã lưu nháp",),
         stored=True, check=_only_outline_keys),
    Case("unknown-action", {"action": "xoa-het", "nv_tong": "5"}, 400,
         ("Yêu cầu không hợp lệ", "chưa có gì được lưu")),
    # size
    Case("text-over-1-MB", {"action": "draft", "dau_moi": "a" * 1_100_000}, 413,
         ("Nội dung quá dài", "chưa có gì được lưu")),
    Case("long-text-under-the-form-cap", {"action": "draft", "dau_moi": "ă" * 2_345}, 302,
         (KEPT_DRAFT, "2.345 ký tự", "giới hạn 2.000 ký tự"),
         stored=True, kept=("dau_moi",)),
    Case("request-over-the-size-cap", {"action": "draft", "dau_moi": "x",
                                       "evidence-nv_tong": (b"%PDF" + b"0" * 1_600_000,
                                                            "scan.pdf")},
         413, ("Tệp quá lớn", "vượt quá giới hạn 1 MB"), config={"MAX_UPLOAD_MB": 1}),
    # characters and encodings
    Case("nul-in-text", {"action": "draft", "dau_moi": "Nguyễn\x00Văn A"}, 302,
         (KEPT_DRAFT, "ký tự điều khiển"),
         stored=True, kept=("dau_moi",)),
    Case("escape-sequence-in-text", {"action": "draft", "dau_moi": "\x1b[31mđỏ"}, 302,
         (KEPT_DRAFT, "ký tự điều khiển"),
         stored=True, kept=("dau_moi",)),
    Case("c1-control-in-table-cell", _table(1, **{"sang_kien-0-ten": "a\x85b"}), 302,
         (KEPT_DRAFT, "ký tự điều khiển"),
         stored=True, kept=("sang_kien",)),
    Case("invalid-utf8-multipart", lambda: raw_multipart([
        (b"action", b"draft"), (b"dau_moi", b"Nguy\xff\xfen V\xc3n A")]), 422,
        (REFUSED_POST, "Công chức đầu mối", "không phải văn bản UTF-8"),
        content_type=MULTIPART_RAW),
    Case("invalid-utf8-in-table-cell", lambda: raw_multipart([
        (b"action", b"draft"), (b"sang_kien-rows", b"1"), (b"sang_kien-0-ten", b"\xc0\xaf")]),
        422, (REFUSED_POST, "Những sáng kiến", "không phải văn bản UTF-8"),
        content_type=MULTIPART_RAW),
    Case("invalid-utf8-urlencoded-number", b"action=draft&nv_tong=1%FF2", 302, (KEPT_DRAFT,),
         content_type=URLENCODED,
         stored=True, kept=("nv_tong",)),
    Case("lone-surrogate-escape", b"action=draft&nv_tong=%ED%A0%80", 302, (KEPT_DRAFT,),
         content_type=URLENCODED,
         stored=True, kept=("nv_tong",)),
    # numbers
    Case("negative-count", {"action": "draft", "nv_tong": "-5"}, 302, (KEPT_DRAFT, "-5"),
         stored=True, kept=("nv_tong",)),
    Case("1e300", {"action": "draft", "nv_tong": "1e300"}, 302, (KEPT_DRAFT, "1e300"),
         stored=True, kept=("nv_tong",)),
    Case("400-digits", {"action": "draft", "nv_tong": "9" * 400}, 302, (KEPT_DRAFT,),
         stored=True, kept=("nv_tong",)),
    Case("10-to-the-20", {"action": "draft", "nv_tong": "1" + "0" * 20}, 302,
         (KEPT_DRAFT, "quá lớn"),
         stored=True, kept=("nv_tong",)),
    Case("NaN", {"action": "draft", "nv_tong": "NaN"}, 302, (KEPT_DRAFT,),
         stored=True, kept=("nv_tong",)),
    Case("Infinity", {"action": "draft", "nv_tong": "Infinity"}, 302, (KEPT_DRAFT,),
         stored=True, kept=("nv_tong",)),
    Case("minus-inf", {"action": "draft", "nv_xong": "-inf"}, 302, (KEPT_DRAFT,),
         stored=True, kept=("nv_xong",)),
    Case("hex-number", {"action": "draft", "nv_tong": "0x10"}, 302, (KEPT_DRAFT,),
         stored=True, kept=("nv_tong",)),
    # wrong types and values outside the lists
    Case("file-where-a-number-is-expected",
         {"action": "submit", "nv_tong": (b"12", "so-lieu.txt")}, 422,
         (REFUSED_POST, "Tổng số nhiệm vụ", "nhận được một tệp")),
    Case("file-where-text-is-expected",
         {"action": "draft", "nv_tong": "5", "dau_moi": (b"<b>x</b>", "a.html")},
         422, (REFUSED_POST, "Công chức đầu mối", "nhận được một tệp")),
    Case("choice-not-in-the-list", {"action": "draft", "tu_danh_gia": "<script>x</script>"},
         302, (KEPT_DRAFT,),
         stored=True, kept=("tu_danh_gia",)),
    Case("yes-no-neither", {"action": "draft", "co_quy_che": "có lẽ"}, 302, (KEPT_DRAFT,),
         stored=True, kept=("co_quy_che",)),
    Case("date-that-does-not-exist", {"action": "draft", "ngay_ke_hoach": "30/02/2025"}, 302,
         (KEPT_DRAFT,),
         stored=True, kept=("ngay_ke_hoach",)),
    Case("evidence-that-is-html", {"action": "draft",
                                   "evidence-nv_tong": (b"<script>x</script>",
                                                        "bien-ban.pdf")},
         302, ("không phải PDF, JPEG hay PNG",), stored=True),
    # table rows
    Case("row-index-far-out-of-range", {"action": "draft", "sang_kien-rows": "1",
                                        "sang_kien-0-ten": "Một", "sang_kien-99999-ten": "x"},
         422, (REFUSED_POST, "Những sáng kiến", "dòng 100.000")),
    Case("row-index-beyond-the-count", {"action": "draft", "sang_kien-2-ten": "x"}, 422,
         (REFUSED_POST, "dòng 3")),
    Case("row-index-of-30-digits", {"action": "draft", "sang_kien-rows": "10",
                                    "sang_kien-" + "9" * 30 + "-ten": "x"}, 422,
         (REFUSED_POST, "Những sáng kiến")),
    Case("row-count-astronomical", {"action": "draft", "sang_kien-rows": "9" * 40,
                                    "sang_kien-5-ten": "Sáu"}, 302, ("Đã lưu nháp",),
         stored=True, check=lambda v: _assert_rows(v, 1)),
    Case("more-rows-than-the-table-allows", lambda: _table(21), 422,
         (REFUSED_DRAFT, "21 dòng", "giới hạn 20 dòng")),
    Case("row-count-not-a-number", {"action": "draft", "sang_kien-rows": "mười",
                                    "sang_kien-0-ten": "x"}, 422, (REFUSED_POST,)),
    Case("add-rows-astronomical", {"action": "addrows:sang_kien", "sang_kien-rows": "9" * 40},
         200, ("Những sáng kiến",)),
    Case("add-rows-to-no-table", {"action": "addrows:khong_co"}, 200, ("Những sáng kiến",)),
]


def fresh(case: Case) -> Body:
    """The case's body, with new file objects each time (a posted file is read and closed)."""
    body = case.body() if callable(case.body) else case.body
    if isinstance(body, bytes):
        return body
    return {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v
            for k, v in body.items()}


def messages(page: str) -> list[str]:
    """The flashed messages and the issue summary of a page, as text."""
    import re

    found = re.findall(r'<p class="flash[^"]*">(.*?)</p>', page, re.S)
    summary = page.split('id="tom-tat"', 1)[1][:3000] if 'id="tom-tat"' in page else ""
    return [*found, re.sub(r"<[^>]+>|\s+", " ", summary)[:1500]]


def _assert_rows(values: dict[str, Any], rows: int) -> None:
    assert len(values["sang_kien"]) == rows, values["sang_kien"]


@dataclass
class Site:
    folder: Path
    template_db: Path
    round_id: int


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("hostile-web")
    path = folder / "template.db"
    demo = build_demo_db(path)
    db = store.open_db(path)
    try:  # something stored already: a refusal must leave it as it was
        intake = store.submit_values(db, round_id=demo["example_round"], unit_code=UNIT_A,
                                     raw={"nv_tong": "3", "dau_moi": "Trần Thị B"},
                                     channel="web", actor=USER_A, mode="draft")
        assert intake.revision is not None
    finally:
        db.close()
    yield Site(folder, path, demo["example_round"])


def _post(site: Site, name: str, body: Body, content_type: str, **config: Any
          ) -> tuple[Any, Path, dict[str, list[tuple]]]:
    """The response, the database and every row of it just before the post (after the login,
    whose session row is not the post's doing)."""
    path = site.folder / f"{name}.db"
    shutil.copyfile(site.template_db, path)
    app = create_test_app(path, site.folder / name, **config)
    client = as_user(app.test_client(), USER_A)
    before = dump(path)
    url = f"/rounds/{site.round_id}/units/{UNIT_A}/edit"
    return client.post(url, data=body, content_type=content_type), path, before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile_post(site: Site, case: Case) -> None:
    body = fresh(case)
    response, path, before = _post(site, case.id, body, case.content_type, **case.config)
    page = html.unescape(text(response))
    assert response.status_code == case.status, (response.status_code, messages(page))
    assert "Traceback" not in page
    if response.status_code != 302:  # else: on the next page, see test_redirected_messages…
        for words in case.says:
            assert words in page, f"{words!r} not on the page"
    after = dump(path)
    if case.stored:
        revisions = store.list_revisions(store.open_db(path), site.round_id, UNIT_A)
        assert len(revisions) == 2, "one new revision"
        revision = store.get_revision(store.open_db(path), site.round_id, UNIT_A)
        if case.check:
            case.check(revision["values"])
        kept = store.revision_rejects(store.open_db(path), revision["id"])
        assert tuple(kept) == case.kept, kept
        assert after["attachments"] == before["attachments"]
    else:
        # The login is a server-side session row, touched by each request: the login's doing.
        after.pop("sessions", None)
        before.pop("sessions", None)
        assert after == before, "a refused post changed the database"


def test_redirected_messages_are_shown(site: Site) -> None:
    """The accepted cases flash their message on the next page: follow the redirect once."""
    for case in (c for c in CASES if c.status == 302):
        path = site.folder / f"follow-{case.id}.db"
        shutil.copyfile(site.template_db, path)
        app = create_test_app(path, site.folder / f"follow-{case.id}")
        client = as_user(app.test_client(), USER_A)
        body = fresh(case)
        response = client.post(f"/rounds/{site.round_id}/units/{UNIT_A}/edit", data=body,
                               content_type=case.content_type, follow_redirects=True)
        assert response.status_code == 200
        page = html.unescape(text(response))
        for words in case.says:
            assert words in page, (case.id, words)


def test_a_full_table_of_200_rows_is_accepted(tmp_path: Path) -> None:
    """A legitimate form with more than Werkzeug's default 1 000 parts (a 200-row, 5-column
    table) is saved, not refused as too large."""
    columns = "\n".join(f"          - {{type: text, name: c{n}, label: Cột {n}}}"
                        for n in range(5))
    outline_text = (
        "id: bang-lon\nversion: 1\ntitle: Bảng lớn\nitems:\n  - type: table\n"
        "    name: bang\n    number: '1.'\n    label: Bảng lớn\n    max_rows: 200\n"
        f"    columns:\n{columns}\n")
    path = tmp_path / "decuong.db"
    build_demo_db(path)
    db = store.open_db(path)
    outline = store.register_outline(db, outline_text, actor="test")
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=1, title="Bảng lớn", period_start=None,
        period_end=None, period_label=None,
        deadline=store.deadline_end_of_day(__import__("datetime").date(2099, 1, 1)),
        units=[UNIT_A], created_by="test")
    db.close()
    form = {"action": "draft", "bang-rows": "200"}
    for row in range(200):
        for n in range(5):
            form[f"bang-{row}-c{n}"] = f"{row}/{n}"
    app = create_test_app(path, tmp_path)
    client = as_user(app.test_client(), USER_A)
    response = client.post(f"/rounds/{round_id}/units/{UNIT_A}/edit", data=form,
                           content_type="multipart/form-data")
    assert response.status_code == 302, html.unescape(text(response))[:1500]
    values = store.get_revision(store.open_db(path), round_id, UNIT_A)["values"]
    assert len(values["bang"]) == 200
