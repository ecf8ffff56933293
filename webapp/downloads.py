"""Every file the web hands out goes through `attachment`: one shape for download headers.

Flask's `send_file(download_name=…)` writes the RFC 6266 header (an ASCII `filename` for old
clients, the Vietnamese name as UTF-8 `filename*`); this module only cleans the name first and
adds the headers every download here wants (no sniffing, no caching of a unit's figures).
"""

from __future__ import annotations

import io
import unicodedata

from flask import Response, send_file

# Characters Windows refuses in a file name, and path separators a browser might honour.
_UNSAFE = set('\\/:*?"<>|')


def clean_download_name(name: str, fallback: str = "tep") -> str:
    """A name people can read that is still one plain file name on Windows, macOS and phones:
    NFC, no path separators, quotes or control characters, runs of spaces folded, ≤ 150 chars
    (the extension kept)."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(" " if ch in _UNSAFE or ord(ch) < 32 or ord(ch) == 127 else ch
                   for ch in text)
    text = " ".join(text.split()).strip(" .")
    if not text:
        return fallback
    stem, dot, ext = text.rpartition(".")
    if dot and 0 < len(ext) <= 5 and len(text) > 150:
        return stem[: 149 - len(ext)].rstrip(" .") + "." + ext
    return text[:150]


def attachment(data: bytes, name: str, mimetype: str, *, fallback: str = "tep") -> Response:
    """`data` as a download called `name`; private and never cached, since most downloads here
    hold a unit's figures."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                         download_name=clean_download_name(name, fallback), max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
