"""Where outlines come from: the shipped `outlines/` folder, or a folder named by the environment.

Rounds keep the exact text of the outline version they use (see `store.outlines`), so a later
edit of a file here never changes a round already opened.
"""

from __future__ import annotations

import os
from pathlib import Path

from forms.loader import load_outline
from forms.model import Outline

REPO_OUTLINES = Path(__file__).resolve().parent.parent / "outlines"


def outlines_dir() -> Path:
    """The folder of shipped outlines; DECUONG_OUTLINES_DIR overrides it."""
    return Path(os.environ.get("DECUONG_OUTLINES_DIR") or REPO_OUTLINES)


def outline_files(folder: Path | None = None) -> list[Path]:
    folder = folder or outlines_dir()
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def shipped_outlines(folder: Path | None = None) -> dict[str, Outline]:
    """id → outline for every file in the folder; a broken file raises OutlineError."""
    found: dict[str, Outline] = {}
    for path in outline_files(folder):
        outline = load_outline(path)
        found[outline.id] = outline
    return found


def find_outline(outline_id: str, folder: Path | None = None) -> tuple[Outline, Path]:
    """The shipped outline with this id and the file it came from; KeyError if none."""
    for path in outline_files(folder):
        outline = load_outline(path)
        if outline.id == outline_id:
            return outline, path
    raise KeyError(outline_id)
