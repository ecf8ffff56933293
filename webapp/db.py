"""One store connection per request, kept on `g` (flaskr's db.py): sqlite3 connections must not
cross threads, and waitress serves each request on a worker thread."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlite_utils import Database

import store


def get_db() -> Database:
    """The request's connection, opened (and migrated) on first use."""
    if "db" not in g:
        g.db = store.open_db(current_app.config["DATABASE"])
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
