"""What a template was made for: installation, outline and version, round, unit, plus a seal.

The identity travels inside the workbook (a very hidden sheet, which is the source of truth,
and custom document properties as a courtesy) so an upload can be matched to its round and
unit, and a template of another outline, version, round or unit can be refused with a message
saying which one is expected.

The seal (`checksum`) is an HMAC-SHA256, keyed with the installation's secret, of the identity
fields and of the outline's item keys. The coordinator's batch upload and `decuong ingest` file
a workbook under the round and unit its identity names, so the identity must not be forgeable:
unit KT rewriting the hidden sheet to say VHXH cannot compute the seal without the secret, which
never leaves the database (`store.installation`). The installation id, written in clear, tells
a template made by another installation (another database whose round 1 and unit codes happen
to match) from a forged one, so each gets its own message. Layout 1 templates carried an unkeyed
SHA-256 that anyone can recompute; they are refused with a message asking for a new template.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from forms.derived import per_outline
from forms.model import Outline

#: Version of the workbook layout; a reader refuses layouts it does not know.
LAYOUT = "decuong-xlsx/2"
#: Layouts of templates made before the seal was keyed: recognised only to say so.
UNKEYED_LAYOUTS = frozenset({"decuong-xlsx/1"})

@dataclass(frozen=True)
class TemplateKey:
    """The installation whose templates these are, and the secret that seals them. Both live in
    the database (`store.installation.template_key`), so the web app and the CLI share them and
    a backup carries them."""

    installation: str
    secret: bytes = field(repr=False)


class UnkeyedLayout(ValueError):
    """The identity sheet is of a layout made before seals were keyed."""


def outline_keys(outline: Outline) -> list[str]:
    """The keys the checksum covers: every value item, and `table.column` for table columns.
    Kept with the outline (which never changes): every upload's identity is checked with it."""
    return list(per_outline("identity_keys", outline, _identity_keys))


def _identity_keys(outline: Outline) -> tuple[str, ...]:
    keys: list[str] = []
    for item in outline.fields():
        keys.append(item.key or "")
        keys.extend(f"{item.key}.{column.key}" for column in item.columns)
    return tuple(keys)


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _required_text(text: str | None, name: str) -> str:
    if not text:
        raise ValueError(name)
    return text


def _optional_text(text: str | None, name: str) -> str | None:
    return text or None


def _whole(text: str | None, name: str) -> int:
    if not text:
        raise ValueError(name)
    try:
        return int(text)
    except ValueError:
        raise ValueError(name) from None


def _optional_whole(text: str | None, name: str) -> int | None:
    return _whole(text, name) if text else None


def _read_as(reader: Callable[[str | None, str], Any], *, optional: bool = True) -> Any:
    """A field of the identity sheet, with how `Identity.from_rows` reads it back from text
    (`reader(text, name)`, raising ValueError(name) when it cannot)."""
    if optional:
        return field(default=None, metadata={"read": reader})
    return field(metadata={"read": reader})


@dataclass(frozen=True)
class Identity:
    """The template's identity. `round_id` and `unit_code` are None for a generic template
    (any round of the outline version, any unit)."""

    outline_id: str = _read_as(_required_text, optional=False)
    outline_version: int = _read_as(_whole, optional=False)
    round_id: int | None = _read_as(_optional_whole)
    round_title: str | None = _read_as(_optional_text)
    unit_code: str | None = _read_as(_optional_text)
    unit_name: str | None = _read_as(_optional_text)
    checksum: str | None = _read_as(_optional_text)
    installation: str | None = _read_as(_optional_text)

    def compute_checksum(self, keys: Iterable[str], key: TemplateKey) -> str:
        """HMAC-SHA256, keyed with `key`'s secret, over the layout, the identity fields (the
        installation id included) and the outline keys."""
        payload = [LAYOUT, *(_nfc(getattr(self, name)) for name in _FIELDS), list(keys)]
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return hmac.new(key.secret, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def sealed(self, outline: Outline, key: TemplateKey) -> Identity:
        """A copy of this installation (`key`) carrying the seal for `outline`, as written
        into a template."""
        signed = replace(self, installation=key.installation)
        return replace(signed, checksum=signed.compute_checksum(outline_keys(outline), key))

    def matches(self, outline: Outline, key: TemplateKey) -> bool:
        """Whether the stored seal is the one `key` gives this identity for `outline` (compared
        in constant time: the seal is a secret's output)."""
        expected = self.compute_checksum(outline_keys(outline), key)
        return hmac.compare_digest(self.checksum or "", expected)

    def rows(self) -> list[tuple[str, str]]:
        """(name, text) rows of the identity sheet. Everything is text: a spreadsheet program
        re-saving the file must not turn "007" into 7 or a round id into 12.0."""
        rows = [("layout", LAYOUT)]
        for name in (*_FIELDS, "checksum"):
            value = getattr(self, name)
            rows.append((name, "" if value is None else str(value)))
        return rows

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[Any, Any]]) -> Identity:
        """Inverse of `rows`, tolerant of what spreadsheet programs do to cells (numbers read
        back as floats, stray spaces). Raises ValueError naming the bad field."""
        data: dict[str, Any] = {}
        for name, value in rows:
            if isinstance(name, str) and name.strip():
                data[name.strip()] = _text(value)
        layout = data.get("layout")
        if layout in UNKEYED_LAYOUTS:
            raise UnkeyedLayout(f"layout {layout!r}")
        if layout != LAYOUT:
            raise ValueError(f"layout {layout!r}")
        return cls(**{f.name: f.metadata["read"](data.get(f.name), f.name) for f in fields(cls)})

    def as_properties(self) -> dict[str, str]:
        """Custom document properties (a copy; the hidden sheet is what the reader trusts)."""
        return {f"decuong.{name}": text for name, text in self.rows() if text}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _nfc(str(value)).strip()


#: The sealed fields, in the order the seal covers them: all but the seal itself.
_FIELDS = tuple(f.name for f in fields(Identity) if f.name != "checksum")
