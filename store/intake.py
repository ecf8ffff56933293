"""Taking in a unit's values, whatever the channel: validate with the one engine, then store.

The web form, the Excel upload and `decuong import` all end here, so the same input gives the
same errors and the same stored revision whichever way it came. A refused submission stores
nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from forms import Outline, Result, to_json, validate
from store.db import transaction
from store.outlines import outline_for_round
from store.submissions import RevisionMeta, find_revision_by_file, save_revision
from store.values import sha256_hex
from store.working_drafts import check_token, discard_working_draft, record_rejects


@dataclass(frozen=True)
class Intake:
    result: Result
    revision: RevisionMeta | None  # None when refused; the earlier one for a duplicate file
    duplicate: bool = False  # the same file bytes were already stored for this unit
    kept_as_typed: dict[str, Any] = field(default_factory=dict)  # a draft's unreadable input

    @property
    def stored(self) -> bool:
        return self.revision is not None and not self.duplicate


def submit_values(
    db: Database,
    *,
    round_id: int,
    unit_code: str,
    raw: Mapping[str, Any],
    channel: str,
    actor: str,
    mode: str = "submit",
    file_name: str | None = None,
    file_bytes: bytes | None = None,
    now: datetime | None = None,
    outline: Outline | None = None,
    token: tuple[int, int] | None = None,
    keep_unreadable: bool = False,
    result: Result | None = None,
    stored_values: Mapping[str, Any] | None = None,
    on_behalf: bool = False,
) -> Intake:
    """Validate `raw` (item key → raw value) against the round's outline and store a revision.

    mode "submit" stores a submitted revision only if there is no error (warnings are kept with
    it). "draft" skips required items and rules and refuses unreadable values, unless
    `keep_unreadable` (the web form, where the text can be shown back in its field): then every
    readable value is stored and each unreadable one is kept as typed beside the revision
    (`kept_as_typed`, store.working_drafts.record_rejects) instead of refusing the whole draft;
    input that cannot be kept anywhere (a key the outline does not have, too many rows) still
    refuses it. An Excel upload keeps its own answer to unreadable cells: the workbook back,
    marked.

    `token` (latest revision, working-draft version) is what the saving page loaded: if the
    report changed since, StaleReport is raised and nothing is stored. A web save also ends
    the unit's working draft, whose content it now holds. `outline` saves a lookup when the
    caller already has the round's outline. `result`, when given, is `validate(outline, raw,
    mode=mode)` done by the caller, and `stored_values` its `to_json(outline, result.values)`
    (a bulk import does both in worker processes, see forms.validate_many), so neither is done
    twice.

    `on_behalf`: the coordinator (`actor`) enters the report for the unit (nhập hộ); the same
    validation, the revision marked so. The unit's working draft is kept (the unit may be
    typing): its fill page then shows it against the new revision to choose from.
    """
    outline = outline or outline_for_round(db, round_id)
    if result is None:
        result = validate(outline, raw, mode=mode)
    kept = _kept_as_typed(result) if mode == "draft" and keep_unreadable else {}
    refused = not result.ok and not kept
    if file_bytes is None and refused:
        return Intake(result, None)
    # The duplicate check and the write in one transaction (`BEGIN IMMEDIATE` takes the write
    # lock first): four simultaneous uploads of the same file queue on the lock, and each after
    # the first sees the revision the first stored. Checked outside, all four could pass the
    # check before any of them wrote. Validation, the slow part, stays outside the lock.
    with transaction(db):
        if file_bytes is not None:
            previous = find_revision_by_file(db, round_id, unit_code, sha256_hex(file_bytes))
            if previous is not None:
                return Intake(result, previous, duplicate=True)
        if refused:
            return Intake(result, None)
        if token is not None:
            check_token(db, round_id, unit_code, token)
        revision = save_revision(
            db, round_id=round_id, unit_code=unit_code,
            values=to_json(outline, result.values) if stored_values is None else stored_values,
            status="submitted" if mode == "submit" else "draft", channel=channel, actor=actor,
            warnings=[issue.as_dict() for issue in result.warnings] or None,
            file_name=file_name, file_bytes=file_bytes, now=now, on_behalf=on_behalf,
        )
        record_rejects(db, revision["id"], kept)
        if channel == "web" and not on_behalf:
            discard_working_draft(db, round_id, unit_code)
    return Intake(result, revision, kept_as_typed=kept)


def _kept_as_typed(result: Result) -> dict[str, Any]:
    """The unreadable input a draft keeps as typed, or {} when the draft must be refused as
    before: an error that is not a reading error of a kept value, or text that cannot be
    stored as UTF-8 at all (a lone surrogate, which only a forged JSON escape produces).

    Control characters and values outside a choice list are kept too: text pasted from a word
    processor carries the former, and refusing would lose every other value of the draft; the
    engine's message names them and submitting refuses them."""
    if not all(issue.code == "invalid" and issue.key in result.rejected
               for issue in result.errors):
        return {}
    if not all(storable(raw) for raw in result.rejected.values()):
        return {}
    return {key: result.rejected[key] for key in sorted(result.rejected)}


def storable(raw: Any) -> bool:
    """Whether raw input (text, or lists and dicts of it) can be stored as UTF-8 text."""
    if isinstance(raw, str):
        return not any(unicodedata.category(ch) == "Cs" for ch in raw)
    if isinstance(raw, Mapping):
        return all(storable(key) and storable(value) for key, value in raw.items())
    if isinstance(raw, list | tuple):
        return all(storable(value) for value in raw)
    return True
