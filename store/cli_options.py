"""What every package's command-line commands share, written once: the `--db`, `--round` and
`--json` options, printing JSON, and how a refusal from the store ends a command.

A refusal (`StoreError`: an unknown round, a closed one, a file that is not a database…) ends
the command with its Vietnamese message and status 1, never a traceback, whichever package's
command met it. The commands of store/, exports/ and webapp/ import these from here; forms/
commands read no database. This module imports only click and the store's opening function, so
a command's module stays as quick to load as before (decuong_cli.py loads each one only when it
runs; `decuong --help` loads none).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlite_utils import Database

from store.db import open_db
from store.errors import StoreError

F = TypeVar("F", bound=Callable[..., Any])


def db_option_with(help: str, *, required: bool = True,
                   dir_okay: bool = True) -> Callable[[F], F]:
    """`--db PATH` (`--db FILE` when `dir_okay` is false), passed to the command as `db_path`,
    with the help text the command's own behaviour calls for."""
    return click.option("--db", "db_path", required=required,
                        type=click.Path(dir_okay=dir_okay, path_type=Path), help=help)


#: `--db` of the commands that create the database when it is missing.
db_option = db_option_with("SQLite database file (created if missing).")
#: `--db` of the commands that are not meant to set a database up (export, serve, users…).
db_file_option = db_option_with("SQLite database file.")
round_option = click.option("--round", "round_id", required=True, type=int, help="Round id.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def echo_json(data: Any) -> None:
    """JSON for scripts: Vietnamese as it is (not \\u escapes), dates and paths as text."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def store_errors() -> Iterator[None]:
    """A refusal from the store inside the block ends the command with its message."""
    try:
        yield
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def open_or_fail(db_path: Path, *, must_exist: bool = False) -> Database:
    """The command's database (created when missing, unless `must_exist`: a command that only
    reads one says the file is not there instead of making an empty one)."""
    if must_exist and not db_path.exists():
        raise click.ClickException(f"Không có tệp cơ sở dữ liệu '{db_path}'.")
    with store_errors():
        return open_db(db_path)


@contextmanager
def opened(db_path: Path, *, must_exist: bool = False) -> Iterator[Database]:
    """The command's database for the block, closed after it; a store refusal, opening it or
    inside the block, ends the command with its message."""
    db = open_or_fail(db_path, must_exist=must_exist)
    try:
        with store_errors():
            yield db
    finally:
        db.close()
