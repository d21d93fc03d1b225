"""Property tests of the radius prefilter: the boxes around a geodesic circle never lose a point."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geo.store.base import bbox_parts, circle_bboxes, distances_km

GEOD = Geod(ellps="WGS84")


def _inside(boxes, lon: float, lat: float) -> bool:
    return any(w <= lon <= e and s <= lat <= n for w, s, e, n in boxes)


@settings(max_examples=400, deadline=None)
@given(
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180),
    radius_km=st.floats(0.01, 19_000),
    azimuth=st.floats(-180, 180),
    frac=st.floats(0, 1),
)
def test_every_point_within_the_radius_is_inside_a_box(lat, lon, radius_km, azimuth, frac) -> None:
    plon, plat, _ = GEOD.fwd(lon, lat, azimuth, radius_km * 1000 * frac)
    plon = ((plon + 180) % 360) - 180
    boxes = circle_bboxes(lat, lon, radius_km)
    assert all(-180 <= w <= e <= 180 and -90 <= s <= n <= 90 for w, s, e, n in boxes)
    assert _inside(boxes, plon, plat), (lat, lon, radius_km, plon, plat, boxes)


@settings(max_examples=200, deadline=None)
@given(lat=st.floats(-89, 89), lon=st.floats(-180, 180), radius_km=st.floats(0.1, 500))
def test_boxes_are_not_much_bigger_than_the_circle(lat, lon, radius_km) -> None:
    boxes = circle_bboxes(lat, lon, radius_km)
    height_km = sum(n - s for _, s, _, n in boxes[:1]) * 111.32
    assert height_km <= 2 * radius_km * 1.03 + 0.01


def test_distances_are_geodesic_not_degrees() -> None:
    # Atmeh → Reyhanli (Turkey): pyproj Geod on WGS84, lon/lat order respected
    (d,) = distances_km(36.31111, 36.68639, [36.26917], [36.56722])
    _, _, m = GEOD.inv(36.68639, 36.31111, 36.56722, 36.26917)
    assert d == m / 1000 and 11 < d < 12
    assert math.isclose(distances_km(0, 0, [0], [1])[0], 111.319, abs_tol=0.001)  # 1° of equator


def test_bbox_across_the_antimeridian_splits() -> None:
    assert bbox_parts((170, -20, -170, -10)) == [(170, -20, 180.0, -10), (-180.0, -20, -170, -10)]


def test_store_radius_equals_in_memory_filter(tmp_path_factory) -> None:
    """GeoPackage R-tree + geodesic cut ≡ brute-force geodesic filter, on 2,000 real-city incidents."""
    import random

    from bench.synth import synth_incidents
    from geo.query import filter_incidents
    from geo.store import open_store

    incs = list(synth_incidents(2000, seed=11))
    db = tmp_path_factory.mktemp("prop") / "p.gpkg"
    rng = random.Random(5)
    with open_store(db) as store:
        store.bulk_load(incs)
        for _ in range(60):
            ref = rng.choice(incs).place
            lat = max(-90.0, min(90.0, ref.lat + rng.uniform(-2, 2)))
            lon = ((ref.lon + rng.uniform(-2, 2) + 180) % 360) - 180
            r = rng.choice([1, 10, 50, 300, 2000])
            got = [(i.id, round(d, 9)) for i, d in store.query(near=(lat, lon), radius_km=r)]
            want = [(i.id, round(d, 9)) for i, d in filter_incidents(incs, near=(lat, lon), radius_km=r)]
            assert got == want, (lat, lon, r)
