"""Where outline files come from: the shipped `outlines/` folder, plus any folders named by
DECUONG_OUTLINES_DIR.

The variable adds folders (several separated by the platform's path separator, `:` on Linux,
`;` on Windows) after the shipped one; it never hides the shipped outlines, so an office's own
outlines and the shipped ones are offered side by side. Rounds keep the exact text of the
outline version they use (see `store.outlines`), so a later edit of a file here never changes a
round already opened. Outlines kept in the database (uploaded in the browser or with
`decuong outlines add`) are listed with these by `store.outline_catalog`.
"""

from __future__ import annotations

import os
from pathlib import Path

from forms.loader import load_outline
from forms.model import Outline

REPO_OUTLINES = Path(__file__).resolve().parent.parent / "outlines"
ENV_VAR = "DECUONG_OUTLINES_DIR"


def outlines_dir() -> Path:
    """The folder of the outlines shipped with decuong."""
    return REPO_OUTLINES


def outline_dirs() -> list[Path]:
    """Every folder outlines are read from: the shipped one, then those DECUONG_OUTLINES_DIR
    adds (each once, in the order given)."""
    folders = [REPO_OUTLINES]
    for part in os.environ.get(ENV_VAR, "").split(os.pathsep):
        if part.strip():
            folder = Path(part.strip())
            if all(folder.resolve() != known.resolve() for known in folders):
                folders.append(folder)
    return folders


def outline_files(folder: Path | None = None) -> list[Path]:
    """The outline files (.yaml, .yml) of `folder`, or of every folder of `outline_dirs()`."""
    found: list[Path] = []
    for place in [folder] if folder is not None else outline_dirs():
        found += sorted(p for p in place.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    return found


def shipped_outlines(folder: Path | None = None) -> dict[str, Outline]:
    """id → outline for every file in the folders; a broken file raises OutlineError."""
    found: dict[str, Outline] = {}
    for path in outline_files(folder):
        outline = load_outline(path)
        found[outline.id] = outline
    return found


def find_outline(outline_id: str, folder: Path | None = None) -> tuple[Outline, Path]:
    """The outline file with this id and the file it came from; KeyError if none."""
    for path in outline_files(folder):
        outline = load_outline(path)
        if outline.id == outline_id:
            return outline, path
    raise KeyError(outline_id)
