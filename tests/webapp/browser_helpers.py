"""A real `decuong serve` on a free loopback port and Debian's headless Chromium, shared by the
browser tests (imported by name, like web_helpers)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from web_helpers import PASSWORDS, build_demo_db

import store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
START_SECONDS = 30  # importing pandas on a busy CI machine takes a while


def chromium_path() -> str:
    """Debian's chromium. Missing is a failure, not a skip: CI installs it."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium not found (/usr/bin/chromium): install Debian's chromium package.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(db_path: Path, folder: Path) -> Iterator[str]:
    """`decuong serve` on `db_path` until the block ends; yields its base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "decuong_cli", "serve", "--db", str(db_path), "--host",
         "127.0.0.1", "--port", str(port), "--instance", str(folder / "instance")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None:
                    pytest.fail("decuong serve exited: " + process.stdout.read().decode())
                if time.monotonic() > deadline:
                    pytest.fail(f"decuong serve did not answer within {START_SECONDS} s")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def demo_server(folder: Path) -> Iterator[dict]:
    """The demo (plus the example round, `build_demo_db`) in `folder`, served until the block
    ends; yields its base URL, database path, folder and the demo's ids."""
    db_path = folder / "demo.db"
    demo = build_demo_db(db_path)
    with running_server(db_path, folder) as base:
        yield {"base": base, "db_path": db_path, "folder": folder, **demo}


def report_state(db_path: Path, round_id: int, code: str) -> store.ReportState:
    """What the server stored for a report, read from its database file."""
    db = store.open_db(db_path)
    try:
        return store.report_state(db, round_id, code)
    finally:
        db.close()


def idle_for_nine_hours(db_path: Path, username: str) -> None:
    """What a night away from the desk does to the session row (the default timeout is 8 h)."""
    db = store.open_db(db_path)
    try:
        with store.transaction(db):
            db.conn.execute("UPDATE sessions SET last_seen = strftime('%Y-%m-%dT%H:%M:%S+00:00',"
                            " 'now', '-9 hours') WHERE username = ?", [username])
    finally:
        db.close()


@contextmanager
def headless_chromium() -> Iterator[object]:
    executable = chromium_path()  # fails (never skips) when Chromium is missing
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def login(page, base: str, username: str) -> None:
    page.goto(base + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.click("button[type=submit]")


def logout(page) -> None:
    page.click("header button:has-text('Đăng xuất')")


def submit_report(page) -> None:
    """Click "Nộp báo cáo" and, when the page lists items still empty (the pre-submit dialog of
    fill-nav.js), confirm with "Vẫn nộp"; return once the server's answer is loaded."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with page.expect_navigation():
        page.click("button[value=submit]")
        with contextlib.suppress(PlaywrightTimeout):  # nothing empty: no dialog to confirm
            page.click("#presubmit-confirm", timeout=1500)
