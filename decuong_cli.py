"""The `decuong` command. Each package contributes its own commands; this only assembles them.

Commands are loaded when used: `decuong --help` lists them from `COMMANDS` below without
importing any package, so it starts in a fraction of a second instead of loading pandas, Flask
and python-docx first, and `decuong import …` loads only what importing needs. Adding a
command: write it in its package's `*commands.py` module (its `--db`, `--round` and `--json`
options, and how a store refusal ends it, come from store/cli_options.py), then add a line here
with where it lives and its one-line help (tests/test_docs.py fails on a command missing from
`COMMANDS` or a help line that no longer matches the command's).

Help texts are English (for administrators); what the commands tell users is Vietnamese.
"""

from __future__ import annotations

import importlib

import click

#: name → ("module:attribute", one-line help as the command's own help starts). An attribute
#: of this module (`decuong_cli:…`) assembles a group whose subcommands live in several
#: packages.
COMMANDS: dict[str, tuple[str, str]] = {
    "backup": ("store.backup_commands:backup_command",
               "Back up the database while the server keeps running (SQLite online backup)."),
    "demo": ("store.commands:demo_command",
             "Create the Cẩm Giang demo: four units, their accounts and an open round."),
    "export": ("exports.commands:export_command",
               "Write the consolidated round as xlsx, csv or docx, or a unit's own report (docx)."),
    "import": ("store.import_commands:import_command",
               "Import values: one unit's from FILE.json or FILE.csv, or many units' from "
               "FILE.jsonl or a long FILE.csv, validated like the web form."),
    "ingest": ("store.excel_commands:ingest_command",
               "Ingest filled Excel templates from files, folders and .zip archives."),
    "outlines": ("decuong_cli:outlines_group",
                 "List, show and check report outlines (đề cương)."),
    "remind": ("webapp.reminders.commands:remind_command",
               "E-mail each unit that has not submitted: the round, its deadline (or how late) "
               "and the link to its fill page."),
    "restore": ("store.backup_commands:restore_command",
                "Restore a backup folder into --db after checking its hash and integrity."),
    "round": ("decuong_cli:round_group", "Reporting rounds (đợt báo cáo)."),
    "serve": ("webapp.commands:serve_command",
              "Serve the web application with waitress (also runs on Windows)."),
    "snapshot": ("exports.commands:snapshot_group",
                 "Frozen consolidation inputs of a round (chốt số liệu)."),
    "template": ("store.excel_commands:template_command",
                 "Write the Excel template of a round, for one unit or any unit."),
    "units": ("store.commands:units_group", "Units (đơn vị) that report."),
    "users": ("webapp.commands:users_group", "Coordinator and unit accounts."),
    "year": ("exports.year_commands:year_command",
             "An outline's periodic rounds of a year as series per item, rates from summed "
             "parts."),
}


def outlines_group() -> click.Command:
    """`decuong outlines`: the file commands of forms/ and the database ones of store/."""
    from forms.commands import outlines_group as group
    from store.outline_commands import COMMANDS as DATABASE_COMMANDS

    for command in DATABASE_COMMANDS:
        group.add_command(command)
    return group


def round_group() -> click.Command:
    """`decuong round`: create, list, status, update, and plan (a year's periodic rounds)."""
    from store.commands import round_group as group
    from store.plan_commands import round_plan

    group.add_command(round_plan)
    return group


def load(name: str) -> click.Command:
    """The command `name` of `COMMANDS`, imported now."""
    module_name, _, attribute = COMMANDS[name][0].partition(":")
    found = getattr(importlib.import_module(module_name), attribute)
    command = found if isinstance(found, click.Command) else found()
    assert isinstance(command, click.Command), name
    return command


def _fit(text: str, limit: int) -> str:
    """A one-line help cut at a word to fit the terminal, as click shows a command's own (its
    helper for this is deprecated in click 8.5)."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 3, 1)].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "..."


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs or shows its own
    help; its list and one-line helps come from `COMMANDS`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        return load(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, _fit(COMMANDS[name][1], limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="decuong")
def main() -> None:
    """decuong: report outlines (đề cương báo cáo) filled by units, consolidated by coordinators.

    Start with `decuong demo --db demo.db`, then `decuong serve --db demo.db`.
    """


if __name__ == "__main__":
    main()
