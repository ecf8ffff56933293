"""A stored round (real SQLite file) and its consolidation, shared by the export tests."""

from __future__ import annotations

from datetime import datetime

import pytest
from export_round import build_round

import store
from aggregate.source import round_input
from exports.commands import meta_for

GENERATED = datetime.fromisoformat("2025-11-20T08:15:00+07:00")


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """(db path, generated data) of a 60-unit round."""
    path = tmp_path_factory.mktemp("export") / "decuong.db"
    db = store.open_db(path)
    data = build_round(db)
    db.close()
    return path, data


@pytest.fixture(scope="module")
def consolidated(stored):
    """(consolidation, meta, data) for the submitted basis."""
    path, data = stored
    db = store.open_db(path)
    source = round_input(db, data["round"])
    db.close()
    return source.consolidate(), meta_for(source, now=GENERATED), data


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory):
    """A private LibreOffice profile for this test session (see pdf_render)."""
    return tmp_path_factory.mktemp("libreoffice-profile")
