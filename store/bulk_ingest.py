"""Many filled templates at once — `decuong ingest` and the coordinator's multi-file upload.

Reading a workbook (safety checks, calamine, identity, values) needs no database and takes most
of the time, so for a large batch it runs in worker processes (`forms.excel.parallel`) while
this process checks, validates and stores each file through the one intake, in file order.
Every outcome and every stored revision is therefore the same, in the same order, as reading the
files one by one here; only the wall-clock time differs. Each file is stored when its outcome is
asked for, so a caller that stops early, or a process killed half-way, has stored exactly the
files before.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Sequence
from contextlib import nullcontext
from typing import Unpack

from sqlite_utils import Database

from forms.excel.parallel import parse_many
from forms.excel.parse import parse_upload
from store.batch_lookups import BatchLookups
from store.db import rolled_back
from store.outlines import round_outline_sources
from store.uploads import REJECTED, IngestOptions, UploadOutcome, as_dry_run, ingest_parsed

MAX_WORKERS = 4
#: Below this many files a pool costs more to start than it saves.
SMALL_BATCH = 8


def default_workers() -> int:
    """One worker per core, at most MAX_WORKERS: past that, this process, which validates and
    stores every file in turn, is what limits the pace."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def ingest_many(db: Database, files: Sequence[tuple[str, bytes | str]], *,
                workers: int | None = None, **options: Unpack[IngestOptions]
                ) -> Generator[UploadOutcome, None, None]:
    """The outcome of each (file name, bytes) of `files`, in order, each file stored (unless
    `dry_run`) before its outcome is yielded. A str instead of bytes says why the file could not
    be read; it is rejected with that message. `options` as for `ingest_upload` (without
    `round_id`, files go to the round and unit in their template). `workers`: processes that
    read the files (default `default_workers()`; 1 reads them here); a batch under SMALL_BATCH
    files is read here.
    """
    dry_run = options.get("dry_run", False)
    round_id = options.get("round_id")
    datas = [data for _name, data in files if isinstance(data, bytes)]
    count = default_workers() if workers is None else max(1, workers)
    if count > 1 and len(datas) >= SMALL_BATCH:
        parsed = parse_many(datas, round_outline_sources(db, round_id), workers=count)
    else:
        parsed = (parse_upload(data) for data in datas)
    # One lookup cache for the batch; the dry run is this whole loop's (below), not each file's.
    each: IngestOptions = {**options, "lookups": BatchLookups(db), "dry_run": False}
    # A dry run ingests the whole batch in one transaction undone at the end, so each file is
    # judged as the real run would judge it: after the files before it (a second report of a
    # unit, the same file twice).
    with rolled_back(db) if dry_run else nullcontext():
        try:
            for name, data in files:
                if isinstance(data, str):
                    yield UploadOutcome(name, REJECTED, errors=(data,))
                    continue
                outcome = ingest_parsed(db, next(parsed), data, name, **each)
                yield as_dry_run(outcome) if dry_run else outcome
        finally:
            parsed.close()
