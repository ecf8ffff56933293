"""Migrations 9–16: evidence removal, sessions, official documents, reporting periods, unit
e-mail, account states, entries on a unit's behalf, the snapshot list index.

Shipped: never edit one of these. A new step is appended at the end of the last module and of
its `STEPS` (or, once that module nears 400 lines, a new module whose `STEPS`
store.migrations.MIGRATIONS joins after these).
"""

from __future__ import annotations

from sqlite_utils import Database

from store.migrations.script import Step, append_only, run


def m009_attachment_removals(db: Database) -> None:
    """A unit can take a wrong evidence file back out of its draft. A file no submitted revision
    carried is deleted outright (its row, and its bytes when nothing else holds them); one that
    a submitted revision carried stays, marked removed. The trigger keeps that rule in the
    database: an attachment older than a submitted revision of its report cannot be deleted."""
    run(db, """
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
    run(db, append_only("attachment_removals"))


def m010_sessions(db: Database) -> None:
    """Server-side sessions (logout and password changes end them; idle ones expire) and the
    login attempts that throttle a guessing client (store.sessions, store.login_throttle)."""
    run(db, """
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
    run(db, """
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
    run(db, "ALTER TABLE units ADD COLUMN email TEXT;")


def m014_account_states(db: Database) -> None:
    """Accounts the coordinator manages in the browser (store.account_admin): `must_change`
    marks a one-time password someone else handed over (the web allows nothing but changing
    it), `disabled_at` a deactivated account (no login, no session)."""
    run(db, """
        ALTER TABLE accounts ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0
            CHECK (must_change IN (0, 1));
        ALTER TABLE accounts ADD COLUMN disabled_at TEXT;
    """)


def m015_revisions_on_behalf(db: Database) -> None:
    """A revision the coordinator entered or uploaded for a unit (nhập hộ: a paper report typed
    in). A flag beside the channel, not a new channel value: `channel` keeps saying how the
    values came (web form or Excel file), and widening its CHECK would mean rebuilding the
    append-only history table."""
    run(db, """
        ALTER TABLE revisions ADD COLUMN on_behalf INTEGER NOT NULL DEFAULT 0
            CHECK (on_behalf IN (0, 1));
    """)


def m016_snapshot_list_index(db: Database) -> None:
    """The snapshot list without touching the snapshots' data: `sha256` is stored after the
    (up to 100 MB) `data_json`, so listing a round's snapshots walked every data page (86 ms per
    consolidated page at 4,000 units). This index covers every listed column."""
    run(db, """
        CREATE INDEX snapshots_list ON snapshots(round_id, id, label, basis, outline_id,
            outline_version, unit_count, reported_count, created_by, created_at, sha256);
    """)


#: This module's steps in the order they run (store.migrations.MIGRATIONS joins the modules).
STEPS: list[Step] = [
    m009_attachment_removals,
    m010_sessions,
    m011_round_documents,
    m012_round_periods,
    m013_unit_email,
    m014_account_states,
    m015_revisions_on_behalf,
    m016_snapshot_list_index,
]
