"""The consolidation of a round, built once per round state and kept in a bounded cache.

Consolidating a 4,000-unit round costs most of a second, and the page is re-opened many times
between two submissions, so the `Consolidation` of a (round, basis) is kept in-process under
the round's state (`store.round_state`: a digest of the round row and of every expected unit's
name, kind, parent, status, submission time and latest revision). A new revision, a status
change or an edited unit changes the state: the entries of the old state are dropped at once
(they can never be hit again), not left to age out. A snapshot never changes, so its entry
lives until it is evicted.

The cache is bounded in bytes (`CONSOLIDATION_CACHE_MB`, env `DECUONG_CACHE_MB`, default
256): each entry counts its tables, its narratives (kept packed, see `texts`) and the HTML
fragments rendered from it (themselves bounded per entry); the least recently used entries go
first, and room is made *before* a new consolidation is built. One consolidation is built at a
time (ten clients opening a new revision wait for one build instead of making ten), so the
memory a build needs on top of the cache is that of one round.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Response, abort, current_app, render_template, request
from markupsafe import Markup

import store
from aggregate.consolidate import Consolidation
from aggregate.gc_pause import gc_paused
from aggregate.model import NO_KIND_LABEL, UnitInfo
from aggregate.narratives import Narrative
from aggregate.source import RoundInput, round_input
from webapp.consolidation.texts import NarrativeTexts, pack_all
from webapp.db import get_db

DEFAULT_CACHE_MB = 256
FRAGMENT_SHARE = 8  # an entry's rendered fragments may hold 1/8 of the cache's bytes
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

    @property
    def nbytes(self) -> int:
        return len(self.html) * 2 + 100 * len(self.empty) + 100


def _frame_bytes(frame: Any) -> int:
    return int(frame.memory_usage(deep=True, index=True).sum())


def _result_bytes(result: Consolidation) -> int:
    """What a consolidation's tables hold (pandas' own deep count) plus a little per unit."""
    frames = [result.frame, result.table, result.rollup, result.targets.table,
              *(s.table for s in result.sections), *result.tables.values()]
    return sum(_frame_bytes(f) for f in frames) + 400 * len(result.units)


@dataclass(eq=False)
class Loaded:
    """A round's consolidation as the pages need it: the input's round row and contacts (not
    its values), the tables, the narratives packed, and the HTML fragments rendered from it so
    far, least recently used first, bounded to `fragment_limit` bytes."""

    source: RoundInput
    result: Consolidation
    texts: dict[str, NarrativeTexts]
    base_bytes: int
    fragment_limit: int
    fragments: OrderedDict[tuple[Any, ...], Any] = field(default_factory=OrderedDict)
    fragment_bytes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _codes: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        return self.base_bytes + self.fragment_bytes

    def fragment(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """The fragment `key` (a `Markup`, or anything with `nbytes`), rendered by `make` on
        first use and kept while the entry's fragment budget allows."""
        with self.lock:
            hit = self.fragments.get(key)
            if hit is not None:
                self.fragments.move_to_end(key)
                return hit
        made = make()
        size = _size(made)
        with self.lock:
            if key not in self.fragments:
                self.fragments[key] = made
                self.fragment_bytes += size
                while self.fragment_bytes > self.fragment_limit and len(self.fragments) > 1:
                    _old, dropped = self.fragments.popitem(last=False)
                    self.fragment_bytes -= _size(dropped)
        return made

    @functools.cached_property
    def by_code(self) -> dict[str, UnitInfo]:
        """The round's units by code (looked up for every row a page shows)."""
        return {u.code: u for u in self.result.units}

    @functools.cached_property
    def kinds(self) -> list[str]:
        """The unit kinds of the round, in first-seen order (the kind filter's choices)."""
        return list(dict.fromkeys((u.kind or NO_KIND_LABEL) for u in self.result.units))

    def codes_of(self, kind: str) -> frozenset[str]:
        """The codes of the units of `kind` (every unit for "")."""
        found = self._codes.get(kind)
        if found is None:
            found = self._codes[kind] = frozenset(
                u.code for u in self.result.units if not kind or (u.kind or NO_KIND_LABEL) == kind)
        return found

    def full_result(self) -> Consolidation:
        """The consolidation with its narratives unpacked, for the downloads."""
        narratives = tuple(
            Narrative(t.key, t.number, t.ref, t.label,
                      tuple(t.entries(range(len(t.codes))))) for t in self.texts.values())
        return dataclasses.replace(self.result, narratives=narratives)


def _size(fragment: Any) -> int:
    return fragment.nbytes if hasattr(fragment, "nbytes") else len(fragment) * 2 + 100


@dataclass(eq=False)
class _Entry:
    state: str
    loaded: Loaded


_cache: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
_cache_lock = threading.Lock()
_build_lock = threading.Lock()
_last_size: dict[tuple[str, int], int] = {}


def clear_cache() -> None:
    """Forget every cached consolidation (tests and benchmarks measure cold pages with it)."""
    with _cache_lock:
        _cache.clear()
    _release_memory()


def stats() -> dict[str, Any]:
    """The cache's own accounting: entries (key, state, bytes), total bytes and the limit."""
    with _cache_lock:
        entries = [(key, e.state, e.loaded.nbytes) for key, e in _cache.items()]
    return {"entries": entries, "bytes": sum(e[2] for e in entries), "limit": _limit()}


def _limit() -> int:
    try:
        mb = float(current_app.config.get("CONSOLIDATION_CACHE_MB", DEFAULT_CACHE_MB))
    except RuntimeError:  # outside an application (stats() from a script)
        mb = DEFAULT_CACHE_MB
    return int(mb * 1024 * 1024)


def _evict(budget: int, keep: tuple[Any, ...] | None = None) -> bool:
    """Drop least recently used entries until the rest fit in `budget` bytes (the entry
    `keep`, just built and about to be served, stays even when it alone is larger).
    Called with `_cache_lock` held; True when anything went."""
    dropped = False
    total = sum(e.loaded.nbytes for e in _cache.values())
    for key in list(_cache):
        if total <= budget:
            break
        if key == keep:
            continue
        total -= _cache.pop(key).loaded.nbytes
        dropped = True
    return dropped


def _drop_stale(path: str, round_id: int, state: str) -> bool:
    """Drop the live entries of a round built from an older state. Lock held."""
    stale = [key for key, e in _cache.items()
             if key[:2] == (path, round_id) and key[2] in LIVE_BASES and e.state != state]
    for key in stale:
        del _cache[key]
    return bool(stale)


def _release_memory() -> None:
    """Hand freed heap back to the system (glibc keeps it otherwise, and the process's
    resident size would not come down after an eviction)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _state(round_id: int, snapshot_id: int | None) -> str:
    db = get_db()
    if snapshot_id is not None:
        store.get_round(db, round_id)  # 404 for an unknown round
        return f"snapshot-{snapshot_id}"
    return store.round_state(db, round_id)


def _build(round_id: int, basis: str, snapshot_id: int | None) -> Loaded:
    with gc_paused():  # decoding thousands of JSON reports (see aggregate.gc_pause)
        source = round_input(get_db(), round_id, basis="snapshot" if snapshot_id else basis,
                             snapshot_id=snapshot_id)
        result = source.consolidate()
        texts = pack_all(result.narratives)
        result = dataclasses.replace(result, narratives=())
        source = dataclasses.replace(source, values={})
    base = _result_bytes(result) + sum(t.nbytes for t in texts.values())
    return Loaded(source=source, result=result, texts=texts, base_bytes=base,
                  fragment_limit=_limit() // FRAGMENT_SHARE)


def load(round_id: int, basis: str, snapshot_id: int | None) -> Loaded:
    """The consolidation of a round (live `basis`, or snapshot `snapshot_id`), from the cache
    when the round has not changed; 404 for an unknown round or another round's snapshot."""
    path = current_app.config["DATABASE"]
    view = f"snapshot-{snapshot_id}" if snapshot_id is not None else basis
    key = (path, round_id, view)
    try:
        state = _state(round_id, snapshot_id)
        with _cache_lock:
            dropped = _drop_stale(path, round_id, state)
            hit = _cache.get(key)
            if hit is not None:
                _cache.move_to_end(key)
                dropped |= _evict(_limit(), keep=key)  # its fragments may have grown
        if hit is not None:
            if dropped:
                _release_memory()
            return hit.loaded
        with _build_lock:
            with _cache_lock:  # built by another request while this one waited?
                hit = _cache.get(key)
                if hit is not None and hit.state == state:
                    _cache.move_to_end(key)
                    return hit.loaded
                dropped |= _evict(_limit() - _last_size.get((path, round_id), 0))
            if dropped:
                _release_memory()
            loaded = _build(round_id, basis, snapshot_id)
            with _cache_lock:
                _cache[key] = _Entry(state, loaded)
                _last_size[(path, round_id)] = max(loaded.nbytes,
                                                   _last_size.get((path, round_id), 0))
                _evict(_limit(), keep=key)
            # A build decodes every report: hundreds of megabytes at 4,000 units, freed now
            # but kept by the allocator (the resident size would stay at the build's peak).
            _release_memory()
    except store.NotFound:
        abort(404)
    except store.StoreError as exc:  # e.g. a snapshot whose stored data fails its hash
        abort(Response(render_template("errors/error.html", code=409,
                                       title="Không dùng được số liệu này", text=str(exc)),
                       409))
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
