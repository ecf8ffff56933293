"""The Lạng Sơn CCHC-results outline holds every target and task of its plan, in order, word for
word, with the plan's figures as targets.

Part "II. CHỈ TIÊU" of the CCHC plan 2025 of Sở Ngoại vụ Lạng Sơn
(tests/data/lang_son_ke_hoach_cchc.txt, copied verbatim from the seed) is read here as the
specification of outlines/lang-son-ngoai-vu-ket-qua-cchc-2025.yaml:

- every numbered or bulleted line (1., a), -) is an item, in the same order, with the same number
  under the same parents, its words the item's label (compared after folding spacing and the
  surrounding ":" "." ";"); lines cut by the extraction are joined, page numbers dropped;
- a paragraph printed without a bullet is an item without a number, where it stands;
- a bullet stating several targets ("100% …; 100% …; 100% …") is one item per target, each with
  the bullet's number;
- a target stating a percentage is a percent item whose `target` is that percentage, computed
  from counts where there is something to count; "Hoàn thành …" under "Chỉ tiêu" is a yes/no whose
  target is true; every other line is a narrative;
- items the outline holds beyond the lines are the counts behind a computed target;
- the closing "(Phụ lục … kèm theo)" names an annex that is not part of the plan's text: skipped.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from seed_lines import Line, read_lines

from forms import load_outline, validate
from forms.model import Item, Outline

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "data" / "lang_son_ke_hoach_cchc.txt"
OUTLINE = ROOT / "outlines" / "lang-son-ngoai-vu-ket-qua-cchc-2025.yaml"
SAMPLE = ROOT / "outlines" / "lang-son-ngoai-vu-ket-qua-cchc-2025.sample.json"

NUMERIC_KINDS = {"integer", "decimal", "percent", "money"}
BULLETS = {"-", "+"}
NUMBERING = [
    re.compile(r"^(?P<number>[IVX]+\.)\s+(?P<text>.+)$"),  # II. III.
    re.compile(r"^(?P<number>\d+\.)\s+(?P<text>.+)$"),  # 1. 3. … 7.
    re.compile(r"^(?P<number>[a-z]\))\s+(?P<text>.+)$"),  # a) b)
    re.compile(r"^(?P<number>-)\s*(?P<text>\S.*)$"),  # - bullet ("-Tiếp tục" included)
]
HEADING_LEVELS = {0, 1, 2}
PLACEHOLDER = re.compile(r"\.{3,}|…")
PERCENT = re.compile(r"(\d+)%")
TARGETS_IN_A_LINE = re.compile(r";\s*(?=\d+%)")
ANNEX = "(Phụ lục các nhiệm vụ trọng tâm"


# -- the source ---------------------------------------------------------------------------------

def read_source() -> list[Line]:
    """Every line of the extraction, with lines cut by the extraction joined."""
    return read_lines(SOURCE, NUMBERING, HEADING_LEVELS)


def part_two() -> list[Line]:
    """The lines of "II. CHỈ TIÊU", with the numbers of their parents; the annex note dropped."""
    lines = read_source()
    start = next(i for i, line in enumerate(lines) if line.number == "II.")
    end = next(i for i, line in enumerate(lines) if line.number == "III.")
    out: list[Line] = []
    open_levels: list[tuple[int, str]] = []
    for line in lines[start + 1:end]:
        if line.text.startswith(ANNEX):
            continue
        if line.level is None:  # un-numbered: where the plan puts it, among the bullets
            line.path = tuple(number for level, number in open_levels if level < 3)
            out.append(line)
            continue
        while open_levels and open_levels[-1][0] >= line.level:
            open_levels.pop()
        line.path = tuple(number for _, number in open_levels)
        open_levels.append((line.level, line.number))
        out.append(line)
    return out


def normalise(text: str) -> str:
    text = PLACEHOLDER.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split()).strip(" :.;")


def segments(text: str) -> list[str]:
    """A line's targets: "100% A; 100% B" → ["100% A", "100% B"]."""
    return [normalise(part) for part in TARGETS_IN_A_LINE.split(text) if normalise(part)]


# -- matching -----------------------------------------------------------------------------------

def match(outline: Outline, lines: list[Line]) -> list[tuple[Line, str, Item]]:
    """(line, words, item) for every target or line of the source, in order; items skipped over
    must be the counts behind a computed target."""
    entries = list(outline.walk())
    found: list[tuple[Line, str, Item]] = []
    pos = 0
    for line in lines:
        for words in segments(line.text):
            at = next((i for i in range(pos, len(entries))
                       if normalise(entries[i].label) == words), None)
            after = f"after '{entries[pos - 1].label}'" if pos else "at the start"
            assert at is not None, f"source line {line.lineno} not in the outline {after}: {words}"
            for skipped in entries[pos:at]:
                assert skipped.kind == "integer", (
                    f"'{skipped.label}' ({skipped.kind}) is not a line of the source")
            found.append((line, words, entries[at]))
            pos = at + 1
    for skipped in entries[pos:]:
        assert skipped.kind == "integer", f"'{skipped.label}' is not a line of the source"
    return found


@pytest.fixture(scope="module")
def outline() -> Outline:
    return load_outline(OUTLINE)


@pytest.fixture(scope="module")
def source() -> list[Line]:
    return part_two()


@pytest.fixture(scope="module")
def matches(outline, source):
    return match(outline, source)


# -- the checks ---------------------------------------------------------------------------------

def test_every_line_and_target_is_in_the_outline_in_order(source, matches):
    assert [line for line, _, _ in matches] == [
        line for line in source for _ in segments(line.text)]
    assert len(matches) == 59


def test_numbers_and_nesting_match(matches):
    for line, _, item in matches:
        assert (item.path, item.number) == (line.path, line.number), (
            f"source line {line.lineno} is {' '.join((*line.path, line.number)) or '(none)'}, "
            f"the outline has it as {' '.join((*item.path, item.number)) or '(none)'}")


def test_the_areas_are_the_plans(outline, source):
    areas = [(line.number, normalise(line.text)) for line in source if line.level == 1]
    assert [number for number, _ in areas] == ["1.", "3.", "4.", "5.", "6.", "7."]
    sections = [item for item in outline.items if item.is_section]
    assert [(s.number, normalise(s.label)) for s in sections] == areas
    for section in sections:
        parts = [(child.number, child.label) for child in section.children]
        assert parts[0][1] in ("Chỉ tiêu", "Mục tiêu") and parts[1] == ("b)", "Nhiệm vụ, giải pháp")


def test_percent_targets_are_the_plans_figures(matches):
    stated = [(line, words, item) for line, words, item in matches if PERCENT.match(words)
              or "100%" in words]
    assert len(stated) == 7
    for line, words, item in stated:
        [figure] = PERCENT.findall(words)
        assert item.kind == "percent", f"source line {line.lineno}: {item.kind}"
        assert item.target is not None, f"source line {line.lineno} states a target"
        assert (item.target.op, item.target.expr.source) == (">=", figure)


def test_completion_targets_are_yes_no(matches):
    done = [(line, item) for line, _, item in matches
            if line.path[-1:] == ("a)",) and line.text.startswith(("Hoàn thành", "Rà soát, điều"))
            and line.path[0] == "5."]
    assert len(done) == 2
    for line, item in done:
        assert item.kind == "yes_no", f"source line {line.lineno}"
        assert item.target is not None and item.target.op == "="
        assert item.target.expr.source == "true"
    [training] = [item for line, item in done if "Kế hoạch đào tạo" in line.text]
    assert training.key == "cv_ke_hoach_dao_tao"


def test_every_target_comes_from_a_target_line(outline, matches):
    targeted = {item.key for item in outline.fields() if item.target}
    from_lines = {item.key for line, _, item in matches
                  if line.path[-1:] == ("a)",) and item.target}
    assert targeted == from_lines


def test_other_lines_are_narratives(matches):
    for line, words, item in matches:
        if item.is_section or item.target:
            continue
        assert item.kind == "long_text", f"source line {line.lineno}: {words}"


def test_computed_targets_are_ratios_of_counts(outline):
    computed = [item for item in outline.fields() if item.is_computed]
    assert len(computed) == 6
    for item in computed:
        assert item.kind == "percent" and item.aggregate == "formula"
        children = {child.key for child in item.children}
        for name in item.formula.names():
            assert name in children and outline.item(name).kind == "integer", (item.key, name)
            assert outline.item(name).unit


def test_on_time_target_counts_early_and_on_time(outline):
    item = outline.item("tthc_ty_le_dung_truoc_han")
    assert "đúng và trước thời hạn" in item.label
    assert item.formula.names() == {"hs_truoc_han", "hs_dung_han", "hs_da_giai_quyet"}


def test_digital_signature_target_excludes_classified_dossiers(outline):
    item = outline.item("cqs_ty_le_hscv_truc_tuyen")
    assert "(trừ hồ sơ công việc thuộc phạm vi mật)" in item.label
    assert "(trừ hồ sơ công việc thuộc phạm vi mật)" in outline.item("cqs_hscv_tong").label


def test_report_periods_are_the_plans(outline):
    folded = unicodedata.normalize("NFC", normalise(SOURCE.read_text(encoding="utf-8")))
    duty = re.search(r"-\s*(Tổng hợp, báo cáo tình hình công tác cải cách hành chính định kỳ "
                     r"hàng quý, (.+?) hoặc khi có yêu cầu\.)", folded)
    assert duty is not None
    assert outline.note == duty.group(1)
    periods = [p.strip() for p in duty.group(2).split(",")]
    assert periods == ["6 tháng", "9 tháng", "năm"]
    # The round carries its period (decuong round plan: quy-1 … quy-4, 6-thang, 9-thang, nam),
    # so no unit types it: since version 2 there is no "Kỳ báo cáo" item.
    assert "ky_bao_cao" not in outline
    assert not any(item.label == "Kỳ báo cáo" for item in outline.walk())
    assert outline.version == 2
    assert outline.period.start is None and outline.deadline is None


def test_title_and_issuer(outline):
    lines = read_source()
    raw = unicodedata.normalize("NFC", SOURCE.read_text(encoding="utf-8")).splitlines()
    assert [raw[0].strip(), raw[1].strip()] == ["KẾ HOẠCH", "Cải cách hành chính năm 2025"]
    assert outline.title.lower().endswith(raw[1].strip().lower())
    folded = normalise(" ".join(line.text for line in lines)).lower()
    assert outline.title.lower().removesuffix(" năm 2025") in folded
    assert "sở ngoại vụ" in folded and "tỉnh lạng sơn" in folded
    assert outline.issuer == "Sở Ngoại vụ tỉnh Lạng Sơn"


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def test_sample_answers_validate(outline):
    result = validate(outline, sample())
    assert result.errors == []
    assert result.values["tthc_ty_le_dung_truoc_han"] == 100
    assert result.values["cv_ke_hoach_dao_tao"] is False


@pytest.mark.parametrize(("change", "rule"), [
    ({"hs_da_giai_quyet": "37"}, "hs_da_giai_quyet_le_tiep_nhan"),
    ({"hs_qua_han": "1"}, "hs_phan_loai_le_da_giai_quyet"),
    ({"bm_don_vi_kien_toan": "5"}, "bm_kien_toan_le_tong"),
    ({"cqs_hscv_truc_tuyen_ky_so": "1.521"}, "cqs_hscv_ky_so_le_tong"),
    ({"tc_vbqppl_dung_quy_dinh": "3"}, "tc_vbqppl_dung_le_tham_muu"),
])
def test_rules_catch_inconsistent_counts(outline, change, rule):
    result = validate(outline, {**sample(), **change})
    assert [issue.rule for issue in result.errors] == [rule]


# -- the test fails when the outline loses a line -----------------------------------------------

def without(name: str) -> Outline:
    data = yaml.safe_load(OUTLINE.read_text(encoding="utf-8"))

    def drop(items):
        kept = [item for item in items if item.get("name") != name]
        for item in kept:
            if "items" in item:
                item["items"] = drop(item["items"])
        return kept

    data["items"] = drop(data["items"])
    return load_outline(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@pytest.mark.parametrize("name", ["tthc_noi_bo", "cv_ke_hoach_dao_tao", "tcc_bao_cao_tai_chinh"])
def test_a_deleted_line_is_caught(source, name):
    with pytest.raises(AssertionError, match="not in the outline"):
        match(without(name), source)
