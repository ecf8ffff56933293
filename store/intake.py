"""Taking in a unit's values, whatever the channel: validate with the one engine, then store.

The web form, the Excel upload and `decuong import` all end here, so the same input gives the
same errors and the same stored revision whichever way it came. A refused submission stores
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from forms import Outline, Result, to_json, validate
from store.outlines import outline_for_round
from store.submissions import find_revision_by_file, save_revision
from store.values import sha256_hex


@dataclass(frozen=True)
class Intake:
    result: Result
    revision: dict[str, Any] | None  # None when refused (or a duplicate file)
    duplicate: bool = False  # the same file bytes were already stored for this unit

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
) -> Intake:
    """Validate `raw` (item key → raw value) against the round's outline and store a revision.

    mode "submit" stores a submitted revision only if there is no error (warnings are kept with
    it); "draft" skips required items and rules but still refuses unreadable values, so a stored
    draft always holds typed values. `outline` saves a lookup when the caller already has the
    round's outline.
    """
    outline = outline or outline_for_round(db, round_id)
    result = validate(outline, raw, mode=mode)
    if file_bytes is not None:
        previous = find_revision_by_file(db, round_id, unit_code, sha256_hex(file_bytes))
        if previous is not None:
            return Intake(result, previous, duplicate=True)
    if not result.ok:
        return Intake(result, None)
    revision = save_revision(
        db, round_id=round_id, unit_code=unit_code, values=to_json(outline, result.values),
        status="submitted" if mode == "submit" else "draft", channel=channel, actor=actor,
        warnings=[issue.as_dict() for issue in result.warnings] or None,
        file_name=file_name, file_bytes=file_bytes, now=now,
    )
    return Intake(result, revision)
