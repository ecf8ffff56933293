"""Reading an outline someone hands in — a YAML file or an XLSForm-style workbook — into the
checked YAML text the database keeps, with every problem located.

The browser's upload and `decuong outlines add` both read files here, so a file is accepted,
refused or converted the same way whichever door it came through.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forms.loader import check_outline, load_outline
from forms.model import Outline

#: Cap for one outline file (the web's MAX_OUTLINE_MB can change it). The largest shipped
#: outline is under 100 KB as YAML and as a workbook; anything far bigger is a mistake (or an
#: attack), refused before parsing.
DEFAULT_MAX_OUTLINE_MB = 2
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003): import_workbook explains the refusal


@dataclass(frozen=True)
class Problem:
    """One checker problem as shown: where (file:line:column or sheet!cell), what, and for
    YAML the offending line, so the author sees it without opening the file."""

    where: str
    message: str
    excerpt: str | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Upload:
    """A checked file: the YAML text (also the one generated from a workbook), the problems,
    and when clean the outline."""

    file_name: str
    source: str  # "yaml" | "xlsx"
    text: str = ""
    problems: list[Problem] = field(default_factory=list)
    outline: Outline | None = None


def normalise_text(text: str) -> str:
    """One line-break convention, so the same file compares equal however it travelled
    (a browser's form post turns every line break into CRLF)."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def check_yaml(text: str, file_name: str) -> Upload:
    """Check outline YAML text with the one checker; the outline when it has no problem."""
    upload = Upload(file_name, "yaml", text)
    lines = text.split("\n")
    for p in check_outline(text, filename=file_name):
        excerpt = lines[p.line - 1] if 0 < p.line <= len(lines) else None
        upload.problems.append(Problem(f"{p.file}:{p.line}:{p.column}", p.message,
                                       excerpt.rstrip() if excerpt else None))
    if not upload.problems:
        upload.outline = load_outline(text, filename=file_name)
    return upload


def is_workbook(data: bytes, file_name: str) -> bool:
    """Decided by the name and the first bytes (a workbook renamed .yaml is still one)."""
    return (file_name.lower().endswith(WORKBOOK_SUFFIXES)
            or data.startswith((ZIP_MAGIC, OLE_MAGIC)))


def read_upload(data: bytes, file_name: str) -> Upload:
    """YAML or workbook (see `is_workbook`), then checked by the one checker."""
    if is_workbook(data, file_name):
        from forms.spreadsheet import import_workbook  # openpyxl/calamine only when needed

        text, sheet_problems = import_workbook(data)
        upload = Upload(file_name, "xlsx", text)
        upload.problems = [Problem(f"{file_name}: {p.where}" if p.where else file_name,
                                   p.message) for p in sheet_problems]
        if not upload.problems:
            upload.outline = load_outline(text, filename=file_name)
        return upload
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Upload(file_name, "yaml", problems=[Problem(
            f"{file_name}:1:1",
            f"Tệp không phải chữ UTF-8 (byte thứ {exc.start + 1}). Hãy lưu tệp YAML với bảng mã "
            "UTF-8, hoặc tải lên bảng tính Excel (.xlsx).")])
    return check_yaml(normalise_text(text), file_name)
