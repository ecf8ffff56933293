"""Taking in a filled Excel template: refuse unsafe or foreign files before anything else, find
the round and unit from the template's identity, then go through the one intake.

Used by the web upload (a unit for itself, a coordinator for anyone) and `decuong ingest`. A
refused file stores nothing; an accepted one keeps its original bytes; the same bytes twice
store nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from forms.excel import (
    ExcelError,
    ExcelProblem,
    annotate,
    check_identity,
    extract,
    locate,
    read_identity,
    read_workbook,
)
from store.errors import StoreError
from store.intake import submit_values
from store.outlines import outline_for_round
from store.rounds import get_round
from store.units import get_unit

ACCEPTED, REJECTED, DUPLICATE = "accepted", "rejected", "duplicate"


@dataclass(frozen=True)
class UploadOutcome:
    """What happened to one file, in words for the person who sent it."""

    file_name: str
    status: str  # accepted | rejected | duplicate (| "valid" on a dry run)
    round_id: int | None = None
    unit_code: str | None = None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    revision: dict[str, Any] | None = None
    annotated: bytes | None = field(default=None, repr=False)  # the file back, bad cells marked

    @property
    def first_error(self) -> str | None:
        return self.errors[0] if self.errors else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name, "status": self.status, "round": self.round_id,
            "unit": self.unit_code, "errors": list(self.errors), "warnings": list(self.warnings),
            "revision": self.revision["number"] if self.revision else None,
        }


def _refused(name: str, problems: list[ExcelProblem] | tuple[ExcelProblem, ...], **kw: Any
             ) -> UploadOutcome:
    return UploadOutcome(name, REJECTED, errors=tuple(str(p) for p in problems), **kw)


def ingest_upload(
    db: Database,
    data: bytes,
    file_name: str,
    *,
    actor: str,
    round_id: int | None = None,
    unit_code: str | None = None,
    mode: str = "submit",
    dry_run: bool = False,
    now: datetime | None = None,
) -> UploadOutcome:
    """Check and store one uploaded workbook.

    `round_id` / `unit_code` are what the uploader is entitled to (a unit account passes its
    own code): a template of another round or unit is refused. When None, they are read from
    the template's identity.
    """
    try:
        book = read_workbook(data)
        identity = read_identity(book)
    except ExcelError as exc:
        return _refused(file_name, exc.problems)
    round_id = round_id if round_id is not None else identity.round_id
    unit_code = unit_code if unit_code is not None else identity.unit_code
    if round_id is None or unit_code is None:
        missing = "đợt báo cáo" if round_id is None else "đơn vị"
        return UploadOutcome(file_name, REJECTED, round_id, unit_code, errors=(
            f"Mẫu này chưa gắn với {missing} nào. Hãy tải mẫu của đơn vị mình trong đợt báo cáo "
            "(nút «Tải mẫu Excel») rồi điền lại, hoặc tải lên từ trang của đợt báo cáo.",))
    try:
        round_row = get_round(db, round_id)
        unit = get_unit(db, unit_code)
        outline = outline_for_round(db, round_id)
    except StoreError as exc:
        return UploadOutcome(file_name, REJECTED, round_id, unit_code, errors=(str(exc),))
    problems = check_identity(identity, outline=outline, round_id=round_id, unit_code=unit_code,
                              round_title=round_row["title"], unit_name=unit["name"])
    if problems:
        return _refused(file_name, problems, round_id=round_id, unit_code=unit_code)
    try:
        extracted = extract(outline, book)
    except ExcelError as exc:  # e.g. the main sheet deleted: a refusal, not a crash
        return _refused(file_name, exc.problems, round_id=round_id, unit_code=unit_code)
    notes = tuple(str(p) for p in extracted.problems)
    if dry_run:
        from forms import validate

        result = validate(outline, extracted.raw, mode=mode)
        located = locate(result.issues, extracted)
        errors = tuple(i.message for i, _ in located if i.severity == "error")
        warnings = notes + tuple(i.message for i, _ in located if i.severity != "error")
        return UploadOutcome(file_name, "valid" if not errors else REJECTED, round_id, unit_code,
                             errors=errors, warnings=warnings)
    try:
        intake = submit_values(db, round_id=round_id, unit_code=unit_code, raw=extracted.raw,
                               channel="excel", actor=actor, mode=mode, file_name=file_name,
                               file_bytes=data, now=now, outline=outline)
    except StoreError as exc:  # closed round, accepted report, unit not expected …
        return UploadOutcome(file_name, REJECTED, round_id, unit_code, errors=(str(exc),))
    located = locate(intake.result.issues, extracted)
    errors = tuple(i.message for i, _ in located if i.severity == "error")
    warnings = notes + tuple(i.message for i, _ in located if i.severity != "error")
    if intake.duplicate:
        return UploadOutcome(file_name, DUPLICATE, round_id, unit_code, warnings=(
            f"Tệp này đã được nhận trước đó (lần sửa {intake.revision['number']}); "
            "không lưu thêm.",), revision=intake.revision)
    if intake.revision is None:
        return UploadOutcome(file_name, REJECTED, round_id, unit_code, errors=errors,
                             warnings=warnings, annotated=annotate(data, located))
    return UploadOutcome(file_name, ACCEPTED, round_id, unit_code, warnings=warnings,
                         revision=intake.revision)
