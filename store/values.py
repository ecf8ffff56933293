"""The value codec: a report's values (item key → value) as the JSON text stored in a revision.

Kept apart from the revision history because several stores (revisions, snapshots) write the same
text and the rule is one: refuse what JSON would silently change, so that what is read back is
exactly what was saved. Also the SHA-256 every stored file is kept under.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from store.errors import StoreError

_DATE_TAG = "__decuong_date__"
_DATETIME_TAG = "__decuong_datetime__"


def _check_value(value: Any, where: str) -> Any:
    """Refuse what JSON would silently change (non-text keys, NaN, unknown types) so that
    get_revision returns exactly what save_revision was given. Tuples become lists."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise StoreError(f"Giá trị của mục '{where}' không phải số hữu hạn ({value}).")
        return value
    if isinstance(value, datetime):
        return {_DATETIME_TAG: value.isoformat()}
    if isinstance(value, date):
        return {_DATE_TAG: value.isoformat()}
    if isinstance(value, list | tuple):
        return [_check_value(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise StoreError(f"Khóa '{key}' trong mục '{where}' phải là chuỗi ký tự.")
            out[key] = _check_value(item, f"{where}.{key}")
        return out
    raise StoreError(
        f"Giá trị của mục '{where}' có kiểu {type(value).__name__}, không lưu được."
    )


def encode_values(values: Mapping[str, Any]) -> str:
    """The JSON text stored for a values dict (item key → value)."""
    if not isinstance(values, Mapping):
        raise StoreError("Số liệu báo cáo phải là bảng ánh xạ mã mục → giá trị (dict).")
    checked = {}
    for key, value in values.items():
        if not isinstance(key, str):
            raise StoreError(f"Mã mục '{key}' phải là chuỗi ký tự.")
        checked[key] = _check_value(value, key)
    return json.dumps(checked, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _revive(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if _DATE_TAG in obj:
            return date.fromisoformat(obj[_DATE_TAG])
        if _DATETIME_TAG in obj:
            return datetime.fromisoformat(obj[_DATETIME_TAG])
    return obj


def decode_values(text: str) -> dict[str, Any]:
    """Inverse of encode_values; the date hook only runs when the text holds a date, keeping
    the common case (numbers and text) at plain json.loads speed."""
    if "__decuong_" in text:
        return json.loads(text, object_hook=_revive)
    return json.loads(text)


def sha256_hex(data: bytes) -> str:
    """The hash files are kept under."""
    return hashlib.sha256(data).hexdigest()
