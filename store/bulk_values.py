"""Many units' values in one go (`decuong import FILE.jsonl` or a long CSV): each unit through
the one intake (`store.intake.submit_values`: the same validation and the same revision as the
web form), with a report per unit that says where each problem is in the file.

A unit is stored whole or not at all, and a refused unit never stops the others: each unit's
write is a savepoint inside the batch's transaction, rolled back alone when the store refuses
it (a closed round, an accepted report). Units are written `BATCH` to a transaction — one lock
and one commit per batch instead of per unit, which is most of the cost of a small write — and
the round's outline and expected units are read once for the whole file. A dry run does
everything inside one transaction undone at the end, so it says exactly what the real run
would, store checks included, and keeps nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from forms import Issue, Outline
from forms.validate_many import Checked, validate_many
from forms.value_files import LineProblem, UnitValues
from store.bulk_ingest import default_workers
from store.db import rolled_back, transaction
from store.errors import StoreError
from store.intake import submit_values
from store.outlines import outline_for_round
from store.rounds import round_units

#: Units written per transaction.
BATCH = 200
#: Below this many units, worker processes cost more to start than they save.
SMALL = 100


@dataclass(frozen=True)
class Message:
    """One located message of a unit's report."""

    line: int
    message: str
    severity: str = "error"  # "error" refuses the unit, "warning" is stored with it
    item: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "item": self.item, "severity": self.severity,
                "message": self.message}


@dataclass
class UnitReport:
    """What happened to one unit of the file: "stored" (revision `revision`), "valid" (a dry
    run that would store it) or "rejected" (nothing stored), with its located messages. A line
    that names no unit is reported with `unit` None."""

    unit: str | None
    line: int
    status: str
    revision: int | None = None
    messages: list[Message] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "line": self.line, "status": self.status,
                "revision": self.revision, "messages": [m.as_dict() for m in self.messages]}


def import_units(db: Database, round_id: int, units: Iterable[UnitValues], *, actor: str,
                 mode: str = "submit", dry_run: bool = False, batch: int = BATCH,
                 workers: int | None = None) -> Iterator[UnitReport]:
    """A report per unit, in file order; each batch is committed before its reports are
    yielded. Raises RoundNotFound before anything is read when the round does not exist.

    `workers`: processes that validate (default one per core, at most 4; 1 validates here;
    a file under SMALL units is validated here). Validation is the larger part of the cost and
    needs no database, so workers validate ahead while this process stores, in file order:
    every report and revision is the same as validating here."""
    outline = outline_for_round(db, round_id)
    expected = {row["unit_code"] for row in round_units(db, round_id, round_checked=True)}
    pending = list(units)
    wanted = [unit for unit in pending if _readable(unit, expected)]
    count = default_workers() if workers is None else max(1, workers)
    results = validate_many(outline, [unit.raw for unit in wanted], mode=mode,
                            workers=count if len(wanted) >= SMALL else 1)
    try:
        with rolled_back(db) if dry_run else nullcontext():
            for start in range(0, len(pending), max(1, batch)):
                with transaction(db):
                    reports = [_one(db, round_id, outline, expected, unit, actor, mode, dry_run,
                                    next(results) if _readable(unit, expected) else None)
                               for unit in pending[start:start + batch]]
                yield from reports
    finally:
        results.close()


def _readable(unit: UnitValues, expected: set[str]) -> bool:
    """Whether the unit goes on to validation (its lines read and the round expects it)."""
    return not unit.problems and unit.unit in expected


def orphan_reports(problems: Iterable[LineProblem]) -> list[UnitReport]:
    """Reports for lines that name no unit."""
    return [UnitReport(None, p.line, "rejected", messages=[Message(p.line, p.message)])
            for p in problems]


def _one(db: Database, round_id: int, outline: Outline, expected: set[str], unit: UnitValues,
         actor: str, mode: str, dry_run: bool, checked: Checked | None) -> UnitReport:
    report = UnitReport(unit.unit, unit.line, "rejected")
    report.messages = [Message(p.line, p.message, item=p.item) for p in unit.problems]
    if unit.unit not in expected:
        report.messages.insert(0, Message(
            unit.line, f"Đơn vị '{unit.unit}' không thuộc đợt báo cáo số {round_id}. Hãy kiểm "
                       "tra mã đơn vị (decuong round status --round …)."))
    if report.messages:
        return report
    result, stored_values = checked if checked is not None else (None, None)
    try:  # submit_values writes in a savepoint of the batch: a refusal undoes this unit only
        intake = submit_values(db, round_id=round_id, unit_code=unit.unit, raw=unit.raw,
                               channel="import", actor=actor, mode=mode, outline=outline,
                               result=result, stored_values=stored_values)
    except StoreError as exc:
        report.messages.append(Message(unit.line, str(exc)))
        return report
    report.messages = located(intake.result.issues, unit, outline)
    if intake.revision is not None:
        report.status = "valid" if dry_run else "stored"
        report.revision = intake.revision["number"]
    return report


def located(issues: Iterable[Issue], unit: UnitValues, outline: Outline) -> list[Message]:
    """Each issue at the line its item was given on (a table cell's own line when the issue
    names row and column), else at the unit's first line (a required item left out, a rule)."""
    unknown = (key for key in unit.raw if key not in outline)  # in the engine's order
    out = []
    for issue in issues:
        key = issue.key
        if issue.code == "unknown_key":
            key = next(unknown, None)
        line = unit.lines.get(key or "", unit.line)
        if key and issue.row is not None and issue.column is not None:
            line = unit.lines.get(f"{key}.{issue.row}.{issue.column}", line)
        out.append(Message(line, issue.message, issue.severity, key))
    return out
