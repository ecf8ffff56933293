"""The coordinator's consolidated pages, one job per module: `cache` (a round's consolidation,
kept while the round is unchanged), `views` (tables and lists as display rows), `charts` (which
charts, with their visible titles), `routes` (pages, snapshots, downloads)."""

from webapp.consolidation.cache import clear_cache
from webapp.consolidation.routes import bp, download_links

__all__ = ["bp", "clear_cache", "download_links"]
