"""The three ways a filled Excel template comes in, for tests that must hold on all of them: the
unit's web upload, the coordinator's batch upload (both through the Flask test client on a real
SQLite file) and `decuong ingest --json`. Each returns (accepted, what the user was told).

A module of its own (not conftest) so test modules import it by a name no other test folder
uses.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from rel_web import COORDINATOR, as_user, create_test_app, text

from decuong_cli import main


def unit_upload(path: Path, info: dict[str, Any], data: bytes, tmp: Path, *,
                unit: str = "VHXH", user: str = "vhxh") -> tuple[bool, str]:
    """A unit's own upload page (VHXH's by default)."""
    client = create_test_app(path, tmp).test_client()
    as_user(client, user)
    response = client.post(f"/rounds/{info['round']}/units/{unit}/excel/upload",
                           data={"mode": "submit", "file": (io.BytesIO(data), "bao-cao.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code in (302, 422), response.status_code
    return response.status_code == 302, text(response)


def batch_upload(path: Path, info: dict[str, Any], data: bytes, tmp: Path) -> tuple[bool, str]:
    """The coordinator's many-files upload of what units e-mailed."""
    client = create_test_app(path, tmp).test_client()
    as_user(client, COORDINATOR)
    response = client.post(f"/coordinator/rounds/{info['round']}/excel/upload",
                           data={"files": [(io.BytesIO(data), "bao-cao.xlsx")]},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    page = text(response)
    return 'class="result-accepted"' in page, page


def cli_ingest(path: Path, info: dict[str, Any], data: bytes, tmp: Path) -> tuple[bool, str]:
    """`decuong ingest FILE --json`."""
    source = tmp / "bao-cao.xlsx"
    source.write_bytes(data)
    result = CliRunner().invoke(main, ["ingest", "--db", str(path), str(source), "--json"],
                                catch_exceptions=False)
    rows = json.loads(result.output[result.output.index("["):])
    assert len(rows) == 1
    accepted = rows[0]["status"] == "accepted"
    assert result.exit_code == (0 if accepted else 1)
    return accepted, " ".join(rows[0]["errors"])


CHANNELS = {"unit-web": unit_upload, "coordinator-batch": batch_upload, "cli-ingest": cli_ingest}
