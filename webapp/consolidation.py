"""The coordinator's consolidated pages: tables per top-level section, completeness, charts,
narratives, stacked tables, roll-up, snapshots (chốt số liệu) and every export as a download.

Registered through `webapp.hooks` (an optional blueprint), so the core blueprints do not change.

Speed: consolidating 200 reports and rendering ~10,000 table cells costs far more than the
200 ms a coordinator should wait, and the page is re-opened many times between two submissions.
So the `Consolidation` of a (round, basis) is cached in-process under a fingerprint of the
round's state (every expected unit's status, submission time, latest revision number, name,
kind and parent — read with two cheap store queries); a new revision, a status change or a
renamed unit changes the fingerprint, so a stale table is never served. A snapshot never
changes, so its id alone is the key. The rendered section blocks are cached beside their
consolidation, per kind filter; only the page frame (user, CSRF token, controls) is rendered per
request.
"""

from __future__ import annotations

import io
import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

import store
from aggregate import NOT_REPORTED, SUBTOTAL_ROW, TOTAL_ROW, UNIT_ROW, ColumnHeader
from aggregate.completeness import Completeness, completeness
from aggregate.consolidate import Consolidation
from aggregate.model import NO_KIND_LABEL, UnitInfo
from aggregate.source import RoundInput, round_input
from aggregate.targets import MET, NO_DATA, NOT_MET
from exports import FORMATS, SUFFIXES, ExportError
from exports.commands import meta_for
from exports.layout import header_grid
from exports.meta import show_number
from forms.kinds import CATEGORY
from forms.model import Item
from store.snapshots import BASIS_LABELS, create_snapshot, list_snapshots
from webapp.auth import role_required
from webapp.charts import Bar, Segment, bar_chart, stacked_bar
from webapp.db import get_db
from webapp.display import value_text

bp = Blueprint("consolidation", __name__)

CACHE_SIZE = 8
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FORMAT_LABELS = {"xlsx": "Excel tổng hợp (.xlsx)", "csv": "Các bảng CSV (.zip)",
                 "docx": "Dự thảo báo cáo (.docx)"}
LIVE_BASES = ("submitted", "accepted")
BASIS_NAMES = {"submitted": "Báo cáo đã nộp, bản mới nhất",
               "accepted": "Chỉ báo cáo đã được tiếp nhận"}
VERDICT_CSS = {MET: "v-met", NOT_MET: "v-notmet", NO_DATA: "v-nodata"}
VERDICT_MARK = {MET: "✓", NOT_MET: "✗", NO_DATA: "–"}
MEAN_DETAIL = "Trung bình (nhỏ nhất–lớn nhất; n)"
ALL_KINDS = ""


# --- loading and caching -------------------------------------------------------------------


@dataclass(eq=False)
class Loaded:
    """A round's consolidation as the pages need it, with the section blocks rendered so far
    (keyed by kind filter and section slug)."""

    source: RoundInput
    result: Consolidation
    fragments: dict[tuple[str, str], Markup] = field(default_factory=dict)


_cache: OrderedDict[tuple[Any, ...], Loaded] = OrderedDict()
_cache_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every cached consolidation (tests and benchmarks measure cold pages with it)."""
    with _cache_lock:
        _cache.clear()


def _fingerprint(round_id: int) -> tuple[Any, ...]:
    """What a live consolidation depends on, besides the values themselves: revisions are
    append-only, so a unit's latest revision number stands for its values. Kept as a plain
    tuple (an exact cache key, no digest to collide) and built from two cheap store queries."""
    db = get_db()
    row = store.get_round(db, round_id)
    status = store.round_status(db, round_id)["units"]
    extra = store.round_units(db, round_id)
    return (row["outline_id"], row["outline_version"], row["deadline"], row["title"],
            tuple((u["unit"], u["name"], u["kind"], u["status"], u["submitted_at"],
                   u["revision"], u["late"]) for u in status),
            tuple((u["unit_code"], u["parent"], u["contact"]) for u in extra))


def load(round_id: int, basis: str, snapshot_id: int | None) -> Loaded:
    """The consolidation of a round (live `basis`, or snapshot `snapshot_id`), from the cache
    when the round has not changed; 404 for an unknown round or another round's snapshot."""
    path = current_app.config["DATABASE"]
    try:
        if snapshot_id is not None:
            key: tuple[Any, ...] = (path, round_id, "snapshot", snapshot_id)
        else:
            key = (path, round_id, basis, _fingerprint(round_id))
        with _cache_lock:
            hit = _cache.get(key)
            if hit is not None:
                _cache.move_to_end(key)
                return hit
        source = round_input(get_db(), round_id, basis="snapshot" if snapshot_id else basis,
                             snapshot_id=snapshot_id)
    except store.NotFound:
        abort(404)
    except store.StoreError as exc:  # e.g. a snapshot whose stored data fails its hash
        abort(Response(render_template("errors/error.html", code=409,
                                       title="Không dùng được số liệu này", text=str(exc)),
                       409))
    loaded = Loaded(source=source, result=source.consolidate())
    with _cache_lock:
        _cache[key] = loaded
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return loaded


@dataclass(frozen=True)
class Basis:
    """Which reports the page consolidates: a live basis, or a snapshot."""

    basis: str = "submitted"
    snapshot_id: int | None = None

    @property
    def value(self) -> str:
        """The value of the basis selector (one GET parameter)."""
        return f"snapshot-{self.snapshot_id}" if self.snapshot_id else self.basis

    def args(self) -> dict[str, str]:
        return {} if self.value == "submitted" else {"basis": self.value}


def read_basis() -> Basis:
    """`?basis=submitted|accepted|snapshot-<id>` (or `basis=snapshot&snapshot=<id>`)."""
    value = request.args.get("basis", "submitted").strip()
    snapshot = request.args.get("snapshot", "").strip()
    if value.startswith("snapshot-"):
        value, snapshot = "snapshot", value.removeprefix("snapshot-")
    if value == "snapshot" or snapshot:
        if not snapshot.isdigit():
            abort(404)
        return Basis("snapshot", int(snapshot))
    if value not in LIVE_BASES:
        abort(404)
    return Basis(value)


# --- view model ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadCell:
    text: str
    colspan: int
    rowspan: int
    col: int | None  # the data column a bottom cell sorts, else None
    title: str = ""


@dataclass
class Row:
    css: str
    name: str
    code: str | None
    note: str  # status words under the name
    cells: str | None  # the row's data cells as HTML; None for a unit that has not reported
    late: bool = False


@dataclass
class Group:
    kind: str
    rows: list[Row]
    subtotal: Row


@dataclass
class TableView:
    id: str
    head: list[list[HeadCell]]
    height: int
    width: int
    groups: list[Group]
    total: Row
    legend: list[tuple[str, str, str]]  # (ref, target, total verdict)


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _fmt(value: float) -> str:
    """`show_number` (1.234,57: two decimals at most, no trailing zeros) without its Decimal
    round trip, which was most of the cost of a 10,000-cell table."""
    rounded = round(float(value), 2)
    if rounded.is_integer() and abs(rounded) < 1e15:
        text = f"{int(rounded):,}"
    else:
        text = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def visible_columns(columns: Sequence[ColumnHeader]) -> list[ColumnHeader]:
    """A mean's min, max and count fold into its own cell on group rows: one column per item
    keeps a 40-item section readable on a laptop screen."""
    return [c for c in columns if c.role not in ("mean_min", "mean_max", "mean_n")]


def _cell(header: ColumnHeader, row: dict[str, float], verdict: str | None,
          group: bool) -> str:
    """One `<td>`: a bare cell for a plain number (right-aligned by CSS; the script sorts on
    its text), classes only where they mean something — a 200-unit table has 10,000 cells and
    every byte of each is paid on every page view."""
    value = row[header.key]
    css = ""
    title = ""
    if _nan(value):
        text = ""
        css = "nd"
    elif header.role == "yes" and not group:
        text = "Có" if value else "Không"
    elif header.role == "choice" and not group:
        text = "✓" if value else "–"
    else:
        text = _fmt(value)
        if header.role == "value" and header.aggregate == "mean" and group:
            low, high, n = (row.get(f"{header.key}@{s}") for s in ("min", "max", "n"))
            if not _nan(n) and n:
                text = (f'{text} <span class="mm">({_fmt(low)}–{_fmt(high)}; '
                        f"n={int(n)})</span>")
    if verdict is not None:
        css = VERDICT_CSS[verdict]
        title = f"Chỉ tiêu: {verdict}"
        mark = VERDICT_MARK[verdict]
        text = f'{text} <i aria-hidden="true">{mark}</i>' if text else f"<i>{mark}</i>"
    attrs = (f' class="{css}"' if css else "") + (f' title="{title}"' if title else "")
    return f"<td{attrs}>{text}</td>"


def _head(outline: Any, columns: Sequence[ColumnHeader]) -> tuple[int, list[list[HeadCell]]]:
    height, cells = header_grid(outline, columns)
    rows: list[list[HeadCell]] = [[] for _ in range(height)]
    for cell in cells:
        bottom = cell.last_row == height - 1 and cell.first_col == cell.last_col
        text = MEAN_DETAIL if cell.text == "Trung bình" else cell.text
        header = columns[cell.first_col] if bottom else None
        rows[cell.first_row].append(HeadCell(
            text=text, colspan=cell.last_col - cell.first_col + 1,
            rowspan=cell.last_row - cell.first_row + 1,
            col=cell.first_col if bottom else None,
            title=header.note if header is not None else ""))
    return height, rows


def table_view(loaded: Loaded, index: int, kind: str) -> TableView | None:
    """The summary table of top-level section `index` as rows of display cells, units of
    `kind` only when given (their subtotal kept, the total still over every unit)."""
    result = loaded.result
    top = result.outline.items[index]
    summary = next((s for s in result.sections if s.number == top.number
                    and s.label == top.label), None)
    if summary is None:
        return None
    columns = visible_columns(summary.columns)
    height, head = _head(result.outline, columns)
    frame = summary.table
    all_keys = [c.key for c in summary.columns]
    values = frame[all_keys].to_numpy(dtype=float)
    row_types = frame["row_type"].tolist()
    codes = frame["code"].tolist()
    names = frame["name"].tolist()
    kinds = frame["kind"].tolist()
    statuses = frame["status"].tolist()
    verdict_table = result.targets.table
    targeted = [c.key for c in columns if c.key in verdict_table.columns
                and c.role == "value"]
    verdicts = {key: verdict_table[key].tolist() for key in targeted}
    units = {u.code: u for u in result.units}
    groups: list[Group] = []
    pending: list[Row] = []
    total: Row | None = None
    for i, row_type in enumerate(row_types):
        row = dict(zip(all_keys, values[i].tolist(), strict=True))
        group = row_type != UNIT_ROW

        def cells(i: int = i, row: dict[str, float] = row, group: bool = group) -> str:
            return "".join(_cell(c, row, verdicts[c.key][i] if c.key in verdicts else None,
                                 group) for c in columns)

        if row_type == UNIT_ROW:
            unit: UnitInfo = units[codes[i]]
            if statuses[i] == NOT_REPORTED:
                note = NOT_REPORTED
                if unit.status != "missing":
                    note += f" · {unit.status_label}"
                pending.append(Row("unit missing", names[i], codes[i], note, None))
            else:
                pending.append(Row("unit", names[i], codes[i], statuses[i], cells(),
                                   late=unit.late))
        elif row_type == SUBTOTAL_ROW:
            label = kinds[i] or NO_KIND_LABEL
            if not kind or label == kind:
                groups.append(Group(label, pending, Row("subtotal", names[i], None,
                                                        f"{len(pending)} đơn vị", cells())))
            pending = []
        elif row_type == TOTAL_ROW:
            name = names[i]
            note = f"{len(result.units)} đơn vị"
            if kind:
                name = f"{name} (tất cả {len(result.units)} đơn vị, không theo bộ lọc)"
            total = Row("total", name, None, note, cells())
    assert total is not None
    legend = []
    last = len(row_types) - 1
    for header in result.targets.headers:
        if header.key in verdicts:
            legend.append((header.ref, header.target, verdicts[header.key][last]))
    return TableView(id=f"bang-{slug(top, index)}", head=head, height=height,
                     width=len(columns), groups=groups, total=total, legend=legend)


def slug(top: Item, index: int) -> str:
    """A section's part of the URL: its number without dots ("II." → "II"), else its place."""
    text = "".join(ch for ch in top.number if ch.isalnum())
    return text or str(index + 1)


def find_section(result: Consolidation, part: str) -> int:
    for index, top in enumerate(result.outline.items):
        if slug(top, index) == part:
            return index
    abort(404)


def _target_value(item: Item) -> float | None:
    """The target line of a chart: only a plain number ("≥ 95"), not an expression."""
    if item.target is None:
        return None
    try:
        return float(item.target.expr.source.replace(",", "."))
    except ValueError:
        return None


def charted_items(outline: Any, top: Item) -> list[Item]:
    """Rates worth a chart: percents judged against a target (the chart draws the target
    line); when the outline sets no target on any percent, the computed rates instead. One
    chart per rate and unit costs page weight, so not every percent gets one."""
    percents = [item for item in outline.fields() if item.key and item.kind == "percent"]
    targeted = any(item.target is not None for item in percents)
    return [item for item in top.walk() if item.key and item.kind == "percent"
            and (item.target is not None if targeted else item.formula is not None)]


def charts_for(loaded: Loaded, index: int, kind: str) -> list[Markup]:
    result = loaded.result
    top = result.outline.items[index]
    table = result.table
    verdict_table = result.targets.table
    row_types = table["row_type"].tolist()
    kinds = table["kind"].tolist()
    names = table["name"].tolist()
    statuses = table["status"].tolist()
    css = {MET: "met", NOT_MET: "not-met"}
    last = len(row_types) - 1
    units = [i for i, t in enumerate(row_types) if t == UNIT_ROW and statuses[i] != NOT_REPORTED
             and (not kind or kinds[i] == kind)]
    subtotals = [i for i, t in enumerate(row_types) if t == SUBTOTAL_ROW and kind
                 and kinds[i] == kind]
    out = []
    for item in charted_items(result.outline, top):
        key = item.key or ""
        if key not in table.columns:
            continue
        column = table[key].tolist()
        verdicts = verdict_table[key].tolist() if key in verdict_table.columns else None

        def bar(i: int, label: str, emphasis: bool = False, column: list[float] = column,
                verdicts: list[str] | None = verdicts) -> Bar:
            value = None if math.isnan(column[i]) else float(column[i])
            return Bar(label, value, css.get(verdicts[i], "") if verdicts else "", emphasis)

        bars = [bar(last, "Tổng cộng (tất cả đơn vị)", True)]
        bars += [bar(i, names[i], True) for i in subtotals]
        rows = sorted(units, key=lambda i: (math.isnan(column[i]), column[i]))
        bars += [bar(i, names[i]) for i in rows]
        target = _target_value(item)
        title = f"{item.ref} theo đơn vị (thấp nhất trước)"
        target_text = ""
        if item.target is not None:
            target_text = f"Chỉ tiêu {item.target.display} %"
            title += f"; chỉ tiêu {item.target.display} %"
        out.append(bar_chart(title, bars, target=target, target_text=target_text,
                             chart_id=f"bd-{key}"))
    return out


def _filtered_units(result: Consolidation, kind: str) -> list[UnitInfo]:
    return [u for u in result.units if not kind or (u.kind or NO_KIND_LABEL) == kind]


def narratives_for(loaded: Loaded, index: int, kind: str) -> list[dict[str, Any]]:
    result = loaded.result
    keys = {item.key for item in result.outline.items[index].walk() if item.key}
    codes = {u.code for u in _filtered_units(result, kind)}
    out = []
    for narrative in result.narratives:
        if narrative.key not in keys:
            continue
        entries = [e for e in narrative.entries if e.code in codes]
        text = "\n".join([narrative.ref, *(f"- {e.name}: {e.text}" for e in entries)])
        out.append({"key": narrative.key, "ref": narrative.ref, "entries": entries,
                    "text": text})
    return out


def _column_text(column: Any, value: Any) -> str:
    if _nan(value):
        return ""
    if CATEGORY.get(column.kind) == "number":
        return show_number(value)
    return value_text(column, value)


def stacked_for(loaded: Loaded, index: int, kind: str) -> list[dict[str, Any]]:
    result = loaded.result
    codes = {u.code for u in _filtered_units(result, kind)}
    out = []
    for item in result.outline.items[index].walk():
        if item.kind != "table" or item.key not in result.tables:
            continue
        frame = result.tables[item.key]
        rows = []
        for record in frame.to_dict("records"):
            if record["unit_code"] in codes:
                rows.append([record["unit_name"],
                             *(_column_text(c, record[c.key]) for c in item.columns)])
        out.append({"ref": item.ref, "columns": [c.label for c in item.columns],
                    "numeric": [CATEGORY.get(c.kind) == "number" for c in item.columns],
                    "rows": rows})
    return out


def section_block(loaded: Loaded, index: int, kind: str) -> Markup:
    """One top-level section's table, charts, narratives and stacked tables, rendered once
    per (consolidation, kind filter)."""
    top = loaded.result.outline.items[index]
    key = (kind, slug(top, index))
    hit = loaded.fragments.get(key)
    if hit is not None:
        return hit
    html = Markup(render_template(
        "consolidation/_section.html", top=top, part=slug(top, index),
        table=table_view(loaded, index, kind), charts=charts_for(loaded, index, kind),
        narratives=narratives_for(loaded, index, kind),
        stacked=stacked_for(loaded, index, kind)))
    loaded.fragments[key] = html
    return html


def completeness_chart(counts: Completeness) -> Markup:
    return stacked_bar(
        f"Tình hình nộp báo cáo: {counts.submitted}/{counts.expected} đơn vị đã nộp",
        [Segment("Nộp đúng hạn", counts.on_time, "ontime"),
         Segment("Nộp muộn", counts.late, "late"),
         Segment("Bị trả lại", counts.returned, "returned"),
         Segment("Chưa nộp", counts.missing, "missing")], chart_id="nop")


def rollup_view(result: Consolidation) -> dict[str, Any] | None:
    """Units with units below them, each aggregated with its whole subtree; None when no
    expected unit reports to another expected unit."""
    frame = result.rollup
    if not len(frame) or int(frame["level"].max()) == 0:
        return None
    columns = visible_columns(result.columns)
    parents = frame[frame["n_units"] > 1]
    rows = []
    for code, record in zip(parents.index, parents.to_dict("records"), strict=True):
        cells = "".join(_cell(c, record, None, True) for c in columns)
        rows.append({"code": code, "name": record["name"], "level": int(record["level"]),
                     "n_units": int(record["n_units"]),
                     "n_reported": int(record["n_reported"]), "cells": Markup(cells)})
    return {"columns": columns, "rows": rows}


# --- pages ---------------------------------------------------------------------------------


def _kinds(result: Consolidation) -> list[str]:
    return list(dict.fromkeys((u.kind or NO_KIND_LABEL) for u in result.units))


def _page_context(round_id: int, basis: Basis) -> dict[str, Any]:
    loaded = load(round_id, basis.basis, basis.snapshot_id)
    result = loaded.result
    kinds = _kinds(result)
    kind = request.args.get("kind", ALL_KINDS).strip()
    if kind and kind not in kinds:
        kind = ALL_KINDS
    units = _filtered_units(result, kind)
    counts = completeness(units) if kind else result.completeness
    chart = loaded.fragments.get(("completeness", kind))
    if chart is None:
        chart = loaded.fragments[("completeness", kind)] = completeness_chart(counts)
    snapshots = list_snapshots(get_db(), round_id)
    return {
        "round": loaded.source.round, "loaded": loaded, "result": result, "basis": basis,
        "snapshot": loaded.source.snapshot, "snapshots": snapshots, "kinds": kinds,
        "kind": kind, "counts": counts, "completeness_chart": chart,
        "basis_names": BASIS_NAMES, "basis_labels": BASIS_LABELS, "formats": FORMAT_LABELS,
        "n_units": len(result.units), "n_shown": len(units),
        "sections": [(index, top, slug(top, index))
                     for index, top in enumerate(result.outline.items)],
        "block": lambda index: section_block(loaded, index, kind),
        "view_args": {**basis.args(), **({"kind": kind} if kind else {})},
        "kind_args": {"kind": kind} if kind else {},
        "unfilter_args": {**(request.view_args or {}), **basis.args()},
    }


@bp.get("/coordinator/rounds/<int:round_id>/tong-hop")
@role_required("coordinator")
def page(round_id: int):  # type: ignore[no-untyped-def]
    """The whole consolidation of a round on one page."""
    context = _page_context(round_id, read_basis())
    rollup = context["loaded"].fragments.get(("rollup", ""))
    if rollup is None:
        view = rollup_view(context["result"])
        rollup = Markup(render_template("consolidation/_rollup.html", rollup=view)) \
            if view else Markup("")
        context["loaded"].fragments[("rollup", "")] = rollup
    return render_template("consolidation/page.html", rollup=rollup, only=None, **context)


@bp.get("/coordinator/rounds/<int:round_id>/tong-hop/phan/<part>")
@role_required("coordinator")
def section(round_id: int, part: str):  # type: ignore[no-untyped-def]
    """One top-level section of the consolidation on its own page."""
    context = _page_context(round_id, read_basis())
    index = find_section(context["result"], part)
    return render_template("consolidation/page.html", rollup=Markup(""), only=index,
                           **context)


@bp.post("/coordinator/rounds/<int:round_id>/tong-hop/chot")
@role_required("coordinator")
def freeze(round_id: int):  # type: ignore[no-untyped-def]
    """Chốt số liệu: freeze what the consolidation is fed now (CSRF-protected like every
    POST)."""
    db = get_db()
    basis = request.form.get("basis", "submitted")
    if basis not in LIVE_BASES:
        basis = "submitted"
    label = request.form.get("label", "").strip()[:200] or None
    try:
        snapshot_id = create_snapshot(db, round_id, label=label, basis=basis,
                                      actor=g.user["username"])
    except store.NotFound:
        abort(404)
    except store.StoreError as exc:
        flash(str(exc), "error")
        return redirect(url_for("consolidation.page", round_id=round_id))
    row = next(s for s in list_snapshots(db, round_id) if s["id"] == snapshot_id)
    flash(f"Đã chốt số liệu «{row['label']}» ({row['reported_count']}/{row['unit_count']} "
          "đơn vị có số liệu). Bản chốt không thay đổi khi đơn vị nộp lại.", "success")
    return redirect(url_for("consolidation.page", round_id=round_id,
                            basis=f"snapshot-{snapshot_id}"))


def _safe_name(text: str) -> str:
    """A file name people can read: no path separators, quotes or control characters."""
    cleaned = "".join(" " if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in text)
    return " ".join(cleaned.split())[:150]


def content_disposition(ascii_name: str, name: str) -> str:
    """`attachment` with an ASCII fallback and the Vietnamese name as RFC 5987 `filename*`."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def _download(round_id: int, fmt: str, basis: Basis) -> Response:
    if fmt not in FORMATS:
        abort(404)
    loaded = load(round_id, basis.basis, basis.snapshot_id)
    source = loaded.source
    buffer = io.BytesIO()
    try:
        FORMATS[fmt](loaded.result, buffer, meta=meta_for(source, datetime.now(UTC)))
    except ExportError as exc:
        flash(str(exc), "error")
        return redirect(url_for("consolidation.page", round_id=round_id, **basis.args()))
    suffix = SUFFIXES[fmt]
    if basis.snapshot_id:
        tail_ascii = f"-ban-chot-{basis.snapshot_id}"
        tail = f" - bản chốt {basis.snapshot_id} {source.snapshot['label']}" \
            if source.snapshot else ""
    elif basis.basis == "accepted":
        tail_ascii, tail = "-da-tiep-nhan", " - đã tiếp nhận"
    else:
        tail_ascii, tail = "", ""
    name = _safe_name(f"Tổng hợp - {source.round['title']}{tail}") + suffix
    response = Response(buffer.getvalue(), mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = content_disposition(
        f"tong-hop-dot-{round_id}{tail_ascii}{suffix}", name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/coordinator/rounds/<int:round_id>/tong-hop/tai-ve/<fmt>")
@role_required("coordinator")
def download(round_id: int, fmt: str):  # type: ignore[no-untyped-def]
    """The live consolidation (or `?basis=snapshot-<id>`) as xlsx, csv (zip) or docx."""
    return _download(round_id, fmt, read_basis())


@bp.get("/coordinator/rounds/<int:round_id>/tong-hop/chot/<int:snapshot_id>/tai-ve/<fmt>")
@role_required("coordinator")
def snapshot_download(round_id: int, snapshot_id: int, fmt: str):  # type: ignore[no-untyped-def]
    """A frozen snapshot as xlsx, csv (zip) or docx."""
    return _download(round_id, fmt, Basis("snapshot", snapshot_id))


def download_links(round_id: int, basis: Basis | None = None) -> list[tuple[str, str]]:
    """(label, url) of every export of a round, for templates and hooks."""
    basis = basis or Basis()
    if basis.snapshot_id:
        return [(FORMAT_LABELS[f], url_for("consolidation.snapshot_download",
                                           round_id=round_id, snapshot_id=basis.snapshot_id,
                                           fmt=f)) for f in FORMAT_LABELS]
    return [(FORMAT_LABELS[f], url_for("consolidation.download", round_id=round_id, fmt=f,
                                       **basis.args())) for f in FORMAT_LABELS]


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"consolidation_downloads": download_links}
