"""Reading many uploads on several cores: `parse_upload` in a process pool (`forms.pool`),
results in order.

Each worker gets the outlines it may need once, at start-up (parsed, or as text that it parses
the first time a file names it). Files go out in small chunks and come back in the order given,
with a bounded number in flight; the bytes are sent to the workers but never sent back (the
caller has them). How workers start and why they never outlive this process: `forms.pool`.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence

from forms.excel.identity import Identity
from forms.excel.parse import OutlineKey, Parsed, parse_upload
from forms.model import Outline
from forms.pool import map_ordered, start_method

CHUNK = 8  # files per task, at most: amortises the round trip of a task

# Set in each worker by `_set_outlines`: parsed outlines, or texts until a file names them.
_outlines: dict[OutlineKey, Outline | str | None] = {}

__all__ = ["CHUNK", "parse_many", "start_method"]


def parse_many(datas: Sequence[bytes], outlines: Mapping[OutlineKey, Outline | str], *,
               workers: int, method: str | None = None
               ) -> Generator[Parsed, None, None]:
    """`parse_upload(data, …)` for every file of `datas`, in `workers` processes, yielded in the
    order of `datas`. `outlines` are those the files may name (id, version → outline or its
    YAML text); a file naming another is returned unextracted, for the caller to finish.

    A worker that dies (killed by the system, say) or fails on a file loses nothing: the files
    from that chunk on are parsed in this process. Closing the generator early stops the pool.
    """
    yield from map_ordered(_parse_chunk, datas, local=parse_upload, workers=workers,
                           chunk=CHUNK, initializer=_set_outlines, initargs=(dict(outlines),),
                           method=method, preload=(__name__,))


def _parse_chunk(chunk: Sequence[bytes]) -> list[Parsed]:
    return [parse_upload(data, _outline_for) for data in chunk]


def _outline_for(identity: Identity) -> Outline | None:
    """The outline an identity names (parsed once per worker); None when not given."""
    key = (identity.outline_id, identity.outline_version)
    found = _outlines.get(key)
    if isinstance(found, str):
        found = _outlines[key] = _load(key, found)
    return found


def _load(key: OutlineKey, text: str) -> Outline | None:
    from forms.loader import load_outline

    try:
        return load_outline(text, filename=f"{key[0]}-v{key[1]}.yaml")
    except Exception:  # the caller reads the file itself, and sees the real error
        return None


def _set_outlines(outlines: dict[OutlineKey, Outline | str]) -> None:
    _outlines.clear()
    _outlines.update(outlines)
