"""The table functions on the fill page, in headless Chromium against a real server: while the
unit types the PAR INDEX criteria, each row's missing points and the count and total above the
table are previewed (static/fill.js), the server's live check (POST …/check) says «Dòng 2: …»
at the row's cell, and every figure shown is the one the engine computes from the same input —
one engine, three channels (the preview, the live check, the save)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_helpers import ARTIFACTS, login, running_server
from playwright.sync_api import expect
from web_helpers import FAR_DEADLINE, build_demo_db

import store
from forms import validate
from forms.library import REPO_OUTLINES

pytestmark = pytest.mark.browser

PAR_INDEX = REPO_OUTLINES / "lang-son-ngoai-vu-khac-phuc-par-index-2024.yaml"
ROWS = [("1.5", "0,5", "2"), ("1.6", "4", "3"), ("3.3.2", "0", "1,5")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("bang")
    db_path = folder / "demo.db"
    demo = build_demo_db(db_path)
    db = store.open_db(db_path)
    try:
        outline = store.register_outline(db, PAR_INDEX.read_text(encoding="utf-8"),
                                         actor="test")
        round_id = store.create_round(
            db, outline_id=outline.id, outline_version=outline.version,
            title="Khắc phục Chỉ số CCHC", period_start="2025-01-01", period_end="2025-12-31",
            period_label="Năm 2025", deadline=store.deadline_end_of_day(FAR_DEADLINE),
            units=demo["units"], created_by="test")
    finally:
        db.close()
    with running_server(db_path, folder) as base:
        yield {"base": base, "round": round_id, "outline": outline}


def test_preview_and_live_check_agree_with_the_engine(server, browser) -> None:
    base, round_id, outline = server["base"], server["round"], server["outline"]
    page = browser.new_page(locale="vi-VN")
    login(page, base, "kt")
    page.goto(f"{base}/rounds/{round_id}/units/KT/edit")
    assert page.get_attribute("#tieu_chi-0-diem_con_thieu", "readonly") is not None
    while page.locator("table[data-table=tieu_chi] tbody tr").count() < len(ROWS) + 1:
        page.click("[data-add-row=tieu_chi]")  # rows added in place (fill.js)
    typed = []
    for index, (code, got, maximum) in enumerate(ROWS):
        page.fill(f"#tieu_chi-{index}-ma_tieu_chi", code)
        page.fill(f"#tieu_chi-{index}-diem_dat", got)
        page.fill(f"#tieu_chi-{index}-diem_toi_da", maximum)
        typed.append({"ma_tieu_chi": code, "diem_dat": got, "diem_toi_da": maximum})
    # The preview, before any answer from the server: what the engine computes.
    engine = validate(outline, {"tieu_chi": typed}, mode="check")
    assert engine.values["so_tieu_chi_chua_dat"] == 3
    assert engine.values["tong_diem_con_thieu"] == 2.0  # 1,5 − 1 + 1,5
    assert [page.input_value(f"#tieu_chi-{i}-diem_con_thieu") for i in range(3)] == [
        "1,5", "-1", "1,5"]
    assert page.input_value("#so_tieu_chi_chua_dat") == "3"
    assert page.input_value("#tong_diem_con_thieu") == "2"
    assert page.input_value("#tieu_chi-3-diem_con_thieu") == ""  # a blank row computes nothing
    # The live check: the row rule at the second row's cell, as the engine words it.
    [issue] = [i for i in engine.issues if i.rule == "diem_dat_le_toi_da"]
    expect(page.locator("#live-issues-tieu_chi")).to_contain_text(issue.message,
                                                                   timeout=15_000)
    assert issue.message.startswith("Dòng 2: ")
    for cell in ("#tieu_chi-1-diem_dat", "#tieu_chi-1-diem_toi_da"):  # either may be wrong
        expect(page.locator(cell)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#tieu_chi-0-diem_dat")).not_to_have_attribute("aria-invalid", "true")
    page.screenshot(path=str(ARTIFACTS / "fill-table-functions.png"), full_page=True)
    # Deleting the wrong row: the count and total follow, the issue goes.
    page.check("input[name=tieu_chi-1-_delete]")
    page.fill("#tieu_chi-0-diem_dat", "0,5")  # an input event recomputes
    assert page.input_value("#so_tieu_chi_chua_dat") == "2"
    assert page.input_value("#tong_diem_con_thieu") == "3"
    expect(page.locator("#live-issues-tieu_chi")).to_have_count(0, timeout=15_000)
    page.close()


def _source(draw, depth: int) -> str:
    """A random numeric expression over table t (columns so, diem, ten) and an item x."""
    if depth <= 0 or draw.random() < 0.3:
        return draw.choice(["x", "1", "0", "2.5", "sum(t.so)", "min(t.so)", "max(t.diem)",
                            "avg(t.so)", "avg(t.diem)", "count(t)", "count(t.ten)",
                            "count(t.so)", "sum(t.diem)"])
    left, right = _source(draw, depth - 1), _source(draw, depth - 1)
    pick = draw.randrange(4)
    if pick == 0:
        return f"({left}) {draw.choice('+-*/')} ({right})"
    if pick == 1:
        return f"if(({left}) > ({right}), {left}, {right})"
    if pick == 2:
        return f"{draw.choice(['sum', 'min', 'max'])}({left}, {right})"
    return f"abs({left})"


def test_the_browser_evaluator_agrees_with_the_engine_on_random_tables(server, browser) -> None:
    """A differential check: random formulas over random tables (blank cells, cells of spaces,
    zeros, a table with no rows), evaluated by fill.js and by the engine."""
    import math
    import random

    from forms.expr import parse
    from forms.expr.browser import tree_json

    draw = random.Random(20261203)
    cells = [None, "", " ", "\u00a0", 0, 1, -2, 2.5, 10]
    texts = [None, "", "  ", "a"]
    cases = []
    for _ in range(400):
        rows = [{"so": draw.choice(cells), "diem": draw.choice(cells), "ten": draw.choice(texts)}
                for _ in range(draw.randint(0, 5))]
        values = {"t": rows, "x": draw.choice([None, 0, 3])}
        source = _source(draw, 3)
        cases.append((source, values))
    page = browser.new_page()
    login(page, server["base"], "kt")
    page.goto(f"{server['base']}/rounds/{server['round']}/units/KT/edit")
    got = page.evaluate("(cases) => cases.map((c) => window.decuong.expr.evaluate(c[0], c[1]))",
                        [[tree_json(parse(source).root), values] for source, values in cases])
    page.close()
    wrong = []
    for (source, values), js in zip(cases, got, strict=True):
        engine = parse(source).evaluate(values)
        if engine is None or js is None:
            agree = engine is None and js is None
        else:
            agree = math.isclose(engine, js, rel_tol=1e-9, abs_tol=1e-9)
        if not agree:
            wrong.append((source, values, engine, js))
    assert not wrong, "\n".join(map(repr, wrong[:5]))
    assert sum(1 for source, _ in cases if "t." in source or "(t)" in source) > 300
