"""The Excel channel: write a fillable template, read an upload defensively, point at bad cells.

    write_template(outline, buffer, identity=Identity(...), key=key, values=stored)  # download
    book = read_workbook(data)                        # refuses unsafe or foreign files
    extracted = extract(outline, book)                # identity, raw values, cell map
    problems = check_identity(extracted.identity, outline=..., key=..., round_id=..., unit_code=...)
    result = validate(outline, extracted.raw)         # the one validation engine
    located = locate(result.issues, extracted)        # [(issue with "Báo cáo!D12: …", cell)]
    annotated = annotate(data, located)               # the user's file, bad cells in red

Many files at once: `forms.excel.parse.parse_upload` is the database-free part of one upload,
and `forms.excel.parallel.parse_many` runs it in worker processes (see `store.bulk_ingest`).
"""

from forms.excel.annotate import annotate
from forms.excel.errors import ExcelError, ExcelProblem
from forms.excel.identity import Identity, TemplateKey
from forms.excel.identity_checks import check_identity, check_installation
from forms.excel.reader import (
    Extracted,
    Upload,
    UploadedWorkbook,
    extract,
    locate,
    read_identity,
    read_upload,
    read_workbook,
)
from forms.excel.template import write_template

__all__ = [
    "ExcelError",
    "ExcelProblem",
    "Extracted",
    "Identity",
    "TemplateKey",
    "Upload",
    "UploadedWorkbook",
    "annotate",
    "check_identity",
    "check_installation",
    "extract",
    "locate",
    "read_identity",
    "read_upload",
    "read_workbook",
    "write_template",
]
