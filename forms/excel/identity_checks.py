"""Whether a template's identity lets it be accepted here: made by this installation, for
this outline and version, sealed with this installation's key, for this round and unit.

Kept apart from the reader: these checks need the identity only, never the workbook, so the
database side (`store.uploads`) runs them on identities read in worker processes too.
"""

from __future__ import annotations

import unicodedata

from forms.excel.errors import ExcelProblem, problem
from forms.excel.identity import Identity, TemplateKey
from forms.excel.layout import IDENTITY_SHEET
from forms.model import Outline


def check_installation(identity: Identity, key: TemplateKey) -> list[ExcelProblem]:
    """A refusal when the template was made by another installation than `key`'s. Needs no
    outline, round or unit, so a caller checks it before looking any of them up: the round and
    unit a foreign template names are another database's and mean nothing here."""
    if identity.installation != key.installation:
        return [problem("foreign_installation", sheet=IDENTITY_SHEET)]
    return []


def check_identity(identity: Identity, *, outline: Outline, key: TemplateKey,
                   round_id: int | None = None, unit_code: str | None = None,
                   round_title: str | None = None, unit_name: str | None = None
                   ) -> list[ExcelProblem]:
    """Why this template must not be accepted for `outline` in round `round_id` from unit
    `unit_code` by the installation `key`; empty when it may. A template without a round or
    unit (a generic blank template) fits any round of its outline version and any unit.
    `round_title` and `unit_name` only make the messages friendlier.

    A template of another installation is refused first: its round and unit numbers name
    another database's rounds and units, so nothing else it says means anything here. A seal
    that does not match (a hand-edited or forged identity) is refused whatever else matches."""
    foreign = check_installation(identity, key)
    if foreign:
        return foreign
    if identity.outline_id != outline.id:
        return [problem("wrong_outline", found=identity.outline_id, expected=outline.id)]
    if identity.outline_version < outline.version:
        return [problem("outdated_version", outline=outline.id, found=identity.outline_version,
                        current=outline.version)]
    if identity.outline_version > outline.version:
        return [problem("newer_version", outline=outline.id, found=identity.outline_version,
                        current=outline.version)]
    if not identity.matches(outline, key):
        return [problem("bad_checksum", sheet=IDENTITY_SHEET)]
    problems: list[ExcelProblem] = []
    if round_id is not None and identity.round_id is not None and identity.round_id != round_id:
        problems.append(problem("wrong_round",
                                found=identity.round_title or f"mã {identity.round_id}",
                                expected=round_title or f"mã {round_id}"))
    if unit_code is not None and identity.unit_code is not None \
            and _fold(identity.unit_code) != _fold(unit_code):
        found = identity.unit_name or identity.unit_code
        if identity.unit_name:
            found += f" (mã {identity.unit_code})"
        expected = f"{unit_name} (mã {unit_code})" if unit_name else f"mã {unit_code}"
        problems.append(problem("wrong_unit", found=found, expected=expected))
    return problems


def _fold(code: str) -> str:
    return unicodedata.normalize("NFC", code).strip().casefold()
