"""Official reports as .docx (Nghị định 30/2020/NĐ-CP): the coordinator's consolidated report
(`write`, the "docx" entry of exports.FORMATS) and each unit's own report
(`write_unit_report`). Modules: `xml` builds WordprocessingML as text in bulk, `official` the
form every document shares and the package around the body, `figures` the consolidated
sentences and table rows, `consolidated` and `unit_report` the two bodies."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from aggregate import Consolidation
from exports.docx.consolidated import chunks
from exports.docx.official import package
from exports.docx.unit_report import write_unit_report
from exports.meta import ExportMeta


def write(consolidation: Consolidation, path_or_buffer: str | Path | IO[bytes], *,
          meta: ExportMeta) -> None:
    """Write the consolidated report to a .docx path or binary buffer."""
    package(chunks(consolidation, meta, meta.document), path_or_buffer)


__all__ = ["write", "write_unit_report"]
