"""Reading many uploads on several cores: `parse_upload` in a process pool, results in order.

Parsing a workbook is CPU-bound Python and Rust under one GIL, so threads would not help;
processes do. Each worker gets the outlines it may need once, at start-up (parsed, or as text
that it parses the first time a file names it). Files go out in small chunks and come back
in the order given, with a bounded number in flight; the bytes are sent to the workers but
never sent back (the caller has them).

Start method, chosen deliberately: "fork" starts a worker in milliseconds and shares the code
already imported, but forking a process whose other threads may hold locks (a web server's
request threads) can leave the child deadlocked, so a multi-threaded process uses the
single-threaded fork server instead. Either way a worker exits by itself as soon as the process
that started the pool is gone (even killed with SIGKILL, which runs no clean-up), so no orphan
is left hanging.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Generator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import Connection

from forms.excel.identity import Identity
from forms.excel.parse import OutlineKey, Parsed, parse_upload
from forms.model import Outline

CHUNK = 8  # files per task, at most: amortises the round trip of a task
AHEAD = 3  # chunks in flight per worker

# Set in each worker by `_start_worker`: parsed outlines, or texts until a file names them.
_outlines: dict[OutlineKey, Outline | str | None] = {}


def start_method() -> str | None:
    """"fork" for a single-threaded process on Linux, else "forkserver" (also on macOS, whose
    system libraries are not safe to fork); None where neither exists (Windows), and the caller
    then parses in its own process."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else None


def parse_many(datas: Sequence[bytes], outlines: Mapping[OutlineKey, Outline | str], *,
               workers: int, method: str | None = None
               ) -> Generator[Parsed, None, None]:
    """`parse_upload(data, …)` for every file of `datas`, in `workers` processes, yielded in the
    order of `datas`. `outlines` are those the files may name (id, version → outline or its
    YAML text); a file naming another is returned unextracted, for the caller to finish.

    A worker that dies (killed by the system, say) or fails on a file loses nothing: the files
    from that chunk on are parsed in this process. Closing the generator early stops the pool.
    """
    method = method or start_method()
    # Chunks small enough for every worker to get several, so none idles at the end.
    size = max(1, min(CHUNK, -(-len(datas) // (workers * AHEAD))))
    chunks = [datas[i:i + size] for i in range(0, len(datas), size)]
    workers = min(workers, len(chunks))
    if method is None or workers < 2:
        yield from (parse_upload(data) for data in datas)
        return
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([__name__])
    # A pipe nobody writes to: its reading end sees end-of-file once the only writing end left,
    # this process's, is closed — by the kernel too, when this process dies however it dies.
    lifeline, held = context.Pipe(duplex=False)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(dict(outlines), lifeline, held))
    pending: deque[Future[list[Parsed]]] = deque()
    submitted = done = 0  # chunks sent to the pool, chunks yielded
    try:
        while done < len(chunks):
            try:
                # A worker killed between two results breaks the pool: submit raises then.
                while submitted < len(chunks) and len(pending) < workers * AHEAD:
                    pending.append(pool.submit(_parse_chunk, chunks[submitted]))
                    submitted += 1
                results = pending.popleft().result()
            except Exception:  # a worker died, or failed on a file: see below
                break
            done += 1
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        held.close()
        lifeline.close()
    # Only after a failure: the rest is read here, so a file that breaks the reader raises
    # its error at its own turn, after every file before it was stored, as if read here.
    for chunk in chunks[done:]:
        yield from (parse_upload(data) for data in chunk)


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


def _start_worker(outlines: dict[OutlineKey, Outline | str], lifeline: Connection,
                  held: Connection) -> None:
    _outlines.clear()
    _outlines.update(outlines)
    held.close()  # this process's copy of the parent's end (forked, or passed along)
    # Ctrl-C reaches the whole process group; the parent decides, and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(lifeline,), daemon=True,
                     name="lifeline").start()


def _exit_with_parent(lifeline: Connection) -> None:
    """Wait, without polling, for the parent's end of the lifeline to close, then leave. A
    fork server's worker could not tell from its parent id: the server is its parent, and it
    stays up as long as its children do."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(1)
