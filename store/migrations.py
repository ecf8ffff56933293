"""Schema migrations: an ordered list of functions; `PRAGMA user_version` counts those applied.

Never edit a migration that has shipped: databases in the field already ran it. Append a new
function instead. Each step runs in its own transaction together with the version bump, and the
version is re-read inside that transaction, so two processes opening a fresh file at once apply
each step exactly once.
"""

from __future__ import annotations

import secrets
import sqlite3
import uuid
from collections.abc import Callable

from sqlite_utils import Database

from store.db import transaction, utc_iso
from store.errors import StoreError

APPEND_ONLY_MESSAGE = "Lịch sử báo cáo chỉ được ghi thêm, không được sửa hay xóa."


def _append_only(table: str) -> str:
    """Triggers refusing UPDATE and DELETE, so history survives even hand-written SQL."""
    return f"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} ({table})'); END;
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} ({table})'); END;
    """


def _run(db: Database, script: str) -> None:
    # Statement by statement (not executescript, which would commit our transaction); a trigger
    # body holds semicolons, so split on complete statements.
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                db.conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        db.conn.execute(buffer)


def m001_units_accounts(db: Database) -> None:
    """Who reports (units, with their hierarchy) and who logs in."""
    _run(db, """
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
    _run(db, """
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
    _run(db, """
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
        _run(db, _append_only(table))


def m004_outlines(db: Database) -> None:
    """The exact text of every outline version a round uses, so rounds never change under an
    edited file."""
    _run(db, """
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
    _run(db, _append_only("outlines"))


def m005_snapshots(db: Database) -> None:
    """Frozen consolidation inputs of a round (chốt số liệu): what the official report was
    built from must stay reproducible after units correct their reports."""
    _run(db, """
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
    _run(db, _append_only("snapshots"))


def m006_attachments(db: Database) -> None:
    """Evidence (tài liệu kiểm chứng) a unit attaches to an item; bytes live in `files`."""
    _run(db, """
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
    _run(db, _append_only("attachments"))


def m007_installation(db: Database) -> None:
    """Who this installation is and the secret that seals its Excel templates (see
    `store.installation`): made once, at random, when the database is created or first upgraded,
    and kept in the database so the web app and the CLI share them and a backup carries them.
    Never changed afterwards: a new secret would make every template already sent out invalid.
    """
    _run(db, """
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
    _run(db, _append_only("installation"))


def m008_working_drafts(db: Database) -> None:
    """What a unit is typing, between two revisions: one row per round × unit, overwritten by
    every autosave (so typing never floods the append-only history), and the unreadable text
    an explicit draft kept as typed (append-only, one row per revision that had any)."""
    _run(db, """
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
    _run(db, _append_only("revision_rejects"))


def m009_attachment_removals(db: Database) -> None:
    """A unit can take a wrong evidence file back out of its draft. A file no submitted revision
    carried is deleted outright (its row, and its bytes when nothing else holds them); one that
    a submitted revision carried stays, marked removed. The trigger keeps that rule in the
    database: an attachment older than a submitted revision of its report cannot be deleted."""
    _run(db, """
        CREATE TABLE attachment_removals (
            attachment_id INTEGER PRIMARY KEY REFERENCES attachments(id),
            actor TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        DROP TRIGGER attachments_no_delete;
        CREATE TRIGGER attachments_no_delete_submitted BEFORE DELETE ON attachments
        WHEN EXISTS (
            SELECT 1 FROM revisions r JOIN submissions s ON s.id = r.submission_id
            WHERE s.round_id = OLD.round_id AND s.unit_code = OLD.unit_code
              AND r.status = 'submitted' AND r.created_at >= OLD.created_at)
        BEGIN SELECT RAISE(ABORT, 'Tài liệu kiểm chứng đã nộp không được xóa.'); END;
    """)
    _run(db, _append_only("attachment_removals"))


def m010_sessions(db: Database) -> None:
    """Server-side sessions (logout and password changes end them; idle ones expire) and the
    login attempts that throttle a guessing client (store.sessions, store.login_throttle)."""
    _run(db, """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL REFERENCES accounts(username) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE INDEX sessions_username ON sessions(username);
        CREATE INDEX sessions_last_seen ON sessions(last_seen);
        CREATE TABLE login_attempts (
            client TEXT NOT NULL,
            username TEXT NOT NULL,
            attempts REAL NOT NULL,
            last_at REAL NOT NULL,
            blocked_until REAL,
            PRIMARY KEY (client, username)
        );
    """)


def m011_round_documents(db: Database) -> None:
    """What an official report (Nghị định 30/2020) prints about the round's document: issuing
    body and its parent, number symbol, place and date, recipients (one per line) and signer
    (store.round_documents). All optional: a document prints dotted blanks where one is unset."""
    for column in ("doc_issuer", "doc_issuer_parent", "doc_number_symbol", "doc_place",
                   "doc_date", "doc_recipients", "doc_signer_authority", "doc_signer_title",
                   "doc_signer_name"):
        db.conn.execute(f"ALTER TABLE rounds ADD COLUMN {column} TEXT")


def m012_round_periods(db: Database) -> None:
    """The period a round covers in a reporting year (forms.periods: quy-1 … nam), so a year's
    rounds are planned once and lined up as a series; NULL for an ad-hoc round. The unique
    index is what makes `round plan` create a year's round of a period at most once, even when
    two coordinators plan at the same moment."""
    _run(db, """
        ALTER TABLE rounds ADD COLUMN period_kind TEXT
            CHECK (period_kind IN ('quy-1', 'quy-2', 'quy-3', 'quy-4', '6-thang', '9-thang',
                                   'nam'));
        ALTER TABLE rounds ADD COLUMN period_year INTEGER;
        CREATE UNIQUE INDEX rounds_period ON rounds(outline_id, period_year, period_kind)
            WHERE period_kind IS NOT NULL;
    """)


def m013_unit_email(db: Database) -> None:
    """The address a unit's reminders go to (store.reminders); empty until the coordinator
    types it or imports it with the unit list."""
    _run(db, "ALTER TABLE units ADD COLUMN email TEXT;")


def m014_account_states(db: Database) -> None:
    """Accounts the coordinator manages in the browser (store.account_admin): `must_change`
    marks a one-time password someone else handed over (the web allows nothing but changing
    it), `disabled_at` a deactivated account (no login, no session)."""
    _run(db, """
        ALTER TABLE accounts ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0
            CHECK (must_change IN (0, 1));
        ALTER TABLE accounts ADD COLUMN disabled_at TEXT;
    """)


def m015_revisions_on_behalf(db: Database) -> None:
    """A revision the coordinator entered or uploaded for a unit (nhập hộ: a paper report typed
    in). A flag beside the channel, not a new channel value: `channel` keeps saying how the
    values came (web form or Excel file), and widening its CHECK would mean rebuilding the
    append-only history table."""
    _run(db, """
        ALTER TABLE revisions ADD COLUMN on_behalf INTEGER NOT NULL DEFAULT 0
            CHECK (on_behalf IN (0, 1));
    """)


def m016_snapshot_list_index(db: Database) -> None:
    """The snapshot list without touching the snapshots' data: `sha256` is stored after the
    (up to 100 MB) `data_json`, so listing a round's snapshots walked every data page (86 ms per
    consolidated page at 4,000 units). This index covers every listed column."""
    _run(db, """
        CREATE INDEX snapshots_list ON snapshots(round_id, id, label, basis, outline_id,
            outline_version, unit_count, reported_count, created_by, created_at, sha256);
    """)


MIGRATIONS: list[Callable[[Database], None]] = [
    m001_units_accounts,
    m002_rounds,
    m003_submissions,
    m004_outlines,
    m005_snapshots,
    m006_attachments,
    m007_installation,
    m008_working_drafts,
    m009_attachment_removals,
    m010_sessions,
    m011_round_documents,
    m012_round_periods,
    m013_unit_email,
    m014_account_states,
    m015_revisions_on_behalf,
    m016_snapshot_list_index,
]

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    """The number of migrations applied to `db`."""
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database, target: int | None = None) -> int:
    """Apply the pending migrations up to `target` (all by default); return how many ran.

    Safe to call on every open: an up-to-date database runs nothing.
    """
    target = SCHEMA_VERSION if target is None else target
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"Cơ sở dữ liệu ở phiên bản {current}, mới hơn phần mềm này (phiên bản "
            f"{SCHEMA_VERSION}); hãy cập nhật decuong trước khi mở."
        )
    applied = 0
    for number in range(current + 1, target + 1):
        with transaction(db):
            if schema_version(db) >= number:  # another process got here first
                continue
            MIGRATIONS[number - 1](db)
            db.conn.execute(f"PRAGMA user_version = {number}")
        applied += 1
    return applied
