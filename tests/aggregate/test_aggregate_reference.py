"""A generated round of 60 units checked figure by figure against the plain-Python reference."""

from __future__ import annotations

import math

import pytest
from aggregate_round import (
    CHOICES,
    SUM_KEYS,
    generate_round,
    outline,
    ref_rate,
    ref_row,
    ref_unit_row,
    ref_verdict,
)

import aggregate.frame
import aggregate.groups
from aggregate import consolidate

COLUMNS = (*SUM_KEYS, "ty_le_dung_han", "hai_long", "hai_long@min", "hai_long@max",
           "co_quy_che", *(f"tu_danh_gia={c}" for c in CHOICES))


def same(actual, expected) -> bool:
    if expected is None:
        return actual is None or (isinstance(actual, float) and math.isnan(actual))
    return actual is not None and not math.isnan(actual) and math.isclose(
        actual, expected, rel_tol=1e-12, abs_tol=1e-9)


def check_row(row, expected: dict, where: str) -> None:
    for key in COLUMNS:
        wanted = expected.get(key)
        assert same(row[key], wanted), f"{where} {key}: {row[key]!r} ≠ {wanted!r}"


@pytest.fixture(scope="module", params=[(1, False), (2, False), (3, False), (1, True)],
                ids=["seed1", "seed2", "seed3", "seed1-small-chunks"])
def round_(request):
    """Small chunks: a big round is converted and aggregated a few rows and columns at a
    time; with chunks of 7 rows and 1 column, the 60-unit round takes that path too."""
    seed, small_chunks = request.param
    units, values = generate_round(seed, n=60)
    with pytest.MonkeyPatch.context() as patch:
        if small_chunks:
            patch.setattr(aggregate.frame, "ROWS_PER_CHUNK", 7)
            patch.setattr(aggregate.groups, "CHUNK_CELLS", 1)
        return outline(), units, values, consolidate(outline(), units, values)


def test_round_has_the_cases_it_is_meant_to_test(round_):
    _, units, values, _ = round_
    statuses = {u.status for u in units}
    assert {"missing", "submitted"} <= statuses
    assert any(u.late for u in units) and {u.kind for u in units} == {"xã", "phòng"}
    assert any(v.get("da_giai_quyet") == 0 for v in values.values())
    assert any(v.get("hai_long") is None for v in values.values())
    assert any(v.get("kinh_phi") == 0 for v in values.values())


def test_every_unit_subtotal_and_total_row_matches_the_reference(round_):
    _, units, values, result = round_
    table = result.table
    kinds = list(dict.fromkeys(u.kind for u in units))
    expected_rows = []
    for kind in kinds:
        members = [u for u in units if u.kind == kind]
        expected_rows += [("unit", u.code, ref_unit_row(values.get(u.code))) for u in members]
        records = [values[u.code] for u in members if u.code in values]
        expected_rows.append(("subtotal", None, ref_row(records)))
    expected_rows.append(("total", None, ref_row([values[u.code] for u in units
                                                  if u.code in values])))
    assert len(table) == len(expected_rows)
    for (row_type, code, expected), (_, row) in zip(expected_rows, table.iterrows(), strict=True):
        assert row["row_type"] == row_type
        if row_type == "unit":
            assert row["code"] == code
            assert (row["status"] == "Chưa báo cáo") == (code not in values)
        check_row(row, expected, f"{row_type} {code or row['name']}")


def test_target_verdicts_match_the_reference(round_):
    _, units, values, result = round_
    verdicts = result.targets.table
    for (_, row), (_, figures) in zip(verdicts.iterrows(), result.table.iterrows(), strict=True):
        if row["row_type"] == "unit":
            record = values.get(row["code"]) or {}
            rate = ref_rate(record.get("dung_han"), record.get("da_giai_quyet"))
        elif row["row_type"] == "subtotal":
            records = [values[u.code] for u in units
                       if u.kind == row["kind"] and u.code in values]
            rate = ref_rate(*(ref_row(records)[k] for k in ("dung_han", "da_giai_quyet")))
        else:
            records = [values[u.code] for u in units if u.code in values]
            rate = ref_rate(*(ref_row(records)[k] for k in ("dung_han", "da_giai_quyet")))
        assert row["ty_le_dung_han"] == ref_verdict(rate), (row["name"], figures["ty_le_dung_han"])
    counts = result.targets.counts.loc["ty_le_dung_han"]
    unit_verdicts = [ref_verdict(ref_rate((values.get(u.code) or {}).get("dung_han"),
                                          (values.get(u.code) or {}).get("da_giai_quyet")))
                     for u in units]
    assert counts["đạt"] == unit_verdicts.count("đạt")
    assert counts["không đạt"] == unit_verdicts.count("không đạt")
    assert counts["không có số liệu"] == unit_verdicts.count("không có số liệu")


def test_sections_slice_the_full_table(round_):
    _, _, _, result = round_
    first, second = result.sections
    assert first.number == "I." and second.number == "II."
    assert [c.key for c in first.columns] == [
        "nv_tong", "nv_xong", "co_quy_che", "tu_danh_gia=tot", "tu_danh_gia=kha",
        "tu_danh_gia=chua_dat"]
    assert [c.key for c in second.columns] == [
        "tiep_nhan", "da_giai_quyet", "dung_han", "ty_le_dung_han", "hai_long", "hai_long@min",
        "hai_long@max", "hai_long@n", "kinh_phi"]
    assert second.table["kinh_phi"].equals(result.table["kinh_phi"])


def test_completeness_matches_the_reference(round_):
    _, units, _, result = round_
    c = result.completeness
    submitted = [u for u in units if u.status in ("submitted", "accepted")]
    assert c.expected == len(units)
    assert c.submitted == len(submitted)
    assert c.late == sum(1 for u in submitted if u.late)
    assert c.on_time == sum(1 for u in submitted if not u.late)
    assert c.missing == sum(1 for u in units if u.status in ("missing", "draft"))
    assert c.returned == sum(1 for u in units if u.status == "returned")
    assert c.accepted == sum(1 for u in units if u.status == "accepted")
    assert c.expected == c.submitted + c.returned + c.missing
    assert list(c.table["code"]) == [u.code for u in units]


def test_narratives_and_tables_match_the_reference(round_):
    _, units, values, result = round_
    (narrative,) = result.narratives
    expected = [(u.code, values[u.code]["ke_hoach"].strip()) for u in units
                if u.code in values and (values[u.code].get("ke_hoach") or "").strip()]
    assert [(e.code, e.text) for e in narrative.entries] == expected
    stacked = result.tables["sang_kien"]
    rows = [(u.code, row["ten"]) for u in units if u.code in values
            for row in values[u.code]["sang_kien"]]
    assert list(zip(stacked["unit_code"], stacked["ten"], strict=True)) == rows
    assert list(stacked.columns) == ["unit_code", "unit_name", "ten", "so_nguoi", "muc_do"]


def descendants(units, code: str) -> list[str]:
    out = [code]
    for unit in units:
        if unit.parent == code and unit.code != code:
            out += descendants(units, unit.code)
    return out


def test_rollup_matches_the_reference(round_):
    _, units, values, result = round_
    rolled = result.rollup
    assert list(rolled.index) == [u.code for u in units]
    for unit in units:
        below = descendants(units, unit.code)
        records = [values[c] for c in below if c in values]
        row = rolled.loc[unit.code]
        assert row["n_units"] == len(below)
        assert row["n_reported"] == len(records)
        check_row(row, ref_row(records), f"rollup {unit.code}")
    # the three-level chain: phòng → xã 1..3 → xã 0
    assert rolled.loc["XA00", "n_units"] > rolled.loc["XA01", "n_units"] >= 1
