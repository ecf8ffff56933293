"""Benchmark of refusing hostile uploads: what a bomb or an oversized file costs to turn away.

    python bench/bench_refusals.py [--repeat 3]

Workbooks go through `ingest_upload` as the web pages call it (a marked copy asked for), a .zip
through `decuong ingest` (`--workers 1`), an outline through `forms.check_outline` (what
`decuong outlines check` and the outline upload run).

Issue 4's target: a refused bomb or oversized file costs ≤ 1 s and ≤ 200 MB peak memory. A
refusal that inflated the bomb first would meet neither, so each variant of a real filled Cẩm
Giang template goes through `store.uploads.ingest_upload`, the function behind the web upload and
`decuong ingest`, against a copy of a real database.

Each variant runs in a fresh child process: its peak memory is then that file's alone, read as
VmHWM from /proc/self/status (ru_maxrss would report the parent's peak, inherited over fork and
exec). The child's VmHWM just after its imports is shown too: the floor every upload pays, so
the call's own share is the difference. Time is the median of --repeat calls, each on a fresh
copy of the database so that the accepted reference is stored every time, not a duplicate.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHEET = "xl/worksheets/sheet1.xml"  # the «Báo cáo» sheet of the template
SHARED = "xl/sharedStrings.xml"
MIB = 1024 * 1024
TARGET_SECONDS = 1.0
TARGET_BYTES = 200 * 1000 * 1000  # 200 MB, i.e. 190.7 MiB


# -- the child: one file through the real intake ------------------------------------------------


def vm_hwm() -> int:
    """Peak resident memory of this process so far, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(file: Path, db_file: Path, repeat: int) -> None:
    """Time the intake of `file` (by its suffix: .xlsx, .zip, .yaml); print one JSON line for
    the parent."""
    import click

    from decuong_cli import main as cli
    from forms import check_outline
    from store import open_db
    from store.uploads import ingest_upload

    floor = vm_hwm()
    times, cpu, outcomes = [], [], []
    for run in range(repeat):
        copy = db_file.with_name(f"run{run}.db")
        shutil.copyfile(db_file, copy)
        start, start_cpu = time.perf_counter(), time.process_time()
        if file.suffix == ".yaml":
            problems = check_outline(file)
            outcome = ("rejected" if problems else "accepted",
                       problems[0].message if problems else None)
        elif file.suffix == ".zip":
            runner_out = io.StringIO()
            with contextlib.redirect_stdout(runner_out), contextlib.redirect_stderr(io.StringIO()):
                try:
                    cli.main(["ingest", "--db", str(copy), "--workers", "1", str(file)],
                             standalone_mode=False)
                    code = 0
                except (SystemExit, click.ClickException) as exc:
                    code = getattr(exc, "code", 1)
            lines = runner_out.getvalue().splitlines()
            outcome = ("rejected" if code else "accepted",
                       lines[0].split("từ chối", 1)[-1].strip() if lines else None)
        else:
            db = open_db(copy)
            data = file.read_bytes()
            result = ingest_upload(db, data, file.name, actor="bench", mark_errors=True)
            db.close()
            outcome = (result.status, result.first_error)
            if result.annotated is not None:
                outcome = (outcome[0] + " (marked copy made)", outcome[1])
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        copy.unlink()
        outcomes.append(outcome)
    print(json.dumps({"status": outcomes[0][0], "error": outcomes[0][1], "times": times,
                      "cpu": cpu,
                      "same": len(set(outcomes)) == 1, "floor": floor, "peak": vm_hwm()}))


# -- zip surgery ---------------------------------------------------------------------------------


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def rezip(data: bytes, changed: dict[str, bytes] | None = None,
          added: dict[str, bytes] | None = None, stored: bool = False) -> bytes:
    """The workbook with parts replaced or added (added ones stored uncompressed if `stored`)."""
    changed = changed or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, changed.get(info.filename) or src.read(info))
        for name, body in (added or {}).items():
            dst.writestr(name, body, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """Make both headers of part `name` (local and central) declare `size` uncompressed bytes."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        struct.pack_into("<I", buf, zf.getinfo(name).header_offset + 22, size)
        at = zf.start_dir  # walk the central directory, one record per part
        for _ in zf.infolist():
            name_len, extra_len, comment_len = struct.unpack_from("<HHH", buf, at + 28)
            if buf[at + 46: at + 46 + name_len] == name.encode():
                struct.pack_into("<I", buf, at + 24, size)
            at += 46 + name_len + extra_len + comment_len
    return bytes(buf)


def with_rows(data: bytes, last: int, dimension: bool, refs: bool = False) -> bytes:
    """The sheet with one used row after another down to row `last`, and its <dimension>
    saying so (or removed: then only the rows themselves tell); `refs` gives every cell its
    `r` attribute, as Excel writes it, which makes the part larger."""
    sheet = part(data, SHEET)
    start = sheet.index(b"<dimension")
    end = sheet.index(b"/>", start) + 2
    declared = f'<dimension ref="A1:F{last}"/>'.encode() if dimension else b""
    close = sheet.index(b"</sheetData>")
    first = int(sheet[:close].rsplit(b'<row r="', 1)[1].split(b'"', 1)[0]) + 1
    if refs:
        rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r)
                        for r in range(first, last + 1))
    else:
        rows = b"".join(b'<row r="%d"><c><v>1</v></c></row>' % r for r in range(first, last + 1))
    return rezip(data, {SHEET: sheet[:start] + declared + sheet[end:close] + rows + sheet[close:]})


def with_far_row_last(data: bytes, padding: int) -> bytes:
    """The sheet without <dimension>, `padding` bytes of comment (about 10:1, within the
    ratio limit) after its rows and one row 1,000,000 at the very end: the worst case for the
    chunked check, which finds the far row only after keeping the whole part."""
    rng = random.Random(5)
    sheet = part(data, SHEET)
    start = sheet.index(b"<dimension")
    sheet = sheet[:start] + sheet[sheet.index(b"/>", start) + 2:]
    line = b" %s" + b" Ho\xc3\xa0n th\xc3\xa0nh \xc4\x91\xc3\xbang h\xe1\xba\xa1n." * 3
    lines = [line % rng.randbytes(8).hex().encode() for _ in range(padding // len(line) + 1)]
    comment = b"<!--" + b"".join(lines)[:padding] + b"-->"
    far = b'<row r="1000000"><c><v>1</v></c></row>'
    close = sheet.index(b"</sheetData>")
    return rezip(data, {SHEET: sheet[:close] + comment + far + sheet[close:]})


def with_strings(data: bytes, count: int, unique: bool) -> bytes:
    """`count` extra shared strings after the template's own (whose indices stay valid):
    all alike (deflate squeezes them ~300:1), or each with a random token (~10:1, within
    the ratio limit)."""
    rng = random.Random(4)
    filler = b"Ho\xc3\xa0n th\xc3\xa0nh \xc4\x91\xc3\xbang h\xe1\xba\xa1n. " * 3
    if unique:
        junk = b"".join(b"<si><t>%s %s</t></si>" % (rng.randbytes(8).hex().encode(), filler)
                        for _ in range(count))
    else:
        junk = (b"<si><t>" + filler + b"</t></si>") * count
    body = part(data, SHARED)
    return rezip(data, {SHARED: body.replace(b"</sst>", junk + b"</sst>")})


def appended(data: bytes, rows: bytes, tail: bytes = b"") -> bytes:
    """The sheet with `rows` after its last row and `tail` after its sheet data."""
    sheet = part(data, SHEET)
    return rezip(data, {SHEET: sheet.replace(b"</sheetData>", rows + b"</sheetData>" + tail)})


def bare_rows(data: bytes, count: int) -> bytes:
    """`count` rows and cells without `r`; random values keep a real sheet's deflate ratio."""
    rng = random.Random(6)
    return appended(data, b"".join(b"<row><c><v>%d</v></c></row>" % rng.randrange(10**9)
                                   for _ in range(count)))


def piled(data: bytes, count: int) -> bytes:
    """`count` cells all at D500."""
    rng = random.Random(7)
    return appended(data, b'<row r="500">' + b"".join(
        b'<c r="D500"><v>%d</v></c>' % rng.randrange(100) for _ in range(count)) + b"</row>")


def widest_within_limits(data: bytes) -> bytes:
    """10,000 rows reaching column AX: the largest grid the limits let through."""
    return appended(data, b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="AX%d"><v>2</v></c></row>' % (n, n, n, n)
        for n in range(200, 10_001)))


def merged(data: bytes, count: int) -> bytes:
    ranges = b"".join(b'<mergeCell ref="H%d:I%d"/>' % (n, n) for n in range(1, count + 1))
    sheet = part(data, SHEET)
    if b"</mergeCells>" in sheet:
        return rezip(data, {SHEET: sheet.replace(b"</mergeCells>", ranges + b"</mergeCells>")})
    return appended(data, b"", b"<mergeCells>" + ranges + b"</mergeCells>")


def one_string_many_cells(data: bytes, cells: int) -> bytes:
    """One shared string of 32,000 characters named by `cells` cells."""
    rng = random.Random(8)
    strings = part(data, SHARED)
    index = strings.count(b"<si>")
    text = "".join(rng.choice("abcdefghiklmnopqrstuvxy ") for _ in range(32_000)).encode()
    strings = strings.replace(b"</sst>", b"<si><t>" + text + b"</t></si></sst>")
    rows = b"".join(b'<row r="%d"><c r="H%d" t="s"><v>%d</v></c></row>' % (n, n, index)
                    for n in range(1_000, 1_000 + cells))
    sheet = part(data, SHEET).replace(b"</sheetData>", rows + b"</sheetData>")
    return rezip(data, {SHARED: strings, SHEET: sheet})


def zip_of_members(count: int, size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in range(count):
            zf.writestr(f"dv{n:03}.xlsx", bytes(size))
    return out.getvalue()


def alias_bomb(levels: int = 6, width: int = 9) -> bytes:
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]" for n in range(1, levels + 1)]
    return ("\n".join(lines) + "\n").encode()


def with_identity(data: bytes, **changes: str) -> bytes:
    """The identity sheet edited (field → text) and its checksum recomputed the way anyone can:
    a plain SHA-256 of the layout, the fields and the outline keys, without the secret."""
    import hashlib

    import openpyxl

    from forms import find_outline
    from forms.excel.identity import outline_keys

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["_decuong"]
    fields = {str(r[0].value): str(r[1].value or "") for r in sheet.iter_rows()}
    fields.update(changes)
    outline, _path = find_outline(fields["outline_id"])
    names = ("outline_id", "outline_version", "round_id", "round_title", "unit_code",
             "unit_name", "installation")
    payload = [fields["layout"], *(int(fields[n]) if n in ("outline_version", "round_id")
                                   else fields[n] or None for n in names), outline_keys(outline)]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    fields["checksum"] = hashlib.sha256(text.encode()).hexdigest()
    for r in sheet.iter_rows():
        r[1].value = fields[str(r[0].value)]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_formulas(data: bytes, everywhere: bool) -> bytes:
    """A formula saved without its result in an input cell, typed with openpyxl as a script
    would; with `everywhere`, one in every free cell of the sheet's area limit besides (10,000
    rows × 50 columns): the most such cells a sheet within the limits can hold."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Báo cáo"]
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == "nv_tong":
            ws.cell(r, 4).value = "=10+2"
    out = io.BytesIO()
    book.save(out)
    if not everywhere:
        return out.getvalue()
    sheet = part(out.getvalue(), SHEET)
    close = sheet.index(b"</sheetData>")
    last = int(sheet[:close].rsplit(b'<row r="', 1)[1].split(b'"', 1)[0])
    letters = [(chr(64 + n // 26) if n >= 26 else "") + chr(65 + n % 26) for n in range(6, 50)]
    extra = b"".join(b'<row r="%d">%s</row>' % (r, b"".join(
        b'<c r="%s%d"><f>1+1</f></c>' % (c.encode(), r) for c in letters))
        for r in range(last + 1, 10_001))
    return rezip(out.getvalue(), {SHEET: sheet[:close] + extra + sheet[close:]})


def variants(template: bytes, foreign: bytes) -> list[tuple[str, Callable[[], bytes]]]:
    """(label, what builds the file): the template, then each hostile file made from it."""
    sheet = part(template, SHEET)
    padded = sheet.replace(b"</worksheet>", b"<!--" + b" " * (200 * MIB) + b"--></worksheet>")
    builders: list[tuple[str, Callable[[], bytes]]] = [
        ("accepted template (reference)", lambda: template),
        ("zip bomb by ratio: + 200 MiB of zeros", lambda: rezip(
            template, added={"xl/media/image1.png": bytes(200 * MIB)})),
        ("zip bomb by total: + 64 parts of 900 KB", lambda: rezip(
            template, added={f"xl/media/image{n}.bin": bytes(900_000) for n in range(64)})),
        ("lying header: sheet inflates to 200 MiB", lambda: declare_size(
            rezip(template, {SHEET: padded}), SHEET, len(sheet))),
        ("shared-strings bomb: + 107 MB, repetitive", lambda: with_strings(
            template, 1_100_000, unique=False)),
        ("shared strings within every limit: + 48 MB", lambda: with_strings(
            template, 420_000, unique=True)),
        ("1,000,000 used rows, with <dimension>", lambda: with_rows(
            template, 1_000_000, dimension=True)),
        ("1,000,000 used rows, no <dimension>", lambda: with_rows(
            template, 1_000_000, dimension=False)),
        ("1,040,000 used rows up to the 50 MiB cap, no <dimension>", lambda: with_rows(
            template, 1_040_000, dimension=False, refs=True)),
        ("row 1,000,000 after 45 MiB of comment, no <dimension>", lambda: with_far_row_last(
            template, 45 * MIB)),
        ("over the size cap: + 11 MiB incompressible", lambda: rezip(
            template, added={"xl/media/photo.bin": random.Random(11).randbytes(11 * MIB)},
            stored=True)),
        ("1,048,453 rows and cells without `r`", lambda: bare_rows(template, 1_048_453)),
        ("two far cells: A1 and ALL10000", lambda: appended(
            template, b'<row r="10000"><c r="ALL10000"><v>1</v></c></row>')),
        ("500,001 cells piled on D500", lambda: piled(template, 500_001)),
        ("10,001 merged ranges", lambda: merged(template, 10_001)),
        ("one 32,000-character string named by 5,000 cells", lambda: one_string_many_cells(
            template, 5_000)),
        ("largest grid within the limits: 10,000 rows to column AX", lambda:
            widest_within_limits(template)),
        ("zip of 120 members of 10 MiB (decuong ingest)", lambda: zip_of_members(
            120, 10 * MIB)),
        ("YAML alias bomb: 6 levels of 9 aliases (outline check)", alias_bomb),
        ("forged identity: another unit, checksum recomputed without the key",
         lambda: with_identity(template, unit_code="DV0001", unit_name="Đơn vị số 1")),
        ("template of another installation", lambda: foreign),
        ("formula without its result in an input", lambda: with_formulas(template, False)),
        ("formulas without results in 431,000 more cells (the area limit)",
         lambda: with_formulas(template, True)),
    ]
    return builders


# -- the parent ----------------------------------------------------------------------------------


def base_database(path: Path) -> tuple[bytes, bytes]:
    """A database with one open round for two units; the first's filled template, and the same
    template made by another installation (sealed with another key)."""
    from bench_ingest import make_db, templates

    from forms.excel import TemplateKey
    from store import template_key

    db, outline, round_id, codes = make_db(path, 2)  # DV0001 is the unit a forger claims to be
    template = templates(outline, round_id, codes[:1], template_key(db))[0][1]
    foreign = templates(outline, round_id, codes[:1], TemplateKey("khac", bytes(32)))[0][1]
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return template, foreign


def measure(data: bytes, workdir: Path, db_file: Path, repeat: int) -> dict:
    """Run one variant in a fresh interpreter and return what it reported."""
    suffix = ".zip" if data[:2] == b"PK" and b"dv000.xlsx" in data[:200] else (
        ".yaml" if data.startswith(b"a0:") else ".xlsx")
    file = workdir / f"bao-cao{suffix}"
    file.write_bytes(data)
    done = subprocess.run([sys.executable, __file__, "--child", str(file), str(db_file),
                           "--repeat", str(repeat)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def row(label: str, size: int, result: dict) -> str:
    seconds = statistics.median(result["times"])
    cpu_ms = f"{statistics.median(result['cpu']) * 1000:.1f}"
    peak, floor = result["peak"], result["floor"]
    if result["status"] == "accepted":
        outcome, time_cell, peak_cell = "accepted", f"{seconds * 1000:.1f}", f"{peak / MIB:.1f}"
    else:
        reason = (result["error"] or "").splitlines()[0]
        reason = reason.split(". ", 1)[0].rstrip(".") + "."  # the reason; advice follows it
        outcome = f"{result['status']}: {reason}"
        time_cell = f"{seconds * 1000:.1f} {mark(seconds <= TARGET_SECONDS)}"
        peak_cell = f"{peak / MIB:.1f} {mark(peak <= TARGET_BYTES)}"
    if not result["same"]:
        outcome += " (outcome differed between runs)"
    shown = f"{size / 1024:,.0f} KiB" if size >= 1024 else f"{size} B"
    return (f"| {label} | {shown} | {outcome} | {time_cell} | {cpu_ms} "
            f"| {peak_cell} | {floor / MIB:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", action="append", metavar="WORDS",
                        help="measure only the variants whose label contains WORDS (repeatable)")
    parser.add_argument("--child", nargs=2, metavar=("FILE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.repeat)
        return
    only = "".join(f" --only '{words}'" for words in args.only or ())
    print(f"python bench/bench_refusals.py --repeat {args.repeat}{only}")
    print("Each file in a fresh process through store.uploads.ingest_upload; time is the median "
          f"of {args.repeat} calls, peak is the child's VmHWM.")
    print(f"Targets for a refusal: ≤ {TARGET_SECONDS:.0f} s and ≤ 200 MB "
          f"({TARGET_BYTES / MIB:.1f} MiB) peak.\n")
    print(f"Load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(the wall-clock time grows with it; the CPU time much less).\n")
    print("| variant | file size | outcome | time (ms) | CPU (ms) | peak RSS (MiB) "
          "| of which the interpreter and libraries (MiB) |")
    print("|---|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        db_file = workdir / "base.db"
        template, foreign = base_database(db_file)
        for label, build in variants(template, foreign):
            if args.only and not any(words in label for words in args.only):
                continue
            data = build()
            print(row(label, len(data), measure(data, workdir, db_file, args.repeat)),
                  flush=True)
    print("\n✓/✗ for refusals only; memory judged on the child's whole peak, interpreter and "
          "libraries included.")


if __name__ == "__main__":
    main()
