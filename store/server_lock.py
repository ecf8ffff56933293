"""Who holds a database: an exclusive OS lock on a file beside it, taken by `decuong serve`
for its whole life and by `decuong restore` while it swaps the file.

A server keeps its SQLite connections open on the file it started with. Replacing that file
under it (a restore) leaves the server writing to the old, unlinked inode: every save it
acknowledges afterwards is lost. So a restore must know whether a server holds the database,
and the only reliable witness is a lock the operating system drops by itself when the holder
dies (SIGKILL, power cut, Task Manager): no stale pid file to clean up by hand.

POSIX uses `flock` (per open file, so a check from the same process sees the lock too);
Windows uses `msvcrt.locking` on one byte far past the end of the file, which leaves the
file's text (the holder's description) readable by whoever is refused.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from store.errors import StoreCode, StoreError

SUFFIX = "-server.lock"
_WINDOWS_BYTE = 2**30  # locked byte: beyond the text, so readers are not blocked


class DatabaseBusy(StoreError):
    code = StoreCode.DATABASE_BUSY


def lock_path(db_path: str | Path) -> Path:
    """The lock file of a database: beside it, named after it (symlinks resolved, so two
    spellings of one database share one lock)."""
    resolved = Path(db_path).resolve()
    return resolved.with_name(resolved.name + SUFFIX)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


class DatabaseLock:
    """The exclusive lock on one database, held until `release()` (or the process ends).

    Usable as a context manager. `acquire` never waits: a held lock is an answer, not a queue.
    """

    def __init__(self, db_path: str | Path, holder: str) -> None:
        self.path = lock_path(db_path)
        self.db_name = Path(db_path).name
        self.holder = holder
        self._fd: int | None = None

    def acquire(self) -> DatabaseLock:
        """Take the lock or raise DatabaseBusy naming who holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            who = _holder(self.path) or "một tiến trình decuong khác"
            raise DatabaseBusy(
                f"Cơ sở dữ liệu '{self.db_name}' đang được dùng bởi {who}. Hãy dừng tiến trình "
                "đó (Ctrl+C trong cửa sổ của máy chủ, hoặc dừng dịch vụ) rồi chạy lại lệnh.")
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, self.holder.encode("utf-8"))
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()

