"""Worker processes for CPU-bound work on many items (reading workbooks, validating units),
results in the order given.

The engine is Python under one GIL, so threads would not help; processes do. Start method,
chosen deliberately: "fork" starts a worker in milliseconds and shares the code already
imported, but forking a process whose other threads may hold locks (a web server's request
threads) can leave the child deadlocked, so a multi-threaded process uses the single-threaded
fork server instead. Either way a worker exits by itself as soon as the process that started
the pool is gone (even killed with SIGKILL, which runs no clean-up), so no orphan is left.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

AHEAD = 3  # chunks in flight per worker


def start_method() -> str | None:
    """"fork" for a single-threaded process on Linux, else "forkserver" (also on macOS, whose
    system libraries are not safe to fork); None where neither exists (Windows), and the caller
    then works in its own process."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else None


def lifeline_pool(workers: int, method: str, initializer: Callable[..., None],
                  initargs: tuple[Any, ...], preload: Sequence[str] = ()
                  ) -> tuple[ProcessPoolExecutor, Callable[[], None]]:
    """A process pool whose workers run `initializer(*initargs)` and then leave when this
    process is gone; returns the pool and the function that shuts it down."""
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([__name__, *preload])
    # A pipe nobody writes to: its reading end sees end-of-file once the only writing end left,
    # this process's, is closed — by the kernel too, when this process dies however it dies.
    lifeline, held = context.Pipe(duplex=False)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(initializer, initargs, lifeline, held))

    def shutdown() -> None:
        pool.shutdown(wait=True, cancel_futures=True)
        held.close()
        lifeline.close()

    return pool, shutdown


def map_ordered(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], *,
                local: Callable[[T], R], workers: int, chunk: int,
                initializer: Callable[..., None], initargs: tuple[Any, ...],
                method: str | None = None, preload: Sequence[str] = ()
                ) -> Generator[R, None, None]:
    """`work(chunk)` for chunks of `items` in `workers` processes (each set up by
    `initializer(*initargs)`), each result yielded in the order of `items`. Where processes
    cannot start, with one worker, or from the chunk where a worker died or failed on, items go
    through `local(item)` in this process instead, so nothing is lost and an item that breaks
    the work raises its error at its own turn. Closing the generator early stops the pool.
    """
    size = max(1, min(chunk, -(-len(items) // (max(1, workers) * AHEAD))))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    workers = min(workers, len(chunks))
    method = method or start_method()
    done = 0
    if method is not None and workers >= 2:
        pool, shutdown = lifeline_pool(workers, method, initializer, initargs, preload)
        pending: deque[Future[list[R]]] = deque()
        submitted = 0
        try:
            while done < len(chunks):
                try:
                    while submitted < len(chunks) and len(pending) < workers * AHEAD:
                        pending.append(pool.submit(work, chunks[submitted]))
                        submitted += 1
                    results = pending.popleft().result()
                except Exception:  # a worker died, or failed on an item: the rest is done here
                    break
                done += 1
                yield from results
        finally:
            shutdown()
    for rest in chunks[done:]:
        yield from (local(item) for item in rest)


def _start_worker(initializer: Callable[..., None], initargs: tuple[Any, ...],
                  lifeline: Connection, held: Connection) -> None:
    held.close()  # this process's copy of the parent's end (forked, or passed along)
    # Ctrl-C reaches the whole process group; the parent decides, and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=exit_with_parent, args=(lifeline,), daemon=True,
                     name="lifeline").start()
    initializer(*initargs)


def exit_with_parent(lifeline: Connection) -> None:
    """Wait, without polling, for the parent's end of the lifeline to close, then leave. A
    fork server's worker could not tell from its parent id: the server is its parent, and it
    stays up as long as its children do."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(1)
