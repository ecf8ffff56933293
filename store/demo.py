"""The demo round: the four units of the Cẩm Giang inspection plan, their accounts and a round
of the shipped Cẩm Giang outline. Running it again on the same database changes nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from forms import find_outline
from store.accounts import add_account, get_account
from store.errors import NotFound, StoreError
from store.intake import submit_values
from store.outlines import register_outline
from store.rounds import VIETNAM, create_round, deadline_end_of_day, list_rounds
from store.submissions import get_submission
from store.units import upsert_units

OUTLINE_ID = "cam-giang-cchc-2025"
PARENT = {"code": "UBND", "name": "UBND xã Cẩm Giang", "kind": "UBND xã"}
UNITS = [
    {"code": "VP", "name": "Văn phòng HĐND và UBND", "kind": "Văn phòng", "parent": "UBND",
     "contact": "Chánh Văn phòng"},
    {"code": "VHXH", "name": "Phòng Văn hóa - Xã hội", "kind": "Phòng chuyên môn",
     "parent": "UBND", "contact": "Trưởng phòng Văn hóa - Xã hội"},
    {"code": "KT", "name": "Phòng Kinh tế", "kind": "Phòng chuyên môn", "parent": "UBND",
     "contact": "Trưởng phòng Kinh tế"},
    {"code": "TTPVHCC", "name": "Trung tâm Phục vụ hành chính công xã", "kind": "Trung tâm",
     "parent": "UBND", "contact": "Giám đốc Trung tâm"},
]
# Demo passwords are printed by `decuong demo`; a demo database is for trying the tool only.
ACCOUNTS: list[dict[str, Any]] = [
    {"username": "daumoi", "password": "daumoi-2025", "role": "coordinator", "unit": None},
    *({"username": u["code"].lower(), "password": f"{u['code'].lower()}-2025", "role": "unit",
       "unit": u["code"]} for u in UNITS),
]
ROUND_TITLE = "Kiểm tra công tác cải cách hành chính 6 tháng cuối năm 2025"


def _sample_values(outline_path: Path) -> dict[str, Any] | None:
    """Sample answers shipped next to an outline (`<id>.sample.json`), if any."""
    sample = outline_path.with_name(f"{outline_path.stem}.sample.json")
    return json.loads(sample.read_text(encoding="utf-8")) if sample.exists() else None


def foreign_content(db: Database) -> list[str]:
    """What in `db` the demo did not make: units, accounts and rounds of real use. Empty for a
    new file or a demo. The demo's accounts have published passwords, so they must never be
    added to a database in real use."""
    demo_units = {PARENT["code"], *(u["code"] for u in UNITS)}
    demo_accounts = {a["username"] for a in ACCOUNTS}
    units = [r[0] for r in db.conn.execute("SELECT code FROM units ORDER BY code")
             if r[0] not in demo_units]
    accounts = [r[0] for r in db.conn.execute("SELECT username FROM accounts ORDER BY username")
                if r[0] not in demo_accounts]
    rounds = [f"số {r[0]}" for r in db.conn.execute(
        "SELECT id FROM rounds WHERE created_by <> 'demo' ORDER BY id")]
    found = []
    in_use = db.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM units) OR EXISTS (SELECT 1 FROM accounts)").fetchone()[0]
    made_by_demo = db.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM events WHERE actor = 'demo')").fetchone()[0]
    if in_use and not made_by_demo:
        found.append("dữ liệu không do lệnh demo tạo ra")
    for label, names in (("đơn vị", units), ("tài khoản", accounts), ("đợt báo cáo", rounds)):
        if names:
            more = f" và {len(names) - 3} khác" if len(names) > 3 else ""
            found.append(f"{label} {', '.join(names[:3])}{more}")
    return found


def create_demo(db: Database, *, today: date | None = None) -> dict[str, Any]:
    """Create (or find) the demo; returns {"round", "units", "accounts", "created"}.

    Refuses (StoreError) a database holding anything the demo did not create."""
    foreign = foreign_content(db)
    if foreign:
        raise StoreError(
            "Cơ sở dữ liệu này đang được dùng thật (có " + "; ".join(foreign) + "), không phải "
            "dữ liệu mẫu: lệnh demo không thêm tài khoản với mật khẩu công khai vào đây. Hãy "
            "chạy demo với một tệp mới, ví dụ --db demo.db.")
    outline, path = find_outline(OUTLINE_ID)
    register_outline(db, path.read_text(encoding="utf-8"), actor="demo")
    upsert_units(db, [PARENT, *UNITS], actor="demo")
    for account in ACCOUNTS:
        try:
            get_account(db, account["username"])
        except NotFound:
            add_account(db, account["username"], account["password"], account["role"],
                        account["unit"], actor="demo", policy=False)
    existing = [r for r in list_rounds(db) if r["title"] == ROUND_TITLE
                and r["outline_id"] == outline.id]
    created = not existing
    if existing:
        round_id = existing[0]["id"]
    else:
        # The plan's own deadline has passed; the demo keeps at least two weeks to try things.
        today = today or datetime.now(VIETNAM).date()
        deadline_day = max(outline.deadline or today, today + timedelta(days=14))
        round_id = create_round(
            db, outline_id=outline.id, outline_version=outline.version, title=ROUND_TITLE,
            period_start=outline.period.start, period_end=outline.period.end,
            period_label=outline.period.label, deadline=deadline_end_of_day(deadline_day),
            units=[u["code"] for u in UNITS], created_by="demo",
        )
        sample = _sample_values(path)
        if sample and get_submission(db, round_id, "VP") is None:
            submit_values(db, round_id=round_id, unit_code="VP", raw=sample, channel="import",
                          actor="vp")
    return {
        "round": round_id,
        "units": [u["code"] for u in UNITS],
        "accounts": [dict(a) for a in ACCOUNTS],
        "created": created,
    }
