"""The coordinator's consolidated pages, against an independent plain-Python reference.

A round of a small outline (a sum, a rate as a formula with a target, a typed-in percent that
aggregates as a mean, a narrative, a repeating table) for 13 units of two kinds, stored through
store functions: empty cells, zeros, a zero denominator, a missing unit, a late unit, a
returned one, an XSS payload in a unit name and in a narrative. Totals are recomputed here from
the raw values with loops and sum() — never with the code under test — and compared with what
the page shows in Vietnamese format.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from html import unescape
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from web_helpers import COORDINATOR, USER_A, as_user, create_test_app, text

import store

OUTLINE = """\
id: tong-hop-web
version: 1
title: Đề cương thử tổng hợp trên web
items:
  - type: section
    number: I.
    label: KẾT QUẢ GIẢI QUYẾT HỒ SƠ
    items:
      - {type: integer, name: da_giai_quyet, number: "1.", label: Số hồ sơ đã giải quyết,
         unit: hồ sơ}
      - {type: integer, name: dung_han, number: "2.", label: Số hồ sơ giải quyết đúng hạn,
         unit: hồ sơ}
      - {type: percent, name: ty_le, number: "3.", label: Tỷ lệ đúng hạn,
         calculation: dung_han / da_giai_quyet * 100, target: ">= 90"}
      - {type: percent, name: hai_long, number: "4.", label: Mức độ hài lòng}
      - {type: long_text, name: ghi_chu, number: "5.", label: Đánh giá chung}
      - type: table
        name: sang_kien
        number: "6."
        label: Sáng kiến
        columns:
          - {type: text, name: ten, label: Tên sáng kiến}
          - {type: integer, name: so_nguoi, label: Số người tham gia}
"""
XSS_NAME = "<script>alert('ten')</script> Phòng Tư pháp"
XSS_TEXT = "<img src=x onerror=alert(1)> Đã làm tốt"
DEADLINE = date(2025, 12, 31)
ON_TIME = datetime(2025, 12, 20, 3, 0, tzinfo=UTC)
LATE = datetime(2026, 1, 3, 3, 0, tzinfo=UTC)

# code, name, kind, raw values (None: never submits); "" is an empty cell.
UNITS: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("P01", "Phòng Văn hóa - Xã hội", "phòng",
     {"da_giai_quyet": "1.234", "dung_han": "1.200", "hai_long": "97,5",
      "ghi_chu": "Giải quyết đúng hạn phần lớn hồ sơ.",
      "sang_kien": [{"ten": "Trả kết quả qua Zalo", "so_nguoi": "12"}]}),
    ("P02", "Phòng Kinh tế", "phòng",
     {"da_giai_quyet": "500", "dung_han": "430", "hai_long": "88"}),
    ("P03", XSS_NAME, "phòng",
     {"da_giai_quyet": "80", "dung_han": "", "hai_long": "", "ghi_chu": XSS_TEXT}),
    ("P04", "Phòng Nội vụ", "phòng",
     {"da_giai_quyet": "0", "dung_han": "0", "hai_long": "100"}),  # zero denominator
    ("P05", "Phòng Tài chính - Kế hoạch", "phòng", None),  # missing
    ("P06", "Phòng Y tế", "phòng",
     {"da_giai_quyet": "45", "dung_han": "45", "hai_long": "92,25"}),
    ("P07", "Phòng Giáo dục", "phòng",
     {"da_giai_quyet": "", "dung_han": "", "hai_long": "90"}),  # empty cells
    ("X01", "UBND xã Cẩm Giang", "xã",
     {"da_giai_quyet": "2.000", "dung_han": "1.900", "hai_long": "95",
      "ghi_chu": "Bộ phận một cửa làm việc cả thứ Bảy."}),
    ("X02", "UBND xã Cẩm Hưng", "xã",
     {"da_giai_quyet": "310", "dung_han": "250", "hai_long": "81,5"}),  # late
    ("X03", "UBND xã Cẩm Sơn", "xã",
     {"da_giai_quyet": "0", "dung_han": "0"}),  # zeros
    ("X04", "UBND xã Cẩm Đông", "xã",
     {"da_giai_quyet": "120", "dung_han": "119", "hai_long": "99"}),
    ("X05", "UBND xã Cẩm Tây", "xã",
     {"da_giai_quyet": "66", "dung_han": "60", "hai_long": "93"}),  # returned afterwards
    ("X06", "UBND xã Cẩm Nam", "xã",
     {"da_giai_quyet": "700", "dung_han": "699", "hai_long": "96,4"}),
]
LATE_UNIT, RETURNED_UNIT, MISSING_UNIT = "X02", "X05", "P05"


def build_round(db: Any, units: list[tuple[str, str, str, dict[str, Any] | None]] = UNITS,
                title: str = "Đợt tổng hợp thử") -> int:
    """The round above, stored through store functions only."""
    outline = store.register_outline(db, OUTLINE, actor="test")
    store.upsert_units(db, [{"code": c, "name": n, "kind": k} for c, n, k, _ in units],
                       actor="test")
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version, title=title,
        period_start="2025-07-01", period_end="2025-12-31", period_label="6 tháng cuối năm",
        deadline=store.deadline_end_of_day(DEADLINE), units=[u[0] for u in units],
        created_by="test")
    for code, _name, _kind, raw in units:
        if raw is None:
            continue
        intake = store.submit_values(db, round_id=round_id, unit_code=code, raw=raw,
                                     channel="import", actor="test",
                                     now=LATE if code == LATE_UNIT else ON_TIME)
        assert intake.revision is not None, intake.result.errors
    if any(u[0] == RETURNED_UNIT for u in units):
        store.set_status(db, round_id, RETURNED_UNIT, "returned", "test",
                         comment="Sửa lại số liệu.")
    return round_id


# --- an independent reference -------------------------------------------------------------


def number(raw: str) -> Decimal | None:
    """`1.234` → 1234, `97,5` → 97.5, "" → None (no data)."""
    raw = raw.strip()
    return None if raw == "" else Decimal(raw.replace(".", "").replace(",", "."))


def vn(value: Decimal) -> str:
    """Vietnamese format, two decimals at most: 1234.5 → 1.234,5."""
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN).normalize()
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


def reference(codes: set[str] | None = None) -> dict[str, Any]:
    """Totals over the units that count (submitted or accepted; not missing, not returned)."""
    counted = [raw for code, _n, _k, raw in UNITS
               if raw is not None and code != RETURNED_UNIT and (codes is None or code in codes)]
    sums: dict[str, Decimal] = {}
    for key in ("da_giai_quyet", "dung_han"):
        present = [number(raw.get(key, "")) for raw in counted]
        sums[key] = sum((v for v in present if v is not None), Decimal(0))
    moods = [v for v in (number(raw.get("hai_long", "")) for raw in counted) if v is not None]
    return {
        "da_giai_quyet": sums["da_giai_quyet"],
        "dung_han": sums["dung_han"],
        # Ratio of sums, never a mean of the units' rates.
        "ty_le": sums["dung_han"] / sums["da_giai_quyet"] * 100,
        "mean": sum(moods, Decimal(0)) / len(moods), "min": min(moods), "max": max(moods),
        "n": len(moods),
    }


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture
def round_id(db: Any) -> int:
    return build_round(db)


@pytest.fixture
def coordinator(client: Any) -> Any:
    return as_user(client, COORDINATOR)


def page_url(round_id: int, query: str = "") -> str:
    return f"/coordinator/rounds/{round_id}/tong-hop" + (f"?{query}" if query else "")


def row_cells(html: str, css: str, table: str = "bang-I") -> tuple[str, list[str]]:
    """(header text, cell texts) of the first row of class `css` in table `table`."""
    body = re.search(rf'<table class="ctable" id="{table}".*?</table>', html, re.S)
    assert body, f"no table {table}"
    row = re.search(rf'<tr class="{css}">(.*?)</tr>', body.group(0), re.S)
    assert row, f"no row {css}"
    head = re.search(r"<th[^>]*>(.*?)</th>", row.group(1), re.S)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)

    def plain(fragment: str) -> str:
        return unescape(re.sub(r"<[^>]+>", "", fragment)).strip()

    return plain(head.group(1) if head else ""), [plain(c) for c in cells]


def unit_row(html: str, code: str) -> str:
    found = re.search(rf'<tr class="unit[^"]*"><th[^>]*>[^<]*<span class="code">{code}</span>'
                      r".*?</tr>", html, re.S)
    assert found, f"no row for {code}"
    return found.group(0)


# --- tests --------------------------------------------------------------------------------


def test_page_renders_for_the_coordinator_only(client: Any, round_id: int) -> None:
    url = page_url(round_id)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    as_user(client, USER_A)
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/tai-ve/xlsx").status_code == 404
    assert client.post(f"{url}/chot", data={"label": "x"}).status_code == 404
    as_user(client, COORDINATOR)
    response = client.get(url)
    assert response.status_code == 200
    html = text(response)
    assert "Tổng hợp số liệu" in html and "KẾT QUẢ GIẢI QUYẾT HỒ SƠ" in html
    assert 'position: sticky' not in html  # styles live in the static file
    assert "consolidation.css" in html and "consolidation.js" in html
    assert client.get(page_url(round_id + 999)).status_code == 404


def test_total_row_matches_the_reference_in_vietnamese_format(coordinator: Any,
                                                               round_id: int) -> None:
    html = text(coordinator.get(page_url(round_id)))
    ref = reference()
    name, cells = row_cells(html, "total")
    assert name == "Tổng cộng"
    assert cells[0] == vn(ref["da_giai_quyet"]) == "4.989"
    assert cells[1] == vn(ref["dung_han"])
    rate = vn(ref["ty_le"])
    assert cells[2].startswith(rate)  # ratio of sums, judged against ≥ 90
    assert cells[2].endswith("✓")
    mean = f"{vn(ref['mean'])} ({vn(ref['min'])}–{vn(ref['max'])}; n={ref['n']})"
    assert cells[3] == mean
    assert "Trung bình (nhỏ nhất–lớn nhất; n)" in html  # a mean says it is one
    # Subtotals per kind, by the same reference.
    phong = reference({c for c, _n, k, _r in UNITS if k == "phòng"})
    _, sub = row_cells(html, "subtotal")
    assert sub[0] == vn(phong["da_giai_quyet"]) and sub[2].startswith(vn(phong["ty_le"]))


def test_missing_unit_is_not_reported_never_zero(coordinator: Any, round_id: int) -> None:
    html = text(coordinator.get(page_url(round_id)))
    missing = unit_row(html, MISSING_UNIT)
    assert "Chưa báo cáo" in missing
    assert "<td>0</td>" not in missing and ">0<" not in missing
    returned = unit_row(html, RETURNED_UNIT)
    assert "Chưa báo cáo · Bị trả lại" in returned
    # Zeros are zeros; an empty cell is empty; a zero denominator gives no rate.
    zeros = unit_row(html, "X03")
    assert zeros.count("<td>0</td>") == 2
    zero_denominator = unit_row(html, "P04")
    assert 'class="v-nodata"' in zero_denominator
    empty = unit_row(html, "P07")
    assert empty.count('<td class="nd"></td>') == 2
    late = unit_row(html, LATE_UNIT)
    assert 'badge late' in late


def test_completeness_counts_and_chart(coordinator: Any, round_id: int) -> None:
    html = text(coordinator.get(page_url(round_id)))
    found = re.findall(r'<li[^>]*><span class="n">(\d+)</span> ([^<]+)</li>', html)
    counts = {label: n for n, label in found}
    assert counts == {"phải báo cáo": "13", "đã nộp": "11", "đúng hạn": "10", "muộn": "1",
                      "chưa nộp": "1", "bị trả lại": "1", "đã tiếp nhận": "0"}
    assert '<svg class="chart stack-chart" role="img"' in html
    assert "Tình hình nộp báo cáo: 11/13 đơn vị đã nộp" in html
    # The rate chart: target line, values as text.
    assert 'class="target"' in html and "Chỉ tiêu ≥ 90 %" in html


def test_kind_filter_keeps_subtotal_and_says_what_the_total_covers(coordinator: Any,
                                                                   round_id: int) -> None:
    html = text(coordinator.get(page_url(round_id, "kind=xã")))
    table = re.search(r'<table class="ctable" id="bang-I".*?</table>', html, re.S).group(0)
    assert "UBND xã Cẩm Giang" in table and "Phòng Kinh tế" not in table
    name, sub = row_cells(html, "subtotal")
    assert name.startswith("Cộng xã")
    assert sub[0] == vn(reference({c for c, _n, k, _r in UNITS if k == "xã"})["da_giai_quyet"])
    name, total = row_cells(html, "total")
    assert "tất cả 13 đơn vị" in name and total[0] == vn(reference()["da_giai_quyet"])
    assert "Đang lọc" in html and "vẫn tính cho" in html
    # Narratives follow the filter too.
    assert "Bộ phận một cửa làm việc cả thứ Bảy." in html
    assert "Giải quyết đúng hạn phần lớn hồ sơ." not in html
    # An unknown kind shows everything rather than nothing.
    assert "Phòng Kinh tế" in text(coordinator.get(page_url(round_id, "kind=không-có")))


def test_narratives_stacked_tables_and_escaping(coordinator: Any, round_id: int) -> None:
    html = text(coordinator.get(page_url(round_id)))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;ten&#39;)&lt;/script&gt; Phòng Tư pháp" in html
    assert "&lt;img src=x onerror=alert(1)&gt; Đã làm tốt" in html
    narr = re.search(r'<div class="narr">.*?</ol>', html, re.S).group(0)
    order = [narr.index(name) for name in ("Phòng Văn hóa - Xã hội", "Phòng Tư pháp",
                                           "UBND xã Cẩm Giang")]
    assert order == sorted(order)  # units in the round's order
    assert "data-copy" in narr
    assert "Trả kết quả qua Zalo" in html and ">12<" in html  # stacked table row


def test_section_page_and_bases(coordinator: Any, round_id: int, db: Any) -> None:
    section = coordinator.get(f"/coordinator/rounds/{round_id}/tong-hop/phan/I")
    assert section.status_code == 200 and 'id="bang-I"' in text(section)
    assert coordinator.get(f"/coordinator/rounds/{round_id}/tong-hop/phan/IX").status_code \
        == 404
    accepted = text(coordinator.get(page_url(round_id, "basis=accepted")))
    _, cells = row_cells(accepted, "total")
    assert all(c in ("", "–") for c in cells)  # nothing accepted yet: no data, not zeros
    store.set_status(db, round_id, "X01", "accepted", "test")
    accepted = text(coordinator.get(page_url(round_id, "basis=accepted")))
    _, cells = row_cells(accepted, "total")
    assert cells[0] == "2.000"
    assert coordinator.get(page_url(round_id, "basis=nonsense")).status_code == 404


def test_snapshot_is_frozen_and_downloadable(coordinator: Any, round_id: int, db: Any) -> None:
    response = coordinator.post(f"/coordinator/rounds/{round_id}/tong-hop/chot",
                                data={"label": "Số liệu gửi UBND tỉnh", "basis": "submitted"})
    assert response.status_code == 302
    [snapshot] = store.snapshots.list_snapshots(db, round_id)
    assert snapshot["label"] == "Số liệu gửi UBND tỉnh" and snapshot["created_by"] == COORDINATOR
    assert response.headers["Location"].endswith(f"basis=snapshot-{snapshot['id']}")
    frozen_url = page_url(round_id, f"basis=snapshot-{snapshot['id']}")
    before = row_cells(text(coordinator.get(frozen_url)), "total")[1]
    # A unit corrects its report after the freeze.
    store.set_status(db, round_id, "X06", "draft", "x06")
    store.submit_values(db, round_id=round_id, unit_code="X06", channel="import", actor="x06",
                        raw={"da_giai_quyet": "1.700", "dung_han": "1.699"})
    live = row_cells(text(coordinator.get(page_url(round_id))), "total")[1]
    assert live[0] == vn(reference()["da_giai_quyet"] + 1000)
    frozen = text(coordinator.get(frozen_url))
    assert row_cells(frozen, "total")[1] == before
    assert "Đang xem bản chốt số liệu «Số liệu gửi UBND tỉnh»" in frozen
    download = coordinator.get(
        f"/coordinator/rounds/{round_id}/tong-hop/chot/{snapshot['id']}/tai-ve/xlsx")
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(download.data), read_only=True)
    cells = [v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for v in row if v is not None]
    assert 4989 in cells and 5989 not in cells  # the frozen total, not the corrected one
    # Another round's snapshot id is not this round's.
    other = build_round(db, UNITS[:2], title="Đợt khác")
    assert coordinator.get(page_url(other, f"basis=snapshot-{snapshot['id']}")).status_code \
        == 404


def test_snapshot_post_needs_a_csrf_token(demo: dict[str, Any], tmp_path: Path,
                                          db: Any) -> None:
    round_id = build_round(db)
    app = create_test_app(demo["db_path"], tmp_path, WTF_CSRF_ENABLED=True)
    client = as_user(app.test_client(), COORDINATOR)
    url = f"/coordinator/rounds/{round_id}/tong-hop/chot"
    assert client.post(url, data={"label": "Không có mã"}).status_code == 400
    assert store.snapshots.list_snapshots(db, round_id) == []
    html = text(client.get(page_url(round_id)))
    token = re.search(r'id="freeze-form".*?name="csrf_token" value="([^"]+)"', html, re.S)
    response = client.post(url, data={"label": "Có mã", "csrf_token": token.group(1)})
    assert response.status_code == 302
    assert [s["label"] for s in store.snapshots.list_snapshots(db, round_id)] == ["Có mã"]


@pytest.mark.parametrize("fmt, mimetype, suffix", [
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    ("csv", "application/zip", ".zip"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
])
def test_downloads_are_valid_files_with_vietnamese_intact(coordinator: Any, round_id: int,
                                                          fmt: str, mimetype: str,
                                                          suffix: str) -> None:
    response = coordinator.get(f"/coordinator/rounds/{round_id}/tong-hop/tai-ve/{fmt}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    disposition = response.headers["Content-Disposition"]
    disposition.encode("ascii")  # a header must be ASCII
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]  # for old clients
    assert fallback.startswith("Tong hop - ") and fallback.endswith(suffix)
    assert "filename*=UTF-8''T%E1%BB%95ng%20h%E1%BB%A3p" in disposition  # "Tổng hợp"
    data = response.data
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        found = {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                 for v in row if v is not None}
        assert "UBND xã Cẩm Giang" in found and "4989" in found
        assert any("Phòng Tư pháp" in v for v in found)
    elif fmt == "csv":
        archive = zipfile.ZipFile(io.BytesIO(data))
        texts = []
        for name in archive.namelist():
            raw = archive.read(name)
            assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
            texts.extend(v for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")))
                         for v in row)
        assert "UBND xã Cẩm Giang" in texts
        assert "Bộ phận một cửa làm việc cả thứ Bảy." in " ".join(texts)
    else:
        document = docx.Document(io.BytesIO(data))
        body = "\n".join(p.text for p in document.paragraphs)
        body += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        assert "Đề cương thử tổng hợp trên web" in body
        assert "Bộ phận một cửa làm việc cả thứ Bảy." in body
    assert coordinator.get(f"/coordinator/rounds/{round_id}/tong-hop/tai-ve/pdf").status_code \
        == 404


def test_links_from_round_pages(coordinator: Any, round_id: int) -> None:
    html = text(coordinator.get(f"/coordinator/rounds/{round_id}"))
    assert f'href="/coordinator/rounds/{round_id}/tong-hop"' in html
    assert f"/coordinator/rounds/{round_id}/tong-hop/tai-ve/docx" in html
    overview = text(coordinator.get("/coordinator/"))
    assert f'href="/coordinator/rounds/{round_id}/tong-hop"' in overview
    assert f"/coordinator/rounds/{round_id}/tong-hop/tai-ve/xlsx" in overview


def test_cache_follows_new_revisions(coordinator: Any, round_id: int, db: Any) -> None:
    """The page is cached per round state: a new submission shows at once."""
    first = row_cells(text(coordinator.get(page_url(round_id))), "total")[1]
    assert first == row_cells(text(coordinator.get(page_url(round_id))), "total")[1]
    store.submit_values(db, round_id=round_id, unit_code=MISSING_UNIT, channel="import",
                        actor="p05", raw={"da_giai_quyet": "10", "dung_han": "10"})
    html = text(coordinator.get(page_url(round_id)))
    assert row_cells(html, "total")[1][0] == vn(reference()["da_giai_quyet"] + 10)
    assert "Chưa báo cáo" not in unit_row(html, MISSING_UNIT)


def test_rollup_along_the_unit_hierarchy(coordinator: Any, round_id: int, db: Any) -> None:
    """Units with an expected parent: the parent's row aggregates its whole subtree."""
    assert "Cộng dồn theo cấp đơn vị" not in text(coordinator.get(page_url(round_id)))
    below = [u for u in UNITS if u[0] in ("P01", "P02", "P03")]
    store.upsert_units(db, [{"code": c, "name": n, "kind": k, "parent": "X01"}
                            for c, n, k, _ in below], actor="test")
    html = text(coordinator.get(page_url(round_id)))
    assert "Cộng dồn theo cấp đơn vị" in html
    table = re.search(r'<table class="ctable" id="bang-cong-don".*?</table>', html, re.S)
    assert table is not None
    row = re.search(r'<span class="code">X01</span></th>(.*?)</tr>', table.group(0), re.S)
    cells = [re.sub(r"<[^>]+>", "", c).strip()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
    total = sum(number(raw["da_giai_quyet"]) for code, _n, _k, raw in UNITS
                if code in ("X01", "P01", "P02", "P03") and raw)
    assert cells[:3] == ["4", "4", vn(total)]
