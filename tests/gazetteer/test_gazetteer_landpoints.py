"""Country reference points on land (gazetteer.landpoints) with constructed polygons, and curated provenance."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from gazetteer import landpoints as lp
from gazetteer.sources import DATA_DIR

ALL_LAND = np.broadcast_to(np.bool_(True), (180 * lp.FINE, 360 * lp.FINE))  # no memory: a view
NO_LAND = np.broadcast_to(np.bool_(False), (180 * lp.FINE, 360 * lp.FINE))


def square(lon0: float, lat0: float, lon1: float, lat1: float) -> np.ndarray:
    return np.array([(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1), (lon0, lat0)], dtype=float)


def test_rasterise_square_with_hole() -> None:
    r0, c0, inside = lp.rasterise([[square(10, 40, 12, 42), square(10.5, 40.5, 11.5, 41.5)]], step=4)
    # 0.1° cells: 20 × 20 in the square, minus 10 × 10 in the hole (even-odd rule)
    assert inside.sum() == 400 - 100
    lat = 90 - (r0 * 4 + 2) / lp.FINE
    lon = (c0 * 4 + 2) / lp.FINE - 180
    assert lat == pytest.approx(41.95) and lon == pytest.approx(10.05)


def test_rasterise_unions_overlapping_regions() -> None:
    _, _, inside = lp.rasterise([[square(0, 0, 2, 2)], [square(1, 0, 3, 2)]], step=4)
    assert inside.sum() == 30 * 20  # the overlap is counted once, not cancelled


def test_land_point_is_the_centroid_of_the_largest_part() -> None:
    big, small = square(20, -10, 30, 0), square(50, 20, 51, 21)
    lat, lon, cells = lp.land_point([[big], [small]], ALL_LAND)
    assert lat == pytest.approx(-5.0, abs=0.05) and lon == pytest.approx(25.0, abs=0.01)
    assert cells == 100 * 100
    # all parts (the US-state variant): pulled towards the small square, area-weighted
    _lat2, lon2, cells2 = lp.land_point([[big], [small]], ALL_LAND, largest=False)
    assert cells2 == 100 * 100 + 10 * 10 and lon2 > 25.2


def test_land_point_of_a_crescent_lies_on_it() -> None:
    # a U shape: its centroid falls in the notch, so the nearest cell of the shape is used
    u = np.array([(0, 0), (6, 0), (6, 6), (4, 6), (4, 2), (2, 2), (2, 6), (0, 6), (0, 0)], dtype=float)
    lat, lon, _ = lp.land_point([[u]], ALL_LAND)
    assert not (2 < lon < 4 and lat > 2)  # not in the notch
    assert 0 <= lon <= 6 and 0 <= lat <= 6


def test_land_point_across_the_antimeridian() -> None:
    east, west = square(178, -18, 180, -16), square(-180, -18, -178, -16)
    lat, lon, cells = lp.land_point([[east, west]], ALL_LAND)
    assert cells == 40 * 20 and abs(lat + 17) < 0.1 and abs(abs(lon) - 180) < 0.1


def test_no_land_gives_none_and_small_areas_use_the_fine_grid() -> None:
    assert lp.land_point([[square(0, 0, 1, 1)]], NO_LAND) is None
    lat, lon, cells = lp.land_point([[square(7.3, 43.6, 7.5, 43.8)]], ALL_LAND)  # 0.2°: 4 cells of 0.1°
    assert cells == 8 * 8 and lat == pytest.approx(43.7, abs=0.01) and lon == pytest.approx(7.4, abs=0.01)


def test_source_label_names_the_datasets() -> None:
    label = lp.source_label()
    assert label.startswith(
        "centroid of the largest land area of the OSM country polygons (omim-data-borders "
    )
    assert label.endswith("ODbL) on the GLOBE 1 km land mask (global-land-mask)")


def test_every_curated_row_states_its_source() -> None:
    with (DATA_DIR / "places.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 30
    for r in rows:
        src = r["source"].strip()
        assert src, r["id"]
        # either checked against a named page / GeoNames row, or plainly marked as unverified
        assert src.startswith("checked: ") or "unverified" in src or "GeoNames" in src, r["id"]
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180
