"""`decuong outlines …`: check outline files; import and export workbooks.

`list`, `show` and `add`, which also read the database, live in store/outline_commands.py."""

from __future__ import annotations

from pathlib import Path

import click

from forms.library import find_outline
from forms.loader import check_outline, load_outline


@click.group("outlines")
def outlines_group() -> None:
    """List, show and check report outlines (đề cương)."""


@outlines_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def check_command(files: tuple[Path, ...]) -> None:
    """Check outline files; print every problem as file:line:column: message.

    Exits with status 1 if any file has a problem.
    """
    failed = 0
    for path in files:
        problems = check_outline(path)
        for problem in problems:
            click.echo(str(problem))
        if problems:
            failed += 1
        else:
            click.echo(f"{path}: không có lỗi.")
    if failed:
        raise SystemExit(1)


@outlines_group.command("import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML file to write (default: print the YAML).")
def import_command(workbook: Path, output: Path | None) -> None:
    """Convert an outline workbook (.xlsx, XLSForm-like sheets) to outline YAML.

    Every problem is printed as sheet!cell: message and nothing is written; exits with status 1.
    """
    from forms.spreadsheet import import_workbook

    text, problems = import_workbook(workbook)
    if problems:
        for problem in problems:
            click.echo(str(problem))
        click.echo(f"{workbook}: {len(problems)} lỗi, chưa ghi tệp nào.", err=True)
        raise SystemExit(1)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    outline = load_outline(text, filename=str(output))
    click.echo(f"Đã ghi {output}: đề cương {outline.id} v{outline.version}, "
               f"{len(outline.fields())} mục.")


@outlines_group.command("export")
@click.argument("outline")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Workbook to write (default: ID.xlsx).")
def export_command(outline: str, output: Path | None) -> None:
    """Write an outline as a workbook to edit in a spreadsheet and import back.

    OUTLINE is the id of a shipped outline or the path of a YAML file.
    """
    from forms.spreadsheet import export_workbook

    path = Path(outline)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        problems = check_outline(path)
        if problems:
            for problem in problems:
                click.echo(str(problem))
            raise SystemExit(1)
        loaded = load_outline(path)
    else:
        try:
            loaded, path = find_outline(outline)
        except KeyError:
            raise click.ClickException(
                f"Không có đề cương mã '{outline}'. Xem danh sách: decuong outlines list"
            ) from None
    output = output or Path(f"{loaded.id}.xlsx")
    export_workbook(loaded, output)
    click.echo(f"Đã ghi {output}: đề cương {loaded.id} v{loaded.version}, "
               f"{len(loaded.fields())} mục.")
