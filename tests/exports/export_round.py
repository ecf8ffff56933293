"""Shared data for tests/exports: a round of 60 units stored for real in SQLite through the
store, and an independent plain-Python reference computed from the raw values generated here
(loops and sum(), never the code under test)."""

from __future__ import annotations

import random
from datetime import date, datetime

import store

OUTLINE_YAML = """
id: thu-xuat
version: 1
title: Đề cương báo cáo công tác cải cách hành chính (thử xuất)
issuer: UBND xã Thử Nghiệm
items:
  - type: section
    number: I.
    label: CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH
    items:
      - type: section
        number: "1."
        label: Mức độ hoàn thành nhiệm vụ
        items:
          - {type: integer, name: nv_tong, number: "+", label: Tổng số nhiệm vụ,
             unit: nhiệm vụ}
          - {type: integer, name: nv_xong, number: "+", label: Số nhiệm vụ đã hoàn thành,
             unit: nhiệm vụ}
      - {type: long_text, name: y_kien, number: "2.", label: Đánh giá chung về công tác chỉ đạo}
  - type: section
    number: II.
    label: KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH
    items:
      - {type: integer, name: tiep_nhan, number: "-", label: Tổng số hồ sơ tiếp nhận,
         unit: hồ sơ}
      - {type: integer, name: da_giai_quyet, number: "-", label: Số hồ sơ đã giải quyết,
         unit: hồ sơ}
      - {type: integer, name: dung_han, number: "+", label: Giải quyết đúng hạn, unit: hồ sơ}
      - type: percent
        name: ty_le_dung_han
        number: "+"
        label: Tỷ lệ giải quyết đúng hạn
        calculation: dung_han / da_giai_quyet * 100
        target: ">= 95"
      - {type: percent, name: hai_long, number: "-", label: Mức độ hài lòng của người dân}
      - type: table
        name: sang_kien
        number: "-"
        label: Những sáng kiến và cách làm hay trong CCHC
        columns:
          - {type: text, name: ten, label: Tên sáng kiến}
          - {type: integer, name: so_nguoi, label: Số người tham gia, unit: người}
          - {type: date, name: ngay, label: Ngày áp dụng}
"""

SUM_KEYS = ("nv_tong", "nv_xong", "tiep_nhan", "da_giai_quyet", "dung_han")
PAYLOADS = ('=HYPERLINK("http://evil.example/x","Bấm vào đây")', "+1", "-2+3", "@SUM(A1)")
DEADLINE_DAY = date(2025, 11, 12)
ON_TIME = datetime.fromisoformat("2025-11-10T09:00:00+07:00")
LATE = datetime.fromisoformat("2025-11-14T10:30:00+07:00")
CONTACT = "Chị Nguyễn Thị Hoà, 0912 345 678"
LONG_CODE = "PH05"
LONG_TEXT = ("Đánh giá rất dài của đơn vị về công tác cải cách hành chính. " * 700)[:40_000]


def _maybe(rng: random.Random, value, p_none: float = 0.15):
    return None if rng.random() < p_none else value


def build_round(db, seed: int = 5, n: int = 60) -> dict:
    """Store units, the outline, a round and submissions; return what the reference needs:
    round id, units (code → name, kind, status, late) and the values of units that count."""
    rng = random.Random(seed)
    outline = store.register_outline(db, OUTLINE_YAML, actor="test")
    n_xa = n // 5
    rows = []
    for i in range(n - n_xa):
        code = f"PH{i + 1:02d}"
        name = PAYLOADS[i] if i < len(PAYLOADS) else f"Phòng Văn hoá - Xã hội số {i + 1}"
        rows.append({"code": code, "name": name, "kind": "phòng", "contact": CONTACT})
    for i in range(n_xa):
        rows.append({"code": f"XA{i + 1:02d}", "name": f"UBND xã Cẩm Giang {i + 1}",
                     "kind": "xã", "contact": CONTACT})
    store.upsert_units(db, rows)
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version,
        title="Báo cáo CCHC 6 tháng cuối năm 2025", period_start=date(2025, 7, 1),
        period_end=date(2025, 12, 31), period_label="6 tháng cuối năm 2025",
        deadline=store.deadline_end_of_day(DEADLINE_DAY),
        units=[r["code"] for r in rows], created_by="test")
    units: dict[str, dict] = {}
    counted: dict[str, dict] = {}
    accepted: dict[str, dict] = {}
    for i, row in enumerate(rows):
        code = row["code"]
        status = rng.choices(["missing", "draft", "submitted", "returned", "accepted"],
                             [2, 1, 6, 1, 3])[0]
        if code in ("PH01", "PH02", "PH03", "PH04", LONG_CODE):
            status = "submitted"
        late = status in ("submitted", "returned", "accepted") and rng.random() < 0.25
        units[code] = {"name": row["name"], "kind": row["kind"], "status": status,
                       "late": late}
        if status == "missing":
            continue
        resolved = rng.choice([0, 0, 5, 20, 100, rng.randint(1, 400)])
        raw = {
            "nv_tong": _maybe(rng, rng.randint(0, 30)),
            "nv_xong": _maybe(rng, rng.randint(0, 30)),
            "tiep_nhan": _maybe(rng, rng.randint(0, 600), 0.3),
            "da_giai_quyet": _maybe(rng, resolved, 0.1),
            "dung_han": _maybe(rng, rng.randint(0, resolved), 0.1),
            "hai_long": _maybe(rng, round(rng.uniform(60, 100), 1), 0.25),
            "y_kien": rng.choice([None, f"Đơn vị {row['name']} đã triển khai kế hoạch số "
                                        f"{rng.randint(1, 99)}/KH-UBND đúng tiến độ."]),
            "sang_kien": [{"ten": f"Sáng kiến {k + 1} của {code}", "so_nguoi": k + 2,
                           "ngay": "12/11/2025"} for k in range(rng.randint(0, 2))],
        }
        if i < len(PAYLOADS):
            raw["y_kien"] = PAYLOADS[i]
        mode = "draft" if status == "draft" else "submit"
        intake = store.submit_values(db, round_id=round_id, unit_code=code, raw=raw,
                                     channel="web", actor=code, mode=mode,
                                     now=LATE if late else ON_TIME)
        assert intake.stored, intake.result.issues
        if status == "returned":
            store.set_status(db, round_id, code, "returned", "dau-moi", comment="Sửa lại số liệu.")
        if status == "accepted":
            store.set_status(db, round_id, code, "accepted", "dau-moi")
        if status in ("submitted", "accepted"):
            counted[code] = raw
        if status == "accepted":
            accepted[code] = raw
    # A narrative longer than an Excel cell, stored as an import from an older system would
    # (the web form caps long texts below Excel's limit).
    typed = store.get_revision(db, round_id, LONG_CODE)["values"]
    store.save_revision(db, round_id=round_id, unit_code=LONG_CODE,
                        values={**typed, "y_kien": LONG_TEXT},
                        status="submitted", channel="import", actor="test", now=ON_TIME)
    counted[LONG_CODE] = {**counted[LONG_CODE], "y_kien": LONG_TEXT}
    return {"round": round_id, "units": units, "counted": counted, "accepted": accepted}


# -- the independent reference -------------------------------------------------------------------


def ref_sum(records, key):
    present = [r[key] for r in records if r.get(key) is not None]
    return sum(present) if present else None


def ref_rate(records):
    on_time, resolved = ref_sum(records, "dung_han"), ref_sum(records, "da_giai_quyet")
    if on_time is None or resolved is None or resolved == 0:
        return None
    return round(on_time / resolved * 100, 2)  # a computed rate is rounded once


def ref_mean(records, key):
    present = [r[key] for r in records if r.get(key) is not None]
    if not present:
        return None, None, None, 0
    return sum(present) / len(present), min(present), max(present), len(present)


def ref_row(records) -> dict:
    """Every figure of a group row (or of one unit, as a one-record group)."""
    row = {key: ref_sum(records, key) for key in SUM_KEYS}
    row["ty_le_dung_han"] = ref_rate(records)
    mean, low, high, n = ref_mean(records, "hai_long")
    row.update({"hai_long": mean, "hai_long@min": low, "hai_long@max": high,
                "hai_long@n": n})
    return row


def ref_verdict(rate) -> str:
    if rate is None:
        return "không có số liệu"
    return "đạt" if rate >= 95 else "không đạt"


def reference(data: dict, basis: str = "counted") -> dict:
    """Rows keyed by unit code, "Cộng phòng", "Cộng xã" and "Tổng cộng"."""
    values = data[basis]
    out = {}
    groups: dict[str, list] = {}
    for code, unit in data["units"].items():
        records = [values[code]] if code in values else []
        out[code] = ref_row(records)
        if records:
            out[code]["hai_long@n"] = None  # a unit row has no count of units
        out[code]["hai_long@min"] = out[code]["hai_long@max"] = None
        groups.setdefault(unit["kind"], []).extend(records)
    for kind, records in groups.items():
        out[f"Cộng {kind}"] = ref_row(records)
    out["Tổng cộng"] = ref_row([values[c] for c in data["units"] if c in values])
    return out
