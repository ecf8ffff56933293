"""Validating many units' answers on several cores: `validate` (and `to_json` of the values,
what is stored) in worker processes (`forms.pool`), results in the order given. A bulk import
validates here while its own process stores the units already validated, so the two overlap
instead of taking turns.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from typing import Any

from forms.model import Outline
from forms.pool import map_ordered
from forms.validate import Result, to_json, validate

CHUNK = 50  # units per task: a unit validates in about a millisecond

# Set in each worker by `_set_outline`.
_job: dict[str, Any] = {}


Checked = tuple[Result, dict[str, Any]]


def validate_many(outline: Outline, raws: Sequence[Mapping[str, Any]], *, mode: str,
                  workers: int) -> Generator[Checked, None, None]:
    """(`validate(outline, raw, mode=mode)`, `to_json` of its values) for every raw of `raws`,
    yielded in order; the same results as here, whatever the number of workers (1: here)."""
    yield from map_ordered(_validate_chunk, raws, local=lambda raw: check(outline, raw, mode),
                           workers=workers, chunk=CHUNK, initializer=_set_outline,
                           initargs=(outline, mode), preload=(__name__,))


def check(outline: Outline, raw: Mapping[str, Any], mode: str) -> Checked:
    result = validate(outline, raw, mode=mode)
    return result, to_json(outline, result.values)


def _set_outline(outline: Outline, mode: str) -> None:
    _job.update(outline=outline, mode=mode)


def _validate_chunk(raws: Sequence[Mapping[str, Any]]) -> list[Checked]:
    return [check(_job["outline"], raw, _job["mode"]) for raw in raws]
