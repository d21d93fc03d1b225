"""Rendering: the self-contained HTML map (``map.html``) and the per-article source pages.

Public API: :func:`write_map`. Exports (GeoJSON, CSV, GeoPackage) live in :mod:`geo.export`.
"""

from __future__ import annotations

from geo.render.map import render_map_html, write_map

__all__ = ["render_map_html", "write_map"]
