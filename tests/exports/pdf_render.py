"""What a reader sees: a .docx rendered to PDF by LibreOffice and read back with poppler.

Each test session uses a private LibreOffice profile (`-env:UserInstallation`), so parallel
runs and a user's own LibreOffice never clash.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

SERIF_FAMILIES = ("TimesNewRoman", "Times New Roman", "LiberationSerif", "Liberation Serif")


def render(docx: Path, profile: Path) -> Path:
    """`docx` converted to PDF beside it (LibreOffice headless)."""
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
        check=True, capture_output=True, timeout=240)
    pdf = docx.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice did not write {pdf}"
    return pdf


def fonts(pdf: Path) -> list[str]:
    """Font names `pdffonts` lists (subset prefix removed)."""
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    return [line.split()[0].split("+", 1)[-1] for line in lines if line.strip()]


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in
                                                 out.splitlines())}


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], check=True, capture_output=True, text=True).stdout


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def words(pdf: Path, page: int) -> list[Word]:
    """Words of a page with their boxes in points (`pdftotext -bbox`), in reading order."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], check=True, capture_output=True, text=True).stdout
    root = ElementTree.fromstring(html.replace("<!DOCTYPE", "<!-- ").replace(
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">', "-->"))
    found = []
    for element in root.iter():
        if element.tag.endswith("word"):
            box = [float(element.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            found.append(Word(element.text or "", *box))
    return found
