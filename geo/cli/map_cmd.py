"""``conflictmap map``: articles → incidents → map.html, incidents.geojson, sources/*.html."""

from __future__ import annotations

import click


def register(app: click.Group) -> None:
    """Add the ``map`` verb."""
