"""Geodesic nearest-point engine on synthetic lines with exactly known geometry.

Reference values come from pyproj.Geod on WGS84: the distance from the point to the line is
minimised by a dense scan plus a golden-section refinement along the line, independent of the
engine's ECEF/KD-tree method.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from pyproj import Geod

from geo.borders.build import split_pieces
from geo.borders.nearest import PieceIndex, from_ecef, to_ecef

GEOD = Geod(ellps="WGS84")


def line_pieces(coords: list[tuple[float, float]], max_deg: float = 0.005) -> tuple[np.ndarray, np.ndarray]:
    xy = np.asarray(coords, dtype=float)
    return split_pieces(xy[:-1], xy[1:], max_deg)[:2]


def brute_distance(lon: float, lat: float, coords: list[tuple[float, float]]) -> float:
    """Geodesic distance from a point to a polyline drawn straight in lon/lat, by direct minimisation."""
    best = np.inf
    for (x1, y1), (x2, y2) in itertools.pairwise(coords):
        if abs(x2 - x1) > 180:  # drawn the short way across the antimeridian
            x2 += 360 if x2 < x1 else -360
        t = np.linspace(0, 1, 4001)
        d = GEOD.inv(np.full_like(t, lon), np.full_like(t, lat), x1 + t * (x2 - x1), y1 + t * (y2 - y1))[2]
        i = int(np.argmin(d))
        lo, hi = t[max(i - 1, 0)], t[min(i + 1, len(t) - 1)]
        for _ in range(60):  # golden-section refinement around the scan's minimum
            m1, m2 = lo + (hi - lo) * 0.382, lo + (hi - lo) * 0.618
            f1 = GEOD.inv(lon, lat, x1 + m1 * (x2 - x1), y1 + m1 * (y2 - y1))[2]
            f2 = GEOD.inv(lon, lat, x1 + m2 * (x2 - x1), y1 + m2 * (y2 - y1))[2]
            lo, hi = (lo, m2) if f1 < f2 else (m1, hi)
        best = min(best, GEOD.inv(lon, lat, x1 + lo * (x2 - x1), y1 + lo * (y2 - y1))[2])
    return float(best)


def test_ecef_round_trip_is_sub_millimetre():
    lon = np.array([0.0, 36.68639, -106.46, 179.999, -179.999, 10.0])
    lat = np.array([0.0, 36.31111, 31.72, -16.5, 89.9, 50.0])
    back_lon, back_lat = from_ecef(to_ecef(lon, lat))
    # 1e-8 degree is about 1 mm
    assert np.allclose(back_lon, lon, atol=1e-8)
    assert np.allclose(back_lat, lat, atol=1e-8)


def test_meridian_line_distance_matches_geod():
    coords = [(36.0, 35.0), (36.0, 37.0)]
    index = PieceIndex(*line_pieces(coords))
    near = index.nearest(np.array([36.1]), np.array([36.3]))
    expected = brute_distance(36.1, 36.3, coords)
    assert expected == pytest.approx(8965, abs=30)  # 0.1° of longitude at 36.3° N ≈ 8.97 km
    assert near.distance_m[0] == pytest.approx(expected, abs=0.5)
    assert near.lon[0] == pytest.approx(36.0, abs=1e-7)
    # the foot of the geodesic perpendicular lies close to the point's latitude
    assert near.lat[0] == pytest.approx(36.3, abs=0.001)


def test_axis_order_trap_asymmetric_point():
    """A line at lon 10 and a point (lon 10.2, lat 50): a lat/lon swap gives a wildly different answer."""
    coords = [(10.0, 49.0), (10.0, 51.0)]
    index = PieceIndex(*line_pieces(coords))
    near = index.nearest(np.array([10.2]), np.array([50.0]))
    expected = brute_distance(10.2, 50.0, coords)
    assert expected == pytest.approx(14330, abs=50)  # 0.2° × 111.3 km × cos 50°
    assert near.distance_m[0] == pytest.approx(expected, abs=0.5)
    swapped = index.nearest(np.array([50.0]), np.array([10.2]))
    assert swapped.distance_m[0] > 2_000_000


def test_point_on_the_line_is_at_zero():
    coords = [(36.0, 35.0), (36.5, 36.0), (37.0, 36.2)]
    index = PieceIndex(*line_pieces(coords))
    # a vertex and a point halfway along the first segment (straight in lon/lat)
    near = index.nearest(np.array([36.5, 36.25]), np.array([36.0, 35.5]))
    assert np.all(near.distance_m < 0.05)


def test_zigzag_line_many_points_match_brute_force():
    rng = np.random.default_rng(7)
    xs = np.linspace(40.0, 41.0, 12)
    coords = [(float(x), 33.0 + (0.05 if i % 2 else -0.05)) for i, x in enumerate(xs)]
    index = PieceIndex(*line_pieces(coords))
    lons = rng.uniform(39.5, 41.5, 25)
    lats = rng.uniform(32.0, 34.0, 25)
    near = index.nearest(lons, lats)
    expected = np.array([brute_distance(x, y, coords) for x, y in zip(lons, lats)])
    assert np.allclose(near.distance_m, expected, atol=1.0, rtol=1e-6)


def test_far_points_use_wider_search_and_stay_exact():
    """Points hundreds of km away see a flat minimum: the bound forces a wider search."""
    coords = [(20.0, 10.0), (20.0, 12.0), (21.0, 12.0)]
    index = PieceIndex(*line_pieces(coords))
    lons, lats = np.array([25.0, 14.0, 20.5]), np.array([11.0, 11.5, 20.0])
    near = index.nearest(lons, lats)
    expected = np.array([brute_distance(x, y, coords) for x, y in zip(lons, lats)])
    assert np.allclose(near.distance_m, expected, rtol=1e-4)


def test_antimeridian_line_and_point():
    """A border piece drawn from 179.95° E to 179.95° W, and points on either side of 180°."""
    coords = [(179.95, -16.0), (-179.95, -16.0)]
    index = PieceIndex(*line_pieces(coords))
    near = index.nearest(np.array([180.0, -179.99, 179.99]), np.array([-16.1, -15.9, -16.2]))
    expected = [GEOD.inv(180.0, -16.1, 180.0, -16.0)[2], GEOD.inv(-179.99, -15.9, -179.99, -16.0)[2],
                GEOD.inv(179.99, -16.2, 179.99, -16.0)[2]]
    assert np.allclose(near.distance_m, expected, atol=2.0)
    assert np.all(np.abs(near.lon) <= 180.0)
    # a line running along 179.9° E: a point at 179.9° W is 0.2° of longitude away, not 359.8°
    index2 = PieceIndex(*line_pieces([(179.9, -17.0), (179.9, -16.0)]))
    d = index2.nearest(np.array([-179.9]), np.array([-16.5])).distance_m[0]
    assert d == pytest.approx(brute_distance(-179.9, -16.5, [(-180.1, -17.0), (-180.1, -16.0)]), abs=1.0)
    assert 20_000 < d < 22_000


def test_near_pole_point():
    coords = [(0.0, 89.0), (90.0, 89.0)]
    index = PieceIndex(*line_pieces(coords, max_deg=0.5))
    near = index.nearest(np.array([45.0]), np.array([89.5]))
    assert near.distance_m[0] == pytest.approx(brute_distance(45.0, 89.5, coords), abs=1.0)


def test_split_pieces_keeps_exact_end_vertices():
    xy1 = np.array([[0.0, 0.0], [1.0, 1.0]])
    xy2 = np.array([[0.0123, 0.0], [1.0, 1.0001]])
    p1, p2, src = split_pieces(xy1, xy2, 0.005)
    assert list(np.bincount(src)) == [3, 1]
    assert np.array_equal(p2[2], xy2[0]) and np.array_equal(p1[0], xy1[0])
    assert np.allclose(p2[:-1][src[:-1] == src[1:]], p1[1:][src[:-1] == src[1:]])


def test_several_lines_default_k_matches_brute_force_and_wide_search():
    """Three lines side by side (many near-equidistant vertices): the default first pass (k=2, then
    16, 64, 512 where the completeness bound is not met) gives the brute-force minimum, and the same
    answers as a search that starts wide."""
    rng = np.random.default_rng(11)
    lines = [[(30.0, 35.0 + 0.02 * j), (30.5, 35.03 + 0.02 * j), (31.0, 35.0 + 0.02 * j)] for j in range(3)]
    p1, p2 = zip(*(line_pieces(c) for c in lines))
    index = PieceIndex(np.concatenate(p1), np.concatenate(p2))
    lons = np.r_[rng.uniform(29.8, 31.2, 20), 30.5, 35.0]
    lats = np.r_[rng.uniform(34.9, 35.2, 20), 35.6, 20.0]  # and one 60 km off, one 1,700 km off
    near = index.nearest(lons, lats)
    wide = index.nearest(lons, lats, ks=(512,))
    expected = np.array([min(brute_distance(x, y, c) for c in lines) for x, y in zip(lons, lats)])
    assert np.allclose(near.distance_m, expected, atol=1.0, rtol=1e-4)
    assert np.allclose(near.distance_m, wide.distance_m, atol=0.5, rtol=1e-4)
    assert near.unproven == 0
