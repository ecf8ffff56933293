"""Shared test data for tests/aggregate: a Cẩm Giang-shaped outline, a generated round and an
independent plain-Python reference (loops and sum() over the raw values, never the code under
test)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from aggregate import UnitInfo
from forms.loader import load_outline

OUTLINE_YAML = """
id: thu-tong-hop
version: 1
title: Đề cương báo cáo công tác cải cách hành chính (thử)
choices:
  muc_do:
    - {name: tot, label: Tốt}
    - {name: kha, label: Khá}
    - {name: chua_dat, label: Chưa đạt}
items:
  - type: section
    number: I.
    label: CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH
    items:
      - type: long_text
        name: ke_hoach
        number: "-"
        label: Việc xây dựng, ban hành kế hoạch cải cách hành chính.
      - {type: integer, name: nv_tong, number: "+", label: Tổng số nhiệm vụ, unit: nhiệm vụ}
      - {type: integer, name: nv_xong, number: "+", label: Số nhiệm vụ đã hoàn thành,
         unit: nhiệm vụ}
      - {type: yes_no, name: co_quy_che, number: "+", label: Đã ban hành Quy chế}
      - {type: select_one, name: tu_danh_gia, number: "+", label: Tự đánh giá, choices: muc_do}
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
      - {type: percent, name: hai_long, number: "-", label: Mức độ hài lòng}
      - {type: money, name: kinh_phi, number: "-", label: Kinh phí thực hiện, unit: đồng}
      - type: table
        name: sang_kien
        number: "-"
        label: Những sáng kiến và cách làm hay trong CCHC
        columns:
          - {type: text, name: ten, label: Tên sáng kiến}
          - {type: integer, name: so_nguoi, label: Số người tham gia}
          - {type: select_one, name: muc_do, label: Mức độ, choices: muc_do}
"""

SUM_KEYS = ("nv_tong", "nv_xong", "tiep_nhan", "da_giai_quyet", "dung_han", "kinh_phi")
CHOICES = ("tot", "kha", "chua_dat")
DEADLINE = datetime(2025, 11, 12, 17, 0, tzinfo=UTC)


def outline():
    return load_outline(OUTLINE_YAML, filename="thu-tong-hop.yaml")


def _maybe(rng: random.Random, value, p_none: float = 0.15):
    return None if rng.random() < p_none else value


def generate_round(seed: int, n: int = 60) -> tuple[list[UnitInfo], dict[str, dict]]:
    """n units of two kinds (xã, phòng) in mixed display order, phòng under xã and some xã under
    xã 0; statuses with missing, draft, late and returned units; empty cells, zeros and zero
    denominators."""
    rng = random.Random(seed)
    n_xa = max(3, n // 5)
    codes = [f"XA{i:02d}" for i in range(n_xa)] + [f"PH{i:03d}" for i in range(n - n_xa)]
    rng.shuffle(codes)
    units: list[UnitInfo] = []
    values: dict[str, dict] = {}
    for code in codes:
        if code.startswith("XA"):
            kind = "xã"
            index = int(code[2:])
            parent = "XA00" if index in (1, 2, 3) else None
        else:
            kind = "phòng"
            parent = f"XA{rng.randrange(n_xa):02d}"
        status = rng.choices(["missing", "draft", "submitted", "returned", "accepted"],
                             [2, 1, 5, 1, 3])[0]
        submitted_at = None
        late = False
        if status in ("submitted", "returned", "accepted"):
            submitted_at = DEADLINE + timedelta(hours=rng.randint(-200, 48))
            late = submitted_at > DEADLINE
        units.append(UnitInfo(code, f"Đơn vị {code}", kind, parent, status, submitted_at, late))
        if status in ("missing", "draft"):
            continue
        resolved = rng.choice([0, 0, 5, 20, 100, 200, rng.randint(1, 500)])
        record = {
            "nv_tong": _maybe(rng, rng.randint(0, 30)),
            "nv_xong": _maybe(rng, rng.randint(0, 30)),
            "tiep_nhan": _maybe(rng, rng.randint(0, 600), 0.3),
            "da_giai_quyet": _maybe(rng, resolved, 0.1),
            "dung_han": _maybe(rng, rng.randint(0, resolved), 0.1),
            "hai_long": _maybe(rng, round(rng.uniform(60, 100), 1), 0.25),
            "kinh_phi": _maybe(rng, rng.choice([0, rng.randint(1, 10**9)]), 0.2),
            "co_quy_che": _maybe(rng, rng.random() < 0.6, 0.2),
            "tu_danh_gia": _maybe(rng, rng.choice(CHOICES), 0.2),
            "ke_hoach": rng.choice([None, "", "  ", f"Kế hoạch số {rng.randint(1, 99)}/KH"]),
            "sang_kien": [{"ten": f"Sáng kiến {code}-{k}", "so_nguoi": _maybe(rng, k),
                           "muc_do": rng.choice(CHOICES)} for k in range(rng.randint(0, 3))],
            "ty_le_dung_han": 12345.0,  # a stale stored value the consolidation must not trust
        }
        if rng.random() < 0.2:  # a key left out entirely is no data too
            del record["tiep_nhan"]
        values[code] = record
    return units, values


# -- the independent reference --------------------------------------------------------------

def ref_sum(records: list[dict], key: str):
    present = [r[key] for r in records if r.get(key) is not None]
    return sum(present) if present else None


def ref_rate(on_time, resolved):
    """The rate as every channel shows it: computed, then rounded once to 2 decimals."""
    if on_time is None or resolved is None or resolved == 0:
        return None
    return round(on_time / resolved * 100, 2)


def ref_mean(records: list[dict], key: str):
    present = [r[key] for r in records if r.get(key) is not None]
    if not present:
        return None, None, None, 0
    return sum(present) / len(present), min(present), max(present), len(present)


def ref_yes(records: list[dict], key: str):
    answered = [r[key] for r in records if r.get(key) is not None]
    return sum(1 for a in answered if a is True) if answered else None


def ref_choice(records: list[dict], key: str, choice: str):
    answered = [r[key] for r in records if r.get(key) is not None]
    return sum(1 for a in answered if a == choice) if answered else None


def ref_verdict(rate) -> str:
    if rate is None:
        return "không có số liệu"
    return "đạt" if round(rate, 9) >= 95 else "không đạt"


def ref_row(records: list[dict]) -> dict:
    """Every aggregated figure of a group of reporting units' raw records."""
    row: dict = {key: ref_sum(records, key) for key in SUM_KEYS}
    row["ty_le_dung_han"] = ref_rate(row["dung_han"], row["da_giai_quyet"])
    mean, lo, hi, n = ref_mean(records, "hai_long")
    row.update({"hai_long": mean, "hai_long@min": lo, "hai_long@max": hi, "hai_long@n": n})
    row["co_quy_che"] = ref_yes(records, "co_quy_che")
    for choice in CHOICES:
        row[f"tu_danh_gia={choice}"] = ref_choice(records, "tu_danh_gia", choice)
    return row


def ref_unit_row(record: dict | None) -> dict:
    """A unit row: its own values, the rate recomputed; all empty when it has not reported."""
    if record is None:
        return {}
    row = {key: record.get(key) for key in (*SUM_KEYS, "hai_long")}
    row["ty_le_dung_han"] = ref_rate(record.get("dung_han"), record.get("da_giai_quyet"))
    yes = record.get("co_quy_che")
    row["co_quy_che"] = None if yes is None else (1 if yes else 0)
    choice = record.get("tu_danh_gia")
    for name in CHOICES:
        row[f"tu_danh_gia={name}"] = None if choice is None else (1 if choice == name else 0)
    return row
