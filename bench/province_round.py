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

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from common import COORDINATOR, PASSWORD, open_round, sample_values, varied_figures

import store
from forms import to_json, validate

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
    values.update(varied_figures(rng))
    if narratives:
        values.update({key: _paragraph(rng, rng.randint(300, 500)) for key in text_keys})
    return values


def build_round(path: Path, units: int, *, narratives: bool = True, seed: int = 7) -> Built:
    """A round of `units` units in a new SQLite file at `path`, with the coordinator account
    `dau-moi` (password `bench-password`)."""
    built = open_round(path, _units(units), title=f"Đợt thử tải cấp tỉnh ({units} đơn vị)",
                       period_start="2025-07-01", period_label="6 tháng cuối năm 2025")
    db, outline, round_id, codes = built.db, built.outline, built.round_id, built.codes
    sample = sample_values()
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
