"""The Lai Châu outline holds every line of its source, in order, word for word.

Part "II. NỘI DUNG KIỂM TRA" of the inspection plan of Sở Khoa học và Công nghệ Lai Châu
(tests/data/lai_chau_kiem_tra_cchc.txt, copied verbatim from the seed) is read here as the
specification of outlines/lai-chau-kiem-tra-cchc-2025.yaml:

- every numbered or bulleted line (1., a), -, +) is an item of the outline, in the same order,
  with the same number under the same parents, its words the item's label (compared after
  folding spacing and the surrounding ":" "." ";"); the extraction cuts lines and puts a blank
  line after each, so a line that does not start a number or a bullet continues the previous one,
  unless it opens a paragraph (a capital after a full stop, or after a heading);
- the five bullets that open "1. Kiểm tra trực tuyến" name the five areas a)–e) below it: they are
  declared once, as those areas; the paragraph under a heading is that heading's hint;
- the outline may hold, under a line, the figures the line asks for without printing them as
  lines (dossier counts, rates): they are numbers, and every rate is a formula over counts;
- the results of resolving dossiers are split into the four kinds the source names, each a count
  with a computed rate; the rates the source names in parentheses are computed percents.
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
SOURCE = ROOT / "tests" / "data" / "lai_chau_kiem_tra_cchc.txt"
OUTLINE = ROOT / "outlines" / "lai-chau-kiem-tra-cchc-2025.yaml"
SAMPLE = ROOT / "outlines" / "lai-chau-kiem-tra-cchc-2025.sample.json"

NUMERIC_KINDS = {"integer", "decimal", "percent", "money"}
BULLETS = {"-", "+"}
# How a line is numbered, from the outermost level in.
NUMBERING = [
    re.compile(r"^(?P<number>[IVX]+\.)\s+(?P<text>.+)$"),  # II. III.
    re.compile(r"^(?P<number>\d+\.)\s+(?P<text>.+)$"),  # 1. 2.
    re.compile(r"^(?P<number>[a-z]\))\s+(?P<text>.+)$"),  # a) … e)
    re.compile(r"^(?P<number>-)\s*(?P<text>\S.*)$"),  # - bullet
    re.compile(r"^(?P<number>\+)\s+(?P<text>.+)$"),  # + sub-bullet
]
HEADING_LEVELS = {0, 1, 2}
PLACEHOLDER = re.compile(r"\.{3,}|…")


# -- the source ---------------------------------------------------------------------------------

def read_source() -> list[Line]:
    """Every line of the extraction, with lines cut by the extraction joined."""
    return read_lines(SOURCE, NUMBERING, HEADING_LEVELS)


def part_two() -> tuple[list[Line], list[Line], list[Line]]:
    """Part II as (summary bullets under "1.", hint paragraphs, numbered lines with paths)."""
    lines = read_source()
    start = next(i for i, line in enumerate(lines) if line.number == "II.")
    end = next(i for i, line in enumerate(lines) if line.number == "III.")
    summary: list[Line] = []
    paragraphs: list[Line] = []
    numbered: list[Line] = []
    open_levels: list[tuple[int, str]] = []
    for line in lines[start + 1:end]:
        if line.level is None:
            paragraphs.append(line)
            continue
        while open_levels and open_levels[-1][0] >= line.level:
            open_levels.pop()
        line.path = tuple(number for _, number in open_levels)
        open_levels.append((line.level, line.number))
        # The bullets right under "1." before its paragraph list the areas a)–e).
        if line.path == ("1.",) and line.number == "-" and not paragraphs:
            summary.append(line)
        else:
            numbered.append(line)
    return summary, paragraphs, numbered


def normalise(text: str) -> str:
    text = PLACEHOLDER.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split()).strip(" :.;")


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", normalise(text).lower()))


# -- matching -----------------------------------------------------------------------------------

def match(outline: Outline, numbered: list[Line]) -> list[tuple[Line, Item]]:
    """Each numbered line with the outline item that reads as it, in order; items skipped over
    must be figures the line implies."""
    entries = list(outline.walk())
    found: list[tuple[Line, Item]] = []
    pos = 0
    for line in numbered:
        wanted = normalise(line.text)
        at = next((i for i in range(pos, len(entries))
                   if normalise(entries[i].label) == wanted), None)
        after = f"after '{entries[pos - 1].label}'" if pos else "at the start"
        assert at is not None, f"source line {line.lineno} not in the outline {after}: {wanted}"
        for skipped in entries[pos:at]:
            assert skipped.kind in NUMERIC_KINDS, (
                f"'{skipped.label}' ({skipped.kind}) is not a line of the source at "
                f"{' '.join((*line.path, line.number))}")
        found.append((line, entries[at]))
        pos = at + 1
    for skipped in entries[pos:]:
        assert skipped.kind in NUMERIC_KINDS, f"'{skipped.label}' is not a line of the source"
    return found


@pytest.fixture(scope="module")
def outline() -> Outline:
    return load_outline(OUTLINE)


@pytest.fixture(scope="module")
def source():
    return part_two()


@pytest.fixture(scope="module")
def matches(outline, source) -> list[tuple[Line, Item]]:
    return match(outline, source[2])


def by_line(matches, fragment: str) -> Item:
    [item] = [item for line, item in matches if fragment in line.text]
    return item


# -- the checks ---------------------------------------------------------------------------------

def test_every_numbered_line_is_in_the_outline_in_order(source, matches):
    assert [line for line, _ in matches] == source[2]
    assert len(matches) == 47


def test_numbers_and_nesting_match(matches):
    for line, item in matches:
        assert (item.path, item.number) == (line.path, line.number), (
            f"source line {line.lineno} is {' '.join((*line.path, line.number))}, "
            f"the outline has it as {' '.join((*item.path, item.number))}")


def test_the_outline_invents_no_numbered_heading(outline, source):
    def numbered(pairs):
        return {(path, number) for path, number in pairs if number not in BULLETS | {"–"}}

    in_source = numbered((line.path, line.number) for line in source[2])
    in_outline = numbered((item.path, item.number) for item in outline.walk())
    assert in_outline == in_source
    assert [item.number for item in outline.items] == ["1.", "2."]


def test_the_summary_bullets_are_the_areas_a_to_e(outline, source):
    summary = source[0]
    areas = outline.items[0].children
    assert [area.number for area in areas] == ["a)", "b)", "c)", "d)", "e)"]
    assert len(summary) == len(areas)
    for bullet, area in zip(summary, areas, strict=True):
        shared = words(bullet.text) & words(area.label)
        assert len(shared) >= 0.6 * len(words(area.label)), (bullet.text, area.label)


def test_paragraphs_are_hints_of_their_heading(outline, source):
    paragraphs = source[1]
    assert len(paragraphs) == 2
    online, on_site = outline.items
    assert normalise(online.hint or "") == normalise(paragraphs[0].text)
    [organisation] = [item for item in on_site.children if item.number == "c)"]
    assert organisation.kind == "long_text"
    assert normalise(organisation.hint or "") == normalise(paragraphs[1].text)


def test_every_bullet_and_area_has_a_narrative(matches):
    for line, item in matches:
        if item.kind == "section":
            assert item.children, f"source line {line.lineno} heads nothing"
        else:
            assert item.kind == "long_text", f"source line {line.lineno} is a {item.kind}"


def test_dossier_results_split_by_the_four_kinds_with_rates(outline, matches):
    line, item = next((line, item) for line, item in matches
                      if line.text.startswith("Kết quả giải quyết hồ sơ TTHC:"))
    kinds = [k.strip().lower() for k in re.sub(r"\(nếu có\)\.?$", "", line.text)
             .split(":", 1)[1].split(",")]
    assert kinds == ["đúng hạn", "sớm hạn", "trễ hạn", "quá hạn"]
    children = {child.key: child for child in item.children}
    counts = [c for c in item.children if c.kind == "integer"]
    rates = [c for c in item.children if c.kind == "percent"]
    assert {"hs_tiep_nhan", "hs_da_giai_quyet"} <= set(children)
    for kind in kinds:
        [count] = [c for c in counts if c.label.lower().endswith(kind)]
        [rate] = [r for r in rates if r.formula and count.key in r.formula.names()]
        denominator = "hs_tiep_nhan" if kind == "quá hạn" else "hs_da_giai_quyet"
        assert rate.formula.names() == {count.key, denominator}
        assert rate.label.lower().endswith(kind)


def test_rates_named_in_the_source_are_computed_percents(matches):
    item = by_line(matches, "Kết quả tiếp nhận, giải quyết hồ sơ trực tuyến")
    named = re.search(r"\((.*)\)", item.label).group(1)
    rates = [normalise(part).lower() for part in named.split(";") if normalise(part)]
    assert rates == ["tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ",
                     "tỷ lệ hồ sơ nộp trực tuyến"]
    percents = {child.label.lower(): child for child in item.children if child.kind == "percent"}
    for rate in rates:
        assert rate in percents and percents[rate].is_computed


@pytest.mark.parametrize("fragment", [
    "thanh toán trực tuyến hố sơ TTHC",  # online payments (the source's spelling)
    "số hóa thành phần hồ sơ",  # digitisation of dossiers and results
    "cấp kết quả điện tử; tái sử dụng",  # electronic results, reuse of digitised data
    "Việc cập nhật hồ sơ cán bộ, công chức, viên chức",  # staff records updated
])
def test_result_lines_carry_counts_and_computed_rates(matches, fragment):
    item = by_line(matches, fragment)
    assert any(child.kind == "integer" for child in item.children)
    assert any(child.kind == "percent" and child.is_computed for child in item.children)


def test_apologies_and_requests_are_counted(matches):
    item = by_line(matches, "Văn bản xin lỗi công dân")
    labels = [child.label for child in item.children if child.kind == "integer"]
    for term in ("xin lỗi", "yêu cầu bổ sung hồ sơ", "từ chối giải quyết"):
        assert any(term in label for label in labels), term


def test_every_rate_is_a_formula_over_counts(outline):
    for item in outline.fields():
        if item.kind == "percent":
            assert item.formula is not None, f"{item.key} is typed in: no ratio of sums"
            assert item.aggregate == "formula"
            for name in item.formula.names():
                assert outline.item(name).kind == "integer", (item.key, name)
        if item.kind in NUMERIC_KINDS and not item.is_computed:
            assert item.kind == "integer" and item.unit, f"{item.key} needs a unit word"


def test_no_targets_as_the_plan_states_none(outline):
    assert "%" not in SOURCE.read_text(encoding="utf-8")
    assert not [item.key for item in outline.fields() if item.target]


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def test_sample_answers_validate(outline):
    result = validate(outline, sample())
    assert result.errors == []
    assert result.warnings == []


@pytest.mark.parametrize(("change", "rule", "severity"), [
    ({"hs_som_han": "1.000"}, "hs_phan_loai_le_da_giai_quyet", "error"),
    ({"hs_da_giai_quyet": "1.300"}, "hs_da_giai_quyet_le_tiep_nhan", "error"),
    ({"hs_dung_han": "280"}, "hs_phan_loai_bang_da_giai_quyet", "warning"),
    ({"vb_xin_loi": "13"}, "vb_xin_loi_le_tre_qua_han", "warning"),
    ({"hs_nop_truc_tuyen": "1.300"}, "hs_nop_truc_tuyen_le_tiep_nhan", "error"),
    ({"hs_thanh_toan_truc_tuyen": "401"}, "hs_thanh_toan_le_co_phi", "error"),
    ({"cbccvc_da_cap_nhat": "49"}, "cbccvc_cap_nhat_le_tong", "error"),
])
def test_rules_catch_inconsistent_counts(outline, change, rule, severity):
    result = validate(outline, {**sample(), **change})
    assert (rule, severity) in [(i.rule, i.severity) for i in result.issues]
    if severity == "warning":
        assert result.errors == []


def test_header_gives_title_issuer_and_period(outline):
    lines = read_source()
    raw = SOURCE.read_text(encoding="utf-8").splitlines()
    header = raw[:next(i for i, text in enumerate(raw) if text.startswith("I. "))]
    assert normalise(outline.title) in [normalise(text) for text in header]
    assert any(normalise("SỞ KHOA HỌC VÀ CÔNG NGHỆ") in normalise(text) for text in header)
    assert outline.issuer.lower().startswith("sở khoa học và công nghệ")
    assert outline.issuer.lower().endswith("lai châu")
    assert any("LAI CHÂU" in text for text in header)
    [paragraph] = [line for line in part_two()[1] if "năm 2025" in line.text]
    assert "(tính đến thời điểm kiểm tra)" in outline.period.label
    assert str(outline.period.start) == "2025-01-01" and outline.period.end is None
    assert "trong năm 2025 (tính đến thời điểm kiểm tra)" in paragraph.text
    folded = normalise(" ".join(line.text for line in lines))
    assert normalise(outline.note) in folded


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
    data["rules"] = [rule for rule in data.get("rules", []) if name not in rule["constraint"]]
    return load_outline(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@pytest.mark.parametrize("name", ["tt_che_do_bao_cao", "dx_chu_ky_so", "tt_dong_bo_ho_so"])
def test_a_deleted_line_is_caught(source, name):
    with pytest.raises(AssertionError, match=r"not in the outline|is not a line of the source"):
        match(without(name), source[2])
