"""Pages both roles open on one submission: the read-only report, its history, a diff of two
revisions and evidence downloads. Also the access rule every submission URL goes through.

URLs name the round and the unit (`/rounds/3/units/VP/…`). A unit account opening another
unit's URL, or a unit the round does not expect, gets 404: the answer does not reveal whether
the other unit or its report exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, g, render_template
from flask.typing import ResponseReturnValue
from sqlite_utils import Database

import store
from forms import Issue, Outline, validate
from store.db import parse_iso
from webapp import downloads, evidence
from webapp.auth import login_required
from webapp.db import get_db
from webapp.diff import diff_values
from webapp.security import query_id

bp = Blueprint("submission", __name__, url_prefix="/rounds/<int:round_id>/units/<code>")

#: Status changes the history lists under the revision they were made on (from the audit log).
REVIEW_MOVES = {"submission.return": "Trả lại", "submission.accept": "Chấp nhận",
                "submission.reopen": "Mở lại sau khi đã chấp nhận",
                "submission.recall": "Đơn vị thu hồi để sửa"}


@dataclass
class Expected:
    """A round and one unit it expects, after the access check."""

    round: store.RoundRow
    unit: store.RoundUnit
    outline: Outline


def expected(db: Database, round_id: int, code: str) -> Expected:
    """The round and unit if the logged-in user may see them, else abort(404)."""
    user = g.user
    if user is None:
        abort(404)
    if user["role"] == "unit" and user["unit_code"] != code:
        abort(404)
    try:
        round_row = store.get_round(db, round_id)
    except store.NotFound:
        abort(404)
    units = store.round_units(db, round_id, code, round_checked=True)
    if not units:
        abort(404)
    unit = units[0]
    return Expected(round_row, unit, store.outline_for_round(db, round_id))


@dataclass
class Document:
    """What the item macro needs to show a report: values, issues, comments and files by key.

    `issues` come from running the engine on the stored values (submit mode), so a
    coordinator sees rule errors and warnings highlighted exactly where the unit would.
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    issues: dict[str | None, list[Issue]] = field(default_factory=dict)
    comments: dict[str | None, list[store.CommentRow]] = field(default_factory=dict)
    files: dict[str, list[store.AttachmentRow]] = field(default_factory=dict)
    cell_issues: dict[tuple[str, int, str], list[Issue]] = field(default_factory=dict)

    @property
    def summary(self) -> list[Issue]:
        """Each issue once, although a cross-item rule is listed under every item it names."""
        return list(dict.fromkeys(i for issues in self.issues.values() for i in issues))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.summary if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.summary if i.severity == "warning"]


def group_issues(issues: list[Issue] | tuple[Issue, ...], outline: Outline
                 ) -> dict[str | None, list[Issue]]:
    """Issues by item key, in outline order (None, for input naming no item, comes first).

    A cross-item rule is listed under every item it names (`Issue.keys`), so each of them is
    marked invalid and shows the message: the figure typed wrong may be any of them."""
    order = {key: n for n, key in enumerate(outline.keys)}
    grouped: dict[str | None, list[Issue]] = {}
    for issue in sorted(issues, key=lambda i: order.get(i.key, -1) if i.key else -1):
        for key in issue.keys or (None,):
            grouped.setdefault(key, []).append(issue)
    return dict(sorted(grouped.items(), key=lambda kv: order.get(kv[0], -1) if kv[0] else -1))


def group_comments(comments: list[store.CommentRow]
                   ) -> dict[str | None, list[store.CommentRow]]:
    grouped: dict[str | None, list[store.CommentRow]] = {}
    for comment in comments:
        grouped.setdefault(comment["item_key"], []).append(comment)
    return grouped


def current_comments(db: Database, round_id: int, code: str) -> list[store.CommentRow]:
    """The comments of the last return, while the unit is still answering them: shown until
    the unit submits a revision newer than the one they were written about."""
    comments = store.comments_for(db, round_id, code)
    if not comments:
        return []
    last = max(c["revision_number"] for c in comments)
    newer_submitted = any(r["number"] > last and r["status"] == "submitted"
                          for r in store.list_revisions(db, round_id, code))
    if newer_submitted:
        return []
    return [c for c in comments if c["revision_number"] == last]


def document(db: Database, exp: Expected, revision: store.Revision | None,
             comments: list[store.CommentRow]) -> Document:
    code = exp.unit["unit_code"]
    values = revision["values"] if revision else {}
    issues = validate(exp.outline, values, mode="submit").issues if revision else ()
    return Document(
        values=values,
        issues=group_issues(issues, exp.outline),
        comments=group_comments(comments),
        files=evidence.attachments_by_item(db, exp.round["id"], code),
    )


def can_recall(round_row: store.RoundRow, sub: store.SubmissionRow | None,
               now: datetime | None = None) -> bool:
    """A submitted report may be recalled while the coordinator has not acted on it (status
    still "submitted") and the deadline has not passed: after the deadline the coordinator is
    consolidating, and a recalled report would silently drop out of the totals."""
    if sub is None or sub["status"] != "submitted" or round_row["status"] != "open":
        return False
    deadline = parse_iso(round_row["deadline"])
    return deadline is not None and (now or datetime.now(UTC)) <= deadline


def _revision_or_404(db: Database, round_id: int, code: str, number: int | None
                     ) -> store.Revision | None:
    try:
        return store.get_revision(db, round_id, code, number)
    except store.NotFound:
        abort(404)


@bp.get("/")
@login_required
def view(round_id: int, code: str) -> ResponseReturnValue:
    """The report read-only, laid out like the outline (latest revision, or `?rev=N`); the
    coordinator's return/accept controls sit on this page too."""
    db = get_db()
    exp = expected(db, round_id, code)
    number = query_id("rev")
    revision = _revision_or_404(db, round_id, code, number)
    sub = store.get_submission(db, round_id, code)
    latest = number is None or (sub is not None and number == sub["latest_revision"])
    comments = store.comments_for(db, round_id, code)
    shown = [c for c in comments if revision and c["revision_number"] == revision["number"]]
    doc = document(db, exp, revision, shown)
    coordinator = g.user["role"] == "coordinator" and latest and sub is not None
    status = sub["status"] if sub is not None else None
    return render_template(
        "submission/view.html", exp=exp, outline=exp.outline, revision=revision, sub=sub,
        doc=doc, latest=latest,
        can_recall=g.user["role"] == "unit" and can_recall(exp.round, sub),
        can_review=coordinator and status == "submitted",
        can_reopen=coordinator and status == "accepted",
    )


def _with_revisions(round_id: int, code: str
                    ) -> tuple[Database, Expected, list[store.RevisionMeta]]:
    """The report of this URL after the access check, with its revisions oldest first."""
    db = get_db()
    exp = expected(db, round_id, code)
    return db, exp, store.list_revisions(db, round_id, code)


@bp.get("/history")
@login_required
def history(round_id: int, code: str) -> ResponseReturnValue:
    """Every revision with its comments and the review moves made on it."""
    db, exp, revisions = _with_revisions(round_id, code)
    comments = group_comments(store.comments_for(db, round_id, code))
    by_revision: dict[int, list[store.CommentRow]] = {}
    for items in comments.values():
        for comment in items:
            by_revision.setdefault(comment["revision_number"], []).append(comment)
    refs = {item.key: item.ref for item in exp.outline.fields()}
    moves: dict[int, list[dict[str, Any]]] = {}
    for event in store.list_events(db, round_id=round_id, unit_code=code, newest_first=False):
        label = REVIEW_MOVES.get(event["action"])
        if label and event["detail"]:
            moves.setdefault(event["detail"].get("revision", 0), []).append(
                {**event, "label": label})
    return render_template("submission/history.html", exp=exp, revisions=revisions,
                           by_revision=by_revision, refs=refs, moves=moves,
                           sub=store.get_submission(db, round_id, code))


@bp.get("/diff")
@login_required
def diff(round_id: int, code: str) -> ResponseReturnValue:
    """Two revisions side by side, only what changed (`?a=1&b=2`; default: the last two)."""
    db, exp, revisions = _with_revisions(round_id, code)
    if not revisions:
        abort(404)
    numbers = [r["number"] for r in revisions]
    b = query_id("b") or numbers[-1]
    a = query_id("a") or (numbers[-2] if len(numbers) > 1 else numbers[-1])
    if a not in numbers or b not in numbers:
        abort(404)
    rev_a = _revision_or_404(db, round_id, code, a)
    rev_b = _revision_or_404(db, round_id, code, b)
    assert rev_a is not None and rev_b is not None
    changes = diff_values(exp.outline, rev_a["values"], rev_b["values"])
    return render_template("submission/diff.html", exp=exp, revisions=revisions, a=rev_a,
                           b=rev_b, changes=changes)


@bp.get("/files/<int:attachment_id>")
@login_required
def attachment(round_id: int, code: str, attachment_id: int) -> ResponseReturnValue:
    """An evidence file, served as a download with its sniffed type (never rendered inline as
    HTML, whatever it contains)."""
    db = get_db()
    expected(db, round_id, code)
    if not evidence.supported():
        abort(404)
    try:
        meta, content = evidence.get(db, round_id, code, attachment_id)
    except store.NotFound:
        abort(404)
    return downloads.attachment(content, meta.get("file_name") or "tep",
                      meta.get("media_type") or "application/octet-stream")
