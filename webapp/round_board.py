"""The round board's units table as display rows: count boxes that filter it (`?status=`), a
search by unit code or name (`?q=`, with or without Vietnamese accents) and server-side pages
(`?page=`, `?per=`). A province's round has 4,000 units: the boxes count them all from the
round's status rows, but display rows (words, times, links) are built for one page only."""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import current_app, request, url_for
from jinja2.filters import do_urlencode

import store
from store import RoundStatus, UnitStatus
from webapp import display
from webapp.db import get_db
from webapp.paging import PER_CHOICES, Page, read_page

PER_PAGE = 100
KEPT_ROUNDS = 4  # round states whose rows are kept (a 4,000-unit round's are ~2 MB)

@dataclass(frozen=True)
class RoundRows:
    """A round state's status rows, contacts and how many units each count box keeps."""

    status: RoundStatus
    contacts: dict[str, tuple[str | None, str | None]]  # code → (contact, e-mail)
    counts: dict[str, int]


_rows: OrderedDict[tuple[Any, ...], RoundRows] = OrderedDict()
_rows_lock = threading.Lock()


def round_rows(round_id: int) -> RoundRows:
    """`store.round_status` of the round, its units' contacts and box counts, once per state
    (`store.round_state`, a few milliseconds) instead of on every view of the board: at 4,000
    units, reading and shaping them was most of the page's time. Raises store.NotFound."""
    db = get_db()
    key = (current_app.config["DATABASE"], round_id, store.round_state(db, round_id))
    with _rows_lock:
        hit = _rows.get(key)
        if hit is not None:
            _rows.move_to_end(key)
            return hit
    status = store.round_status(db, round_id)
    counts = {key: sum(1 for u in status["units"] if keep(u))
              for key, (_label, keep) in FILTERS.items()}
    rows = RoundRows(status, store.round_contacts(db, round_id), counts)
    with _rows_lock:
        for old in [k for k in _rows if k[:2] == key[:2]]:
            del _rows[old]  # an older state of the same round: never asked for again
        _rows[key] = rows
        while len(_rows) > KEPT_ROUNDS:
            _rows.popitem(last=False)
    return rows


@dataclass(slots=True)
class RoundRow:
    """One row of the round page with its display values worked out once in Python (status
    words, the Vietnamese time, the report link), so the loop only outputs them (the template
    still escapes every value). Attributes, not dict keys: Jinja reads them directly."""

    unit_code: str
    name: str
    kind: str | None
    status: str
    submitted_at: str | None
    late: bool
    revision: int | None
    contact: str | None
    status_class: str
    status_label: str
    submitted_text: str
    link: str
    view_label: str


#: `display.vn_datetime` memoised: a pure function of the stored timestamp text (the value
#: shown can only change when the timestamp does).
_when = lru_cache(maxsize=8192)(display.vn_datetime)

Unit = UnitStatus

#: The count boxes of the round board, in page order: filter key (the `?status=` value) →
#: (label, which rows it keeps). Each box counts exactly the rows its filter shows, with the
#: meaning of store.round_summary: "đã nộp" includes accepted reports and splits into on time
#: and late; "chưa nộp" is nothing saved or a draft (a returned report is its own box).
FILTERS: dict[str, tuple[str, Callable[[Unit], bool]]] = {
    "": ("phải nộp", lambda u: True),
    "submitted": ("đã nộp", lambda u: u["status"] in ("submitted", "accepted")),
    "on_time": ("đúng hạn",
                lambda u: u["status"] in ("submitted", "accepted") and not u["late"]),
    "late": ("muộn", lambda u: u["status"] in ("submitted", "accepted") and u["late"]),
    "missing": ("chưa nộp", lambda u: u["status"] in ("missing", "draft")),
    "returned": ("bị trả lại", lambda u: u["status"] == "returned"),
    "accepted": ("đã chấp nhận", lambda u: u["status"] == "accepted"),
}


@dataclass(slots=True)
class CountBox:
    """One count box: a link that filters the units table (server-side, works without JS)."""

    key: str
    label: str
    count: int
    href: str
    active: bool
    alert: bool


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Text for matching a search: lower case, accents and đ taken off ("Phòng Tư pháp" and
    "phong tu phap" match), so a search typed without a Vietnamese keyboard finds the unit."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def display_row(u: Unit, contact: str | None, prefix: str) -> RoundRow:
    code, state, revision = u["unit_code"], u["status"], u["revision"]
    return RoundRow(
        code, u["name"], u["kind"], state, u["submitted_at"], u["late"], revision, contact,
        display.status_class(state), display.status_label(state), _when(u["submitted_at"]),
        f"{prefix}{do_urlencode(code)}/" if revision else "",
        "Xem xét" if state == "submitted" else "Xem")


@dataclass
class Board:
    """What the round page shows of its units."""

    boxes: list[CountBox]
    active: CountBox
    query: str
    matched: int  # units the filter and search keep (all pages)
    total: int  # units the round expects
    shown: list[RoundRow]  # this page's rows
    page: Page
    links: dict[str, str | None]
    per_choices: tuple[int, ...] = PER_CHOICES


def board(round_id: int, rows: RoundRows, summary: Mapping[str, Any]) -> Board:
    """The count boxes, and the page of units that `?status=`, `?q=` and `?page=` ask for."""
    units, contacts = rows.status["units"], rows.contacts
    chosen = request.args.get("status", "")
    chosen = chosen if chosen in FILTERS else ""
    query = " ".join(request.args.get("q", "").split())[:100]
    here = url_for("coordinator.round_page", round_id=round_id)
    boxes = [
        CountBox(key, label, rows.counts[key],
                 f"{here}?status={key}#don-vi" if key else f"{here}#don-vi", key == chosen,
                 (key == "late" and summary["late"] > 0)
                 or (key == "missing" and summary["overdue"] > 0))
        for key, (label, _keep) in FILTERS.items()
    ]
    keep = FILTERS[chosen][1]
    kept = [u for u in units if keep(u)]
    if query:
        needle = fold(query)
        kept = [u for u in kept if needle in fold(u["unit_code"]) or needle in fold(u["name"])]
    page = read_page(len(kept), default_per=PER_PAGE)
    # One url_for for the page: building each link is most of a row's cost otherwise.
    prefix = url_for("submission.view", round_id=round_id, code="-")[:-2]
    shown = [display_row(u, contacts.get(u["unit_code"], (None, None))[0], prefix)
             for u in kept[page.start:page.stop]]
    args = {"round_id": round_id, **({"status": chosen} if chosen else {}),
            **({"q": query} if query else {})}
    return Board(boxes, next(b for b in boxes if b.active), query, len(kept), len(units),
                 shown, page, page.links("coordinator.round_page", args, PER_PAGE))
