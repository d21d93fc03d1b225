"""Geodesic distances on the WGS84 ellipsoid (pyproj ``Geod``): every distance between points comes from here.

Degrees are never distances: shapely/planar measures appear only as prefilters elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyproj import Geod

    from geo.model import Place


@cache
def geod() -> Geod:
    """The WGS84 ellipsoid, created once."""
    from pyproj import Geod

    return Geod(ellps="WGS84")


def km_between(a: Place, b: Place) -> float:
    """Geodesic distance in km between two places."""
    return geod().inv(a.lon, a.lat, b.lon, b.lat)[2] / 1000.0


def distances_km(lat: float, lon: float, lats: Sequence[float], lons: Sequence[float]) -> list[float]:
    """Geodesic distances (km) from one point to many."""
    import numpy as np

    if len(lats) == 0:
        return []
    lats_a = np.asarray(lats, dtype=float)
    lons_a = np.asarray(lons, dtype=float)
    _, _, m = geod().inv(np.full_like(lons_a, lon), np.full_like(lats_a, lat), lons_a, lats_a)
    return (np.asarray(m) / 1000.0).tolist()
