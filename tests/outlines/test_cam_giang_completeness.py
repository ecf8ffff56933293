"""The Cẩm Giang outline holds every line of its source appendix, in order, word for word.

The appendix "PHỤ LỤC ĐỀ CƯƠNG BÁO CÁO" (tests/data/cam_giang_appendix.txt, copied verbatim from
the seed) is read here as the specification of outlines/cam-giang-cchc-2025.yaml:

- every numbered or bulleted line (I., 1., a), -, +) is an item of the outline, in the same order,
  with the same number under the same parents;
- its words are the item's label, or its label followed by its hint (the italic notes in
  parentheses), compared after folding away what is not wording: markdown "*", the blanks
  ("...", "…", a "%" that follows no digit), surrounding ":" "." ";", spacing, and a closing
  "Trong đó:" (which announces the sub-bullets, so the item must have children);
- a blank asks for a figure: the item is a number (or a heading whose children are all numbers,
  as "Tổng thu/chi ngân sách địa phương...."); the words after a blank are the item's unit
  ("... nhiệm vụ.") or the next item on the same line ("...; đạt tỷ lệ ...%.");
- a "%" blank is a percent;
- the un-numbered paragraph under "b) Về phân cấp quản lý" is the hint of that heading;
- a line that a page break cut in two is joined before comparing.

The outline may hold items the appendix implies without printing them as lines (the two
satisfaction figures, có mặt / chỉ tiêu, thu / chi): they are skipped over, never required.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from forms.loader import load_outline
from forms.model import Item, Outline

ROOT = Path(__file__).resolve().parents[2]
APPENDIX = ROOT / "tests" / "data" / "cam_giang_appendix.txt"
OUTLINE = ROOT / "outlines" / "cam-giang-cchc-2025.yaml"

NUMERIC_KINDS = {"integer", "decimal", "percent", "money"}
BULLETS = {"-", "+"}

# How a line of the appendix is numbered, from the outermost level in.
# Sub-bullets come out of the extraction as " - + text".
NUMBERING = [
    re.compile(r"^(?P<number>[IVX]+\.)\s+(?P<text>.+)$"),  # I. II. … V.
    re.compile(r"^(?P<number>\d+\.)\s+(?P<text>.+)$"),  # 1. 2. …
    re.compile(r"^(?P<number>[a-z]\))\s+(?P<text>.+)$"),  # a) b)
    re.compile(r"^(?P<number>-)\s+(?P<text>[^+].*)$"),  # - bullet
    re.compile(r"^\s*-\s+(?P<number>\+)\s+(?P<text>.+)$"),  # + sub-bullet
]
# A blank to fill: "...", "…", or a "%" that is not part of a printed figure such as "95%".
BLANK = re.compile(r"\.{3,}|…|(?<!\d)%")
TRONG_DO = re.compile(r"[.,]?\s*[Tt]rong đó\s*:?$")
THRESHOLD = re.compile(r"tối thiểu (\d+)%")


# -- the appendix -------------------------------------------------------------------------------

@dataclass
class Line:
    lineno: int
    number: str  # "" for the un-numbered paragraph
    text: str
    path: tuple[str, ...]  # numbers of the enclosing lines, outermost first

    @property
    def has_blank(self) -> bool:
        return BLANK.search(self.text.replace("*", "")) is not None

    @property
    def has_percent_blank(self) -> bool:
        return any(m.group() == "%" for m in BLANK.finditer(self.text))


def read_appendix() -> tuple[list[str], list[Line]]:
    """The header lines above "I.", and the numbered lines with their paragraphs."""
    header: list[str] = []
    lines: list[Line] = []
    open_levels: list[tuple[int, str]] = []  # (level, number) of the lines enclosing the next
    text = unicodedata.normalize("NFC", APPENDIX.read_text(encoding="utf-8"))
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        level, number, words = numbering(raw)
        if level is None and not lines:
            header.append(raw.strip())
        elif level is None and lines[-1].number in BULLETS:
            lines[-1].text += " " + raw.strip()  # the rest of a bullet cut by a page break
        elif level is None:
            path = tuple(n for _, n in open_levels)
            lines.append(Line(lineno, "", raw.strip(), path))
        else:
            while open_levels and open_levels[-1][0] >= level:
                open_levels.pop()
            lines.append(Line(lineno, number, words, tuple(n for _, n in open_levels)))
            open_levels.append((level, number))
    return header, lines


def numbering(raw: str) -> tuple[int | None, str, str]:
    for level, pattern in enumerate(NUMBERING):
        match = pattern.match(raw.rstrip())
        if match:
            return level, match["number"], match["text"]
    return None, "", raw


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("*", "")
    text = " ".join(text.split()).strip(" :.;")
    return TRONG_DO.sub("", text).strip(" :.;")


def segments(text: str) -> list[str]:
    """The wording of a line, cut at its blanks: "A: ... nhiệm vụ." → ["A", "nhiệm vụ"]."""
    parts = (normalise(part) for part in BLANK.split(text.replace("*", "")))
    return [part for part in parts if part]


# -- the outline --------------------------------------------------------------------------------

def texts(item: Item) -> set[str]:
    """What a line of the appendix may read as: the label, or the label then the hint."""
    found = {normalise(item.label)}
    if item.hint:
        found.add(normalise(f"{item.label} {item.hint}"))
    return found


def asks_figures(item: Item) -> bool:
    """A number, or a heading whose children are all numbers ("Tổng thu/chi …")."""
    if item.kind in NUMERIC_KINDS:
        return True
    return item.is_section and bool(item.children) and all(
        child.kind in NUMERIC_KINDS for child in item.children)


@pytest.fixture(scope="module")
def outline() -> Outline:
    return load_outline(OUTLINE)


@pytest.fixture(scope="module")
def appendix() -> tuple[list[str], list[Line]]:
    return read_appendix()


@pytest.fixture(scope="module")
def matches(outline, appendix) -> list[tuple[Line, list[Item]]]:
    """Each numbered line of the appendix with the outline item(s) it reads as, in order."""
    entries = list(outline.walk())
    found: list[tuple[Line, list[Item]]] = []
    pos = 0
    for line in appendix[1]:
        if not line.number:  # the paragraph under a heading: that heading's hint
            heading = found[-1][1][0]
            assert normalise(heading.hint or "") == normalise(line.text), (
                f"appendix line {line.lineno}: the paragraph under '{heading.label}' must be "
                f"its hint")
            continue
        first, *rest = segments(line.text)
        at = next((i for i in range(pos, len(entries)) if first in texts(entries[i])), None)
        after = f"after '{entries[pos - 1].label}'" if pos else "at the start"
        assert at is not None, f"appendix line {line.lineno} not in the outline {after}: {first}"
        items = [entries[at]]
        pos = at + 1
        for words in rest:
            if words == normalise(items[-1].unit or ""):
                continue  # the unit printed after the blank: "... nhiệm vụ."
            assert pos < len(entries) and words in texts(entries[pos]), (
                f"appendix line {line.lineno}: '{words}' should be the item after "
                f"'{items[-1].label}'")
            items.append(entries[pos])
            pos += 1
        found.append((line, items))
    return found


# -- the checks ---------------------------------------------------------------------------------

def test_every_numbered_line_is_in_the_outline_in_order(appendix, matches):
    numbered = [line for line in appendix[1] if line.number]
    assert [line for line, _ in matches] == numbered


def test_numbers_and_nesting_match(matches):
    for line, items in matches:
        for item in items:
            assert (item.path, item.number) == (line.path, line.number), (
                f"appendix line {line.lineno} is {' '.join((*line.path, line.number))}, "
                f"the outline has it as {' '.join((*item.path, item.number))}")


def test_the_outline_invents_no_numbered_heading(outline, appendix):
    def numbered(path_numbers):
        return {(path, number) for path, number in path_numbers if number not in BULLETS}

    in_appendix = numbered((line.path, line.number) for line in appendix[1] if line.number)
    in_outline = numbered((item.path, item.number) for item in outline.walk())
    assert in_outline == in_appendix
    romans = [line.number for line in appendix[1] if not line.path and line.number]
    assert romans == ["I.", "II.", "III.", "IV.", "V."]


def test_blanks_are_typed_numbers(matches):
    for line, items in matches:
        if line.has_blank:
            for item in items:
                assert asks_figures(item), (
                    f"appendix line {line.lineno} asks for a figure; '{item.label}' is a "
                    f"{item.kind}")
        if line.has_percent_blank:
            assert items[-1].kind == "percent", f"appendix line {line.lineno} asks for a %"


def test_trong_do_lines_head_their_sub_bullets(matches):
    heads = [(line, items) for line, items in matches if TRONG_DO.search(line.text.rstrip())]
    assert len(heads) == 3
    for line, items in heads:
        assert items[0].children, f"appendix line {line.lineno} announces sub-items"


def test_satisfaction_thresholds_are_targets(matches):
    [(line, items)] = [(line, items) for line, items in matches if THRESHOLD.search(line.text)]
    thresholds = [f">={value}" for value in THRESHOLD.findall(line.text)]
    assert thresholds == [">=95", ">=90"]
    children = items[0].children
    assert [child.kind for child in children] == ["percent", "percent"]
    targets = [child.target.source.replace(" ", "") for child in children if child.target]
    assert targets == thresholds


def test_page_break_is_joined(appendix):
    [line] = [line for line in appendix[1] if "320/2016/TT-BTC" in line.text]
    assert "của Bộ Tài chính (đối với" in line.text
    assert line.text.endswith("và các văn bản có liên quan.")


def test_header_gives_title_and_note(outline, appendix):
    header = appendix[0]
    assert header[0] == "PHỤ LỤC ĐỀ CƯƠNG BÁO CÁO"
    assert outline.title.lower().endswith(header[1].lower())
    assert outline.note == header[-1]
