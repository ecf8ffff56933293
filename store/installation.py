"""This installation's identity and the secret that seals its Excel templates.

Both are made at random by a migration (`m007_installation`) and never change, so every template
this database hands out — from the web app or from `decuong template` — is sealed with the same
key that the unit upload, the coordinator's batch upload and `decuong ingest` check it with
(`forms.excel.identity`). Kept in the database rather than in a configuration file: a backup and
its restore carry them, and a copy of the database keeps accepting the templates it made.
"""

from __future__ import annotations

from sqlite_utils import Database

from forms.excel.identity import TemplateKey
from store.db import select
from store.errors import StoreError


def template_key(db: Database) -> TemplateKey:
    """The installation id and template secret of `db`."""
    rows = select(db, "SELECT installation_id, template_key FROM installation WHERE id = 1")
    if not rows:  # only a database whose table was emptied by hand
        raise StoreError("Cơ sở dữ liệu thiếu khóa niêm phong mẫu Excel (bảng installation); "
                         "hãy khôi phục từ bản sao lưu.")
    return TemplateKey(rows[0]["installation_id"], bytes.fromhex(rows[0]["template_key"]))
