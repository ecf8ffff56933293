"""One narrative item's answers, a page at a time: what the consolidated page links to instead
of printing every unit's text (3,839 answers of one item are 1.6 MB of HTML). The page works on
its own; `static/consolidation-narratives.js` fetches it and puts the list in place of the
item's preview on the consolidated page."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from webapp.auth import role_required
from webapp.consolidation.cache import load, read_basis
from webapp.consolidation.routes import bp
from webapp.consolidation.views import slug
from webapp.paging import read_page

PER_PAGE = 50


@bp.get("/coordinator/rounds/<int:round_id>/tong-hop/loi-van/<item>")
@role_required("coordinator")
def narratives(round_id: int, item: str) -> ResponseReturnValue:
    """The answers to narrative item `item`, `?page=`/`?per=` at a time, of the units of
    `?kind=` when given, from the basis chosen on the consolidated page."""
    basis = read_basis()
    loaded = load(round_id, basis.basis, basis.snapshot_id)
    texts = loaded.texts.get(item)
    if texts is None:
        abort(404)
    result = loaded.result
    kind = request.args.get("kind", "").strip()
    kind = kind if kind in loaded.kinds else ""
    codes = loaded.codes_of(kind) if kind else None
    positions = texts.positions(codes)
    page = read_page(len(positions), default_per=PER_PAGE, what="câu trả lời")
    entries = texts.entries(positions[page.start:page.stop])
    view_args = {**basis.args(), **({"kind": kind} if kind else {})}
    part = next((slug(top, index) for index, top in enumerate(result.outline.items)
                 if any(i.key == item for i in top.walk())), "")
    return render_template(
        "consolidation/narratives.html", round=loaded.source.round, texts=texts,
        entries=entries, page=page, kind=kind, part=part, view_args=view_args,
        links=page.links("consolidation.narratives",
                         {"round_id": round_id, "item": item, **view_args}, PER_PAGE))
