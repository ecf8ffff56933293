"""Read the parts of a workbook's zip from its bytes, never trusting what the headers declare.

Every read is capped: zlib's `max_length` stops inflating at the declared size, a part that
inflates beyond it or fails its CRC is refused as damaged, and a large part is handed over a
chunk at a time so that its checks can stop early and cost a megabyte, not the whole part.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator

from forms.excel.errors import ExcelError, problem

HEAD = 4096  # bytes of each XML part read before deciding anything else
SMALL_PART = 256 * 1024  # parts up to this size are decompressed whole in one go
STREAM_CHUNK = 1024 * 1024  # larger parts are decompressed this much at a time


def entry_count(data: bytes) -> int | None:
    """Entries declared by the end-of-central-directory record, read without building the
    (possibly enormous) list of entries."""
    tail = data[-(65535 + 22):]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    return struct.unpack("<H", tail[at + 10: at + 12])[0]


def _payload(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of a part, located through its local header."""
    at = info.header_offset
    header = data[at: at + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise ExcelError(problem("corrupt"))
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = at + 30 + name_len + extra_len
    return data[start: start + info.compress_size]


def _inflate(data: bytes, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Up to `limit` decompressed bytes of a part. zlib's `max_length` caps the output, so a
    part that inflates beyond what it declares costs no more than its declared size."""
    payload = _payload(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        return payload[:limit]
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ExcelError(problem("corrupt"))
    try:
        return zlib.decompressobj(-15).decompress(payload, limit)
    except zlib.error:
        raise ExcelError(problem("corrupt")) from None


def head(data: bytes, info: zipfile.ZipInfo) -> bytes:
    return _inflate(data, info, HEAD)


def read_whole(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The whole part, refused if it is longer or shorter than declared or fails its CRC: a
    lying header cannot smuggle a bomb past the size checks."""
    if info.file_size <= SMALL_PART:  # one call: the common case, and the fastest
        body = _inflate(data, info, info.file_size + 1)
        if len(body) != info.file_size or zlib.crc32(body) != info.CRC:
            raise ExcelError(problem("corrupt"))
        return body
    return b"".join(stream(data, info))


def stream(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The decompressed part, STREAM_CHUNK bytes at a time; refused as soon as it grows past
    its declared size, and at the end if it is shorter or fails its CRC."""
    payload = _payload(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        chunks: Iterator[bytes] = iter((payload[:info.file_size + 1],))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _inflated(payload)
    else:
        raise ExcelError(problem("corrupt"))
    size = crc = 0
    for chunk in chunks:
        size += len(chunk)
        if size > info.file_size:
            raise ExcelError(problem("corrupt"))
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if size != info.file_size or crc != info.CRC:
        raise ExcelError(problem("corrupt"))


def _inflated(payload: bytes) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-15)
    pending = payload
    try:
        while True:
            chunk = inflater.decompress(pending, STREAM_CHUNK)
            pending = inflater.unconsumed_tail
            if chunk:
                yield chunk
            if inflater.eof or not (chunk or pending):
                return
    except zlib.error:
        raise ExcelError(problem("corrupt")) from None
