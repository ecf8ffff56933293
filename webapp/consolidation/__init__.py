"""The coordinator's consolidated pages, one job per module: `cache` (a round's consolidation,
kept while the round is unchanged), `views` (tables and lists as display rows), `charts` (which
charts, with their visible titles), `routes` (pages, snapshots, downloads), `texts` and
`narrative_routes` (narratives kept packed, served a page at a time)."""

from webapp.consolidation import narrative_routes  # noqa: F401  (its routes join `bp`)
from webapp.consolidation.cache import clear_cache
from webapp.consolidation.routes import bp, download_links

__all__ = ["bp", "clear_cache", "download_links"]
