"""Migrations 1–8: the tables a reporting round lives in (units, accounts, rounds, submissions
with their history, outlines, snapshots, evidence, the installation's identity, working drafts).

Shipped: never edit one of these (databases in the field already ran them).
"""

from __future__ import annotations

import secrets
import uuid

from sqlite_utils import Database

from store.db import utc_iso
from store.migrations.script import Step, append_only, run


def m001_units_accounts(db: Database) -> None:
    """Who reports (units, with their hierarchy) and who logs in."""
    run(db, """
        CREATE TABLE units (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT,
            parent TEXT REFERENCES units(code),
            contact TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX units_parent ON units(parent);
        CREATE TABLE accounts (
            username TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('coordinator', 'unit')),
            unit_code TEXT REFERENCES units(code),
            created_at TEXT NOT NULL,
            failed_logins INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            CHECK ((role = 'unit') = (unit_code IS NOT NULL))
        );
        CREATE INDEX accounts_unit ON accounts(unit_code);
    """)


def m002_rounds(db: Database) -> None:
    """Reporting rounds and the units each one expects."""
    run(db, """
        CREATE TABLE rounds (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            outline_id TEXT NOT NULL,
            outline_version INTEGER NOT NULL,
            title TEXT NOT NULL,
            period_start TEXT,
            period_end TEXT,
            period_label TEXT,
            deadline TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'))
        );
        CREATE TABLE round_units (
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            unit_code TEXT NOT NULL REFERENCES units(code),
            PRIMARY KEY (round_id, unit_code)
        );
        CREATE INDEX round_units_unit ON round_units(unit_code);
    """)


def m003_submissions(db: Database) -> None:
    """Submissions with their append-only revisions, uploaded files, comments and the audit log."""
    run(db, """
        CREATE TABLE submissions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            round_id INTEGER NOT NULL,
            unit_code TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
            latest_revision INTEGER NOT NULL,
            submitted_at TEXT,
            updated_at TEXT NOT NULL,
            UNIQUE (round_id, unit_code),
            FOREIGN KEY (round_id, unit_code) REFERENCES round_units(round_id, unit_code)
        );
        CREATE TABLE files (
            sha256 TEXT PRIMARY KEY,
            name TEXT,
            size INTEGER NOT NULL,
            content BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            submission_id INTEGER NOT NULL REFERENCES submissions(id),
            number INTEGER NOT NULL CHECK (number >= 1),
            values_json TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
            channel TEXT NOT NULL CHECK (channel IN ('web', 'excel', 'import')),
            actor TEXT NOT NULL,
            created_at TEXT NOT NULL,
            file_sha256 TEXT REFERENCES files(sha256),
            file_name TEXT,
            warnings_json TEXT,
            comment TEXT,
            UNIQUE (submission_id, number)
        );
        CREATE INDEX revisions_latest_submitted ON revisions(submission_id, status, number);
        CREATE INDEX revisions_file ON revisions(submission_id, file_sha256);
        CREATE TABLE comments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            submission_id INTEGER NOT NULL REFERENCES submissions(id),
            revision_number INTEGER NOT NULL,
            item_key TEXT,
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX comments_submission ON comments(submission_id);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            round_id INTEGER,
            unit_code TEXT,
            detail_json TEXT
        );
        CREATE INDEX events_round ON events(round_id, unit_code);
        CREATE TRIGGER files_no_update BEFORE UPDATE ON files
        BEGIN SELECT RAISE(ABORT, 'Tệp đã lưu không được sửa.'); END;
    """)
    for table in ("revisions", "comments", "events"):
        run(db, append_only(table))


def m004_outlines(db: Database) -> None:
    """The exact text of every outline version a round uses, so rounds never change under an
    edited file."""
    run(db, """
        CREATE TABLE outlines (
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (id, version)
        );
    """)
    run(db, append_only("outlines"))


def m005_snapshots(db: Database) -> None:
    """Frozen consolidation inputs of a round (chốt số liệu): what the official report was
    built from must stay reproducible after units correct their reports."""
    run(db, """
        CREATE TABLE snapshots (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            label TEXT NOT NULL,
            basis TEXT NOT NULL CHECK (basis IN ('submitted', 'accepted')),
            outline_id TEXT NOT NULL,
            outline_version INTEGER NOT NULL,
            unit_count INTEGER NOT NULL,
            reported_count INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            data_json TEXT NOT NULL,
            sha256 TEXT NOT NULL
        );
        CREATE INDEX snapshots_round ON snapshots(round_id);
    """)
    run(db, append_only("snapshots"))


def m006_attachments(db: Database) -> None:
    """Evidence (tài liệu kiểm chứng) a unit attaches to an item; bytes live in `files`."""
    run(db, """
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            unit_code TEXT NOT NULL REFERENCES units(code),
            item_key TEXT NOT NULL,
            file_name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL REFERENCES files(sha256),
            actor TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX attachments_unit ON attachments(round_id, unit_code);
    """)
    run(db, append_only("attachments"))


def m007_installation(db: Database) -> None:
    """Who this installation is and the secret that seals its Excel templates (see
    `store.installation`): made once, at random, when the database is created or first upgraded,
    and kept in the database so the web app and the CLI share them and a backup carries them.
    Never changed afterwards: a new secret would make every template already sent out invalid.
    """
    run(db, """
        CREATE TABLE installation (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            installation_id TEXT NOT NULL,
            template_key TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
    """)
    db.conn.execute(
        "INSERT INTO installation (id, installation_id, template_key, created_at)"
        " VALUES (1, ?, ?, ?)", (uuid.uuid4().hex, secrets.token_hex(32), utc_iso()))
    run(db, append_only("installation"))


def m008_working_drafts(db: Database) -> None:
    """What a unit is typing, between two revisions: one row per round × unit, overwritten by
    every autosave (so typing never floods the append-only history), and the unreadable text
    an explicit draft kept as typed (append-only, one row per revision that had any)."""
    run(db, """
        CREATE TABLE working_drafts (
            round_id INTEGER NOT NULL,
            unit_code TEXT NOT NULL,
            base_revision INTEGER NOT NULL CHECK (base_revision >= 0),
            version INTEGER NOT NULL CHECK (version >= 1),
            raw_json TEXT NOT NULL,
            actor TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (round_id, unit_code),
            FOREIGN KEY (round_id, unit_code) REFERENCES round_units(round_id, unit_code)
        );
        CREATE TABLE revision_rejects (
            revision_id INTEGER PRIMARY KEY REFERENCES revisions(id),
            rejected_json TEXT NOT NULL
        );
    """)
    run(db, append_only("revision_rejects"))


#: This module's steps in the order they run (store.migrations.MIGRATIONS joins the modules).
STEPS: list[Step] = [
    m001_units_accounts,
    m002_rounds,
    m003_submissions,
    m004_outlines,
    m005_snapshots,
    m006_attachments,
    m007_installation,
    m008_working_drafts,
]
