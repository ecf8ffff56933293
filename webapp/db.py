"""The store connection of a request, kept on `g` (flaskr's db.py).

sqlite3 connections must not cross threads, and waitress serves each request on one of a fixed
pool of worker threads. Opening a connection costs more than a small page (WAL setup, the
migration check, and closing checkpoints the WAL), so by default each worker thread keeps its
connection for the next request (`KEEP_DB_CONNECTIONS`); a request never leaves a transaction
open behind it. Tests turn this off so every test's temporary database is closed with it.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app, g
from sqlite_utils import Database

import store

_threads = threading.local()


def get_db() -> Database:
    """The request's connection, opened (and migrated) on first use."""
    if "db" not in g:
        path = current_app.config["DATABASE"]
        if current_app.config.get("KEEP_DB_CONNECTIONS", False):
            kept: dict[str, Database] = _threads.__dict__.setdefault("connections", {})
            if path not in kept:
                kept[path] = store.open_db(path)
            g.db, g.db_kept = kept[path], True
        else:
            g.db, g.db_kept = store.open_db(path), False
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is None:
        return
    if g.pop("db_kept", False):
        if db.conn.in_transaction:  # store writes commit or roll back; this is a safety net
            db.conn.rollback()
        return
    db.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
