"""A file larger than the server accepts is stopped in the browser, before anything is sent,
so the page and everything typed on it stay (headless Chromium against `decuong serve` with a
1 MB upload cap).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_helpers import headless_chromium, login, running_server
from web_helpers import build_demo_db

pytestmark = pytest.mark.browser

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("e2e-upload-limit")
    db_path = folder / "demo.db"
    demo = build_demo_db(db_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DECUONG_MAX_UPLOAD_MB", "1")
        with running_server(db_path, folder) as base:
            yield {"base": base, **demo}


def test_an_over_cap_evidence_file_is_stopped_and_the_typed_values_stay(server):
    # The example round: its outline asks for evidence on nv_tong (`evidence: true`).
    base, round_id = server["base"], server["example_round"]
    with headless_chromium() as browser:
        page = browser.new_page()
        login(page, base, "vhxh")
        page.goto(f"{base}/rounds/{round_id}/units/VHXH/edit")
        page.fill("#nv_tong", "12")
        page.fill("#dau_moi", "Bố trí 2 công chức phụ trách CCHC.")
        posts: list[str] = []  # form submissions (the checks while typing are fetches)
        page.on("request", lambda r: posts.append(r.url)
                if r.method == "POST" and r.is_navigation_request() else None)
        page.set_input_files("#evidence-nv_tong", files=[
            {"name": "bien-ban.pdf", "mimeType": "application/pdf",
             "buffer": b"%PDF-1.4\n" + b"0" * (MB + MB // 2)}])
        page.click("button[value=draft]")

        alert = page.locator(".upload-limit-error")
        alert.wait_for()
        assert alert.get_attribute("role") == "alert"
        assert alert.inner_text() == (
            "Các tệp đã chọn có tổng dung lượng 1,5 MB, vượt quá giới hạn 1 MB mỗi lần gửi, "
            "nên chưa có gì được gửi đi; nội dung đã nhập vẫn còn trên trang. Hãy bỏ bớt tệp "
            "hoặc giảm dung lượng tệp (ví dụ quét tài liệu ở độ phân giải thấp hơn) rồi gửi lại.")
        assert posts == []
        assert page.url.endswith("/edit")
        assert page.input_value("#nv_tong") == "12"
        assert page.input_value("#dau_moi") == "Bố trí 2 công chức phụ trách CCHC."

        # A file within the cap goes through: the draft is saved, the message is gone.
        page.set_input_files("#evidence-nv_tong", files=[
            {"name": "bien-ban.pdf", "mimeType": "application/pdf",
             "buffer": b"%PDF-1.4\n" + b"0" * 1000}])
        page.click("button[value=draft]")
        page.wait_for_load_state()
        assert len(posts) == 1
        assert page.locator(".upload-limit-error").count() == 0
        assert "Đã lưu nháp" in page.content()
