"""Aggregated outputs of a round: one module per format, each with one entry
`write(consolidation, path_or_buffer, *, meta)`, registered here by name (as tablib does)."""

from exports import csv, docx, xlsx
from exports.limits import ExportError
from exports.meta import ExportMeta
from exports.safety import is_dangerous, neutralise

FORMATS = {"xlsx": xlsx.write, "csv": csv.write, "docx": docx.write}
SUFFIXES = {"xlsx": ".xlsx", "csv": ".zip", "docx": ".docx"}

__all__ = ["FORMATS", "SUFFIXES", "ExportError", "ExportMeta", "is_dangerous", "neutralise"]
