"""The `decuong` command. Each package contributes its own command group; this only assembles.

Help texts are English (for administrators); what the commands tell users is Vietnamese.
"""

from __future__ import annotations

import click

from exports.commands import COMMANDS as EXPORT_COMMANDS
from forms.commands import outlines_group
from store.backup_commands import COMMANDS as BACKUP_COMMANDS
from store.commands import COMMANDS as STORE_COMMANDS
from store.commands import round_group
from store.excel_commands import COMMANDS as EXCEL_COMMANDS
from store.outline_commands import COMMANDS as OUTLINE_COMMANDS
from store.plan_commands import round_plan
from webapp.commands import COMMANDS as WEB_COMMANDS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="decuong")
def main() -> None:
    """decuong: report outlines (đề cương báo cáo) filled by units, consolidated by coordinators.

    Start with `decuong demo --db demo.db`, then `decuong serve --db demo.db`.
    """


for command in OUTLINE_COMMANDS:
    outlines_group.add_command(command)
main.add_command(outlines_group)
round_group.add_command(round_plan)
for command in [*STORE_COMMANDS, *EXCEL_COMMANDS, *BACKUP_COMMANDS, *WEB_COMMANDS]:
    main.add_command(command)
for command in EXPORT_COMMANDS:
    main.add_command(command)

if __name__ == "__main__":
    main()
