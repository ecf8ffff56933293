"""A real nginx in front of a real `decuong serve`, for the reverse-proxy tests.

The site configuration is the one shipped in deploy/nginx/decuong.conf, with its `${…}`
placeholders filled (ports, certificate, paths) exactly as an administrator would with
envsubst. Only the main file around it is written here: nginx in the foreground with its own
prefix, pid, logs and temp folders, so it runs as an ordinary user next to any other nginx.
The access log records, after the original request line, the upstream each request reached
("-" when nginx answered itself).
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

from rel_web import ROOT, free_port

SITE = ROOT / "deploy" / "nginx" / "decuong.conf"
ERROR_PAGES = ROOT / "deploy" / "nginx" / "errors"
STATIC = ROOT / "webapp" / "static"
PLACEHOLDER = re.compile(r"\$\{(DECUONG_[A-Z_]+)\}")

MAIN = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstream '$status "$request" upstream=$upstream_addr';
    access_log {dir}/access.log upstream;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/decuong.conf;
}}
"""


def nginx_binary() -> str:
    """Debian's nginx (in /usr/sbin, which an ordinary user's PATH may lack). Missing nginx is
    a failure, not a skip: the reverse-proxy setup is only proven by running it."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    assert found, ("nginx is not installed: the reverse-proxy tests need Debian's nginx "
                   "(.ci/run installs nginx-light)")
    return found


def render_site(values: dict[str, str]) -> str:
    """deploy/nginx/decuong.conf with every placeholder filled; a placeholder without a value
    is an error (a shipped file the test cannot fill is a file an administrator cannot)."""
    text = SITE.read_text(encoding="utf-8")
    missing = sorted(set(PLACEHOLDER.findall(text)) - set(values))
    assert not missing, f"no value for {missing}"
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with the openssl command, valid one day."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    openssl = shutil.which("openssl")
    assert openssl, "the openssl command is needed to make the test certificate"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


class Nginx:
    """nginx with the shipped site configuration, proxying to `upstream_port` on loopback."""

    def __init__(self, folder: Path, upstream_port: int) -> None:
        self.dir = folder
        self.dir.mkdir(parents=True, exist_ok=True)
        self.https_port, self.http_port = free_port(), free_port()
        self.cert, self.key = self_signed(self.dir)
        self.values = {
            "DECUONG_SERVER_NAME": "127.0.0.1",
            "DECUONG_HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
            "DECUONG_HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
            "DECUONG_TLS_CERT": str(self.cert),
            "DECUONG_TLS_KEY": str(self.key),
            "DECUONG_UPSTREAM": f"127.0.0.1:{upstream_port}",
            "DECUONG_STATIC": str(STATIC),
            "DECUONG_ERROR_PAGES": str(ERROR_PAGES),
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 15) -> None:
        binary = nginx_binary()
        (self.dir / "decuong.conf").write_text(render_site(self.values), encoding="utf-8")
        (self.dir / "nginx.conf").write_text(MAIN.format(dir=self.dir), encoding="utf-8")
        command = [binary, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf"),
                   "-e", str(self.dir / "error.log")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.dir / "error.log").read_text("utf-8")
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not listen within {timeout} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: fast shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tls(self) -> ssl.SSLContext:
        """A client context that trusts the test certificate (and checks the name)."""
        return ssl.create_default_context(cafile=str(self.cert))

    def https(self, source: str = "127.0.0.1", timeout: float = 10
              ) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=timeout,
                                           context=self.tls(),
                                           source_address=(source, 0))

    def raw_tls(self, source: str = "127.0.0.1", timeout: float = 10) -> ssl.SSLSocket:
        """A TLS socket from `source` (another loopback address is another client for nginx's
        per-address limits)."""
        sock = socket.create_connection(("127.0.0.1", self.https_port), timeout=timeout,
                                        source_address=(source, 0))
        return self.tls().wrap_socket(sock, server_hostname="127.0.0.1")

    def access_log(self) -> list[str]:
        path = self.dir / "access.log"
        return path.read_text("utf-8").splitlines() if path.exists() else []

    def last_logged(self, request_start: str, timeout: float = 5.0) -> str:
        """The last access-log line starting with `request_start` (e.g. '200 "GET /x'): nginx
        logs a request after answering it, so on a busy machine the line can lag the reply."""
        deadline = time.monotonic() + timeout
        while True:
            lines = [line for line in self.access_log() if line.startswith(request_start)]
            if lines or time.monotonic() > deadline:
                return lines[-1] if lines else ""
            time.sleep(0.05)

