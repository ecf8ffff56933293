"""The consolidation of a round, loaded once and kept in-process while the round is unchanged.

Consolidating 200 reports and rendering ~10,000 table cells costs far more than the 200 ms a
coordinator should wait, and the page is re-opened many times between two submissions. So the
`Consolidation` of a (round, basis) is cached under a fingerprint of the round's state (every
expected unit's status, submission time, latest revision number, name, kind and parent — read
with two cheap store queries); a new revision, a status change or a renamed unit changes the
fingerprint, so a stale table is never served. A snapshot never changes, so its id alone is the
key. The rendered section blocks are cached beside their consolidation (`Loaded.fragments`), per
kind filter; only the page frame (user, CSRF token, controls) is rendered per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from flask import Response, abort, current_app, render_template, request
from markupsafe import Markup

import store
from aggregate.consolidate import Consolidation
from aggregate.source import RoundInput, round_input
from webapp.db import get_db

CACHE_SIZE = 8
LIVE_BASES = ("submitted", "accepted")


@dataclass(frozen=True)
class EmptyItem:
    """A narrative or repeating table nobody has answered (under the kind filter shown): listed
    once behind a toggle instead of one empty card each."""

    part: str  # the section's slug, for the link
    ref: str
    note: str


@dataclass(frozen=True)
class SectionBlock:
    """One top-level section rendered (table, charts, answered narratives and tables) and the
    items of it nobody answered."""

    html: Markup
    empty: tuple[EmptyItem, ...]


@dataclass(eq=False)
class Loaded:
    """A round's consolidation as the pages need it, with what was rendered from it so far:
    section blocks by (kind filter, section slug), other fragments (charts, roll-up) by name."""

    source: RoundInput
    result: Consolidation
    blocks: dict[tuple[str, str], SectionBlock] = field(default_factory=dict)
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

    def args(self) -> dict[str, Any]:  # Any: url_for's **values (str would match _external)
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
