"""`decuong outlines list`, `show` and `add`: outlines in the outline folders and in a
database, and keeping a new one there from the command line exactly as the browser's upload
does (the same reader, checker and "new / next version / already there" decision)."""

from __future__ import annotations

from pathlib import Path

import click

from forms.errors import OutlineError
from forms.library import outline_dirs, outline_files
from forms.loader import load_outline
from forms.outline_upload import DEFAULT_MAX_OUTLINE_MB, read_upload
from forms.targets import target_words
from store.cli_options import (
    db_option_with,
    echo_json,
    json_option,
    open_or_fail,
    store_errors,
)
from store.db import open_db, open_memory_db
from store.errors import StoreError
from store.outline_catalog import catalog, find_version, keep_outline

MAX_BYTES = DEFAULT_MAX_OUTLINE_MB * 1024 * 1024


@click.command("list")
@db_option_with("Also list the versions kept in this database (uploaded or added).",
                required=False, dir_okay=False)
@json_option
def list_command(db_path: Path | None, as_json: bool) -> None:
    """List outlines: id, version, items, title (the outline folders, and with --db the
    database's versions too)."""
    rows: list[dict[str, object]] = []
    if db_path is not None:
        db = open_or_fail(db_path)
        for versions in catalog(db).values():
            for entry in versions.values():
                rows.append({"id": entry.id, "version": entry.version, "title": entry.title,
                             "items": entry.items, "kept": entry.kept,
                             "file": entry.path.name if entry.path else None})
    else:
        for path in outline_files():
            try:
                outline = load_outline(path)
            except OutlineError as exc:
                rows.append({"file": path.name, "error": f"{len(exc.problems)} lỗi"})
                continue
            rows.append({"id": outline.id, "version": outline.version, "title": outline.title,
                         "items": len(outline.fields()), "file": path.name})
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("Không có đề cương nào trong "
                   + ", ".join(str(folder) for folder in outline_dirs()) + ".")
    for row in rows:
        if "error" in row:
            click.echo(f"{row['file']}: {row['error']} (chạy 'decuong outlines check')")
        else:
            where = "" if db_path is None or not row["kept"] else "  [trong cơ sở dữ liệu]"
            click.echo(f"{row['id']}  v{row['version']}  {row['items']} mục  {row['title']}"
                       f"{where}")


@click.command("show")
@click.argument("outline_id")
@db_option_with("Also look among the versions kept in this database.", required=False,
                dir_okay=False)
@click.option("--json", "as_json", is_flag=True, help="Print every item as JSON.")
def show_command(outline_id: str, db_path: Path | None, as_json: bool) -> None:
    """Show an outline's items with key, number, label, kind, unit, formula and target.

    OUTLINE_ID is an id (its newest version) or ID:VERSION.
    """
    with store_errors():
        # Without a database, an empty one in memory: the catalogue then holds the files only.
        db = open_db(db_path) if db_path is not None else open_memory_db()
        entry = find_version(db, outline_id)
    assert entry.outline is not None  # the catalogue lists loadable outlines only
    outline = entry.outline
    if as_json:
        echo_json(outline.as_dict())
        return
    click.echo(f"{outline.title} ({outline.id} v{outline.version})")
    for item in outline.walk():
        depth = len(item.path)
        extra = []
        if item.unit:
            extra.append(item.unit)
        if item.formula:
            extra.append(f"= {item.formula.source}")
        if item.target:
            extra.append(f"chỉ tiêu {target_words(item, outline)}")
        if item.required:
            extra.append("bắt buộc")
        kind = "" if item.is_section else f" [{item.kind} {item.key}]"
        tail = f"  ({'; '.join(extra)})" if extra else ""
        click.echo(f"{'  ' * depth}{item.number} {item.label}{kind}{tail}")


@click.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option_with("SQLite database file (created if missing).", dir_okay=False)
@json_option
def add_command(file: Path, db_path: Path, as_json: bool) -> None:
    """Keep the outline in FILE (YAML, or a workbook as `outlines import` reads) in the
    database, so `round create --outline ID` can use it.

    As the browser's upload: every problem is printed with its place and nothing is kept
    (status 1); an outline already known (the same content, e.g. downloaded as a workbook and
    added back unchanged) is not kept again; an edit of a known version becomes the next
    free version, and rounds already opened keep theirs.
    """
    if file.stat().st_size > MAX_BYTES:
        raise click.ClickException(
            f"{file.name}: tệp quá lớn, tệp đề cương tối đa {DEFAULT_MAX_OUTLINE_MB} MB. Hãy "
            "kiểm tra lại tệp (một đề cương thường dưới 100 KB).")
    checked = read_upload(file.read_bytes(), file.name)
    if checked.problems or checked.outline is None:
        if as_json:
            echo_json({"file": file.name, "stored": False,
                       "problems": [{"where": p.where, "message": p.message}
                                    for p in checked.problems]})
        else:
            for problem in checked.problems:
                click.echo(str(problem))
            click.echo(f"{file.name}: {len(checked.problems)} lỗi, không lưu gì.", err=True)
        raise SystemExit(1)
    try:
        db = open_db(db_path)
        plan, kept = keep_outline(db, checked.outline, checked.text, actor="cli")
    except StoreError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from None
    if as_json:
        echo_json({"file": file.name, "stored": plan.action != "exists", "action": plan.action,
                   "outline": kept.id, "version": kept.version, "title": kept.title})
        return
    if plan.action == "exists":
        click.echo(f"Đề cương «{kept.title}» ({kept.id}) đã có, phiên bản {kept.version}; "
                   "không lưu thêm.")
        return
    note = ""
    if kept.version != checked.outline.version:
        note = (f" Phiên bản {checked.outline.version} đã có với nội dung khác nên bản này được "
                f"lưu thành phiên bản {kept.version}; các đợt báo cáo đã mở vẫn giữ phiên bản "
                "của mình.")
    click.echo(f"Đã lưu đề cương «{kept.title}» ({kept.id}) phiên bản {kept.version}.{note}")


COMMANDS = [list_command, show_command, add_command]
