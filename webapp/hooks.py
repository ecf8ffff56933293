"""Extension points for the channels other engineers add (Excel template download/upload,
consolidated tables): they plug in here instead of editing the core blueprints.

- A module listed in OPTIONAL_BLUEPRINTS that exists and exposes `bp` is registered by
  `create_app`.
- Templates include `hooks/round_links.html` (round page), `hooks/submission_actions.html`
  (fill and report pages) and `hooks/rounds_links.html` (rounds overview) when they exist:
  drop those files in `webapp/templates/hooks/` to add buttons and links.
"""

from __future__ import annotations

import importlib

from flask import Blueprint

#: "module:attribute" of blueprints registered when importable (added by later issues).
OPTIONAL_BLUEPRINTS = ("webapp.excel:bp", "webapp.consolidation:bp", "webapp.outlines:bp",
                       "webapp.fillnav:bp", "webapp.documents:bp",
                       "webapp.reminders:bp", "webapp.accounts:bp",
                       "webapp.on_behalf:bp")


def optional_blueprints() -> list[Blueprint]:
    found = []
    for spec in OPTIONAL_BLUEPRINTS:
        module_name, _, attribute = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise  # the module exists but something it imports is missing: say so
            continue
        found.append(getattr(module, attribute))
    return found
