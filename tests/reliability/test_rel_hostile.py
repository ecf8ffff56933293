"""A corpus of hostile and broken inputs through both channels, against a real database.

Each row of CORPUS builds one bad input, says which Vietnamese words the refusal must contain,
and the test checks that the whole database (every row of every table) is unchanged afterwards.
Excel files go through `store.uploads.ingest_upload`, values through `store.intake.submit_values`
— the functions the web app and the CLI call.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rel_world import (
    SAMPLE,
    World,
    dump,
    edit,
    fill,
    key_rows,
    make_world,
    template,
)

import store
from forms.excel import TemplateKey
from forms.excel.layout import IDENTITY_SHEET, MAIN_SHEET
from forms.excel.safety import OLE_MAGIC
from forms.loader import load_outline
from store.errors import StoreError
from store.intake import submit_values
from store.uploads import ingest_upload

SHEET = "xl/worksheets/sheet1.xml"
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Kit:
    """Template bytes built once per session (the world is deterministic, so its ids hold in
    every fresh copy)."""

    world: World
    key: TemplateKey  # the world's installation: its templates are sealed with it
    blank: bytes  # VP, round v1
    filled: bytes  # VP, round v1, the sample answers typed in
    kt: bytes  # KT's filled template
    v2: bytes  # VP, round v2 (outline version 2)
    other_round: bytes  # VP, the other v1 round
    generic: bytes  # no round, no unit
    other_outline: bytes  # another outline, identity of round v1 / VP
    cache: dict[str, bytes] = field(default_factory=dict)

    def typed(self, **changes: Any) -> bytes:
        """The VP template with the sample answers, some replaced (None: left empty)."""
        name = repr(sorted(changes.items()))
        if name not in self.cache:
            answers = {k: v for k, v in {**SAMPLE, **changes}.items()}
            self.cache[name] = fill(self.blank, answers)
        return self.cache[name]


@pytest.fixture(scope="session")
def world_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "world.db"
    world = make_world(path)
    db = store.open_db(path)
    # An existing report that no refusal may touch.
    intake = submit_values(db, round_id=world.v1, unit_code="VHXH", raw=SAMPLE, channel="web",
                           actor="vhxh")
    assert intake.stored
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture(scope="session")
def kit(world_file: Path) -> Kit:
    from forms import find_outline
    from forms.excel import Identity, write_template

    # A copy of the world, not a new one: templates are sealed with its installation's key.
    path = world_file.with_name("kit.db")
    shutil.copyfile(world_file, path)
    db = store.open_db(path)
    world = World(path, *sorted(r["id"] for r in store.list_rounds(db)))  # v1, v2, other, closed
    key = store.template_key(db)
    blank = template(db, world.v1, "VP")
    other, _ = find_outline("lai-chau-kiem-tra-cchc-2025")
    buffer = io.BytesIO()
    write_template(other, buffer, identity=Identity(
        other.id, other.version, round_id=world.v1, unit_code="VP"), key=key)
    kit = Kit(world=world, key=key, blank=blank, filled=fill(blank, SAMPLE),
              kt=fill(template(db, world.v1, "KT"), SAMPLE),
              v2=fill(template(db, world.v2, "VP"), SAMPLE),
              other_round=fill(template(db, world.other, "VP"), SAMPLE),
              generic=fill(template(db, world.v1, None), SAMPLE),
              other_outline=buffer.getvalue())
    db.close()
    return kit


# -- zip surgery ---------------------------------------------------------------------------


def rezip(data: bytes, replace: dict[str, bytes | None] | None = None,
          add: dict[str, bytes] | None = None, stored: bool = False) -> bytes:
    """A copy of the xlsx with parts replaced (None: removed) or added."""
    replace = replace or {}
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", method) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])  # type: ignore[arg-type]
                continue
            dst.writestr(info.filename, src.read(info.filename))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def with_dimension(data: bytes, rows: int, keep_dimension: bool = True) -> bytes:
    sheet = part(data, SHEET)
    start = sheet.index(b"<dimension")
    end = sheet.index(b"/>", start) + 2
    dimension = f'<dimension ref="A1:F{rows}"/>'.encode() if keep_dimension else b""
    far = f'<row r="{rows}"><c r="A{rows}"><v>1</v></c></row></sheetData>'.encode()
    body = sheet[:start] + dimension + sheet[end:]
    return rezip(data, {SHEET: body.replace(b"</sheetData>", far)})


def entities(data: bytes, name: str) -> bytes:
    body = part(data, name)
    if b"?>" not in body[:200]:  # openpyxl writes some parts without a prolog
        body = b'<?xml version="1.0" encoding="UTF-8"?>' + body
    at = body.index(b"?>") + 2
    bomb = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>')
    return rezip(data, {name: body[:at] + bomb + body[at:]})


def shared_strings_bomb(data: bytes) -> bytes:
    """60 MB of repeated shared strings that deflate to a few dozen KB."""
    one = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    count = 60_000
    body = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://'
            b'schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
            % (count, count) + one * count + b"</sst>")
    types = part(data, "[Content_Types].xml").replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return rezip(data, {"[Content_Types].xml": types}, add={"xl/sharedStrings.xml": body})


def xlsm(data: bytes) -> bytes:
    """What Excel saves as .xlsm, renamed .xlsx: a macro-enabled content type and a VBA part."""
    types = part(data, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    return rezip(data, {"[Content_Types].xml": types},
                 add={"xl/vbaProject.bin": OLE_MAGIC + bytes(2000)})


def lying_size(data: bytes) -> bytes:
    """A worksheet padded with 3 MB while its headers still declare the original size."""
    sheet = part(data, SHEET)
    padded = sheet.replace(b"</worksheet>", b"<!--" + b" " * 3_000_000 + b"--></worksheet>")
    buf = bytearray(rezip(data, {SHEET: padded}))
    encoded = SHEET.encode()
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30),
                                                      (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (at := buf.find(signature, start)) >= 0:
            length = struct.unpack_from("<H", buf, at + name_len_at)[0]
            if bytes(buf[at + name_at: at + name_at + length]) == encoded:
                struct.pack_into("<I", buf, at + size_at, len(sheet))
            start = at + 4
    return bytes(buf)


def encrypted_entries(data: bytes) -> bytes:
    """Set the 'encrypted' flag of every entry (zip-level password)."""
    buf = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := buf.find(signature, start)) >= 0:
            flags = struct.unpack_from("<H", buf, at + flag_at)[0]
            struct.pack_into("<H", buf, at + flag_at, flags | 1)
            start = at + 4
    return bytes(buf)


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return out.getvalue()


def merge_over(first: str, last: str, *, from_above: bool = False) -> Callable[[Any], None]:
    def change(book) -> None:
        ws = book[MAIN_SHEET]
        rows = key_rows(ws)
        top = rows[first] - (1 if from_above else 0)
        ws.merge_cells(start_row=top, start_column=4, end_row=rows[last], end_column=4)
    return change


def drop_identity(book) -> None:
    book.remove(book[IDENTITY_SHEET])


def set_identity(field_name: str, value: str) -> Callable[[Any], None]:
    def change(book) -> None:
        for row in book[IDENTITY_SHEET].iter_rows():
            if row[0].value == field_name:
                row[1].value = value
    return change


def appended(data: bytes, rows: bytes, tail: bytes = b"") -> bytes:
    """The main sheet with `rows` after its last row (and `tail` after </sheetData>)."""
    sheet = part(data, SHEET)
    sheet = sheet.replace(b"</sheetData>", rows + b"</sheetData>" + tail)
    return rezip(data, {SHEET: sheet})


def bare_rows(data: bytes, count: int) -> bytes:
    """`count` rows and cells without `r` (as some scripts write them): each is the row after
    the one before. Random values keep the part's deflate ratio as a real sheet's (~4:1)."""
    rng = random.Random(12)
    return appended(data, b"".join(b"<row><c><v>%d</v></c></row>" % rng.randrange(10**9)
                                   for _ in range(count)))


def bare_cells(data: bytes, count: int) -> bytes:
    """One more row of `count` cells without `r`: each is the cell after the one before."""
    return appended(data, b"<row>" + b"<c><v>7</v></c>" * count + b"</row>")


def crowded(data: bytes, count: int) -> bytes:
    """`count` cells all claiming to be D500: a reader still lays out each one."""
    rng = random.Random(13)
    return appended(data, b'<row r="500">' + b"".join(
        b'<c r="D500"><v>%d</v></c>' % rng.randrange(100) for _ in range(count)) + b"</row>")


def merges(data: bytes, count: int) -> bytes:
    """`count` merged ranges (rows 5.000 and below, cells G:H): each a small object to read."""
    ranges = b"".join(b'<mergeCell ref="G%d:H%d"/>' % (5000 + n % 5000, 5000 + n % 5000)
                      for n in range(count))
    sheet = part(data, SHEET)
    if b"<mergeCells" in sheet:
        sheet = sheet.replace(b"</mergeCells>", ranges + b"</mergeCells>")
        return rezip(data, {SHEET: sheet})
    return appended(data, b"", b"<mergeCells>" + ranges + b"</mergeCells>")


def outdated(kit: Kit) -> bytes:
    """A version-1 template for the version-2 round: the round is v2, the file says v1."""
    from forms.excel import Identity, write_template

    v1 = load_outline((ROOT / "outlines" / "cam-giang-cchc-2025.yaml").read_text("utf-8"))
    buffer = io.BytesIO()
    write_template(v1, buffer, identity=Identity(
        v1.id, 1, round_id=kit.world.v2, round_title="Kiểm tra CCHC năm 2025 (đề cương mới)",
        unit_code="VP", unit_name="Văn phòng HĐND và UBND"), key=kit.key)
    return fill(buffer.getvalue(), SAMPLE)


# -- the corpus ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    build: Callable[[Kit], bytes]
    round: str | None = None  # attribute of World the uploader is entitled to
    unit: str | None = None


@dataclass(frozen=True)
class Post:
    changes: dict[str, Any]
    drop: tuple[str, ...] = ()
    mode: str = "submit"
    round: str = "v1"
    unit: str = "VHXH"  # already has a submitted report: it must stay as it is


BIG = 11 * 1024 * 1024
NOT_NUMBER = "không phải là số"
NOT_PERCENT = "không phải là tỷ lệ phần trăm"
UNREADABLE_TEXT = "không phải là nội dung đọc được"

CORPUS: list[tuple[str, Upload | Post, str]] = [
    # Issue 4's refusals.
    ("wrong-outline", Upload(lambda k: k.other_outline),
     "không phải đề cương «cam-giang-cchc-2025»"),
    ("outdated-version", Upload(outdated, round="v2", unit="VP"),
     "phiên bản hiện hành là 2, hãy tải mẫu mới"),
    ("newer-version", Upload(lambda k: k.v2, round="v1", unit="VP"), "mới hơn phiên bản 1"),
    ("another-unit", Upload(lambda k: k.kt, round="v1", unit="VP"),
     "không phải đơn vị «Văn phòng HĐND và UBND (mã VP)»"),
    ("another-round", Upload(lambda k: k.other_round, round="v1", unit="VP"),
     "không phải đợt «Kiểm tra CCHC 6 tháng cuối năm 2025»"),
    ("text-in-number", Upload(lambda k: k.typed(nv_tong="mười hai")), NOT_NUMBER),
    ("negative-count", Upload(lambda k: k.typed(nv_tong="-12")), "không được âm"),
    ("percent-over-100", Upload(lambda k: k.typed(hai_long="120")), "lớn hơn"),
    ("percent-negative", Upload(lambda k: k.typed(hai_long="-5")), "âm"),
    ("broken-rule", Upload(lambda k: k.typed(nv_hoan_thanh="20")),
     "không được lớn hơn tổng số nhiệm vụ"),
    ("missing-required", Upload(lambda k: k.typed(nv_tong=None, pakn_tiep_nhan=None)),
     "chưa nhập. Đây là mục bắt buộc."),
    ("xls-renamed", Upload(lambda k: OLE_MAGIC + bytes(504) + "Workbook".encode("utf-16-le")
                           + bytes(2048)), "Excel 97–2003 (.xls)"),
    ("csv-renamed", Upload(lambda k: "Mã;Giá trị\nnv_tong;12\n".encode()), "CSV đổi tên"),
    ("pdf-renamed", Upload(lambda k: b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
     "PDF đổi tên"),
    ("encrypted-ole", Upload(lambda k: OLE_MAGIC + bytes(504)
                             + "EncryptedPackage".encode("utf-16-le") + bytes(4096)),
     "đặt mật khẩu"),
    ("zip-bomb-ratio", Upload(lambda k: rezip(k.filled,
                                              add={"xl/media/image1.png": bytes(40 << 20)})),
     "nén bất thường"),
    ("zip-bomb-total", Upload(lambda k: rezip(
        k.filled, add={f"xl/media/image{i}.bin": bytes(900_000) for i in range(60)})),
     "nén bất thường"),
    ("over-size-cap", Upload(lambda k: rezip(k.filled, add={"xl/media/big.bin":
                                                            os.urandom(BIG)}, stored=True)),
     "Tệp quá lớn"),
    ("million-rows", Upload(lambda k: with_dimension(k.filled, 1_000_000)),
     "có dữ liệu ở dòng 1.000.000, vượt quá giới hạn 10.000 dòng"),
    ("million-rows-no-dimension", Upload(lambda k: with_dimension(k.filled, 1_000_000, False)),
     "có dữ liệu ở dòng 1.000.000"),
    # Rows and cells that do not say where they are, and cells that say too much.
    ("million-bare-rows", Upload(lambda k: bare_rows(k.filled, 1_048_453)),
     "Trang tính «Báo cáo» có dữ liệu ở dòng 10.001, vượt quá giới hạn 10.000 dòng"),
    ("million-bare-rows-one-wrong-value", Upload(
        lambda k: bare_rows(k.typed(nv_tong="-12"), 1_048_453)),
     "Trang tính «Báo cáo» có dữ liệu ở dòng 10.001"),
    ("bare-cells-past-the-last-column", Upload(lambda k: bare_cells(k.filled, 1_001)),
     "Trang tính «Báo cáo» có dữ liệu ở cột thứ 1.001, vượt quá giới hạn 1.000 cột"),
    ("two-far-cells", Upload(lambda k: appended(
        k.filled, b'<row r="10000"><c r="ALL10000"><v>1</v></c></row>')),
     "Trang tính «Báo cáo» có dữ liệu trải tới ô ALL10000 (10.000 dòng × 1.000 cột"),
    ("half-a-million-cells-in-one", Upload(lambda k: crowded(k.filled, 500_001)),
     "vượt quá giới hạn 500.000 ô"),
    ("ten-thousand-merges", Upload(lambda k: merges(k.filled, 10_001)),
     "vùng ô gộp (merge), vượt quá giới hạn 10.000"),
    ("far-column", Upload(lambda k: rezip(k.filled, {SHEET: part(k.filled, SHEET).replace(
        b"</sheetData>", b'<row r="90"><c r="XFD90"><v>1</v></c></row></sheetData>')})),
     "vượt quá giới hạn 1.000 cột"),
    # Hostile workbooks.
    ("external-links", Upload(lambda k: rezip(k.filled, add={
        "xl/externalLinks/externalLink1.xml": b"<externalLink/>"})), "Ngắt liên kết"),
    ("macros-vba-part", Upload(lambda k: rezip(k.filled, add={
        "xl/vbaProject.bin": OLE_MAGIC + bytes(100)})), "có chứa macro (VBA)"),
    ("xlsm-renamed", Upload(lambda k: xlsm(k.filled)), "có chứa macro (VBA)"),
    ("xml-entities-sheet", Upload(lambda k: entities(k.filled, SHEET)), "DOCTYPE/ENTITY"),
    ("xml-entities-workbook", Upload(lambda k: entities(k.filled, "xl/workbook.xml")),
     "DOCTYPE/ENTITY"),
    ("xml-entities-styles", Upload(lambda k: entities(k.filled, "xl/styles.xml")),
     "DOCTYPE/ENTITY"),
    ("shared-strings-bomb", Upload(lambda k: shared_strings_bomb(k.filled)), "nén bất thường"),
    ("merged-over-required", Upload(lambda k: edit(k.filled, merge_over(
        "nv_tong", "nv_hoan_thanh", from_above=True))), "Đây là mục bắt buộc"),
    ("identity-sheet-deleted", Upload(lambda k: edit(k.filled, drop_identity)),
     "không phải là mẫu báo cáo do hệ thống tạo ra"),
    ("stale-checksum", Upload(lambda k: edit(k.filled, set_identity("unit_name", "Phòng khác"))),
     "Thông tin nhận dạng của mẫu không khớp"),
    ("identity-edited-unit", Upload(lambda k: edit(k.filled, set_identity("unit_code", "KT"))),
     "không khớp"),
    ("identity-unreadable", Upload(lambda k: edit(k.filled, set_identity("outline_version",
                                                                          "hai"))),
     "bị thiếu hoặc bị sửa"),
    ("main-sheet-deleted", Upload(lambda k: edit(k.filled, lambda b: b.remove(b[MAIN_SHEET]))),
     "Không tìm thấy trang tính «Báo cáo»"),
    ("generic-template-no-round", Upload(lambda k: k.generic), "chưa gắn với đơn vị"),
    ("closed-round", Upload(lambda k: k.filled, round="closed", unit="VP"),
     "không phải đợt «Kiểm tra CCHC đã đóng»"),
    ("empty-file", Upload(lambda k: b""), "Tệp tải lên trống"),
    ("truncated-zip", Upload(lambda k: k.filled[: len(k.filled) // 2]), "bị hỏng"),
    ("lying-part-size", Upload(lambda k: lying_size(k.filled)), "bị hỏng"),
    ("zip-encrypted-entries", Upload(lambda k: encrypted_entries(k.filled)), "đặt mật khẩu"),
    ("too-many-parts", Upload(lambda k: rezip(k.filled, add={f"xl/x/{i}.txt": b"x"
                                                             for i in range(1001)})),
     "quá nhiều thành phần"),
    ("docx-renamed", Upload(lambda k: zip_of({"[Content_Types].xml": b"<Types/>",
                                              "word/document.xml": b"<w:document/>"})),
     "tệp Word (.docx)"),
    ("ods-renamed", Upload(lambda k: zip_of({"mimetype": b"application/vnd.oasis.opendocument"
                                             b".spreadsheet", "content.xml": b"<x/>"})),
     "OpenDocument (.ods)"),
    ("xlsb-renamed", Upload(lambda k: zip_of({"[Content_Types].xml": b"<Types/>",
                                              "xl/workbook.bin": b"\x00" * 64})), ".xlsb"),
    ("plain-zip-renamed", Upload(lambda k: zip_of({"notes.txt": b"hello"})), "tệp nén .zip"),
    ("photo-renamed", Upload(lambda k: b"\x89PNG\r\n\x1a\n" + bytes(300)), "tệp ảnh đổi tên"),
    ("html-renamed", Upload(lambda k: b"<html><body><table><tr><td>1</td></tr></table>"),
     "trang web HTML"),
    # The value channel (what the web form posts, or a script calling the intake).
    ("post-missing-required", Post({}, drop=("nv_tong", "dvsn_tong")), "Đây là mục bắt buộc"),
    ("post-nothing-at-all", Post({}, drop=tuple(SAMPLE)), "Đây là mục bắt buộc"),
    ("post-extra-field", Post({"truong_la": "1"}), "Không có mục nào có khóa «truong_la»"),
    ("post-extra-field-non-text-key", Post({7: "1"}), "Không có mục nào có khóa «7»"),
    ("post-oversized-text", Post({"cd_nguon_luc": "Nội dung " * 120_000}),
     "vượt quá giới hạn 32.000 ký tự"),
    ("post-oversized-number", Post({"nv_tong": "9" * 1_100_000}), "1.100.000 ký tự không phải là"),
    ("post-control-nul", Post({"cd_nguon_luc": "Bố trí\x00 01 công chức"}),
     "ký tự điều khiển không hiển thị được (mã U+0000)"),
    ("post-control-escape", Post({"cd_ke_hoach_van_ban": "Kế hoạch\x1b[31m"}), "mã U+001B"),
    ("post-control-c1", Post({"cd_ke_hoach_van_ban": "Kế\x85hoạch"}), "mã U+0085"),
    ("post-invalid-utf8-text", Post({"cd_nguon_luc": b"B\xe1\xbb\x91 tr\xff\xfe"}),
     UNREADABLE_TEXT),
    ("post-invalid-utf8-number", Post({"nv_tong": b"\xff\xfe12"}), "không phải là số"),
    ("post-lone-surrogate", Post({"cd_nguon_luc": "Bố trí \udcff"}), "Không đọc được giá trị"),
    ("post-negative", Post({"nv_tong": "-5"}), "không được âm"),
    ("post-negative-float", Post({"hs_tiep_nhan": -1.0}), "không được âm"),
    ("post-huge-float", Post({"ngan_sach_thu": 1e300}), "quá lớn"),
    ("post-huge-text-number", Post({"ngan_sach_thu": "1e300"}), NOT_NUMBER),
    ("post-huge-int", Post({"nv_tong": 10**40}), "quá lớn"),
    ("post-nan-text", Post({"nv_tong": "NaN"}), NOT_NUMBER),
    ("post-infinity-text", Post({"hai_long": "Infinity"}), NOT_PERCENT),
    ("post-nan-float", Post({"hai_long": float("nan")}), NOT_PERCENT),
    ("post-inf-float", Post({"ngan_sach_chi": float("inf")}), NOT_NUMBER),
    ("post-minus-inf-float", Post({"ngan_sach_chi": float("-inf")}), NOT_NUMBER),
    ("post-list-for-number", Post({"nv_tong": ["12"]}), NOT_NUMBER),
    ("post-dict-for-number", Post({"nv_tong": {"value": "12"}}), NOT_NUMBER),
    ("post-bool-for-number", Post({"nv_tong": True}), NOT_NUMBER),
    ("post-list-for-text", Post({"cd_nguon_luc": ["Bố trí", "01 công chức"]}), UNREADABLE_TEXT),
    ("post-dict-for-text", Post({"cd_nguon_luc": {"text": "Bố trí"}}), UNREADABLE_TEXT),
    ("post-set-for-text", Post({"cd_nguon_luc": {"a"}}), UNREADABLE_TEXT),
    ("post-percent-over", Post({"hai_long": "100,5"}), "lớn hơn"),
    ("post-broken-rule", Post({"hs_dung_han": "5.000"}), "không được lớn hơn"),
    ("post-draft-unreadable", Post({"nv_tong": "mười"}, mode="draft", unit="VP"), NOT_NUMBER),
    ("post-closed-round", Post({}, round="closed", unit="VP"), "đã đóng"),
    ("post-unit-not-in-round", Post({}, unit="KHONG_CO"), "không thuộc đợt báo cáo"),
]


def test_the_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 40
    assert len({name for name, _, _ in CORPUS}) == len(CORPUS)
    assert sum(isinstance(a, Upload) for _, a, _ in CORPUS) >= 20
    assert sum(isinstance(a, Post) for _, a, _ in CORPUS) >= 20


def _messages_of_upload(kit: Kit, attempt: Upload, db) -> list[str]:
    data = attempt.build(kit)
    round_id = getattr(kit.world, attempt.round) if attempt.round else None
    outcome = ingest_upload(db, data, "bao-cao.xlsx", actor="khach", round_id=round_id,
                            unit_code=attempt.unit)
    assert outcome.status == "rejected", outcome
    assert outcome.revision is None
    return list(outcome.errors)


def _messages_of_post(kit: Kit, attempt: Post, db) -> list[str]:
    raw: dict[Any, Any] = {k: v for k, v in SAMPLE.items() if k not in attempt.drop}
    raw.update(attempt.changes)
    try:
        intake = submit_values(db, round_id=getattr(kit.world, attempt.round),
                               unit_code=attempt.unit, raw=raw, channel="web",
                               actor=attempt.unit.lower(), mode=attempt.mode)
    except StoreError as exc:
        return [str(exc)]
    assert intake.revision is None, intake.revision
    return [issue.message for issue in intake.result.errors]


@pytest.mark.parametrize(("attempt", "expected"),
                         [pytest.param(a, e, id=name) for name, a, e in CORPUS])
def test_refused_with_a_clear_message_and_nothing_changed(attempt, expected, kit, world_file,
                                                          tmp_path) -> None:
    path = tmp_path / "decuong.db"
    shutil.copyfile(world_file, path)
    before = dump(path)
    db = store.open_db(path)
    try:
        if isinstance(attempt, Upload):
            messages = _messages_of_upload(kit, attempt, db)
        else:
            messages = _messages_of_post(kit, attempt, db)
    finally:
        db.close()
    assert messages, "refused without saying why"
    assert any(expected in message for message in messages), messages
    assert dump(path) == before


def test_merged_cells_over_optional_inputs_are_read_as_excel_shows_them(kit, world_file,
                                                                        tmp_path) -> None:
    """Merging D of two inputs keeps the top-left value (what Excel shows); the covered item is
    empty and the uploader is told which item that was, with the range."""
    path = tmp_path / "decuong.db"
    shutil.copyfile(world_file, path)
    db = store.open_db(path)
    data = edit(kit.filled, merge_over("nv_hoan_thanh", "nv_dang_thuc_hien"))
    outcome = ingest_upload(db, data, "gop-o.xlsx", actor="vp")
    assert outcome.status == "accepted", outcome.errors
    values = outcome.revision["values"]
    assert values["nv_hoan_thanh"] == 9 and values["nv_dang_thuc_hien"] is None
    [note] = [w for w in outcome.warnings if "gộp" in w]
    assert note.startswith("Báo cáo!D") and "chỉ đọc được số liệu ở ô D" in note
    assert "Số nhiệm vụ đang thực hiện" in note and "Số nhiệm vụ đã hoàn thành" not in note
    db.close()
