"""Fixtures of the Excel channel tests: the test outline, its identity and template."""

from __future__ import annotations

import pytest
from excel_helpers import OUTLINE_YAML, template_bytes

from forms.excel import Identity
from forms.loader import load_outline
from forms.model import Outline


@pytest.fixture(scope="session")
def outline() -> Outline:
    return load_outline(OUTLINE_YAML, filename="thu-nghiem-excel.yaml")


@pytest.fixture(scope="session")
def identity() -> Identity:
    return Identity(outline_id="thu-nghiem-excel", outline_version=2, round_id=7,
                    round_title="Báo cáo CCHC 6 tháng cuối năm 2025", unit_code="VP-UB",
                    unit_name="Văn phòng HĐND và UBND xã")


@pytest.fixture(scope="session")
def template(outline: Outline, identity: Identity) -> bytes:
    return template_bytes(outline, identity)
