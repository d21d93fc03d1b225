"""Admin1 points from OSM region polygons (gazetteer.adminpoints): matching, validation, point, provenance."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from gazetteer import Gazetteer
from gazetteer import adminpoints as ap
from gazetteer import landpoints as lp

GEOD = Geod(ellps="WGS84")
ALL_LAND = np.broadcast_to(np.bool_(True), (180 * lp.FINE, 360 * lp.FINE))
NO_LAND = np.broadcast_to(np.bool_(False), (180 * lp.FINE, 360 * lp.FINE))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def square(lon0: float, lat0: float, lon1: float, lat1: float) -> np.ndarray:
    return np.array([(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1), (lon0, lat0)], dtype=float)


class Regions(ap.SharedRegions):
    """Region polygons given in memory (the real reader is exercised by the index tests below)."""

    def __init__(
        self, regions: dict[str, tuple[str, list[tuple[bool, np.ndarray]]]], land: np.ndarray
    ) -> None:
        super().__init__()
        self._data = {s: (cc, [r for _, r in rings]) for s, (cc, rings) in regions.items()}
        self.holes = {s: [h for h, _ in rings] for s, (_, rings) in regions.items()}
        self._land = land


def grid_places(lon0: float, lat0: float, lon1: float, lat1: float, n: int = 5) -> np.ndarray:
    """n × n places evenly inside a box, as (lat, lon, population) rows."""
    lons, lats = np.meshgrid(np.linspace(lon0, lon1, n + 2)[1:-1], np.linspace(lat0, lat1, n + 2)[1:-1])
    return np.column_stack([lats.ravel(), lons.ravel(), np.zeros(lats.size)])


@pytest.mark.parametrize(
    "a, b",
    [
        ("Tver Oblast", "Tverskaya"),
        ("Kharkiv Oblast", "Kharkiv"),
        ("Krasnoyarsk Krai", "Krasnoyarskiy"),
        ("Region of Southern Denmark", "Southern Denmark"),
        ("Masovian Voivodeship", "Masovian"),
    ],
)
def test_match_keys_agree_across_spellings(a: str, b: str) -> None:
    assert ap.match_key(a) == ap.match_key(b)


def test_match_keys_keep_different_areas_apart() -> None:
    # equal loose keys, told apart by the closer spelling
    got = ap.assign_components("CN", {"Shanxi", "Shaanxi"}, {"24": "Shanxi", "26": "Shaanxi"})
    assert got == {"Shanxi": ("24", 100.0), "Shaanxi": ("26", 100.0)}
    assert ap.match_key("North Denmark Region") != ap.match_key("Region of Southern Denmark")


def test_assign_components_alias_exact_fuzzy_and_compass_points() -> None:
    admins = {"01": "Moscow", "02": "Moskovskaya", "03": "Quebec", "04": "Kharkiv", "05": "North"}
    got = ap.assign_components(
        "RU", {"Moscow", "Moscow Oblast", "Kharkiv Oblast", "North", "Khrakiv", "Atlantis"}, admins
    )
    assert got["Moscow"] == ("01", 100.0)  # equal match keys with Moskovskaya: the closer spelling wins
    assert got["Moscow Oblast"] == ("02", 100.0)  # reviewed alias
    assert got["Kharkiv Oblast"] == ("04", 100.0)
    assert "North" not in got  # compass-point pieces never name an admin1
    assert "Khrakiv" not in got  # a fuzzy match only where no exact one exists
    assert "Atlantis" not in got
    ((code, score),) = ap.assign_components(
        "DE", {"Baden-Wurttemberg"}, {"01": "Baden-Wuerttemberg"}
    ).values()
    assert code == "01" and ap.MIN_SCORE <= score < 100  # fuzzy
    ca = ap.assign_components("CA", {"Quebek", "Quebec"}, {"10": "Quebec"})
    assert ca == {"Quebek": ("10", 100.0), "Quebec": ("10", 100.0)}


def test_pieces_go_to_the_deepest_matching_component() -> None:
    assigned = {"Krasnodar Krai": ("38", 100.0), "Adygeya": ("01", 100.0)}
    got = ap.pieces_by_admin1(
        ["Russia_Krasnodar Krai", "Russia_Krasnodar Krai_Adygeya", "Russia_Tula"], assigned
    )
    assert dict(got) == {"38": ["Russia_Krasnodar Krai"], "01": ["Russia_Krasnodar Krai_Adygeya"]}


def test_compute_points_validates_matches_against_the_places() -> None:
    regions = {
        # Alpha: two pieces, one under its name and one (Alpha City) under none: adopted by its places
        "Testland_Alpha": ("ZZ", [(False, square(10, 40, 12, 42))]),
        "Testland_Capital": ("ZZ", [(False, square(12, 40, 13, 42))]),
        # Beta: the polygon of that name covers Gamma too → rejected (precision)
        "Testland_Beta": ("ZZ", [(False, square(20, 40, 24, 42))]),
        # Delta: a ring with a hole; the places in the hole are not Delta's
        "Testland_Delta": ("ZZ", [(False, square(30, 40, 34, 44)), (True, square(31, 41, 33, 43))]),
        # compass-point piece: never used
        "Testland_North": ("ZZ", [(False, square(10, 50, 20, 52))]),
    }
    names = {("ZZ", "A"): "Alpha", ("ZZ", "B"): "Beta", ("ZZ", "G"): "Gamma", ("ZZ", "D"): "Delta Region"}
    places = {
        ("ZZ", "A"): grid_places(10, 40, 13, 42),
        ("ZZ", "B"): grid_places(20, 40, 22, 42),
        ("ZZ", "G"): grid_places(22, 40, 24, 42, n=8),
        ("ZZ", "D"): np.concatenate([grid_places(30, 40, 31, 44, 3), grid_places(33, 40, 34, 44, 3)]),
    }
    out = ap.compute_admin_points(names, places, Regions(regions, ALL_LAND))
    rejected = out.pop("_rejected")
    assert set(out) == {"ZZ.A", "ZZ.D"} and set(rejected) == {"ZZ.B"}
    alpha = out["ZZ.A"]
    assert alpha["pieces"] == ["Testland_Alpha", "Testland_Capital"]
    assert alpha["recall"] == 1.0 and alpha["precision"] == 1.0 and alpha["places"] == 25
    assert alpha["method"] == "land"
    assert alpha["lat"] == pytest.approx(41.0, abs=0.05) and alpha["lon"] == pytest.approx(11.5, abs=0.05)
    assert rejected["ZZ.B"]["precision"] < ap.MIN_PRECISION
    delta = out["ZZ.D"]  # a frame around its hole: the land centroid is in the hole, so the nearest cell
    assert delta["recall"] == 1.0
    assert not (31 < delta["lon"] < 33 and 41 < delta["lat"] < 43)
    label = ap.source_label(alpha)
    assert "polygons 'Testland_Alpha' + 'Testland_Capital'" in label and "omim-data-borders" in label
    assert "100% of its 25 GeoNames cities500 places" in label


def test_without_land_the_polygon_centroid_is_used() -> None:
    regions = {"Testland_Alpha": ("ZZ", [(False, square(10, 40, 12, 42))])}
    names = {("ZZ", "A"): "Alpha"}
    out = ap.compute_admin_points(
        names, {("ZZ", "A"): grid_places(10, 40, 12, 42)}, Regions(regions, NO_LAND)
    )
    a = out["ZZ.A"]
    assert a["method"] == "centroid" and "land" not in a
    assert a["lat"] == pytest.approx(41.0, abs=0.01) and a["lon"] == pytest.approx(11.0, abs=0.01)


def test_union_joins_pieces_split_at_the_antimeridian() -> None:
    g = ap.union_of([[(False, square(178, 64, 180, 66)), (False, square(-180, 64, -178, 66))]])
    lon, lat = ap.equal_area_centroid(g)
    assert lat == pytest.approx(65.0, abs=0.05) and abs(abs(ap._wrap(lon)) - 180) < 0.05


def test_index_admin1_points_from_polygons(gz: Gazetteer) -> None:
    on = next(c for c in gz.candidates("Ontario", country="CA") if c.feature_code == "ADM1")
    # GeoNames 6093943 Ontario: 49.25014 N 84.49983 W; the old extent centre of its places was 364 km off
    assert km(on.lat, on.lon, 49.25014, -84.49983) < 161
    assert "OSM region polygons 'Canada_Ontario_*'" in on.source and "largest land area" in on.source
    tokyo = next(c for c in gz.candidates("Tokyo", country="JP") if c.feature_code == "ADM1")
    # on Honshu, not among the Ogasawara islands (whose territorial waters dominate the polygon)
    assert km(tokyo.lat, tokyo.lon, 35.6895, 139.69171) < 60
    kh = next(c for c in gz.candidates("Kharkiv Oblast", country="UA") if c.feature_code == "ADM1")
    assert "'Ukraine_Kharkiv Oblast'" in kh.source and km(kh.lat, kh.lon, 49.5, 36.5) < 60
