"""Authoring outlines in a spreadsheet, the way ODK/KoboToolbox authors write XLSForms.

`import_workbook` turns an xlsx workbook (sheets `survey`, `choices`, `settings`, `rules`) into
outline YAML and reports every problem by sheet and cell with the checker's own message;
`export_workbook` writes an outline back as such a workbook. See docs/outline-spreadsheet.md.
"""

from forms.spreadsheet.exporter import export_workbook, workbook_bytes
from forms.spreadsheet.importer import import_workbook
from forms.spreadsheet.problems import SheetProblem

__all__ = ["SheetProblem", "export_workbook", "import_workbook", "workbook_bytes"]
