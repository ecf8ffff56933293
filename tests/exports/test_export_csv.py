"""CSV export: a zip of UTF-8 (BOM) tables, figures as the reference, injection neutralised."""

from __future__ import annotations

import csv
import io
import math
import unicodedata
import zipfile

from export_round import PAYLOADS, reference

from exports import FORMATS

BOM = b"\xef\xbb\xbf"


def read(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"))))


def number(text: str):
    return None if text == "" else float(text)


def test_zip_holds_one_bom_file_per_table(consolidated, tmp_path):
    consolidation, meta, _ = consolidated
    path = tmp_path / "tong-hop.zip"
    FORMATS["csv"](consolidation, path, meta=meta)
    archive = zipfile.ZipFile(path)
    names = archive.namelist()
    assert {"01-tong-hop.csv", "y-kien.csv", "don-vi.csv", "chi-tieu.csv",
            "bang-sang-kien.csv"} <= set(names)
    for name in names:
        assert archive.read(name).startswith(BOM), name
        assert all(ord(c) < 128 for c in name)


def test_summary_figures_match_the_reference(consolidated, tmp_path):
    consolidation, meta, data = consolidated
    path = tmp_path / "tong-hop.csv"
    FORMATS["csv"](consolidation, path, meta=meta)
    rows = read(path.read_bytes())
    header = rows[0]
    assert header[:4] == ["Mã đơn vị", "Đơn vị", "Loại đơn vị", "Tình trạng"]
    assert all(unicodedata.is_normalized("NFC", h) for h in header)
    col = {key: next(i for i, h in enumerate(header) if fragment in h) for key, fragment in {
        "tiep_nhan": "Tổng số hồ sơ tiếp nhận", "dung_han": "Giải quyết đúng hạn",
        "da_giai_quyet": "Số hồ sơ đã giải quyết", "ty_le_dung_han": "Tỷ lệ giải quyết",
        "nv_tong": "Tổng số nhiệm vụ"}.items()}
    expected = reference(data)
    seen = 0
    for row in rows[1:]:
        key = row[0] or row[1]
        if key.startswith("'"):
            key = key[1:]
        for item, i in col.items():
            want, got = expected[key][item], number(row[i])
            assert (want is None and got is None) or math.isclose(got, want, rel_tol=1e-12), \
                f"{key} {item}: {got} ≠ {want}"
        seen += 1
    assert seen == len(data["units"]) + 3


def test_injection_payloads_get_an_apostrophe_numbers_do_not(consolidated, tmp_path):
    consolidation, meta, _ = consolidated
    path = tmp_path / "all.zip"
    FORMATS["csv"](consolidation, path, meta=meta)
    archive = zipfile.ZipFile(path)
    opinions = read(archive.read("y-kien.csv"))
    texts = {row[1]: row[3] for row in opinions[1:]}
    names = {row[1]: row[2] for row in opinions[1:]}
    for i, payload in enumerate(PAYLOADS):
        code = f"PH{i + 1:02d}"
        assert texts[code] == "'" + payload
        assert names[code] == "'" + payload
    for name in archive.namelist():
        for row in read(archive.read(name)):
            for cell in row:
                assert not cell.lstrip().startswith(("=", "+", "@")), (name, cell)
                if cell.startswith("-"):
                    float(cell)  # only real negative numbers may start with "-"
