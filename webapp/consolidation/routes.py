"""The consolidated pages and downloads of a round: the whole consolidation on one page, one
section on its own page, chốt số liệu (snapshots) and every export as a download.

Registered through `webapp.hooks` (an optional blueprint), so the core blueprints do not change.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

import store
from aggregate.completeness import completeness
from exports import FORMATS, SUFFIXES, ExportError
from exports.commands import meta_for
from store.snapshots import BASIS_LABELS, create_snapshot, list_snapshots
from webapp.auth import role_required
from webapp.consolidation.cache import (
    LIVE_BASES,
    Basis,
    EmptyItem,
    Loaded,
    SectionBlock,
    load,
    read_basis,
)
from webapp.consolidation.charts import charts_for, completeness_chart
from webapp.consolidation.views import (
    filtered_units,
    find_section,
    narratives_for,
    rollup_view,
    slug,
    stacked_for,
    table_order,
    table_view,
)
from webapp.db import get_db
from webapp.downloads import attachment
from webapp.paging import PER_CHOICES, Page, read_page

bp = Blueprint("consolidation", __name__)

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FORMAT_LABELS = {"xlsx": "Excel tổng hợp (.xlsx)", "csv": "Các bảng CSV (.zip)",
                 "docx": "Dự thảo báo cáo (.docx)"}
BASIS_NAMES = {"submitted": "Báo cáo đã nộp, bản mới nhất",
               "accepted": "Chỉ báo cáo đã được tiếp nhận"}
ALL_KINDS = ""
#: Units a page of the consolidated tables lists (every page keeps the subtotals and total).
PER_PAGE = 100


@dataclass(frozen=True)
class Order:
    """The unit codes of the summary tables in order, under one kind filter (cached)."""

    codes: list[str]

    @property
    def nbytes(self) -> int:
        return 8 * len(self.codes) + 100


def section_block(loaded: Loaded, index: int, kind: str, view_args: dict[str, Any],
                  page: Page, shown: list[str]) -> SectionBlock:
    """One top-level section's table (the units of `page`), charts, narratives and stacked
    tables, rendered once per (consolidation, kind filter, page) and kept while the entry's
    fragment budget allows; unanswered items are set apart for the page's toggle."""
    top = loaded.result.outline.items[index]
    part = slug(top, index)

    def render_narratives() -> SectionBlock:
        narratives = narratives_for(loaded, index, kind)
        return SectionBlock(
            Markup(render_template(
                "consolidation/_narratives.html", view_args=view_args,
                round_id=loaded.source.round["id"],
                narratives=[n for n in narratives if n["count"]])),
            tuple(EmptyItem(part, n["ref"], "chưa đơn vị nào trả lời")
                  for n in narratives if not n["count"]))

    def render() -> SectionBlock:
        # Charts and narratives are the same on every page: rendered once per kind filter.
        narratives = loaded.fragment(("narratives", kind, part), render_narratives)
        charts = loaded.fragment(("charts", kind, part), lambda: Markup(render_template(
            "consolidation/_charts.html", charts=charts_for(loaded, index, kind))))
        stacked = stacked_for(loaded, index, kind, set(shown))
        empty = narratives.empty + tuple(EmptyItem(part, t["ref"], "chưa có dòng nào")
                                         for t in stacked if not t["count"])
        html = Markup(render_template(
            "consolidation/_section.html", top=top, part=part,
            table=table_view(loaded, index, kind, (page.start, page.stop)), charts=charts,
            narratives=narratives.html, stacked=[t for t in stacked if t["count"]]))
        return SectionBlock(html, empty)

    block: SectionBlock = loaded.fragment(("block", kind, part, page.number, page.per), render)
    return block


def _page_context(round_id: int, basis: Basis) -> dict[str, Any]:
    loaded = load(round_id, basis.basis, basis.snapshot_id)
    result = loaded.result
    kinds = loaded.kinds
    kind = request.args.get("kind", ALL_KINDS).strip()
    if kind and kind not in kinds:
        kind = ALL_KINDS
    units = filtered_units(result, kind)
    counts = completeness(units) if kind else result.completeness
    order = loaded.fragment(("order", kind), lambda: Order(table_order(result, kind)))
    page = read_page(len(order.codes), default_per=PER_PAGE)
    shown = order.codes[page.start:page.stop]
    chart = loaded.fragment(("completeness", kind), lambda: Markup(render_template(
        "consolidation/_chart.html", chart=completeness_chart(counts), wide=True)))
    snapshots = list_snapshots(get_db(), round_id)
    view_args = {**basis.args(), **({"kind": kind} if kind else {})}
    return {
        "round": loaded.source.round, "loaded": loaded, "result": result, "basis": basis,
        "snapshot": loaded.source.snapshot, "snapshots": snapshots, "kinds": kinds,
        "kind": kind, "counts": counts, "completeness_chart": chart,
        "basis_names": BASIS_NAMES, "basis_labels": BASIS_LABELS, "formats": FORMAT_LABELS,
        "n_units": len(result.units), "n_shown": len(units),
        "sections": [(index, top, slug(top, index))
                     for index, top in enumerate(result.outline.items)],
        "block": lambda index: section_block(loaded, index, kind, view_args, page, shown),
        "empties": lambda only: [
            e for index in range(len(result.outline.items)) if only is None or only == index
            for e in section_block(loaded, index, kind, view_args, page, shown).empty],
        "page": page, "per_choices": PER_CHOICES,
        "links": page.links(request.endpoint or "consolidation.page",
                            {**(request.view_args or {}), **view_args}, PER_PAGE),
        "view_args": view_args,
        "kind_args": {"kind": kind} if kind else {},
        "unfilter_args": {**(request.view_args or {}), **basis.args()},
    }


@bp.get("/coordinator/rounds/<int:round_id>/tong-hop")
@role_required("coordinator")
def page(round_id: int) -> ResponseReturnValue:
    """The whole consolidation of a round on one page."""
    context = _page_context(round_id, read_basis())

    def render() -> Markup:
        view = rollup_view(context["result"])
        return Markup(render_template("consolidation/_rollup.html", rollup=view)) \
            if view else Markup("")

    rollup = context["loaded"].fragment(("rollup",), render)
    return render_template("consolidation/page.html", rollup=rollup, only=None, **context)


@bp.get("/coordinator/rounds/<int:round_id>/tong-hop/phan/<part>")
@role_required("coordinator")
def section(round_id: int, part: str) -> ResponseReturnValue:
    """One top-level section of the consolidation on its own page."""
    context = _page_context(round_id, read_basis())
    index = find_section(context["result"], part)
    return render_template("consolidation/page.html", rollup=Markup(""), only=index,
                           **context)


@bp.post("/coordinator/rounds/<int:round_id>/tong-hop/chot")
@role_required("coordinator")
def freeze(round_id: int) -> ResponseReturnValue:
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


def _download(round_id: int, fmt: str, basis: Basis) -> ResponseReturnValue:
    if fmt not in FORMATS:
        abort(404)
    loaded = load(round_id, basis.basis, basis.snapshot_id)
    source = loaded.source
    buffer = io.BytesIO()
    try:
        FORMATS[fmt](loaded.full_result(), buffer, meta=meta_for(source, datetime.now(UTC)))
    except ExportError as exc:
        flash(str(exc), "error")
        return redirect(url_for("consolidation.page", round_id=round_id, **basis.args()))
    suffix = SUFFIXES[fmt]
    if basis.snapshot_id:
        tail = f" - bản chốt {basis.snapshot_id} {source.snapshot['label']}" \
            if source.snapshot else f" - bản chốt {basis.snapshot_id}"
    elif basis.basis == "accepted":
        tail = " - đã tiếp nhận"
    else:
        tail = ""
    return attachment(buffer.getvalue(), f"Tổng hợp - {source.round['title']}{tail}{suffix}",
                      MIMETYPES[fmt])


@bp.get("/coordinator/rounds/<int:round_id>/tong-hop/tai-ve/<fmt>")
@role_required("coordinator")
def download(round_id: int, fmt: str) -> ResponseReturnValue:
    """The live consolidation (or `?basis=snapshot-<id>`) as xlsx, csv (zip) or docx."""
    return _download(round_id, fmt, read_basis())


@bp.get("/coordinator/rounds/<int:round_id>/tong-hop/chot/<int:snapshot_id>/tai-ve/<fmt>")
@role_required("coordinator")
def snapshot_download(round_id: int, snapshot_id: int, fmt: str) -> ResponseReturnValue:
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
