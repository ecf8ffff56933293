"""A province-sized round of the Cẩm Giang outline, built straight through the store (one
transaction, no web requests), for the benchmarks that measure pages and documents at 4,000
units (issue 16).

Units: 20 departments and 100 communes (the province's direct reports) and their rooms, the
rest, each under one of them, so the roll-up has a hierarchy. Every 25th unit has sent nothing;
one report is returned; every tenth arrived late. With `narratives`, each of the outline's 45
long-text items carries a different paragraph of about 400 characters per unit (the figure the
issue measured: 71 MB of page for 3,839 units).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import store
from forms import find_outline, to_json, validate

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "outlines" / "cam-giang-cchc-2025.sample.json"
PASSWORD = "bench-password"
COORDINATOR = "dau-moi"
LATE = datetime(2100, 1, 5, 9, 0, tzinfo=UTC)  # after the round's deadline
WORDS = tuple(" ".join((
    "bộ phận một cửa tiếp nhận và trả kết quả đúng hạn cho người dân,",
    "triển khai dịch vụ công trực tuyến toàn trình, số hóa hồ sơ,",
    "rà soát thủ tục hành chính, kiểm tra công vụ định kỳ,",
    "tuyên truyền cải cách hành chính trên cổng thông tin điện tử,",
)).split())


@dataclass(frozen=True)
class Built:
    round_id: int
    codes: list[str]
    submitted: int


def _units(n: int) -> list[dict[str, str | None]]:
    heads = [(f"S{i:02d}", f"Sở thử {i}", "Sở, ban, ngành") for i in range(1, 21)]
    heads += [(f"X{i:03d}", f"UBND xã thử {i}", "UBND xã") for i in range(1, 101)]
    heads = heads[:max(1, min(len(heads), n))]
    rows: list[dict[str, str | None]] = [
        {"code": c, "name": name, "kind": kind, "parent": None, "contact": f"Cán bộ {c}"}
        for c, name, kind in heads]
    for i in range(n - len(rows)):
        parent = heads[i % len(heads)][0]
        code = f"{parent}-P{i // len(heads) + 1:02d}"
        rows.append({"code": code, "name": f"Phòng thử {code}", "kind": "Phòng, đơn vị trực thuộc",
                     "parent": parent, "contact": f"Cán bộ {code}"})
    return rows


def _paragraph(rng: random.Random, length: int) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize().rstrip(",") + "."


def _values(sample: dict[str, str], text_keys: list[str], rng: random.Random,
            narratives: bool) -> dict[str, str]:
    values = {k: v for k, v in sample.items() if k not in text_keys}
    received = rng.randint(50, 3000)
    done = rng.randint(received // 2, received)
    on_time = rng.randint(done * 8 // 10, done)
    values.update({
        "hs_tiep_nhan": str(received), "hs_da_giai_quyet": str(done),
        "hs_dung_han": str(on_time), "hs_qua_han": str(done - on_time),
        "hai_long": f"{rng.uniform(85, 100):.1f}".replace(".", ","),
        "hai_long_dat_dai": f"{rng.uniform(80, 100):.1f}".replace(".", ","),
    })
    if narratives:
        values.update({key: _paragraph(rng, rng.randint(300, 500)) for key in text_keys})
    return values


def build_round(path: Path, units: int, *, narratives: bool = True, seed: int = 7) -> Built:
    """A round of `units` units in a new SQLite file at `path`, with the coordinator account
    `dau-moi` (password `bench-password`)."""
    db = store.open_db(path)
    outline, outline_path = find_outline("cam-giang-cchc-2025")
    store.register_outline(db, outline_path.read_text(encoding="utf-8"), actor="bench")
    rows = _units(units)
    store.upsert_units(db, rows, actor="bench")
    codes = [str(r["code"]) for r in rows]
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version,
        title=f"Đợt thử tải cấp tỉnh ({units} đơn vị)", period_start="2025-07-01",
        period_end=None, period_label="6 tháng cuối năm 2025",
        deadline=store.deadline_end_of_day(date(2099, 12, 31)), units=codes,
        created_by="bench")
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    text_keys = [i.key for i in outline.fields() if i.kind == "long_text" and i.key]
    rng = random.Random(seed)
    submitted = 0
    with store.transaction(db):
        for n, code in enumerate(codes):
            if n % 25 == 24:
                continue  # nothing sent
            result = validate(outline, _values(sample, text_keys, rng, narratives),
                              mode="draft")
            store.save_revision(db, round_id=round_id, unit_code=code, status="submitted",
                                values=to_json(outline, result.values), channel="import",
                                actor="bench", now=LATE if n % 10 == 3 else None)
            submitted += 1
    store.set_status(db, round_id, codes[1], "returned", "bench", comment="Sửa số liệu.")
    store.add_account(db, COORDINATOR, PASSWORD, "coordinator")
    db.close()
    return Built(round_id, codes, submitted - 1)
