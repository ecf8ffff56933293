"""Fixtures for the web tests: a real SQLite file made by the demo (copied per test, since
hashing the demo's passwords is the slow part), the Flask app, and login helpers."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from web_helpers import as_user, build_demo_db, create_test_app

import store


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    return path, build_demo_db(path)


@pytest.fixture
def demo(demo_template: tuple[Path, dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
    source, info = demo_template
    target = tmp_path / "decuong.db"
    shutil.copyfile(source, target)
    return {**info, "db_path": target}


@pytest.fixture
def app(demo: dict[str, Any], tmp_path: Path) -> Flask:
    return create_test_app(demo["db_path"], tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(demo: dict[str, Any]) -> Iterator[Any]:
    connection = store.open_db(demo["db_path"])
    yield connection
    connection.close()


@pytest.fixture
def login() -> Callable[[FlaskClient, str | None], FlaskClient]:
    return as_user


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's headless Chromium, one per test module (the browser tests share it)."""
    from browser_helpers import headless_chromium

    with headless_chromium() as instance:
        yield instance
