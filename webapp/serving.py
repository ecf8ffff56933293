"""How `decuong serve` runs waitress: explicit limits instead of waitress's defaults, and the
database lock that tells `decuong restore` a server is using the file.

Waitress's defaults suit a server behind a proxy that has already filtered clients; decuong is
often served straight to an office network. What changes, and why:

- **Request body** (`max_request_body_size`): waitress's default is 1 GiB, and it reads a whole
  body (spooling it to a temp file) before the application sees the request, so Flask's upload
  cap answered 413 only after 60 MB had been received. Waitress now refuses a body larger than
  the upload cap plus `BODY_MARGIN` as soon as it has read the headers. Between the cap and the
  cap plus the margin, Flask still answers with its page; beyond, waitress answers with a
  Vietnamese text of ours instead of its English line (`vietnamese_refusals`); behind nginx,
  nginx answers first with its own Vietnamese page.
- **Connections** (`connection_limit`): waitress stops accepting at 100 open connections, so
  110 idle half-sent requests from one client locked everybody out. The limit is raised, and
  on POSIX waitress polls with poll() (no 1 024 file-descriptor ceiling of select()).
- **Idle connections** (`channel_timeout`, `cleanup_interval`): a connection that has sent
  nothing for `channel_timeout` seconds is closed at the next clean-up, instead of after 120 s.
  A request being processed is never idle; a slow upload that keeps sending is not idle.
- **Headers** (`max_request_header_size`): 64 KiB rather than 256 KiB; decuong's cookies and
  URLs are far below that.

Waitress has no per-client limit: one client may still open every connection. That is the
reverse proxy's job (deploy/nginx/decuong.conf: limit_conn, client_header_timeout, …).
"""

from __future__ import annotations

import contextlib
import gc
import ipaddress
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from waitress.channel import HTTPChannel
    from waitress.server import BaseWSGIServer, MultiSocketServer

MIB = 1024 * 1024
BODY_MARGIN = MIB  # room above the upload cap for multipart framing and Flask's own 413 page
DEFAULT_CONNECTION_LIMIT = 500
DEFAULT_CHANNEL_TIMEOUT = 30
DEFAULT_CLEANUP_INTERVAL = 10
MAX_HEADER_BYTES = 64 * 1024
WINDOWS_SELECT_SOCKETS = 500  # Python's select() on Windows watches at most 512 sockets


@dataclass(frozen=True)
class ServerLimits:
    """The knobs of `decuong serve`, resolved from options, environment and config.py."""

    max_upload_mb: float
    connection_limit: int = DEFAULT_CONNECTION_LIMIT
    channel_timeout: int = DEFAULT_CHANNEL_TIMEOUT
    cleanup_interval: int = DEFAULT_CLEANUP_INTERVAL
    threads: int = 2
    behind_proxy: bool = False

    @property
    def max_body_bytes(self) -> int:
        """The largest body waitress lets through (it refuses `>=` this, so one more)."""
        return int(self.max_upload_mb * MIB) + BODY_MARGIN + 1

    def waitress_options(self) -> dict[str, Any]:
        """Keyword arguments for `waitress.serve` (besides app, host, port)."""
        limit = self.connection_limit
        if os.name == "nt":
            limit = min(limit, WINDOWS_SELECT_SOCKETS)
        return {
            "threads": self.threads,
            "max_request_body_size": self.max_body_bytes,
            "max_request_header_size": MAX_HEADER_BYTES,
            "connection_limit": limit,
            "channel_timeout": self.channel_timeout,
            "cleanup_interval": self.cleanup_interval,
            "asyncore_use_poll": os.name != "nt",
            # X-Forwarded-* pass through only to the application's ProxyFix (webapp.proxy),
            # and only when serving behind a proxy; otherwise waitress removes them.
            "clear_untrusted_proxy_headers": not self.behind_proxy,
            "ident": "decuong",
        }


def raise_open_files_limit(wanted: int) -> None:
    """Lift the soft limit of open files towards `wanted` (never above the hard limit), so the
    connection limit is not cut short by the common 1 024 descriptors. POSIX only."""
    try:
        import resource
    except ImportError:  # Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def exposure_warning(host: str, *, behind_proxy: bool) -> str | None:
    """What to tell an administrator who serves behind a proxy on a non-loopback address:
    other machines can then reach waitress directly, around nginx's limits."""
    if not behind_proxy or host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass  # a host name: cannot tell, so warn
    return (f"Cảnh báo: --behind-proxy nhưng máy chủ đang nghe ở {host}: máy khác có thể gọi "
            "thẳng vào đây, bỏ qua nginx và các giới hạn của nó. Hãy dùng --host 127.0.0.1.")


def resolve_limits(config: Mapping[str, Any], *, threads: int,
                   connection_limit: int | None = None, channel_timeout: int | None = None,
                   cleanup_interval: int | None = None) -> ServerLimits:
    """Options given on the command line win; then the application's config (environment,
    instance/config.py: SERVER_CONNECTION_LIMIT, SERVER_CHANNEL_TIMEOUT,
    SERVER_CLEANUP_INTERVAL, PROXY_COUNT); then the defaults above."""
    def pick(given: int | None, key: str, default: int) -> int:
        value = given if given is not None else config.get(key, default)
        if int(value) < 1:
            raise ValueError(f"{key} must be at least 1, not {value}")
        return int(value)

    return ServerLimits(
        max_upload_mb=float(config["MAX_UPLOAD_MB"]),
        connection_limit=pick(connection_limit, "SERVER_CONNECTION_LIMIT",
                              DEFAULT_CONNECTION_LIMIT),
        channel_timeout=pick(channel_timeout, "SERVER_CHANNEL_TIMEOUT", DEFAULT_CHANNEL_TIMEOUT),
        cleanup_interval=pick(cleanup_interval, "SERVER_CLEANUP_INTERVAL",
                              DEFAULT_CLEANUP_INTERVAL),
        threads=threads,
        behind_proxy=int(config.get("PROXY_COUNT") or 0) > 0,
    )


def serve(db_path: Path, *, host: str, port: int, instance: Path | None,
          max_upload_mb: float | None, behind_proxy: bool, threads: int,
          **overrides: int | None) -> None:
    """Open (and migrate) the database, hold its lock, build the app, and run waitress until
    interrupted. The lock is released by the operating system whatever way the process ends."""
    from waitress.server import create_server

    import store
    from store.server_lock import DatabaseLock
    from webapp import create_app

    db_path = db_path.resolve()
    # The lock first: a restore in progress must not find its file opened and migrated.
    lock = DatabaseLock(db_path, f"máy chủ decuong (tiến trình {os.getpid()}, "
                                 f"http://{host}:{port}/)")
    lock.acquire()
    db = store.open_db(db_path)  # create and migrate now: a bad path fails here, not per request
    db.close()
    os.environ["DECUONG_DB"] = str(db_path)
    os.environ["DECUONG_INSTANCE"] = str((instance or db_path.parent / "instance").resolve())
    if max_upload_mb is not None:
        os.environ["DECUONG_MAX_UPLOAD_MB"] = str(max_upload_mb)
    if behind_proxy:
        os.environ["DECUONG_PROXY_COUNT"] = "1"
    app = create_app()
    limits = resolve_limits(app.config, threads=threads, **overrides)
    raise_open_files_limit(limits.connection_limit * 3 + 64)  # socket + two spool files each
    # Everything loaded so far (modules, the app) lives as long as the process: moved out of
    # the collector's sight, a full collection no longer walks ~100 000 objects, which stalled
    # every request in flight for tens of milliseconds about once per hundred requests.
    gc.collect()
    gc.freeze()
    proxied = " (sau máy chủ proxy)" if limits.behind_proxy else ""
    warning = exposure_warning(host, behind_proxy=limits.behind_proxy)
    if warning:
        click.echo(warning, err=True)
    click.echo(f"Đang phục vụ {db_path.name} tại http://{host}:{port}/{proxied} "
               "(Ctrl+C để dừng)")
    logging.basicConfig()  # waitress's own warnings (queue depth, socket errors), as serve() did
    server = create_server(app, host=host, port=port, **limits.waitress_options())
    refuse_in_vietnamese(server, limits.max_upload_mb)
    try:
        server.run()
    finally:
        lock.release()


def refuse_in_vietnamese(server: BaseWSGIServer | MultiSocketServer, max_upload_mb: float
                         ) -> None:
    """Give every listening socket of `server` the Vietnamese refusals.

    A host name may resolve to several addresses (localhost: 127.0.0.1 and ::1); waitress then
    listens with one server per address inside a MultiSocketServer, whose own channel class
    nothing reads, so each inner server is given it (mypy found the wrapper case)."""
    from waitress.server import BaseWSGIServer

    if isinstance(server, BaseWSGIServer):
        listeners = [server]
    else:
        # object: types-waitress call the map's values sockets; waitress keeps its dispatchers
        # there (each listening server and a trigger).
        entries: Iterable[object] = (server.map or {}).values()
        listeners = [each for each in entries if isinstance(each, BaseWSGIServer)]
    for listener in listeners:
        listener.channel_class = vietnamese_refusals(listener.channel_class, max_upload_mb)


def vietnamese_refusals(channel_class: type[HTTPChannel], max_upload_mb: float
                        ) -> type[HTTPChannel]:
    """Waitress's channel, answering a body over the limit in Vietnamese.

    Waitress refuses such a body itself, before the application runs, with a fixed English line
    ("Request Entity Too Large … (generated by waitress)"). Its parser class is a documented
    attribute of the channel, so a parser that swaps that one error for ours is enough; a test
    (tests/reliability/test_rel_server_limits.py) fails if a waitress release changes this.
    """
    from waitress.utilities import Error, RequestEntityTooLarge

    limit = f"{max_upload_mb:g}".replace(".", ",")
    text = (f"Dữ liệu gửi lên vượt quá giới hạn {limit} MB nên máy chủ không nhận; chưa có gì "
            "được lưu. Hãy giảm dung lượng tệp (ví dụ quét tài liệu ở độ phân giải thấp hơn, "
            "hoặc chia thành nhiều lần gửi) rồi gửi lại.\r\n")

    class TooLarge(RequestEntityTooLarge):
        # types-waitress says the body is str; waitress 3 itself returns (and sends) bytes.
        def to_response(  # type: ignore[override]  # waitress sends bytes
                self, ident: str | None = None) -> tuple[str, list, bytes]:
            return (f"{self.code} {self.reason}",
                    [("Content-Type", "text/plain; charset=utf-8")], text.encode("utf-8"))

    # Any: the base is only known at run time (waitress's documented `parser_class`).
    base: Any = channel_class.parser_class

    class Parser(base):
        error: Error | None  # set by waitress's parser on a request it refuses

        def received(self, data: bytes) -> int:
            consumed: int = super().received(data)
            error = self.error
            if error is not None and type(error) is RequestEntityTooLarge:
                self.error = TooLarge(error.body)
            return consumed

    return type("Channel", (channel_class,), {"parser_class": Parser})
