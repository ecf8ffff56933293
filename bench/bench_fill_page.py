"""Weight of the fill page of the Cẩm Giang outline (87 items), as a unit's browser gets it.

    python bench/bench_fill_page.py

Builds a one-unit database with the sample answers (recalled, so the page is the fill page),
renders GET …/edit through the Flask app in this process, then fetches every stylesheet and
script the page names. Prints each part's bytes (raw and gzip -6), the total, the count of
evidence inputs and of the section menu's lines. Budget (issue 11): HTML + CSS + JS ≤ 150 KB.
"""

from __future__ import annotations

import gzip
import re
import tempfile
from pathlib import Path

from bench_web import build_db
from common import PASSWORD

from webapp import create_app

BUDGET = 150 * 1024


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        round_id, codes, users = build_db(path, units=1, clients=1)
        app = create_app({"DATABASE": str(path), "SECRET_KEY": "bench", "TESTING": True,
                          "WTF_CSRF_ENABLED": False, "KEEP_DB_CONNECTIONS": False})
        app.instance_path = folder
        client = app.test_client()
        username = next(iter(users))
        login = client.post("/auth/login", data={"username": username, "password": PASSWORD})
        assert login.status_code == 302, login.status_code
        page = client.get(f"/rounds/{round_id}/units/{codes[0]}/edit").get_data()
        parts = [("HTML", page)] + [
            (url.decode(), client.get(url.decode()).get_data())
            for url in re.findall(rb'(?:href|src)="(/static/[^"]+)"', page)]
    total = sum(len(data) for _name, data in parts)
    for name, data in parts:
        print(f"{name:32} {len(data):>8,} B  gzip {len(gzip.compress(data, 6)):>7,} B")
    print(f"{'total':32} {total:>8,} B  gzip "
          f"{sum(len(gzip.compress(d, 6)) for _n, d in parts):>7,} B  (budget {BUDGET:,} B)")
    evidence = page.count(b'type="file" id="evidence-')
    print(f"evidence inputs: {evidence}, menu lines: {page.count(b'data-nav-target=')}")
    return 0 if total <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
