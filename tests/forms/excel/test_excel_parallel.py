"""Reading uploads in worker processes gives what reading them here gives, file for file and in
order, with either start method, even when a worker is killed half-way."""

from __future__ import annotations

import multiprocessing
import os
import signal
from dataclasses import replace

import pytest
from excel_helpers import OUTLINE_YAML, TABLE, TYPED, fill, rezip, template_bytes, without_sheet

from forms.excel import ExcelError
from forms.excel.parallel import parse_many
from forms.excel.parse import Parsed, parse_upload

METHODS = ["fork", "forkserver"]


@pytest.fixture(scope="module")
def batch(outline, identity, template) -> list[bytes]:
    """Good files, refused files, a file whose values cannot be read and one naming an outline
    version the workers were not given."""
    filled = fill(template, TYPED, TABLE)
    other_unit = fill(template_bytes(outline, replace(identity, unit_code="KT",
                                                      unit_name="Phòng Kinh tế")),
                      {**TYPED, "nv_tong": "7"}, TABLE[:1])
    newer = template_bytes(outline, replace(identity, outline_version=3))
    return [filled, b"%PDF-1.4 scanned", other_unit,
            rezip(template, {"xl/worksheets/sheet1.xml": None}), without_sheet(template),
            newer, template, filled, b"", filled[:5000]] * 2


def outcome(parsed: Parsed, data: bytes, outline) -> tuple:
    """Everything the intake would use: refusal, identity, and the values (or why not)."""
    try:
        values = parsed.values_for(outline, data)
    except ExcelError as exc:
        values = exc.problems
    return parsed.refusal, parsed.identity, values if not parsed.refusal else None


@pytest.mark.parametrize("method", METHODS)
def test_workers_read_exactly_what_this_process_reads(batch, outline, method) -> None:
    here = [outcome(parse_upload(data), data, outline) for data in batch]
    there = list(parse_many(batch, {(outline.id, outline.version): outline}, workers=2,
                            method=method))
    assert len(there) == len(batch)
    assert [outcome(p, d, outline) for p, d in zip(there, batch, strict=True)] == here
    # Values were read in the workers (no open book came back), except for the file naming
    # an outline version they did not have.
    assert all(p.book is None for p in there)
    assert [p.identity.outline_version for p in there if p.identity and p.extracted is None
            and not p.extract_refusal] == [3, 3]
    # The main sheet deleted, or its part missing: the values cannot be read, twice each.
    assert sum(bool(p.extract_refusal) for p in there) == 4
    assert sum(bool(p.refusal) for p in there) == 6  # PDF, empty, truncated, twice each


def test_outline_given_as_text_is_parsed_by_the_workers(batch, outline) -> None:
    there = list(parse_many(batch, {(outline.id, outline.version): OUTLINE_YAML}, workers=2))
    assert [outcome(p, d, outline) for p, d in zip(there, batch, strict=True)] == \
        [outcome(parse_upload(d), d, outline) for d in batch]
    assert sum(p.extracted is not None for p in there) == 8


def test_a_killed_worker_loses_no_file(batch, outline) -> None:
    files = batch * 3
    results = parse_many(files, {(outline.id, outline.version): outline}, workers=2,
                         method="fork")
    first = next(results)
    workers = multiprocessing.active_children()
    assert len(workers) == 2
    os.kill(workers[0].pid, signal.SIGKILL)
    there = [first, *results]
    assert [outcome(p, d, outline) for p, d in zip(there, files, strict=True)] == \
        [outcome(parse_upload(d), d, outline) for d in files]
    assert multiprocessing.active_children() == []


def test_closing_early_stops_the_workers(batch, outline) -> None:
    results = parse_many(batch * 3, {}, workers=2, method="fork")
    next(results)
    assert len(multiprocessing.active_children()) == 2
    results.close()
    assert multiprocessing.active_children() == []
