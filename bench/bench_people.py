"""What the people features cost at province scale: accounts for every unit, and a round's
reminders through a real SMTP server.

    python bench/bench_people.py [--units 500]

Builds a database with `--units` units (each with an e-mail address) and one open round of
the Cẩm Giang outline expecting them all, then times:

- `store.create_missing_accounts` (what «Tạo tài khoản cho mọi đơn vị chưa có» and
  `decuong users create-missing` run): one account and one-time password per unit;
- `remind_round` (what «Gửi nhắc nhở» and `decuong remind` run) to every unit, through
  aiosmtpd on a free loopback port (one SMTP connection, one audit event per unit), and
  checks that every message arrived.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

import store  # noqa: E402
from forms import find_outline  # noqa: E402
from webapp.reminders.run import SENT, remind_round  # noqa: E402
from webapp.reminders.settings import SmtpSettings  # noqa: E402


class Count:
    """An aiosmtpd handler that only counts what it accepts."""

    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = store.open_db(Path(folder) / "bench.db")
        codes = [f"DV{i:05d}" for i in range(args.units)]
        store.upsert_units(db, [{"code": c, "name": f"Đơn vị số {i}",
                                 "email": f"{c.lower()}@example.gov.vn"}
                                for i, c in enumerate(codes)])
        outline, path = find_outline("cam-giang-cchc-2025")
        store.register_outline(db, path.read_text(encoding="utf-8"), actor="bench")
        round_id = store.create_round(
            db, outline_id=outline.id, outline_version=outline.version, title="Đợt đo",
            period_start=None, period_end=None, period_label=None,
            deadline=store.deadline_end_of_day(date(2099, 12, 31)),
            units=codes, created_by="bench")

        started = time.perf_counter()
        made = store.create_missing_accounts(db, actor="bench")
        accounts_s = time.perf_counter() - started
        print(f"create_missing_accounts: {len(made)} accounts in {accounts_s:.1f} s "
              f"({accounts_s / len(made) * 1000:.1f} ms each)")

        inbox = Count()
        port = _free_port()
        server = Controller(inbox, hostname="127.0.0.1", port=port)
        server.start()
        try:
            settings = SmtpSettings(host="127.0.0.1", port=port, security="none", user=None,
                                    password=None, sender="baocao@example.gov.vn",
                                    base_url="https://baocao.example.gov.vn")
            started = time.perf_counter()
            result = remind_round(db, round_id, settings=settings, base_url=settings.base_url,
                                  actor="bench")
            remind_s = time.perf_counter() - started
        finally:
            server.stop()
        sent = result.count(SENT)
        print(f"remind_round: {sent} of {args.units} sent, {inbox.received} received by the "
              f"SMTP server, in {remind_s:.1f} s ({remind_s / max(sent, 1) * 1000:.1f} ms each)")
        db.close()


if __name__ == "__main__":
    main()
