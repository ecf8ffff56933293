"""CSV export: every consolidated table as its own UTF-8 file (with BOM, so Excel shows
Vietnamese correctly), zipped together; or one table as a single .csv.

CSV is for other programs (a statistics office's tools, a database import), so numbers are
written plainly — `1234.5`, no thousands separator, point as decimal mark — and parse the same
everywhere; the formatted, human-facing file is the xlsx. Text cells a spreadsheet could read
as a formula get a leading apostrophe (`exports.safety.neutralise`); numbers never do.
"""

from __future__ import annotations

import csv as _csv
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pandas as pd

from aggregate import Consolidation
from aggregate.completeness import COUNT_LABELS
from aggregate.model import DESCRIPTIVE_HEADERS, no_data
from aggregate.rollup import ROLLUP_HEADERS
from aggregate.tables import table_headers
from exports.headers import column_names, distinct, qualified, qualifiers
from exports.meta import ExportMeta, show_datetime
from exports.safety import neutralise, xml_safe
from forms.kinds import get_kind
from forms.model import Item

BOM = "\ufeff"
SUMMARY = "tong-hop"


def slug(text: str, limit: int = 40) -> str:
    """ASCII file name part: "II. Kết quả giải quyết" → "ii-ket-qua-giai-quyet" (zip tools on
    Windows still mangle non-ASCII names)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:limit].strip("-") or "bang"


def cell(value: Any) -> Any:
    """One CSV field: no data → "", whole floats without ".0", text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return show_datetime(value)
    if isinstance(value, pd.Timestamp):
        return show_datetime(value.to_pydatetime())
    return neutralise(xml_safe(str(value)))


def _rows(frame: pd.DataFrame) -> Iterator[list[Any]]:
    yield [cell(str(c)) for c in frame.columns]
    for record in frame.itertuples(index=False):
        yield [cell(v if v is not pd.NaT else None) for v in record]


def _in_words(frame: pd.DataFrame, item: Item) -> pd.DataFrame:
    """A stacked table with its answers and dates as the report prints them ("Có", a choice's
    label, 12/11/2025); figures stay numbers so a spreadsheet can still sum them."""
    out = frame.copy()
    for column in item.columns:
        kind = get_kind(column.kind)
        if kind.align != "right" and column.key in out:
            out[column.key] = pd.Series(
                [None if no_data(v) else kind.report_text(v, column) for v in out[column.key]],
                index=out.index, dtype=object)
    return out


def tables(consolidation: Consolidation, meta: ExportMeta) -> dict[str, pd.DataFrame]:
    """File stem → labelled table, in reading order."""
    result = consolidation
    out: dict[str, pd.DataFrame] = {}
    counts = pd.DataFrame({"Chỉ số": list(COUNT_LABELS.values()),
                           "Số đơn vị": list(result.completeness.counts().values())})
    out["00-tinh-hinh-nop"] = counts
    outline = result.outline
    all_headers = column_names(outline, result.columns)
    full = result.table.drop(columns=["row_type"]).rename(
        columns={**DESCRIPTIVE_HEADERS, **all_headers})
    out[f"01-{SUMMARY}"] = full
    for i, summary in enumerate(result.sections, start=1):
        out[f"{i + 1:02d}-{slug(summary.title)}"] = summary.table.drop(
            columns=["row_type"]).rename(
            columns={**DESCRIPTIVE_HEADERS, **column_names(outline, summary.columns)})
    if result.targets.headers:
        apart = qualifiers(outline, (h.key for h in result.targets.headers),
                           lambda item: item.ref)
        names = {h.key: qualified(h.ref, apart.get(h.key)) + h.header[len(h.ref):]
                 for h in result.targets.headers}
        out["chi-tieu"] = result.targets.table.drop(columns=["row_type"]).rename(
            columns={"code": "Mã đơn vị", "name": "Đơn vị", "kind": "Loại đơn vị", **names})
    out["don-vi"] = result.completeness.labelled()
    contacts = meta.contacts
    if contacts:
        out["don-vi"] = out["don-vi"].assign(
            **{"Liên hệ": [contacts.get(u.code, "") for u in result.units]})
    narrative_rows = [(n.ref, e.code, e.name, e.text) for n in result.narratives
                      for e in n.entries]
    out["y-kien"] = pd.DataFrame(narrative_rows,
                                 columns=["Mục", "Mã đơn vị", "Đơn vị", "Nội dung"])
    for key, frame in result.tables.items():
        item = result.outline.item(key)
        out[f"bang-{slug(key)}"] = _in_words(frame, item).rename(columns=table_headers(item))
    out["theo-cap"] = result.rollup.reset_index().rename(
        columns={"code": "Mã đơn vị", **ROLLUP_HEADERS, **all_headers})
    for stem, frame in out.items():
        shown = distinct([str(c) for c in frame.columns])
        if shown != [str(c) for c in frame.columns]:
            out[stem] = frame.set_axis(shown, axis=1)
    return out


def _write_one(frame: pd.DataFrame, stream: IO[str]) -> None:
    stream.write(BOM)
    writer = _csv.writer(stream, lineterminator="\r\n")
    writer.writerows(_rows(frame))


def _encode(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    _write_one(frame, buffer)
    return buffer.getvalue().encode("utf-8")


def write(consolidation: Consolidation, path_or_buffer: str | Path | IO[bytes], *,
          meta: ExportMeta, table: str | None = None) -> None:
    """Write every table into a zip (a path ending in .zip, or any buffer), or — for a path
    ending in .csv, or when `table` names one (see `tables`) — a single table (default: the
    full summary table)."""
    frames = tables(consolidation, meta)
    single = table is not None or (isinstance(path_or_buffer, str | Path)
                                   and Path(path_or_buffer).suffix.lower() == ".csv")
    if single:
        name = table or f"01-{SUMMARY}"
        if name not in frames:
            raise KeyError(f"Không có bảng «{name}»; có: {', '.join(frames)}.")
        _emit(_encode(frames[name]), path_or_buffer)
        return
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for stem, frame in frames.items():
            archive.writestr(f"{stem}.csv", _encode(frame))
    _emit(buffer.getvalue(), path_or_buffer)


def _emit(data: bytes, target: str | Path | IO[bytes]) -> None:
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)


def read_rows(data: bytes) -> Iterable[list[str]]:
    """The rows of one CSV file written here (for tests and round trips)."""
    text = data.decode("utf-8")
    return list(_csv.reader(io.StringIO(text.removeprefix(BOM))))


__all__ = ["read_rows", "tables", "write"]
