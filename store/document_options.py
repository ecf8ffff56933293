"""The `--doc-…` options of `decuong round create` and `round update`: a round's document
details (store.round_documents) from the command line, one option per detail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

#: option name → (round column, help).
OPTIONS: dict[str, tuple[str, str]] = {
    "--doc-issuer": ("doc_issuer", "Issuing body, e.g. 'UBND xã Cẩm Giang'."),
    "--doc-issuer-parent": ("doc_issuer_parent", "Its parent body, e.g. 'UBND huyện Cẩm "
                                                 "Giàng' (optional)."),
    "--doc-number-symbol": ("doc_number_symbol", "Number symbol after 'Số: …', e.g. "
                                                 "'/BC-UBND' or '125/BC-UBND'."),
    "--doc-place": ("doc_place", "Place name printed before the date, e.g. 'Cẩm Giang'."),
    "--doc-date": ("doc_date", "Date of the document (YYYY-MM-DD or dd/mm/yyyy)."),
    "--doc-signer-authority": ("doc_signer_authority", "Signing authority, e.g. 'TM. ỦY BAN "
                                                       "NHÂN DÂN' (optional)."),
    "--doc-signer-title": ("doc_signer_title", "Signer's title, e.g. 'CHỦ TỊCH'."),
    "--doc-signer-name": ("doc_signer_name", "Signer's full name."),
}


def document_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add every `--doc-…` option (and repeatable `--doc-recipient`) to a click command."""
    command = click.option("--doc-recipient", "doc_recipients", multiple=True,
                           help="A recipient for 'Nơi nhận' (repeat for each; an empty "
                                "value clears the list).")(command)
    for name, (column, text) in reversed(OPTIONS.items()):
        command = click.option(name, column, default=None, help=text)(command)
    return command


def document_values(options: dict[str, Any]) -> dict[str, Any]:
    """The `doc_…` options actually given, as store.set_round_document takes them."""
    out = {column: options[column] for column, _ in OPTIONS.values()
           if options.get(column) is not None}
    recipients = options.get("doc_recipients")
    if recipients:
        out["doc_recipients"] = "\n".join(recipients)
    return out
