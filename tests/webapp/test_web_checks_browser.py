"""Checks while typing, in headless Chromium against a real `decuong serve`: a rule's message
appears on every item it names as soon as the user leaves a field, before any submit click;
and the browser's number reading and display (static/numbers.js) agree with the server's on
the one shared table of cases (tests/data/number_inputs.json)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import ARTIFACTS, demo_server, login
from web_helpers import UNIT_A, UNIT_B, USER_A, USER_B

import store

pytestmark = pytest.mark.browser

TABLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "number_inputs.json")
                   .read_text(encoding="utf-8"))
RULE_MESSAGE = "Số hồ sơ đã giải quyết đúng hạn không được lớn hơn số hồ sơ đã giải quyết."
BOTH = ("hs_da_giai_quyet", "hs_dung_han")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with demo_server(tmp_path_factory.mktemp("checks")) as running:
        yield running


@pytest.fixture
def fill_page(server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    login(page, server["base"], USER_A)
    page.goto(f"{server['base']}/rounds/{server['round']}/units/{UNIT_A}/edit")
    yield page
    context.close()


def invalid(page, key: str) -> str | None:
    return page.get_attribute(f"#{key}", "aria-invalid")


def test_a_wrong_on_time_count_is_flagged_on_both_items_when_the_field_is_left(server,
                                                                              fill_page):
    page = fill_page
    page.evaluate("""() => {
        window.seenIssues = [];
        document.getElementById('fill-form').addEventListener('decuong:issues',
            (event) => window.seenIssues.push(event.detail));
    }""")
    page.fill("#hs_tiep_nhan", "2.000")
    page.fill("#hs_da_giai_quyet", "1.200")
    page.fill("#hs_dung_han", "1.250")  # more on time than resolved
    page.press("#hs_dung_han", "Tab")  # leave the field; nothing is clicked
    for key in BOTH:
        message = page.locator(f"#live-issues-{key} li.issue-error")
        message.wait_for(timeout=5000)
        assert RULE_MESSAGE in message.inner_text()
        assert invalid(page, key) == "true", key
        described = page.get_attribute(f"#{key}", "aria-describedby") or ""
        assert f"live-issues-{key}" in described.split(), key
        assert "live-error" in page.get_attribute(f"#item-{key}", "class")
    assert invalid(page, "hs_tiep_nhan") is None
    assert page.locator("#live-issues-hs_tiep_nhan").count() == 0
    detail = page.evaluate("window.seenIssues[window.seenIssues.length - 1]")
    assert detail["errors"] == 1
    assert detail["items"]["hs_dung_han"] == {"errors": 1, "warnings": 0}
    assert detail["items"]["hs_da_giai_quyet"] == {"errors": 1, "warnings": 0}
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#item-hs_dung_han").screenshot(path=str(ARTIFACTS / "live-check-rule.png"))
    db = store.open_db(server["db_path"])
    try:  # no submit happened: the unit's report has no revision
        assert store.get_revision(db, server["round"], UNIT_A) is None
    finally:
        db.close()

    # Fixed: both messages go, both fields are valid again.
    page.fill("#hs_dung_han", "1.150")
    page.press("#hs_dung_han", "Tab")
    page.wait_for_function("() => !document.getElementById('live-issues-hs_dung_han')")
    for key in BOTH:
        assert page.locator(f"#live-issues-{key}").count() == 0
        assert invalid(page, key) is None, key
        assert "live-issues" not in (page.get_attribute(f"#{key}", "aria-describedby") or "")
    assert page.evaluate("window.seenIssues[window.seenIssues.length - 1].errors") == 0


def test_a_count_typed_the_english_way_is_refused_by_the_preview_and_the_server(fill_page):
    page = fill_page
    page.fill("#hs_da_giai_quyet", "200")
    page.fill("#hs_dung_han", "190")
    assert page.input_value("#hs_ty_le_dung_han") == "95"  # the live preview
    page.fill("#hs_dung_han", "1,000")  # a thousand, or one? the server asks; so does the page
    assert page.input_value("#hs_ty_le_dung_han") == ""
    page.press("#hs_dung_han", "Tab")
    message = page.locator("#live-issues-hs_dung_han li.issue-error")
    message.wait_for(timeout=5000)
    assert "không rõ nghĩa" in message.inner_text()
    assert invalid(page, "hs_dung_han") == "true"
    assert page.input_value("#hs_ty_le_dung_han") == ""  # the server's figure: no data


def test_the_live_preview_rounds_a_rate_as_every_other_channel(fill_page):
    # 13 / 12 × 100 = 108,3333…: the form, the diff, the template and the exports read 108,33
    # (tests/webapp/test_web_one_rounding.py), and so does the figure shown while typing.
    page = fill_page
    page.fill("#hs_da_giai_quyet", "12")
    page.fill("#hs_dung_han", "13")
    assert page.input_value("#hs_ty_le_dung_han") == "108,33"
    page.fill("#hs_dung_han", "11")
    assert page.input_value("#hs_ty_le_dung_han") == "91,67"


def test_the_browser_reads_and_shows_numbers_as_the_shared_table_says(fill_page):
    got = fill_page.evaluate("""(table) => {
        const n = window.decuong.numbers;
        return {
          inputs: table.inputs.map((c) => n.parse(c.input, c.kind,
                                                  {min: c.min, max: c.max, unit: c.unit})),
          format_number: table.format_number.map((c) => n.formatNumber(c.number)),
          computed: table.computed.map((c) => n.formatComputed(c.number, c.kind, c.decimals)),
          two_decimals: table.two_decimals.map((c) => n.formatNumber(c.number, 2)),
        };
    }""", TABLE)
    wrong = []
    for case, answer in zip(TABLE["inputs"], got["inputs"], strict=True):
        expected = ({"value": None, "ok": False} if case.get("refused")
                    else {"value": case["value"], "ok": True})
        if answer != expected:
            wrong.append(f"{case['kind']} {case['input']!r}: {answer} ≠ {expected}")
    for section in ("format_number", "computed", "two_decimals"):
        for case, text in zip(TABLE[section], got[section], strict=True):
            if text != case["text"]:
                wrong.append(f"{section} {case.get('kind', '')} {case['number']!r}: "
                             f"{text!r} ≠ {case['text']!r}")
    assert wrong == []


def test_a_table_cell_and_a_warning_are_shown_where_they_belong(server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    login(page, server["base"], USER_A)
    page.goto(f"{server['base']}/rounds/{server['example_round']}/units/{UNIT_A}/edit")
    page.fill("#sang_kien-0-ten", "Một cửa liên thông")
    page.fill("#sang_kien-0-ngay", "31/02/2025")  # no such day
    page.fill("#nv_tong", "5")
    page.fill("#nv_xong", "0")  # the outline warns when nothing is finished
    page.press("#nv_xong", "Tab")
    cell = page.locator("#live-issues-sang_kien li.issue-error")
    cell.wait_for(timeout=5000)
    assert "dòng 1" in cell.inner_text() and "Ngày áp dụng" in cell.inner_text()
    assert invalid(page, "sang_kien-0-ngay") == "true"
    assert invalid(page, "sang_kien-0-ten") is None
    warning = page.locator("#live-issues-nv_xong li.issue-warning")
    assert "Chưa hoàn thành nhiệm vụ nào" in warning.inner_text()
    assert invalid(page, "nv_xong") is None  # a warning does not make the value invalid …
    assert "live-issues-nv_xong" in page.get_attribute("#nv_xong", "aria-describedby")  # … but
    # the message is still tied to the field for a screen reader
    context.close()


def test_after_a_refused_submit_a_fixed_rule_leaves_the_list_at_the_top(server, browser):
    # Unit B: a report no other test of this module has typed into (autosave keeps drafts).
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    login(page, server["base"], USER_B)
    page.goto(f"{server['base']}/rounds/{server['round']}/units/{UNIT_B}/edit")
    page.fill("#hs_tiep_nhan", "2.000")
    page.fill("#hs_da_giai_quyet", "1.200")
    page.fill("#hs_dung_han", "1.250")
    page.click("button[value=submit]")  # the list of empty items asks first (fill-nav.js)
    with page.expect_navigation():
        page.click("#presubmit-confirm")  # refused: the rule, and required items still empty
    summary = page.locator("#tom-tat")
    assert RULE_MESSAGE in summary.inner_text()
    required = summary.locator("li[data-code=required]").count()
    assert required >= 1
    page.fill("#hs_dung_han", "1.150")
    page.press("#hs_dung_han", "Tab")
    page.wait_for_function(
        "(m) => !document.getElementById('tom-tat').innerText.includes(m)", arg=RULE_MESSAGE)
    assert summary.locator("li[data-code=required]").count() == required  # only a submit asks
    assert summary.locator("[data-summary-counts]").inner_text() == f"{required} lỗi phải sửa:"
    for key in BOTH:  # the server's marks of the rule are gone from both items too
        assert invalid(page, key) is None, key
        assert page.locator(f"#item-{key} li.issue").count() == 0, key
    context.close()


def test_the_browser_agrees_with_the_server_on_thousands_of_generated_inputs(fill_page):
    """A differential check beyond the hand-written table: random texts made of what people
    type in number fields, read by the server's kinds and by numbers.js, must give the same
    value or both be refused."""
    import random
    from types import SimpleNamespace

    from forms.kinds import get_kind

    pieces = ["0", "1", "2", "5", "9", "00", "123", "1000", ".", ",", " ", "\u00a0", "-",
              "\u2212", "+", "%", " %", "đ", " đồng", "e", "\u200b", "x"]
    draw = random.Random(20251112)
    cases = []
    for _ in range(3000):
        text = "".join(draw.choice(pieces) for _ in range(draw.randint(1, 7)))
        kind = draw.choice(["integer", "decimal", "percent", "money"])
        cases.append({"kind": kind, "input": text})
    got = fill_page.evaluate("""(cases) => cases.map((c) =>
        window.decuong.numbers.parse(c.input, c.kind, {}))""", cases)
    wrong, read = [], 0
    for case, answer in zip(cases, got, strict=True):
        parsed = get_kind(case["kind"]).parse(
            case["input"], SimpleNamespace(min=None, max=None, unit=None, choices=()))
        server = {"value": parsed.value, "ok": not parsed.problems}
        read += server["value"] is not None
        if answer != server:
            wrong.append(f"{case['kind']} {case['input']!r}: browser {answer}, server {server}")
    assert wrong == [], f"{len(wrong)} disagreements, e.g. {wrong[:10]}"
    assert read >= 300  # the texts are not all refused: both sides read hundreds of numbers


def test_values_restored_after_a_lost_connection_are_checked_without_touching_a_field(
        server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    login(page, server["base"], "ttpvhcc")  # a unit no other test here types for
    page.goto(f"{server['base']}/rounds/{server['round']}/units/TTPVHCC/edit")
    page.route("**/autosave", lambda route: route.abort())  # nothing reaches the server's draft
    page.fill("#hs_tiep_nhan", "2.000")
    page.fill("#hs_da_giai_quyet", "1.200")
    page.fill("#hs_dung_han", "1.250")
    page.press("#hs_dung_han", "Tab")
    page.locator("#live-issues-hs_dung_han li").wait_for(timeout=5000)
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?"
    page.reload()
    # fill-autosave.js puts the typed values back from the browser; they are checked at once.
    assert page.input_value("#hs_dung_han") == "1.250"
    for key in BOTH:
        message = page.locator(f"#live-issues-{key} li.issue-error")
        message.wait_for(timeout=5000)
        assert RULE_MESSAGE in message.inner_text()
        assert invalid(page, key) == "true", key
    context.close()
