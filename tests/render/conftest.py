"""Fixtures of the render/export tests: hand-built incidents, a real basemap, headless Chromium.

The browser is Debian's ``/usr/bin/chromium`` driven by Playwright (Playwright's own
browser download is never used). Every request that is not ``file:`` or ``data:``
is aborted and recorded, so a test can assert that nothing left the machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from render_fixtures import all_fixtures

class TinyBorders:
    """A ``geo.borders.Borders``-shaped object over a hand-made line (test data, not a real border):
    a zig-zag line 1 km west of Atmeh and a disputed line far away."""

    name = "test-borders"
    version = "0"
    licence = "hand-made test line"
    uncertainty_km = 0.5

    def lines(self):
        import geopandas as gpd
        from shapely.geometry import LineString

        zigzag = LineString([(36.67 + (0.001 if k % 2 else 0.0), 36.25 + k * 0.002) for k in range(60)])
        far = LineString([(0.0, 0.0), (0.5, 0.3), (1.0, 0.0), (1.5, 0.3)])
        return gpd.GeoDataFrame({"a": ["SY", "AA"], "b": ["TR", "BB"], "disputed": [False, True]},
                                geometry=[zigzag, far], crs="EPSG:4326")


@pytest.fixture
def fixtures():
    return all_fixtures()


@pytest.fixture(scope="session")
def real_basemap():
    """Basemap from the real omim polygons (per-user cache; built once, ~1 min) + the tiny test border line."""
    from geo.render.basemap import build_basemap

    incs, _ = all_fixtures()
    return build_basemap(incs, TinyBorders())


@pytest.fixture(scope="session")
def written_map(tmp_path_factory, real_basemap):
    from geo.render import write_map

    incs, arts = all_fixtures()
    out = tmp_path_factory.mktemp("map")
    path = write_map(incs, arts, out, title="Test <map> & ${x}", basemap=real_basemap)
    return path
