"""The Lạng Sơn PAR INDEX remediation outline holds every part of its plan, word for word.

The plan of Sở Ngoại vụ Lạng Sơn to remedy its weak PAR INDEX criteria
(tests/data/lang_son_khac_phuc_par_index.txt, copied verbatim from the seed) is read here as the
specification of outlines/lang-son-ngoai-vu-khac-phuc-par-index-2024.yaml:

- each criterion of "II. NHIỆM VỤ VÀ GIẢI PHÁP" ("Đối với tiêu chí <code>: <name>: Sở Ngoại vụ
  được <points>/<maximum> điểm", then "- Nguyên nhân: …", "- Giải pháp khắc phục: …", …) is a row
  of the repeating table: every bullet word is a column label, in the plan's order; the sample
  answers hold the plan's rows, code, name, points and texts word for word (lines cut by the
  extraction joined, a paragraph without a bullet added to the bullet above it);
- the overall figures ("đạt 91,89%, xếp hạng 07/20") are items of the right kinds, with the plan's
  values in the sample answers and a rule rank ≤ number ranked;
- the directions of the plan (its sentences on what to remedy, maintain and raise) are narratives
  whose words are the plan's, in the plan's order.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from seed_lines import Line, read_lines

from forms import load_outline, validate
from forms.model import Outline

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "data" / "lang_son_khac_phuc_par_index.txt"
OUTLINE = ROOT / "outlines" / "lang-son-ngoai-vu-khac-phuc-par-index-2024.yaml"
SAMPLE = ROOT / "outlines" / "lang-son-ngoai-vu-khac-phuc-par-index-2024.sample.json"

NUMBERING = [
    re.compile(r"^(?P<number>[IVX]+\.)\s+(?P<text>.+)$"),  # I. II. III.
    re.compile(r"^(?P<number>\d+(?:\.\d+)*\.)\s+(?P<text>.+)$"),  # 1. 1.1. 2.
    re.compile(r"^(?P<number>-)\s*(?P<text>\S.*)$"),  # - bullet
]
HEADING_LEVELS = {0, 1}
CRITERION = re.compile(r"Đối với tiêu chí (?P<code>\d+(?:\.\d+)+):?\s+(?P<name>.+?):\s*"
                       r"Sở Ngoại vụ được (?P<got>[\d.,]+)/(?P<max>[\d.,]+)\s*điểm")
FIGURES = re.compile(r"đạt (?P<index>\d+,\d+)%, xếp hạng (?P<rank>\d+)/(?P<of>\d+) "
                     r"các sở, ban, ngành")
# The plan's sentences on what to do beyond the criteria, in its order: each is a narrative.
DIRECTIONS = (
    "Nghiên cứu, triển khai những biện pháp, giải pháp mới",  # I.1
    "duy trì những tiêu chí, tiêu chí thành phần đã đạt điểm tối đa",  # I.1
    "tiếp tục nâng cao chỉ số CCHC năm 2025",  # I.1
    "Tiếp tục quan tâm tuyên truyền",  # I.2
    "Thường xuyên phối hợp, đôn đốc, kiểm tra, giám sát",  # I.2
    "xác định trách nhiệm của Lãnh đạo phòng, đơn vị",  # III.2
    "Cụ thể hóa các nhiệm vụ, nội dung được phân công",  # III.2
)
FIELD = re.compile(r"^(?P<label>[^:]{3,40}):\s*(?P<value>.*)$")


# -- the source ---------------------------------------------------------------------------------

def read_source() -> list[Line]:
    """Every line of the extraction, with lines cut by the extraction joined."""
    return read_lines(SOURCE, NUMBERING, HEADING_LEVELS)


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def normalise(text: str) -> str:
    return fold(text).strip(" :.;")


@dataclass
class Criterion:
    lineno: int
    header: str
    fields: dict[str, str] = field(default_factory=dict)  # bullet word → text, in order


def criteria() -> list[Criterion]:
    """The criteria of part II, each with its bullets ("Nguyên nhân: …") in order."""
    lines = read_source()
    start = next(i for i, line in enumerate(lines) if line.number == "II.")
    end = next(i for i, line in enumerate(lines) if line.number == "III.")
    found: list[Criterion] = []
    last: str | None = None
    for line in lines[start + 1:end]:
        if "Đối với tiêu chí" in line.text:
            found.append(Criterion(line.lineno, line.text))
            last = None
        elif found and not CRITERION.search(fold(found[-1].header)):
            found[-1].header += " " + line.text  # a header cut in two by the extraction
        elif found and line.number == "-":
            match = FIELD.match(line.text)
            assert match, f"source line {line.lineno}: a bullet without 'Label: text'"
            last = normalise(match["label"])
            found[-1].fields[last] = match["value"]
        elif found and line.level is None and last is not None:
            found[-1].fields[last] += "\n" + line.text  # a second paragraph of the bullet
    return found


def the_paragraph_with_the_figures() -> str:
    return next(line.text for line in read_source() if FIGURES.search(fold(line.text)))


def number(text: str) -> float:
    return float(text.replace(",", "."))


# -- the checks ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def outline() -> Outline:
    return load_outline(OUTLINE)


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def check_columns(outline: Outline) -> None:
    """Every bullet word of every criterion is a column label, in the plan's order."""
    table = outline.item("tieu_chi")
    labels = [normalise(column.label) for column in table.columns]
    for criterion in criteria():
        positions = []
        for word in criterion.fields:
            assert word in labels, f"'{word}' (criterion at line {criterion.lineno}) is no column"
            positions.append(labels.index(word))
        assert positions == sorted(positions), f"columns out of the plan's order: {positions}"


def test_the_plan_has_three_criteria():
    found = criteria()
    assert [CRITERION.search(fold(c.header))["code"] for c in found] == ["1.5", "1.6", "3.3.2"]
    assert list(found[0].fields) == ["Nguyên nhân", "Giải pháp khắc phục", "Đơn vị chủ trì",
                                     "Đơn vị phối hợp", "Thời gian thực hiện"]


def test_every_bullet_word_is_a_column_in_order(outline):
    check_columns(outline)


def test_the_table_columns_are_typed(outline):
    table = outline.item("tieu_chi")
    assert table.kind == "table"
    kinds = {column.key: column.kind for column in table.columns}
    assert kinds == {
        "ma_tieu_chi": "text", "ten_tieu_chi": "text", "diem_dat": "decimal",
        "diem_toi_da": "decimal", "diem_con_thieu": "decimal", "nguyen_nhan": "long_text", "giai_phap": "long_text",
        "don_vi_chu_tri": "text", "don_vi_phoi_hop": "text", "thoi_gian": "text",
        "tien_do": "select_one",
    }
    [progress] = [column for column in table.columns if column.key == "tien_do"]
    assert [choice.label for choice in progress.choices] == [
        "Chưa thực hiện", "Đang thực hiện", "Đã hoàn thành"]
    assert normalise(table.label).lower() in normalise(fold(SOURCE.read_text("utf-8"))).lower()


def test_the_sample_rows_are_the_plans_criteria(outline):
    result = validate(outline, sample())
    assert result.errors == []
    rows = result.values["tieu_chi"]
    columns = {normalise(column.label): column.key
               for column in outline.item("tieu_chi").columns}
    found = criteria()
    assert len(rows) == len(found)
    for row, criterion in zip(rows, found, strict=True):
        header = CRITERION.search(fold(criterion.header))
        assert row["ma_tieu_chi"] == header["code"]
        assert normalise(row["ten_tieu_chi"]) == normalise(header["name"])
        assert row["diem_dat"] == number(header["got"])
        assert row["diem_toi_da"] == number(header["max"])
        assert row["diem_dat"] < row["diem_toi_da"]
        for word, text in criterion.fields.items():
            assert normalise(row[columns[word]]) == normalise(text), (header["code"], word)
        stated = {columns[word] for word in criterion.fields}
        for key in ("nguyen_nhan", "giai_phap", "don_vi_chu_tri", "don_vi_phoi_hop",
                    "thoi_gian"):
            if key not in stated:
                assert row[key] is None, f"{header['code']}: the plan gives no {key}"


def test_the_overall_figures_are_items_with_the_plans_values(outline):
    figures = FIGURES.search(fold(the_paragraph_with_the_figures()))
    assert (figures["index"], figures["rank"], figures["of"]) == ("91,89", "07", "20")
    kinds = {key: outline.item(key).kind
             for key in ("par_index_ty_le", "xep_hang", "tong_so_don_vi_xep_hang")}
    assert kinds == {"par_index_ty_le": "percent", "xep_hang": "integer",
                     "tong_so_don_vi_xep_hang": "integer"}
    values = validate(outline, sample()).values
    assert values["par_index_ty_le"] == number(figures["index"])
    assert values["xep_hang"] == int(figures["rank"])
    assert values["tong_so_don_vi_xep_hang"] == int(figures["of"])
    assert values["ty_le_diem"] == pytest.approx(values["par_index_ty_le"])


def test_the_share_of_points_is_a_ratio_of_sums(outline):
    share = outline.item("ty_le_diem")
    assert share.kind == "percent" and share.aggregate == "formula"
    assert share.formula.names() == {"tong_diem_dat", "tong_diem_toi_da"}
    for key in ("tong_diem_dat", "tong_diem_toi_da"):
        assert outline.item(key).kind == "decimal" and outline.item(key).unit == "điểm"


@pytest.mark.parametrize(("change", "rule", "severity"), [
    ({"xep_hang": "21"}, "xep_hang_le_tong", "error"),
    ({"tong_diem_dat": "101"}, "tong_diem_dat_le_toi_da", "error"),
    ({"par_index_ty_le": "90"}, "chi_so_khop_ty_le_diem", "warning"),
    ({"tong_diem_dat": "99"}, "diem_con_thieu_le_tong", "warning"),
])
def test_rules(outline, change, rule, severity):
    result = validate(outline, {**sample(), **change})
    assert (rule, severity) in [(issue.rule, issue.severity) for issue in result.issues]


# -- version 2: what the table gives is computed, not typed ----------------------------------------

def test_version_two_computes_the_points_from_the_table(outline):
    assert outline.version == 2
    found = [CRITERION.search(fold(c.header)) for c in criteria()]
    missing = [number(c["max"]) - number(c["got"]) for c in found]  # "được 0.5/2 điểm" → 1,5
    values = validate(outline, sample()).values
    assert [row["diem_con_thieu"] for row in values["tieu_chi"]] == pytest.approx(missing)
    assert values["so_tieu_chi_chua_dat"] == len(found) == 3
    assert values["tong_diem_con_thieu"] == pytest.approx(sum(missing))
    for key in ("so_tieu_chi_chua_dat", "tong_diem_con_thieu"):
        assert outline.item(key).is_computed and outline.item(key).aggregate == "sum"
    [column] = [c for c in outline.item("tieu_chi").columns if c.key == "diem_con_thieu"]
    assert column.is_computed


def test_typed_missing_points_are_ignored(outline):
    answers = sample()
    answers["tieu_chi"][0]["diem_con_thieu"] = "99"
    values = validate(outline, answers).values
    assert values["tieu_chi"][0]["diem_con_thieu"] == pytest.approx(1.5)


def test_more_points_than_the_maximum_is_refused_at_its_row(outline):
    answers = sample()
    answers["tieu_chi"][1]["diem_dat"] = "4"  # 1.6 is out of 3 points
    result = validate(outline, answers)
    [issue] = [i for i in result.errors if i.rule == "diem_dat_le_toi_da"]
    assert (issue.key, issue.row, issue.column) == ("tieu_chi", 2, "diem_dat")
    assert issue.message.startswith("Dòng 2: Điểm đạt được của tiêu chí không được lớn hơn")
    assert result.values["tieu_chi"][1]["diem_con_thieu"] == -1


def check_directions(outline: Outline) -> None:
    """The narratives are the plan's directions, one each, in the plan's words and order."""
    text = normalise(fold(SOURCE.read_text(encoding="utf-8"))).lower()
    [section] = [item for item in outline.items if item.number == "3."]
    assert all(child.kind == "long_text" for child in section.children)
    starts = [normalise(child.label).lower()[:len(d)] for child, d in
              zip(section.children, DIRECTIONS, strict=False)]
    assert len(section.children) == len(DIRECTIONS), "a direction of the plan is missing"
    assert starts == [d.lower() for d in DIRECTIONS]
    at = 0
    for child in section.children:
        words = normalise(child.label).lower()
        found = text.find(words, at)
        assert found >= 0, f"'{child.label}' is not the plan's words, after the previous one"
        at = found + len(words)


def test_the_directions_are_the_plans_words_in_order(outline):
    check_directions(outline)


def test_title_issuer_note_and_period(outline):
    raw = unicodedata.normalize("NFC", SOURCE.read_text(encoding="utf-8")).splitlines()
    title_lines = [line.strip() for line in raw[1:8] if line.strip()]
    assert raw[0].strip() == "KẾ HOẠCH"
    assert outline.title == " ".join(title_lines)
    folded = fold(" ".join(raw))
    assert outline.note.rstrip(".") in folded
    assert "Sở Ngoại vụ" in outline.issuer and "tỉnh Lạng Sơn" in folded
    assert "để thực hiện trong năm 2025" in folded
    assert (str(outline.period.start), str(outline.period.end)) == ("2025-01-01", "2025-12-31")


# -- the test fails when the outline loses a column ---------------------------------------------

def without_column(name: str) -> Outline:
    data = yaml.safe_load(OUTLINE.read_text(encoding="utf-8"))
    [table] = [item for item in data["items"] if item.get("name") == "tieu_chi"]
    table["columns"] = [column for column in table["columns"] if column["name"] != name]
    return load_outline(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@pytest.mark.parametrize("name", ["nguyen_nhan", "don_vi_phoi_hop", "thoi_gian"])
def test_a_deleted_column_is_caught(name):
    with pytest.raises(AssertionError, match="is no column"):
        check_columns(without_column(name))


def test_a_deleted_direction_is_caught():
    data = yaml.safe_load(OUTLINE.read_text(encoding="utf-8"))
    [section] = [item for item in data["items"] if item.get("number") == "3."]
    del section["items"][3]
    with pytest.raises(AssertionError, match="missing"):
        check_directions(load_outline(yaml.safe_dump(data, allow_unicode=True).encode()))
