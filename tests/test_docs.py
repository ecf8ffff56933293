"""Every command is documented: it has help text, and the README's table names it."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from decuong_cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "decuong") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
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
