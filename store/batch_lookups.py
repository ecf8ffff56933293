"""Round, unit and outline rows read once per batch of uploads instead of once per file.

Keeping them for a batch is safe because what is kept cannot change under it: a round's outline
version is fixed when the round is opened, and a kept outline version is never edited. What can
change mid-batch — a round closed, a unit taken off the round, a report accepted — is never read
from here: `save_revision` checks it in its own transaction for every file. Titles and names
only colour messages. Lookups that fail are not kept, so a round or unit created mid-batch is
found by the next file.
"""

from __future__ import annotations

from sqlite_utils import Database

from forms import Outline
from forms.excel.identity import TemplateKey
from store.installation import template_key
from store.outlines import outline_for_round
from store.rounds import RoundRow, get_round
from store.units import UnitRow, get_unit


class BatchLookups:
    """Per-batch cache of `get_round`, `get_unit`, `outline_for_round` (same errors) and the
    installation's template key."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._rounds: dict[int, RoundRow] = {}
        self._units: dict[str, UnitRow] = {}
        self._outlines: dict[int, Outline] = {}
        self._key: TemplateKey | None = None

    def round(self, round_id: int) -> RoundRow:
        if round_id not in self._rounds:
            self._rounds[round_id] = get_round(self.db, round_id)
        return self._rounds[round_id]

    def unit(self, code: str) -> UnitRow:
        if code not in self._units:
            self._units[code] = get_unit(self.db, code)
        return self._units[code]

    def outline(self, round_id: int) -> Outline:
        if round_id not in self._outlines:
            self._outlines[round_id] = outline_for_round(self.db, round_id)
        return self._outlines[round_id]

    def key(self) -> TemplateKey:
        """The installation's template key (made once with the database, never changed)."""
        if self._key is None:
            self._key = template_key(self.db)
        return self._key
