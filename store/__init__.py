"""Persistence for decuong: the only package that speaks SQL.

Everything else calls these functions with a `sqlite_utils.Database` from `open_db(path)` (one
connection per thread or request). Every write is one transaction; history (revisions, comments,
events) is append-only; timestamps are UTC ISO strings; errors are StoreError subclasses whose
message is Vietnamese and can be shown to users as is.
"""

from store.accounts import (
    ROLES,
    add_account,
    get_account,
    list_accounts,
    set_password,
    verify_password,
)
from store.attachments import (
    AttachmentNotFound,
    EvidenceQuotaExceeded,
    add_attachment,
    evidence_usage,
    get_attachment,
    list_attachments,
    remove_attachment,
)
from store.audit import list_events, record_event
from store.db import open_db, open_memory_db, transaction
from store.errors import (
    AccountNotFound,
    Conflict,
    DiskFull,
    NotFound,
    RevisionNotFound,
    RoundNotFound,
    StoredFileNotFound,
    StoreError,
    SubmissionNotFound,
    UnitNotFound,
)
from store.installation import template_key
from store.intake import Intake, storable, submit_values
from store.login_throttle import LoginResult, attempt_login
from store.migrations import SCHEMA_VERSION, migrate, schema_version
from store.outlines import (
    OutlineNotFound,
    get_outline,
    list_outlines,
    next_version,
    outline_for_round,
    outline_text,
    register_outline,
    with_version,
)
from store.password_policy import generate_password, password_problem
from store.review import reopen, set_status
from store.round_documents import DocumentDetails, round_document, set_round_document
from store.round_plan import PlanResult, plan_rounds
from store.round_summary import latest_values, round_status, round_summary
from store.rounds import (
    VIETNAM,
    add_round_units,
    create_round,
    deadline_end_of_day,
    get_round,
    list_rounds,
    period_round,
    planned_years,
    remove_round_unit,
    round_units,
    set_round_status,
    unit_rounds,
    year_rounds,
)
from store.sessions import end_session, end_sessions, session_account, start_session
from store.snapshots import create_snapshot, get_snapshot, list_snapshots
from store.submissions import (
    CHANNELS,
    STATUS_LABELS,
    comments_for,
    find_revision_by_file,
    get_file,
    get_revision,
    get_submission,
    list_revisions,
    save_revision,
)
from store.units import add_unit, children, get_unit, list_units, upsert_units
from store.values import sha256_hex
from store.working_drafts import (
    ReportLocked,
    ReportState,
    StaleReport,
    WorkingDraft,
    report_state,
    revision_rejects,
    save_working_draft,
)

__all__ = [
    "CHANNELS",
    "ROLES",
    "SCHEMA_VERSION",
    "STATUS_LABELS",
    "VIETNAM",
    "AccountNotFound",
    "AttachmentNotFound",
    "Conflict",
    "DiskFull",
    "DocumentDetails",
    "EvidenceQuotaExceeded",
    "Intake",
    "LoginResult",
    "NotFound",
    "OutlineNotFound",
    "PlanResult",
    "ReportLocked",
    "ReportState",
    "RevisionNotFound",
    "RoundNotFound",
    "StaleReport",
    "StoreError",
    "StoredFileNotFound",
    "SubmissionNotFound",
    "UnitNotFound",
    "WorkingDraft",
    "add_account",
    "add_attachment",
    "add_round_units",
    "add_unit",
    "attempt_login",
    "children",
    "comments_for",
    "create_round",
    "create_snapshot",
    "deadline_end_of_day",
    "end_session",
    "end_sessions",
    "evidence_usage",
    "find_revision_by_file",
    "generate_password",
    "get_account",
    "get_attachment",
    "get_file",
    "get_outline",
    "get_revision",
    "get_round",
    "get_snapshot",
    "get_submission",
    "get_unit",
    "latest_values",
    "list_accounts",
    "list_attachments",
    "list_events",
    "list_outlines",
    "list_revisions",
    "list_rounds",
    "list_snapshots",
    "list_units",
    "migrate",
    "next_version",
    "open_db",
    "open_memory_db",
    "outline_for_round",
    "outline_text",
    "password_problem",
    "period_round",
    "plan_rounds",
    "planned_years",
    "record_event",
    "register_outline",
    "remove_attachment",
    "remove_round_unit",
    "reopen",
    "report_state",
    "revision_rejects",
    "round_document",
    "round_status",
    "round_summary",
    "round_units",
    "save_revision",
    "save_working_draft",
    "schema_version",
    "session_account",
    "set_password",
    "set_round_document",
    "set_round_status",
    "set_status",
    "sha256_hex",
    "start_session",
    "storable",
    "submit_values",
    "template_key",
    "transaction",
    "unit_rounds",
    "upsert_units",
    "verify_password",
    "with_version",
    "year_rounds",
]
