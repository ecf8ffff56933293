"""Shipped migrations never change: the schema each step leaves behind is pinned.

Databases in the field ran these steps already; a step whose SQL changed (a column, a CHECK,
even the text SQLite keeps in sqlite_master) would leave an upgraded database different from a
fresh one. The digests below were taken from the single-file store/migrations.py before it
became a package, so moving steps between modules must keep every one of them.
"""

from __future__ import annotations

import hashlib

from sqlite_utils import Database

from store.migrations import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version

# sha256 (first 16 hex digits) of "type|name|tbl_name|sql" lines of sqlite_master, in rowid
# order, after migrating a new database to each version.
SHIPPED = {
    1: "400d606aed6802ba",
    2: "7452cf50e795ae31",
    3: "2a62083adfb6fe35",
    4: "aef171d1d3e7e592",
    5: "db1d4e90bf34021d",
    6: "4de217a3b800c105",
    7: "4226182ba147d001",
    8: "3b7781d75ef311a4",
    9: "e07917e28a52c5b0",
    10: "9b6bf4d69b42b1d3",
    11: "6d93de114a7c93b9",
    12: "202091375547c1e4",
    13: "f8ef798147997903",
    14: "f4b8bd30e3169a7d",
    15: "4381da69f91512cd",
    16: "cc470af15a5f9e86",
}

SHIPPED_NAMES = [
    "m001_units_accounts", "m002_rounds", "m003_submissions", "m004_outlines",
    "m005_snapshots", "m006_attachments", "m007_installation", "m008_working_drafts",
    "m009_attachment_removals", "m010_sessions", "m011_round_documents", "m012_round_periods",
    "m013_unit_email", "m014_account_states", "m015_revisions_on_behalf",
    "m016_snapshot_list_index",
]


def _schema_digest(db: Database) -> str:
    rows = db.conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").fetchall()
    text = "\n".join(f"{kind}|{name}|{table}|{sql}" for kind, name, table, sql in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_shipped_steps_keep_their_names_and_order():
    assert [step.__name__ for step in MIGRATIONS[:len(SHIPPED_NAMES)]] == SHIPPED_NAMES
    assert SCHEMA_VERSION == len(MIGRATIONS) >= len(SHIPPED_NAMES)


def test_each_shipped_step_leaves_the_schema_it_always_did():
    for version, digest in SHIPPED.items():
        db = Database(memory=True)
        db.conn.execute("PRAGMA foreign_keys = ON")
        assert migrate(db, target=version) == version
        assert schema_version(db) == version
        assert _schema_digest(db) == digest, f"migration {version} changed its schema"
        db.close()


def test_step_by_step_upgrade_equals_a_fresh_database():
    stepwise = Database(memory=True)
    for version in range(1, SCHEMA_VERSION + 1):
        assert migrate(stepwise, target=version) == 1
    fresh = Database(memory=True)
    assert migrate(fresh) == SCHEMA_VERSION
    assert _schema_digest(stepwise) == _schema_digest(fresh)
