"""A generated round of the Cẩm Giang outline with many units (two kinds, some missing, every
long-text item answered with a text of its own), stored straight through the store, for the
tests of paging, narratives on demand and the bounded cache."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import store
from forms import find_outline, to_json, validate

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = json.loads((ROOT / "outlines" / "cam-giang-cchc-2025.sample.json")
                    .read_text(encoding="utf-8"))
COORDINATOR = "daumoi-lon"
KINDS = ("UBND xã", "Phòng chuyên môn")


@dataclass(frozen=True)
class LargeRound:
    round_id: int
    codes: list[str]  # every expected unit, in code order
    missing: set[str]  # units that sent nothing
    text_keys: list[str]  # the outline's long-text items

    @staticmethod
    def answer(code: str, key: str, revision: int = 1) -> str:
        """The text unit `code` wrote for item `key` (different per unit, item and revision)."""
        return (f"Đơn vị {code} trả lời mục {key} lần {revision}: "
                + ", ".join(["cải cách hành chính"] * 12) + ".")


def build_large_round(path: Path, units: int, *, every_missing: int = 10,
                      texts: bool = True) -> LargeRound:
    """A round of `units` units (codes L0001…), every `every_missing`-th one missing, in a new
    SQLite file at `path`, with the coordinator account `COORDINATOR`; `texts` False leaves
    the long-text items unanswered (a quicker round, for the tests of numbers and lists)."""
    db = store.open_db(path)
    try:
        outline, outline_path = find_outline("cam-giang-cchc-2025")
        store.register_outline(db, outline_path.read_text(encoding="utf-8"), actor="test")
        codes = [f"L{n:04d}" for n in range(1, units + 1)]
        store.upsert_units(db, [{"code": c, "name": f"Đơn vị lớn {c}", "kind": KINDS[n % 2]}
                                for n, c in enumerate(codes)], actor="test")
        round_id = store.create_round(
            db, outline_id=outline.id, outline_version=outline.version, title="Đợt lớn",
            period_start="2025-07-01", period_end=None, period_label=None,
            deadline=store.deadline_end_of_day(date(2099, 12, 31)), units=codes,
            created_by="test")
        text_keys = [i.key for i in outline.fields() if i.kind == "long_text" and i.key]
        missing = {c for n, c in enumerate(codes) if n % every_missing == every_missing - 1}
        base = validate(outline, {k: v for k, v in SAMPLE.items() if k not in text_keys},
                        mode="draft").values
        plain = to_json(outline, base)
        with store.transaction(db):
            for n, code in enumerate(codes):
                if code in missing:
                    continue
                values = {**plain, "hs_tiep_nhan": 1000 + n,
                          **({k: LargeRound.answer(code, k) for k in text_keys} if texts else {})}
                store.save_revision(db, round_id=round_id, unit_code=code, values=values,
                                    status="submitted", channel="import", actor="test")
        store.add_account(db, COORDINATOR, "mat-khau-dai-du-12", "coordinator")
    finally:
        db.close()
    return LargeRound(round_id, codes, missing, text_keys)


def resubmit(path: Path, large: LargeRound, code: str, revision: int) -> None:
    """Unit `code` recalls its report and submits it again with new texts: a new revision."""
    db = store.open_db(path)
    try:
        latest = store.get_submission(db, large.round_id, code)
        assert latest is not None
        values = dict(store.get_revision(db, large.round_id, code)["values"])
        values.update({k: LargeRound.answer(code, k, revision) for k in large.text_keys})
        store.save_revision(db, round_id=large.round_id, unit_code=code, values=values,
                            status="submitted", channel="import", actor="test")
    finally:
        db.close()
