"""Autosave and the lost-update guard of the fill page.

The storage is `store.working_drafts`: one working draft per round × unit, overwritten by each
autosave, and a version token (latest revision, draft version) that every save sends back.
This module is the web side of it:

- `POST …/autosave` (JSON in, JSON out, CSRF token in the `X-CSRFToken` header) saves the
  form's fields as the working draft, or as a draft revision when `commit` is true (the
  "Lưu nháp" button without leaving the page). A stale token answers 409 with the items that
  differ, the other version's text and ours, and the new token; nothing is applied.
- The plain POST of the fill form (no JavaScript) carries the same token in hidden inputs;
  `unit.fill` answers a stale one with the same comparison as a section of the page.
- In both, the user's choice per item travels as `conflict-<key>` = "mine" | "theirs"; the
  server substitutes the other version's input for "theirs" (read from the state the token
  names, so a choice never applies to a version the user has not seen).

What counts as "differs" is decided by the engine: both versions are read in draft mode and
compared value by value (with unreadable text compared as typed), so "1.234" and "1234" are
the same figure and no conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from flask.typing import ResponseReturnValue
from sqlite_utils import Database
from werkzeug.datastructures import MultiDict

import store
from forms import Issue, Outline, to_json, validate
from forms.kinds import KINDS, get_kind
from forms.model import Item
from webapp.auth import role_required
from webapp.db import get_db
from webapp.display import vn_datetime
from webapp.formbuilder import (
    BLANK_ROWS,
    FillForm,
    build_form,
    field_name,
    fields_of,
    input_text,
    post_problems,
    raw_values,
    rows_name,
)
from webapp.submission import Expected, expected

bp = Blueprint("autosave", __name__)

TOKEN_FIELDS = ("base_revision", "draft_version")
CHOICE_PREFIX = "conflict-"


@dataclass(frozen=True)
class Difference:
    """One item whose input differs between the user's version and the stored one."""

    key: str
    ref: str  # number and label, as the engine's messages name items
    mine: str
    theirs: str

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "ref": self.ref, "mine": self.mine, "theirs": self.theirs}


@dataclass
class Shown:
    """What the fill page shows and the token it carries."""

    token: tuple[int, int]
    stored: dict[str, Any]  # the latest revision's JSON values ({} when none)
    raw: dict[str, Any] | None = None  # input to show instead of `stored` (working draft…)
    note: str | None = None  # says which version the fields hold
    conflicts: list[Difference] = field(default_factory=list)
    theirs: str = ""  # what the other version is, for the conflict section
    issues: tuple[Issue, ...] = ()  # the engine's reading errors for `raw`
    preview: dict[str, Any] | None = None  # `raw` read by the engine (computed items' figures)

    def form(self, outline: Outline) -> FillForm:
        """The fill form holding this version."""
        if self.raw is None:
            return build_form(outline, stored=self.stored)
        return build_form(outline, stored=self.preview or self.stored,
                          posted=fields_from_raw(outline, self.raw))


# --- raw input ⇄ form fields -----------------------------------------------------------------


def input_items(outline: Outline) -> list[Item]:
    return [item for item in fields_of(outline) if not item.is_computed]


def fields_from_raw(outline: Outline, raw: Mapping[str, Any]) -> MultiDict:
    """The form fields that show `raw` (the inverse of `formbuilder.raw_values`), with a few
    blank rows under each table as the page normally has."""
    out: MultiDict = MultiDict()
    for item in input_items(outline):
        key = item.key or ""
        value = raw.get(key)
        if item.is_table:
            rows = value if isinstance(value, list) else []
            out[rows_name(key)] = str(min(len(rows) + BLANK_ROWS, item.max_rows))
            for index, row in enumerate(rows):
                for column in item.columns:
                    cell = row.get(column.key) if isinstance(row, Mapping) else None
                    out[field_name(key, index, column.key)] = "" if cell is None else str(cell)
            continue
        out[key] = "" if value is None else str(value)
    return out


def raw_from_stored(outline: Outline, values: Mapping[str, Any],
                    kept: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A revision's JSON values as the text its inputs show, with the text a lenient draft
    kept as typed put back in place of the values it could not read."""
    kept = kept or {}
    raw: dict[str, Any] = {}
    for item in input_items(outline):
        key = item.key or ""
        if key in kept:
            raw[key] = kept[key]
        elif item.is_table:
            raw[key] = [{c.key: input_text(c, row.get(c.key)) for c in item.columns}
                        for row in values.get(key) or []]
        else:
            raw[key] = input_text(item, values.get(key))
    return raw


def token_of(form: Mapping[str, Any]) -> tuple[int, int] | None:
    """The (latest revision, draft version) a page sent, or None when it sent none."""
    try:
        return int(form[TOKEN_FIELDS[0]]), int(form[TOKEN_FIELDS[1]])
    except (KeyError, TypeError, ValueError):
        return None


# --- comparing two versions ------------------------------------------------------------------


def _shown(item: Item, raw: Any) -> str:
    """A raw input as one line of text for the comparison."""
    if item.is_table:
        rows = [" | ".join(str(v).strip() for v in row.values() if str(v or "").strip())
                for row in raw or [] if isinstance(row, Mapping)]
        rows = [row for row in rows if row]
        return "; ".join(rows) if rows else "(không có dòng nào)"
    text = "" if raw is None else str(raw).strip()
    if text and item.kind in KINDS:
        text = get_kind(item.kind).posted_words(text, item)  # "co" → "Có", a choice's label
    return text or "(để trống)"


def _readings(outline: Outline, raw: Mapping[str, Any]) -> dict[str, Any]:
    result = validate(outline, raw, mode="draft")
    values = to_json(outline, result.values)
    return {key: (values.get(key), result.rejected.get(key)) for key in values}


def differences(outline: Outline, mine: Mapping[str, Any], theirs: Mapping[str, Any]
                ) -> list[Difference]:
    """The input items whose value differs between two raw versions, in outline order."""
    a, b = _readings(outline, mine), _readings(outline, theirs)
    return [Difference(item.field_key, f"{item.number} {item.label}".strip(),
                       _shown(item, mine.get(item.field_key)),
                       _shown(item, theirs.get(item.field_key)))
            for item in input_items(outline) if a.get(item.field_key) != b.get(item.field_key)]


def theirs_of(db: Database, exp: Expected, state: store.ReportState
              ) -> tuple[dict[str, Any], str]:
    """The stored version a stale save is compared with, and how to name it: the working
    draft when it is current, else the latest revision."""
    if state.draft is not None and state.draft_is_current:
        return dict(state.draft.raw), (f"bản tự động lưu lúc {vn_datetime(state.draft.updated_at)}"
                                       f" (tài khoản {state.draft.actor})")
    revision = store.get_revision(db, state.round_id, state.unit_code)
    if revision is None:
        return {}, "báo cáo chưa có gì"
    kept = store.revision_rejects(db, revision["id"])
    return (raw_from_stored(exp.outline, revision["values"], kept),
            f"lần lưu thứ {revision['number']} lúc {vn_datetime(revision['created_at'])} "
            f"(tài khoản {revision['actor']})")


def apply_choices(outline: Outline, raw: dict[str, Any], form: Mapping[str, Any],
                  theirs: Mapping[str, Any]) -> bool:
    """Replace each item the user chose "theirs" for; True when any was replaced."""
    changed = False
    for item in input_items(outline):
        key = item.key or ""
        if form.get(CHOICE_PREFIX + key) == "theirs":
            raw[key] = theirs.get(key, [] if item.is_table else "")
            changed = True
    return changed


def has_choices(form: Mapping[str, Any]) -> bool:
    return any(str(name).startswith(CHOICE_PREFIX) for name in form)


# --- what the fill page shows ----------------------------------------------------------------


def page_content(db: Database, exp: Expected) -> Shown:
    """The version the fill page shows: the working draft when there is one (it holds the
    latest typing), else the latest revision with any text it kept as typed. A working draft
    overtaken by a newer revision (an Excel upload) is shown with the comparison."""
    code = exp.unit["unit_code"]
    state = store.report_state(db, exp.round["id"], code)
    revision = store.get_revision(db, exp.round["id"], code)
    stored = revision["values"] if revision else {}
    shown = Shown(token=state.token, stored=stored)
    if state.draft is not None:
        shown.raw = dict(state.draft.raw)
        when = vn_datetime(state.draft.updated_at)
        if state.draft_is_current:
            shown.note = (f"Đang hiển thị bản đang nhập dở, tự động lưu lúc {when}. Bản này "
                          "chưa phải một lần lưu: bấm «Lưu nháp» để ghi vào lịch sử, hoặc "
                          "«Nộp báo cáo».")
        else:
            theirs, shown.theirs = theirs_of(db, exp, _revision_state(state))
            shown.conflicts = differences(exp.outline, shown.raw, theirs)
            shown.note = (f"Đang hiển thị bản đang nhập dở, tự động lưu lúc {when}; sau đó "
                          f"báo cáo đã có {shown.theirs}. " + (
                              "Hãy xem các mục khác nhau bên dưới." if shown.conflicts
                              else "Hai bản giống nhau ở mọi mục."))
    elif revision is not None:
        kept = store.revision_rejects(db, revision["id"])
        if kept:
            shown.raw = raw_from_stored(exp.outline, stored, kept)
    if shown.raw is not None:
        result = validate(exp.outline, shown.raw, mode="draft")
        shown.issues = result.issues
        shown.preview = to_json(exp.outline, result.values)
    return shown


def _revision_state(state: store.ReportState) -> store.ReportState:
    """`state` seen without its working draft (to compare the draft with the revision)."""
    return store.ReportState(state.round_id, state.unit_code, state.latest_revision,
                             state.status, state.round_open, None)


def conflict(db: Database, exp: Expected, mine: Mapping[str, Any],
             state: store.ReportState) -> Shown:
    """The comparison shown when a save arrives on a stale token."""
    theirs, described = theirs_of(db, exp, state)
    return Shown(token=state.token, stored={}, raw=dict(mine), theirs=described,
                 conflicts=differences(exp.outline, mine, theirs))


def save_posted(db: Database, exp: Expected, raw: dict[str, Any], form: Mapping[str, Any], *,
                mode: str, actor: str) -> store.Intake:
    """An explicit save of the plain form: the user's per-item choices applied (only when the
    posted token is current, i.e. they chose against the version they were shown), then one
    revision on that token. A page without a token (made before tokens existed) is saved as
    before. Raises StaleReport when a version the user has not seen was saved meanwhile; a
    save that differs from it in nothing goes through on the new token."""
    token = token_of(form)
    if token is not None and has_choices(form):
        state = store.report_state(db, exp.round["id"], exp.unit["unit_code"])
        if token == state.token:
            apply_choices(exp.outline, raw, form, theirs_of(db, exp, state)[0])

    def save(on: tuple[int, int] | None) -> store.Intake:
        return store.submit_values(db, round_id=exp.round["id"], unit_code=exp.unit["unit_code"],
                                   raw=raw, channel="web", actor=actor, mode=mode,
                                   outline=exp.outline, token=on, keep_unreadable=True)
    try:
        return save(token)
    except store.StaleReport as exc:
        if conflict(db, exp, raw, exc.state).conflicts:
            raise
        return save(exc.state.token)


# --- the endpoint ----------------------------------------------------------------------------


def _problems(issues: tuple[Issue, ...] | list[Issue]) -> list[dict[str, Any]]:
    return [{"key": i.key, "row": i.row, "column": i.column, "message": i.message}
            for i in issues if i.severity == "error"]


@bp.post("/rounds/<int:round_id>/units/<code>/autosave")
@role_required("unit")
def autosave(round_id: int, code: str) -> ResponseReturnValue:
    """Save the form as the working draft (or, with `commit`, as a draft revision).

    Body: {"fields": [[name, value], …], "token": [revision, version], "commit": bool}.
    Answers 200 {"state": "saved", …}, 409 {"state": "conflict" | "locked", …} or
    422 {"state": "refused", …}; every answer is JSON with a Vietnamese `message`.
    """
    db = get_db()
    exp = expected(db, round_id, code)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("fields"), list):
        return _answer(400, "refused", "Dữ liệu gửi lên không đúng dạng; chưa lưu gì. Hãy tải "
                       "lại trang (những gì bạn gõ vẫn được giữ trong trình duyệt).")
    try:
        form = MultiDict([(str(n), str(v)) for n, v in body["fields"]])
        token = (int(body["token"][0]), int(body["token"][1]))
    except (TypeError, ValueError, KeyError, IndexError):
        return _answer(400, "refused", "Dữ liệu gửi lên thiếu mã phiên bản; chưa lưu gì. Hãy "
                       "tải lại trang.")
    refused = post_problems(exp.outline, form)
    if not all(store.storable(value) for pair in body["fields"] for value in pair):
        refused.append("Có ký tự không đọc được trong dữ liệu gửi lên (không phải văn bản "
                       "UTF-8 hợp lệ). Hãy gõ hoặc dán lại nội dung vừa nhập.")
    if refused:
        return _answer(422, "refused", " ".join(refused))
    raw = raw_values(exp.outline, form)
    user = g.user["username"]
    try:
        chose = False
        if has_choices(form):  # only then is the state read twice (the save checks it again)
            state = store.report_state(db, round_id, code)
            if token == state.token:
                chose = apply_choices(exp.outline, raw, form, theirs_of(db, exp, state)[0])
        return _save(db, exp, raw, token, bool(body.get("commit")), user, chose)
    except store.ReportLocked as exc:
        return _answer(409, "locked", str(exc), token=list(exc.state.token))
    except store.StaleReport as exc:
        shown = conflict(db, exp, raw, exc.state)
        if not shown.conflicts:  # nothing differs: nothing to lose, save on the new token
            try:
                return _save(db, exp, raw, exc.state.token, bool(body.get("commit")), user,
                             False)
            except store.Conflict as again:  # it moved once more meanwhile
                return _answer(409, "retry", str(again))
        return _answer(409, "conflict", str(exc), token=list(exc.state.token),
                       theirs=shown.theirs, items=[d.as_dict() for d in shown.conflicts])


def _save(db: Database, exp: Expected, raw: dict[str, Any], token: tuple[int, int],
          commit: bool, user: str, chose: bool) -> Response:
    round_id, code = exp.round["id"], exp.unit["unit_code"]
    extra: dict[str, Any] = {}
    if chose:  # the client shows what the server kept, the other version's items included
        extra["fields"] = list(fields_from_raw(exp.outline, raw).items(multi=True))
    if commit:
        intake = store.submit_values(db, round_id=round_id, unit_code=code, raw=raw,
                                     channel="web", actor=user, mode="draft",
                                     outline=exp.outline, token=token,
                                     keep_unreadable=True)
        if intake.revision is None:
            return _answer(422, "refused", "Chưa lưu được bản nháp: "
                           + " ".join(i.message for i in intake.result.errors),
                           problems=_problems(intake.result.errors))
        number = intake.revision["number"]
        kept = len(intake.kept_as_typed)
        note = (f" {kept} mục chưa đọc được, được giữ nguyên như đã gõ; hãy sửa trước khi nộp."
                if kept else "")
        return _answer(200, "saved", f"Đã lưu nháp (lần lưu thứ {number}).{note}",
                       token=[number, 0], revision=number,
                       saved_at=vn_datetime(intake.revision["created_at"]),
                       problems=_problems(intake.result.errors), **extra)
    draft = store.save_working_draft(db, round_id=round_id, unit_code=code, raw=raw,
                                     token=token, actor=user)
    problems = _problems(validate(exp.outline, raw, mode="draft").issues)
    return _answer(200, "saved", "Đã lưu.", token=[draft.base_revision, draft.version],
                   saved_at=vn_datetime(draft.updated_at), problems=problems, **extra)


def _answer(status: int, state: str, message: str, **data: Any) -> Response:
    response = jsonify({"state": state, "message": message, **data})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
