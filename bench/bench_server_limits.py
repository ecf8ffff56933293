"""What waitress's limits cost an attacker, before and after `decuong serve` set them.

    python bench/bench_server_limits.py [--idle 110] [--wait 200] [--only new|old]

Starts the application on a loopback port twice: once under waitress's defaults (as `serve`
ran it before: 1 GiB body limit, 100 connections, 120 s channel timeout), once with
`decuong serve`'s settings (webapp/serving.py). Against each it measures:

- a 60 MB body streamed to POST /auth/login: seconds until the server answers or cuts the
  connection, bytes the client got to send, bytes the server process wrote meanwhile (waitress
  spools a body over 512 KB to a temp file; read from /proc/PID/io, Linux only) and the status
  line;
- `--idle` connections that each send half a request and then nothing: seconds until another
  client's GET /healthz is answered (given up after `--wait` s).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, free_port

SIXTY_MB = 60 * 1024 * 1024

# The application under waitress's defaults, as `decuong serve` ran it before.
OLD_SERVER = """
import sys, waitress
from webapp import create_app
waitress.serve(create_app(), host="127.0.0.1", port=int(sys.argv[1]), threads=2)
"""


def start(kind: str, db: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DECUONG_DB": str(db),
           "DECUONG_INSTANCE": str(db.parent / "instance")}
    if kind == "old":
        command = [sys.executable, "-c", OLD_SERVER, str(port)]
    else:
        command = [sys.executable, "-m", "decuong_cli", "serve", "--db", str(db), "--port",
                   str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def written(pid: int) -> int | None:
    """Bytes the process has written so far (files, pipes), or None off Linux."""
    try:
        lines = Path(f"/proc/{pid}/io").read_text().splitlines()
    except OSError:
        return None
    return int(dict(line.split(": ") for line in lines)["wchar"])


def big_login(port: int) -> tuple[float, int, str]:
    sent, chunk = 0, b"x" * 65536
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        started = time.monotonic()
        sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     + f"Content-Length: {SIXTY_MB}\r\n\r\n".encode())
        try:
            while sent < SIXTY_MB:
                sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            status = sock.recv(100).split(b"\r\n", 1)[0].decode()
        except OSError as exc:
            status = type(exc).__name__
        return time.monotonic() - started, sent, status


def idle_lockout(port: int, idle: int, wait: float) -> float | None:
    sockets = []
    try:
        for _ in range(idle):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 40\r\n")
            sockets.append(sock)
        time.sleep(0.5)
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=wait) as probe:
                probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if not probe.recv(100).startswith(b"HTTP/1.1 200"):
                    return None
        except TimeoutError:
            return None
        return time.monotonic() - started
    finally:
        for sock in sockets:
            sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=int, default=110)
    parser.add_argument("--wait", type=float, default=200)
    parser.add_argument("--only", choices=("old", "new"))
    args = parser.parse_args()
    import store

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "decuong.db"
        store.open_db(db).close()
        for kind in ("old", "new"):
            if args.only and kind != args.only:
                continue
            port = free_port()
            process = start(kind, db, port)
            try:
                before = written(process.pid)
                seconds, sent, status = big_login(port)
                time.sleep(0.5)
                after = written(process.pid)
                spooled = ("?" if before is None or after is None
                           else f"{(after - before) / 1024 / 1024:.1f} MB")
                print(f"{kind}: 60 MB to /auth/login: {seconds:.2f} s, "
                      f"{sent / 1024 / 1024:.1f} MB sent, server wrote {spooled}, "
                      f"answer «{status}»")
                waited = idle_lockout(port, args.idle, args.wait)
                shown = f"{waited:.1f} s" if waited is not None else f"> {args.wait:.0f} s"
                print(f"{kind}: GET /healthz behind {args.idle} idle half-sent requests: {shown}")
            finally:
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
