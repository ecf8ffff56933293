"""One upload read without the database: the part of the intake that may run in another process.

The safety checks, calamine, the identity and the values by marker depend only on the file and
on the outline its identity names. Checking that identity against the round and unit,
validating and storing need the database and stay with the caller (`store.uploads`), which
asks for the values only once the identity has passed — exactly as if it had read the file
itself, so a file gives the same outcome whichever process read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from forms.excel.errors import ExcelError, ExcelProblem
from forms.excel.identity import Identity
from forms.excel.reader import Extracted, UploadedWorkbook, extract, read_identity, read_workbook
from forms.model import Outline

OutlineKey = tuple[str, int]  # (outline id, version), as an identity names it
OutlineFor = Callable[[Identity], Outline | None]


@dataclass(frozen=True)
class Parsed:
    """What one file says, read without the database.

    `refusal`: why the file cannot be read at all (unsafe, not a workbook, no identity).
    Otherwise `identity`, and either the open `book` (read in this process: values are read on
    demand) or the values already read for the outline `outline_key` (`extracted`, or
    `extract_refusal` when even that failed, e.g. the main sheet deleted). Nothing here holds
    the file's bytes or an outline, so it travels between processes cheaply.
    """

    identity: Identity | None = None
    refusal: tuple[ExcelProblem, ...] = ()
    outline_key: OutlineKey | None = None
    extracted: Extracted | None = None
    extract_refusal: tuple[ExcelProblem, ...] = ()
    book: UploadedWorkbook | None = field(default=None, compare=False, repr=False)

    def values_for(self, outline: Outline, data: bytes) -> Extracted:
        """The values of the file for `outline` (raises ExcelError when they cannot be read).

        Read already when the identity named this outline; otherwise read now from the open
        book, or from `data` again when the book stayed in another process.
        """
        if self.outline_key == (outline.id, outline.version):
            if self.extract_refusal:
                raise ExcelError(self.extract_refusal)
            if self.extracted is not None:
                return replace(self.extracted, outline=outline)
        book = self.book if self.book is not None else read_workbook(data)
        return extract(outline, book, identity=self.identity)


def parse_upload(data: bytes, outline_for: OutlineFor | None = None) -> Parsed:
    """Read `data` as far as the database-free steps go.

    Without `outline_for` (one process does everything) the book stays open and values are
    read later for the round's outline. With it (a worker process), the values are read now for
    the outline the identity names, if `outline_for` knows it, and the book is dropped.
    """
    try:
        book = read_workbook(data)
        identity = read_identity(book)
    except ExcelError as exc:
        return Parsed(refusal=exc.problems)
    if outline_for is None:
        return Parsed(identity=identity, book=book)
    outline = outline_for(identity)
    if outline is None:
        return Parsed(identity=identity)
    key = (outline.id, outline.version)
    try:
        extracted = extract(outline, book, identity=identity)
    except ExcelError as exc:
        return Parsed(identity=identity, outline_key=key, extract_refusal=exc.problems)
    return Parsed(identity=identity, outline_key=key, extracted=replace(extracted, outline=None))
