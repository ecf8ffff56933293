"""Every command is documented: it has help text, and the README's table names it; and every
command a package offers is reachable from `decuong`, with the one-line help `decuong --help`
shows (from decuong_cli.COMMANDS, without loading the command) matching the command's own."""

from __future__ import annotations

import importlib
from pathlib import Path

import click
import pytest

from decuong_cli import COMMANDS, load, main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "decuong") -> list[tuple[str, click.Command]]:
    """Every command under `group`, asked the way click asks (the top level loads lazily)."""
    found = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{prefix} {name} is listed but does not load"
        path = f"{prefix} {name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(commands(command, path))
    return found


@pytest.mark.parametrize(("path", "command"), commands(main), ids=lambda v: str(v))
def test_every_command_has_help(path, command):
    assert (command.help or "").strip(), f"{path} has no help text"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{path} {param.opts[0]} has no help text"


@pytest.mark.parametrize("path", [p for p, c in commands(main)
                                  if not isinstance(c, click.Group) or not c.commands])
def test_every_command_is_in_the_readme(path):
    words = path.split()
    top = " ".join(words[:2])
    assert f"`{top}" in README, f"README does not mention {top}"
    if len(words) > 2:
        assert words[-1] in README, f"README does not mention {path}"


COMMAND_MODULES = sorted(p for p in ROOT.glob("*/*commands.py") if p.parent.name != "tests")


@pytest.mark.parametrize("path", COMMAND_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_command_a_package_offers_is_reachable_from_decuong(path):
    module = importlib.import_module(f"{path.parent.name}.{path.stem}")
    reachable = [command for _path, command in commands(main)]
    for command in getattr(module, "COMMANDS", []):
        assert any(command is known for known in reachable), (
            f"{path.parent.name}/{path.name} offers '{command.name}', which decuong_cli.COMMANDS "
            "does not reach: add a line for it there")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_listed_one_line_help_is_the_commands_own(name):
    assert COMMANDS[name][1] == load(name).get_short_help_str(limit=1000)
