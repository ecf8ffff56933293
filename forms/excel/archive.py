"""Open a .zip of filled templates member by member, within limits on the archive as a whole.

Coordinators receive a commune's reports as one .zip (from e-mail, Zalo, a shared drive) and hand
it to `decuong ingest` or the round page's upload. The archive says what it holds in its central
directory, and so does each member in its headers; neither is trusted further than it is
checked. Before anything is inflated the archive's size, its member count (read from the
end-of-central-directory record, without building the list of entries) and the sizes its
members declare are held to limits; then each member is inflated on its own, read at most one
byte past the per-file limit (zipfile stops a member at its declared size and checks its CRC),
so a 1.2 MB archive declaring 120 members of 10 MiB costs nothing to refuse, and one that lies
about its sizes costs at most the limit. A refusal names the archive, or the member.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from forms.excel.errors import human_size, problem
from forms.excel.limits import MAX_BYTES
from forms.excel.zip_parts import entry_count
from forms.kinds.numbers import format_number

#: An archive's own size: a commune's batch of templates is a few MB.
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
#: Members of one archive, directories aside (as many as one `decuong ingest` takes).
MAX_ARCHIVE_MEMBERS = 5_000
#: All members read from one archive, inflated: what the caller may hold at once.
MAX_ARCHIVE_INFLATED = 100 * 1024 * 1024
_TAIL = 65_535 + 22  # the end-of-central-directory record lies within this of the end


def archive_members(source: Path | bytes, label: str, *, read: Callable[[str], bool],
                    max_archive: int = MAX_ARCHIVE_BYTES,
                    max_members: int = MAX_ARCHIVE_MEMBERS,
                    max_inflated: int = MAX_ARCHIVE_INFLATED,
                    max_member: int = MAX_BYTES) -> Iterator[tuple[str, bytes | str | None]]:
    """(member name as stored, its bytes) for each file of the archive `source` (a path, or
    the bytes of an upload) that `read(name)` wants; (name, None) for one it does not (never
    inflated); (name, message) for one that cannot be read. When the archive itself is refused,
    a single (`label`, message) and nothing else. Members are inflated one at a time, as the
    caller asks for them."""
    refusal = _refusal(source, label, max_archive, max_members)
    if refusal is not None:
        yield label, refusal
        return
    try:
        archive = zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        yield label, problem("archive_unreadable", archive=label, detail=_detail(exc)).message
        return
    with archive:
        if len(members) > max_members:  # a directory that lied in its end record
            yield label, problem("archive_too_many", archive=label,
                                 count=format_number(len(members)),
                                 limit=format_number(max_members)).message
            return
        wanted = [m for m in members if read(m.filename)]
        wanted_ids = {id(m) for m in wanted}
        declared = sum(m.file_size for m in wanted if m.file_size <= max_member)
        if declared > max_inflated:
            yield label, problem("archive_inflated", archive=label, size=human_size(declared),
                                 limit=human_size(max_inflated)).message
            return
        inflated = 0
        for member in members:
            name = member.filename
            if id(member) not in wanted_ids:
                yield name, None
            elif member.file_size > max_member:
                yield name, problem("archive_member_too_large", archive=label, member=name,
                                    size=human_size(member.file_size),
                                    limit=human_size(max_member)).message
            else:
                body = _read(archive, member, max_member)
                if isinstance(body, bytes):
                    inflated += len(body)
                    if inflated > max_inflated:  # cannot happen while the sizes hold
                        yield label, problem("archive_inflated", archive=label,
                                             size=human_size(inflated),
                                             limit=human_size(max_inflated)).message
                        return
                    if len(body) > max_member:
                        body = problem("archive_member_too_large", archive=label, member=name,
                                       size=human_size(len(body)),
                                       limit=human_size(max_member)).message
                else:
                    body = problem("archive_member_unreadable", archive=label, member=name,
                                   detail=body).message
                yield name, body


def _refusal(source: Path | bytes, label: str, max_archive: int, max_members: int
             ) -> str | None:
    """Why the archive is refused from its size and its end record alone; None if it is not."""
    try:
        if isinstance(source, Path):
            size = source.stat().st_size
            with source.open("rb") as handle:
                handle.seek(max(0, size - _TAIL))
                tail = handle.read()
        else:
            size, tail = len(source), source[-_TAIL:]
    except OSError as exc:
        return problem("archive_unreadable", archive=label, detail=_detail(exc)).message
    if size > max_archive:
        return problem("archive_too_large", archive=label, size=human_size(size),
                       limit=human_size(max_archive)).message
    count = entry_count(tail)
    if count is not None and count > max_members:
        return problem("archive_too_many", archive=label, count=format_number(count),
                       limit=format_number(max_members)).message
    return None


def _read(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> bytes | str:
    """The member's bytes, at most `limit` + 1 of them; a reason when it cannot be read."""
    try:
        with archive.open(member) as handle:
            return handle.read(limit + 1)
    except RuntimeError:  # zipfile's word for a member behind a password
        return "tệp được đặt mật khẩu"
    except (OSError, zipfile.BadZipFile, NotImplementedError, ValueError, EOFError) as exc:
        return _detail(exc)


def _detail(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__

