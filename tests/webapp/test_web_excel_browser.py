"""The Excel channel end to end in headless Chromium (Debian's) against a real `decuong serve`:
a unit downloads its template from the fill page, fills it offline (openpyxl, as a person
would), uploads it through the page and sees it accepted; another unit uploads a file with
mistakes, reads the rejection page (screenshot in test-artifacts/) and downloads its own
workbook back with a comment on each bad cell.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from browser_helpers import ARTIFACTS, demo_server, login
from test_web_excel import ANSWERS, BAD, fill

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with demo_server(tmp_path_factory.mktemp("e2e-excel")) as running:
        yield running


def download_template(page, tmp_path: Path) -> bytes:
    with page.expect_download() as info:
        page.click("#excel-download")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return target.read_bytes()


def upload_file(page, path: Path) -> None:
    page.click("details.excel-upload > summary")
    page.set_input_files("#excel-file", str(path))
    page.click("#excel-upload-form button[type=submit]")


def test_unit_downloads_fills_and_uploads_its_template(server, browser, tmp_path):
    base, round_id = server["base"], server["round"]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN",
                                  accept_downloads=True)
    page = context.new_page()
    login(page, base, "vhxh")
    page.goto(f"{base}/rounds/{round_id}/units/VHXH/edit")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "excel-fill-page-actions.png"), full_page=False)
    with page.expect_download() as info:
        page.click("#excel-download")
    assert info.value.suggested_filename == f"mau-cam-giang-cchc-2025-dot{round_id}-VHXH.xlsx"
    template = tmp_path / "template.xlsx"
    info.value.save_as(template)

    filled = tmp_path / "Báo cáo VHXH đã điền.xlsx"
    filled.write_bytes(fill(template.read_bytes(), ANSWERS))
    upload_file(page, filled)
    flashes = page.locator(".flashes").inner_text()
    assert "Đã nhận tệp «Báo cáo VHXH đã điền.xlsx» và nộp báo cáo (lần lưu thứ 1)" in flashes
    assert page.url.endswith(f"/rounds/{round_id}/units/VHXH/")
    assert "tệp Excel" in page.locator(".doc-head").inner_text()
    context.close()


def test_rejected_upload_reads_well_and_gives_the_file_back(server, browser, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    base, round_id = server["base"], server["round"]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN",
                                  accept_downloads=True)
    page = context.new_page()
    login(page, base, "kt")
    page.goto(f"{base}/rounds/{round_id}/units/KT/edit")
    bad = tmp_path / "bao-cao-kt.xlsx"
    bad.write_bytes(fill(download_template(page, tmp_path), BAD))
    upload_file(page, bad)

    assert page.locator("h1").inner_text() == "Tệp «bao-cao-kt.xlsx» chưa được nhận"
    cells = page.locator(".excel-errors .where").all_inner_texts()
    assert len(cells) == 3 and all(c.startswith("Báo cáo!D") for c in cells)
    page.screenshot(path=str(ARTIFACTS / "excel-upload-rejected.png"), full_page=True)

    with page.expect_download() as info:
        page.click("#annotated-download")
    assert info.value.suggested_filename == "bao-cao-kt-danh-dau-loi.xlsx"
    annotated = tmp_path / "annotated.xlsx"
    info.value.save_as(annotated)
    sheet = openpyxl.load_workbook(io.BytesIO(annotated.read_bytes()))["Báo cáo"]
    commented = sorted(f"Báo cáo!{c.coordinate}" for row in sheet.iter_rows() for c in row
                       if c.comment)
    assert commented == sorted(cells)

    # The same form on the rejection page takes the corrected file.
    fixed = tmp_path / "bao-cao-kt-da-sua.xlsx"
    fixed.write_bytes(fill(annotated.read_bytes(), ANSWERS))
    page.set_input_files("#excel-file", str(fixed))
    page.click("#excel-upload-form button[type=submit]")
    assert "Đã nhận tệp «bao-cao-kt-da-sua.xlsx»" in page.locator(".flashes").inner_text()
    context.close()


def test_coordinator_uploads_several_files_from_the_round_page(server, browser, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    base, round_id = server["base"], server["round"]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN",
                                  accept_downloads=True)
    page = context.new_page()
    login(page, base, "daumoi")
    page.goto(f"{base}/coordinator/rounds/{round_id}")
    page.locator(".excel-round").screenshot(path=str(ARTIFACTS / "excel-round-section.png"))
    page.select_option("#excel-unit", "TTPVHCC")
    with page.expect_download() as info:
        page.click(".excel-round form[method=get] button")
    template = tmp_path / "ttpvhcc.xlsx"
    info.value.save_as(template)
    good = tmp_path / "ttpvhcc-da-dien.xlsx"
    good.write_bytes(fill(template.read_bytes(), ANSWERS))
    pdf = tmp_path / "scan.xlsx"
    pdf.write_bytes(b"%PDF-1.4 scanned report")
    page.set_input_files("#excel-files", [str(good), str(pdf)])
    page.click("#excel-batch-form button[type=submit]")
    assert page.locator("h1").inner_text() == "Kết quả tải lên tệp Excel"
    assert page.locator("tr.result-accepted").count() == 1
    assert "PDF" in page.locator("tr.result-rejected").inner_text()
    page.screenshot(path=str(ARTIFACTS / "excel-batch-result.png"), full_page=True)
    context.close()
