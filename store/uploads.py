"""Taking in a filled Excel template: refuse unsafe or foreign files before anything else, find
the round and unit from the template's identity, then go through the one intake.

Used by the web upload of a unit (its own report) and, through `store.bulk_ingest`, by the
coordinator's many-files upload and `decuong ingest`, which may read the files in other
processes (`forms.excel.parse`) and finish each here with `ingest_parsed`. A refused file
stores nothing; an accepted one keeps its original bytes; the same bytes twice store nothing new.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Required, TypedDict, Unpack

from sqlite_utils import Database

from forms import Outline
from forms.excel import ExcelError, ExcelProblem, annotate, check_identity, locate
from forms.excel.annotate import can_annotate
from forms.excel.identity_checks import check_installation
from forms.excel.parse import Parsed, parse_upload
from forms.excel.reader import Extracted
from store.batch_lookups import BatchLookups
from store.db import rolled_back
from store.errors import StoreError
from store.intake import submit_values
from store.submissions import RevisionMeta

ACCEPTED, REJECTED, DUPLICATE = "accepted", "rejected", "duplicate"
SKIPPED = "skipped"  # a file of a folder or archive that is not a spreadsheet (`decuong ingest`)
VALID = "valid"  # a dry run's "would be accepted"


@dataclass(frozen=True)
class UploadOutcome:
    """What happened to one file, in words for the person who sent it."""

    file_name: str
    status: str  # accepted | rejected | duplicate | skipped (| "valid" on a dry run)
    round_id: int | None = None
    unit_code: str | None = None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    revision: RevisionMeta | None = None
    # The file back with its bad cells marked: made only when asked (`mark_errors`, for a
    # person who will download it), only for values refused, and only for a sheet small enough.
    annotated: bytes | None = field(default=None, repr=False)

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


class IngestOptions(TypedDict, total=False):
    """How to ingest a file: the keyword arguments of `ingest_upload`, `ingest_parsed` and
    `store.bulk_ingest.ingest_many`, named once (defaults in `ingest_parsed`)."""

    actor: Required[str]
    round_id: int | None
    unit_code: str | None
    mode: str
    dry_run: bool
    now: datetime | None
    lookups: BatchLookups | None
    mark_errors: bool
    on_behalf: bool


def ingest_upload(db: Database, data: bytes, file_name: str,
                  **options: Unpack[IngestOptions]) -> UploadOutcome:
    """Check and store one uploaded workbook.

    `round_id` / `unit_code` are what the uploader is entitled to (a unit account passes its
    own code): a template of another round or unit is refused. When None, they are read from
    the template's identity. `lookups` shares round and unit rows across a batch.
    `mark_errors`: hand back the file with its bad cells marked when its values are refused
    (the web pages offer it for download; the command line has no use for it).
    `on_behalf`: the coordinator uploads it for the unit (nhập hộ).
    """
    return ingest_parsed(db, parse_upload(data), data, file_name, **options)


def ingest_parsed(db: Database, parsed: Parsed, data: bytes, file_name: str,
                  **options: Unpack[IngestOptions]) -> UploadOutcome:
    """`ingest_upload` for a file already read by `parse_upload`, here or in a worker process
    (`store.bulk_ingest`): everything that needs the database, in the same order."""
    if parsed.refusal:
        return _refused(file_name, parsed.refusal)
    identity = parsed.identity
    assert identity is not None
    lookups = options.get("lookups") or BatchLookups(db)
    round_id, unit_code = options.get("round_id"), options.get("unit_code")
    foreign = check_installation(identity, lookups.key())
    if foreign:  # before the round and unit it names, which are another database's
        return _refused(file_name, foreign)
    round_id = round_id if round_id is not None else identity.round_id
    unit_code = unit_code if unit_code is not None else identity.unit_code
    if round_id is None or unit_code is None:
        missing = "đợt báo cáo" if round_id is None else "đơn vị"
        return UploadOutcome(file_name, REJECTED, round_id, unit_code, errors=(
            f"Mẫu này chưa gắn với {missing} nào. Hãy tải mẫu của đơn vị mình trong đợt báo cáo "
            "(nút «Tải mẫu Excel») rồi điền lại, hoặc tải lên từ trang của đợt báo cáo.",))
    try:
        round_row = lookups.round(round_id)
        unit = lookups.unit(unit_code)
        outline = lookups.outline(round_id)
    except StoreError as exc:
        return UploadOutcome(file_name, REJECTED, round_id, unit_code, errors=(str(exc),))
    problems = check_identity(identity, outline=outline, key=lookups.key(), round_id=round_id,
                              unit_code=unit_code, round_title=round_row["title"],
                              unit_name=unit["name"])
    if problems:
        return _refused(file_name, problems, round_id=round_id, unit_code=unit_code)
    try:
        extracted = parsed.values_for(outline, data)
    except ExcelError as exc:  # e.g. the main sheet deleted: a refusal, not a crash
        return _refused(file_name, exc.problems, round_id=round_id, unit_code=unit_code)
    dry_run = options.get("dry_run", False)
    # A dry run does everything a real upload does, then undoes it (see store.db.rolled_back).
    with rolled_back(db) if dry_run else nullcontext():
        outcome = _store(db, extracted, data, file_name, actor=options["actor"],
                         round_id=round_id, unit_code=unit_code,
                         mode=options.get("mode", "submit"), now=options.get("now"),
                         outline=outline, mark_errors=options.get("mark_errors", False),
                         on_behalf=options.get("on_behalf", False))
    return as_dry_run(outcome) if dry_run else outcome


def as_dry_run(outcome: UploadOutcome) -> UploadOutcome:
    """A dry run's outcome: "valid" where the file would have been accepted, and no revision
    (it was never kept)."""
    status = VALID if outcome.status == ACCEPTED else outcome.status
    return replace(outcome, status=status, revision=None)


def _store(db: Database, extracted: Extracted, data: bytes, file_name: str, *, actor: str,
           round_id: int, unit_code: str, mode: str, now: datetime | None,
           outline: Outline, mark_errors: bool, on_behalf: bool = False) -> UploadOutcome:
    notes = tuple(str(p) for p in extracted.problems)
    try:
        intake = submit_values(db, round_id=round_id, unit_code=unit_code, raw=extracted.raw,
                               channel="excel", actor=actor, mode=mode, file_name=file_name,
                               file_bytes=data, now=now, outline=outline, on_behalf=on_behalf)
    except StoreError as exc:  # closed round, accepted report, unit not expected …
        return UploadOutcome(file_name, REJECTED, round_id, unit_code, errors=(str(exc),))
    located = locate(intake.result.issues, extracted)
    errors = tuple(i.message for i, _ in located if i.severity == "error")
    warnings = notes + tuple(i.message for i, _ in located if i.severity != "error")
    if intake.duplicate:
        assert intake.revision is not None  # a duplicate file names the revision it repeats
        return UploadOutcome(file_name, DUPLICATE, round_id, unit_code, warnings=(
            f"Tệp này đã được nhận trước đó (lần sửa {intake.revision['number']}); "
            "không lưu thêm.",), revision=intake.revision)
    if intake.revision is None:
        marked = annotate(data, located) if mark_errors and can_annotate(data) else None
        return UploadOutcome(file_name, REJECTED, round_id, unit_code, errors=errors,
                             warnings=warnings, annotated=marked)
    return UploadOutcome(file_name, ACCEPTED, round_id, unit_code, warnings=warnings,
                         revision=intake.revision)
