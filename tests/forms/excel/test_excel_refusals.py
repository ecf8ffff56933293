"""Every refusal of an upload, with its Vietnamese message; bombs refused before decompressing."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import replace

import openpyxl
import pytest
from excel_helpers import KEY, part, rezip, template_bytes

from forms.excel import ExcelError, Identity, check_identity, read_upload, read_workbook
from forms.excel.layout import IDENTITY_SHEET, MAIN_SHEET
from forms.excel.safety import OLE_MAGIC
from forms.loader import load_outline

SHEET = "xl/worksheets/sheet1.xml"


def refused(data: bytes, outline=None, **kwargs) -> ExcelError:
    with pytest.raises(ExcelError) as caught:
        if outline is None:
            read_workbook(data, **kwargs)
        else:
            read_upload(data, outline, key=KEY, **kwargs)
    return caught.value


def test_pdf_renamed() -> None:
    error = refused(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    assert error.codes == ["not_xlsx"]
    assert str(error.problems[0]) == ("Tệp không phải là tệp Excel .xlsx (có vẻ là tệp PDF đổi "
                                      "tên). Hãy tải mẫu từ hệ thống và điền lại.")


def test_csv_renamed() -> None:
    error = refused("STT,Nội dung,Số liệu\n1,Tổng số nhiệm vụ,20\n".encode())
    assert error.codes == ["not_xlsx"]
    assert "có vẻ là tệp CSV đổi tên" in error.problems[0].message


def test_photo_renamed() -> None:
    error = refused(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200))
    assert "có vẻ là tệp ảnh đổi tên" in error.problems[0].message


def test_old_xls() -> None:
    data = OLE_MAGIC + bytes(504) + "Workbook".encode("utf-16-le") + bytes(1024)
    error = refused(data)
    assert error.codes == ["old_xls"]
    assert "Excel 97–2003 (.xls)" in error.problems[0].message
    assert "Sổ làm việc Excel (*.xlsx)" in error.problems[0].message


def test_encrypted_xlsx() -> None:
    data = OLE_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(1024)
    error = refused(data)
    assert error.codes == ["encrypted"]
    assert error.problems[0].message.startswith("Tệp được đặt mật khẩu")
    assert "gỡ mật khẩu" in error.problems[0].message


def test_empty_and_too_large(template) -> None:
    assert refused(b"").codes == ["empty"]
    error = refused(template, max_bytes=1000)
    assert error.codes == ["too_large"]
    assert error.problems[0].message.startswith("Tệp quá lớn (")
    assert "tối đa 1000 byte" in error.problems[0].message


def test_word_and_ods_renamed() -> None:
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    assert "tệp Word (.docx)" in refused(docx.getvalue()).problems[0].message
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    error = refused(ods.getvalue())
    assert error.codes == ["ods"] and "Excel 2007-365 (.xlsx)" in error.problems[0].message


def test_zip_bomb_by_ratio(template) -> None:
    # 30 MB of zeros deflate to ~30 KB: refused from the central directory alone.
    bomb = rezip(template, add={"xl/media/image1.png": bytes(30 * 1024 * 1024)})
    assert len(bomb) < 200_000
    error = refused(bomb)
    assert error.codes == ["zip_bomb"]
    assert "để bảo đảm an toàn" in error.problems[0].message


def test_zip_bomb_by_total_size(template) -> None:
    parts = {f"xl/media/image{i}.bin": bytes(900_000) for i in range(60)}  # 54 MB declared
    error = refused(rezip(template, add=parts))
    assert error.codes == ["zip_bomb"]


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Patch the local and central headers of `name` to declare `size` uncompressed bytes."""
    buf = bytearray(data)
    encoded = name.encode()
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30),
                                                      (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (at := buf.find(signature, start)) >= 0:
            length = struct.unpack_from("<H", buf, at + name_len_at)[0]
            if bytes(buf[at + name_at: at + name_at + length]) == encoded:
                struct.pack_into("<I", buf, at + size_at, size)
            start = at + 4
    return bytes(buf)


def test_part_larger_than_declared_is_refused(template) -> None:
    """A lying header cannot smuggle a bomb past the size checks: decompression stops at the
    declared size and the check fails."""
    sheet = part(template, SHEET)
    padded = sheet.replace(b"</worksheet>", b"<!--" + b" " * 3_000_000 + b"--></worksheet>")
    lying = _lie_about_size(rezip(template, {SHEET: padded}), SHEET, len(sheet))
    error = refused(lying)
    assert error.codes == ["corrupt"]
    assert "bị hỏng" in error.problems[0].message


def test_million_row_sheet_refused_from_its_dimension(template) -> None:
    sheet = part(template, SHEET)
    start = sheet.index(b"<dimension")
    end = sheet.index(b"/>", start) + 2
    huge = sheet[:start] + b'<dimension ref="A1:F1000000"/>' + sheet[end:]
    huge = huge.replace(b"</sheetData>", b'<row r="1000000"><c r="A1000000"><v>1</v></c></row>'
                                         b"</sheetData>")
    error = refused(rezip(template, {SHEET: huge}))
    assert error.codes == ["sheet_too_big"]
    assert error.problems[0].message.startswith(
        "Trang tính «Báo cáo» có dữ liệu ở dòng 1.000.000, vượt quá giới hạn 10.000 dòng.")


def test_million_row_sheet_without_dimension(template) -> None:
    sheet = part(template, SHEET)
    start = sheet.index(b"<dimension")
    end = sheet.index(b"/>", start) + 2
    huge = (sheet[:start] + sheet[end:]).replace(
        b"</sheetData>", b'<row r="1000000"><c r="A1000000"><v>1</v></c></row></sheetData>')
    assert refused(rezip(template, {SHEET: huge})).codes == ["sheet_too_big"]


def test_far_column_refused(template) -> None:
    sheet = part(template, SHEET)
    wide = sheet.replace(b"</sheetData>", b'<row r="90"><c r="XFD90"><v>1</v></c></row>'
                                          b"</sheetData>")
    assert refused(rezip(template, {SHEET: wide})).codes == ["sheet_too_wide"]


def test_external_links(template) -> None:
    linked = rezip(template, add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    error = refused(linked)
    assert error.codes == ["external_links"]
    assert "Ngắt liên kết" in error.problems[0].message


def test_macros(template) -> None:
    error = refused(rezip(template, add={"xl/vbaProject.bin": OLE_MAGIC + bytes(100)}))
    assert error.codes == ["macros"]
    assert error.problems[0].message.startswith("Tệp có chứa macro (VBA).")


@pytest.mark.parametrize("name", ["xl/sharedStrings.xml", "xl/workbook.xml", SHEET])
def test_xml_entities(template, name) -> None:
    body = part(template, name)
    declaration = (b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
    at = body.index(b"?>") + 2
    error = refused(rezip(template, {name: body[:at] + declaration + body[at:]}))
    assert error.codes == ["xml_entities"]
    assert "DOCTYPE/ENTITY" in error.problems[0].message


def test_xml_entities_in_utf16_part(template) -> None:
    text = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    error = refused(rezip(template, {"xl/sharedStrings.xml": text.encode("utf-16")}))
    assert error.codes == ["xml_entities"]


def test_corrupt_zip(template) -> None:
    assert refused(template[: len(template) // 2]).codes == ["corrupt"]


def _edit(data: bytes, change) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_identity_sheet_deleted(outline, template) -> None:
    data = _edit(template, lambda book: book.remove(book[IDENTITY_SHEET]))
    error = refused(data, outline)
    assert error.codes == ["identity_missing"]
    assert error.problems[0].message.startswith(
        "Tệp không phải là mẫu báo cáo do hệ thống tạo ra")


def test_main_sheet_deleted(outline, template) -> None:
    data = _edit(template, lambda book: book.remove(book[MAIN_SHEET]))
    error = refused(data, outline)
    assert error.codes == ["main_sheet_missing"]
    assert "«Báo cáo»" in error.problems[0].message


def test_identity_unreadable(outline, template) -> None:
    def wreck(book):
        book[IDENTITY_SHEET]["B3"] = "hai"  # outline_version

    error = refused(_edit(template, wreck), outline)
    assert error.codes == ["identity_unreadable"]


def test_stale_checksum(outline, template) -> None:
    def tamper(book):
        ws = book[IDENTITY_SHEET]
        for row in ws.iter_rows():
            if row[0].value == "unit_name":
                row[1].value = "Đơn vị khác"

    error = refused(_edit(template, tamper), outline)
    assert error.codes == ["bad_checksum"]
    assert error.problems[0].message.startswith("Thông tin nhận dạng của mẫu không khớp")


def test_same_version_with_other_items_is_stale(outline, identity) -> None:
    from excel_helpers import OUTLINE_YAML

    changed = load_outline(OUTLINE_YAML.replace("name: dau_moi", "name: can_bo_dau_moi"))
    data = template_bytes(changed, identity)
    assert refused(data, outline).codes == ["bad_checksum"]


def test_wrong_outline(outline, identity) -> None:
    from excel_helpers import OUTLINE_YAML

    other = load_outline(OUTLINE_YAML.replace("id: thu-nghiem-excel", "id: de-cuong-khac"))
    data = template_bytes(other, Identity("de-cuong-khac", 2, 7))
    error = refused(data, outline)
    assert error.codes == ["wrong_outline"]
    assert error.problems[0].message.startswith(
        "Mẫu này thuộc đề cương «de-cuong-khac», không phải đề cương «thu-nghiem-excel»")


def test_outdated_version(outline) -> None:
    from excel_helpers import OUTLINE_YAML

    old = load_outline(OUTLINE_YAML.replace("version: 2", "version: 1"))
    data = template_bytes(old, Identity(old.id, 1, 7, unit_code="VP-UB"))
    error = refused(data, outline, round_id=7, unit_code="VP-UB")
    assert error.codes == ["outdated_version"]
    assert error.problems[0].message.startswith(
        "Mẫu này thuộc đề cương thu-nghiem-excel phiên bản 1; phiên bản hiện hành là 2, "
        "hãy tải mẫu mới.")


def test_newer_version(outline) -> None:
    from excel_helpers import OUTLINE_YAML

    new = load_outline(OUTLINE_YAML.replace("version: 2", "version: 3"))
    error = refused(template_bytes(new, Identity(new.id, 3)), outline)
    assert error.codes == ["newer_version"]
    assert "phiên bản 3, mới hơn phiên bản 2" in error.problems[0].message


def test_wrong_unit(outline, template) -> None:
    error = refused(template, outline, round_id=7, unit_code="PHONG-KT",
                    unit_name="Phòng Kinh tế")
    assert error.codes == ["wrong_unit"]
    assert error.problems[0].message.startswith(
        "Mẫu này được tạo cho đơn vị «Văn phòng HĐND và UBND xã (mã VP-UB)», không phải đơn "
        "vị «Phòng Kinh tế (mã PHONG-KT)».")


def test_wrong_round(outline, template) -> None:
    error = refused(template, outline, round_id=8, unit_code="VP-UB",
                    round_title="Báo cáo CCHC năm 2026")
    assert error.codes == ["wrong_round"]
    assert error.problems[0].message.startswith(
        "Mẫu này được tạo cho đợt báo cáo «Báo cáo CCHC 6 tháng cuối năm 2025», không phải "
        "đợt «Báo cáo CCHC năm 2026».")


def test_check_identity_accepts_the_right_template(outline, identity) -> None:
    sealed = identity.sealed(outline, KEY)
    assert check_identity(sealed, outline=outline, key=KEY, round_id=7, unit_code="vp-ub") == []
    unsealed = replace(identity, installation=KEY.installation)
    assert [p.code for p in check_identity(unsealed, outline=outline, key=KEY)] == [
        "bad_checksum"]


def test_deflate_of_bomb_is_not_attempted(template, monkeypatch) -> None:
    """Refusal from the directory: decompression is never called for the bomb part."""
    calls = []
    real = zlib.decompressobj

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    bomb = rezip(template, add={"xl/media/image1.png": bytes(30 * 1024 * 1024)})
    monkeypatch.setattr(zlib, "decompressobj", spy)
    assert refused(bomb).codes == ["zip_bomb"]
    assert calls == []
