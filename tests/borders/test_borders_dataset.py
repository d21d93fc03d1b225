"""Borders API, import and CLI on a small synthetic dataset of three square countries.

TR: lon 37–38, lat 36.5–37.5; SY: lon 37–38, lat 35.5–36.5; IQ: lon 38–39, lat 35.5–36.5.
So TR–SY share the parallel 36.5° N from 37° to 38° E and SY–IQ the meridian 38° E from 35.5° to
36.5° N; TR and IQ touch at one corner only (no border line). Expected distances are pyproj.Geod
values to those exact lines.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Polygon

from geo.borders import Borders, import_dataset, list_datasets
from geo.cli import main
from geo.errors import InputError

GEOD = Geod(ellps="WGS84")


def box(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    return Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFLICTMAP_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture()
def squares(cache):
    path = cache / "countries.geojson"
    gdf = gpd.GeoDataFrame(
        {"ISO_A3": ["TUR", "SYR", "IRQ"], "NAME": ["Turkey", "Syria", "Iraq"]},
        geometry=[box(37, 36.5, 38, 37.5), box(37, 35.5, 38, 36.5), box(38, 35.5, 39, 36.5)],
        crs="EPSG:4326",
    )
    gdf.to_file(path, driver="GeoJSON")
    meta = import_dataset(str(path), "squares", 0.5, drop_sea=False, licence="test data, public domain")
    return meta


def test_import_polygons_builds_the_shared_lines(squares):
    assert squares["counts"]["pairs"] == 2  # TR–SY and IQ–SY; the TR/IQ corner is not a line
    b = Borders.open("squares")
    assert b.uncertainty_km == 0.5 and b.licence == "test data, public domain"
    lines = b.lines()
    pairs = {frozenset((a, c)) for a, c in zip(lines["a"], lines["b"])}
    assert pairs == {frozenset({"SY", "TR"}), frozenset({"IQ", "SY"})}
    tr_sy = lines[[{a, c} == {"SY", "TR"} for a, c in zip(lines["a"], lines["b"])]].geometry.iloc[0]
    assert tr_sy.length == pytest.approx(1.0, abs=0.003)  # 1° of the parallel, plus snapping spurs ≤ 0.001°


def test_distance_neighbour_and_own_from_polygons(squares):
    b = Borders.open("squares")
    info = b.distance(36.4, 37.5)  # lat, lon: in SY, 0.1° south of the TR line
    expected = GEOD.inv(37.5, 36.4, 37.5, 36.5)[2] / 1000
    assert info.distance_km == pytest.approx(expected, abs=0.002)
    assert (info.own, info.neighbour) == ("SY", "TR")
    assert info.nearest_point[0] == pytest.approx(37.5, abs=1e-4)  # (lon, lat)
    assert info.nearest_point[1] == pytest.approx(36.5, abs=1e-6)
    assert info.dataset == b.name and not info.at_border and info.note is None
    east = b.distance(36.0, 38.05)  # in IQ, 0.05° east of the SY line
    assert east.distance_km == pytest.approx(GEOD.inv(38.05, 36.0, 38.0, 36.0)[2] / 1000, abs=0.002)
    assert (east.own, east.neighbour) == ("IQ", "SY")


def test_axis_order_is_lat_then_lon(squares):
    b = Borders.open("squares")
    right = b.distance(36.4, 37.5)
    assert right.own == "SY"
    with pytest.raises(InputError):
        b.distance(137.5, 36.4)  # a swapped (lon, lat) pair fails loudly when out of range


def test_point_in_the_wrong_country_is_flagged_not_hidden(squares):
    b = Borders.open("squares")
    info = b.distance(36.52, 37.5, own="SY")  # polygons say TR; the caller says SY
    assert info.own == "SY" and info.neighbour == "TR"
    assert info.note and "lies in TR" in info.note and "not in SY" in info.note
    assert info.distance_km == pytest.approx(GEOD.inv(37.5, 36.52, 37.5, 36.5)[2] / 1000, abs=0.002)


def test_at_border_uses_dataset_and_place_uncertainty(squares):
    b = Borders.open("squares")
    on_line = b.distance(36.5, 37.3)
    assert on_line.distance_km < 0.001 and on_line.at_border
    near = b.distance(36.49, 37.5)  # 1.1 km away; dataset ± 0.5 km
    assert not near.at_border
    town = b.distance(36.49, 37.5, place_uncertainty_km=1.2)
    assert town.uncertainty_km == pytest.approx(np.hypot(0.5, 1.2))
    assert town.at_border


def test_distance_many_matches_single_and_is_chunked(squares):
    b = Borders.open("squares")
    rng = np.random.default_rng(1)
    lats, lons = rng.uniform(35.6, 37.4, 500), rng.uniform(37.05, 38.95, 500)
    many = b.distance_many(lats, lons, chunk=37)
    for i in (0, 99, 250, 499):
        one = b.distance(lats[i], lons[i])
        assert many[i].distance_km == pytest.approx(one.distance_km, abs=1e-9)
        assert many[i].neighbour == one.neighbour and many[i].own == one.own
    arrays = b.distance_arrays(lats, lons, chunk=64)
    assert np.allclose(arrays["distance_km"], [m.distance_km for m in many])


def test_distance_many_rejects_bad_points(squares):
    b = Borders.open("squares")
    with pytest.raises(InputError, match="point 1"):
        b.distance_many([36.0, float("nan")], [37.5, 37.5])
    with pytest.raises(InputError, match="longitudes"):
        b.distance_many([36.0, 36.1], [37.5])
    with pytest.raises(InputError, match="alpha-2"):
        b.distance(36.0, 37.5, own="Syria")


def test_distance_to_a_named_country(squares):
    b = Borders.open("squares")
    info = b.distance_to_country(36.0, 37.9, "TR")  # SY point: IQ line is 9 km, TR line 55 km
    assert info is not None and info.neighbour == "TR"
    assert info.distance_km == pytest.approx(GEOD.inv(37.9, 36.0, 37.9, 36.5)[2] / 1000, abs=0.01)
    assert b.distance_to_country(36.0, 37.9, "EG") is None


def test_import_lines_file(cache):
    path = cache / "lines.geojson"
    gpd.GeoDataFrame({"a": ["SY"], "b": ["TR"]}, geometry=[LineString([(37, 36.5), (38, 36.5)])],
                     crs="EPSG:4326").to_file(path, driver="GeoJSON")
    meta = import_dataset(str(path), "lines-only", 1.0, drop_sea=False)
    assert meta["counts"]["pairs"] == 1
    b = Borders.open("lines-only")
    info = b.distance(36.4, 37.5, own="SY")
    assert info.neighbour == "TR" and info.uncertainty_km == 1.0
    # without polygons the side is unknown unless the caller names it
    assert b.distance(36.4, 37.5).neighbour is None
    assert any(d["name"] == "lines-only" for d in list_datasets())


def test_import_errors_are_one_line(cache):
    bad = cache / "bad.geojson"
    bad.write_text("this is not json")
    with pytest.raises(InputError, match="bad.geojson"):
        import_dataset(str(bad), "bad", 1.0)
    with pytest.raises(InputError, match="no such file"):
        import_dataset(str(cache / "missing.gpkg"), "missing", 1.0)
    noiso = cache / "noiso.geojson"
    gpd.GeoDataFrame({"x": [1]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326").to_file(noiso, driver="GeoJSON")
    with pytest.raises(InputError, match="--iso-column"):
        import_dataset(str(noiso), "noiso", 1.0)
    with pytest.raises(InputError, match="name"):
        import_dataset(str(noiso), "bad name/", 1.0)


def test_cli_border_json_and_table(squares, capsys):
    assert main(["border", "36.4,37.5", "--dataset", "squares", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["neighbour"] == "TR" and data["own"] == "SY"
    assert data["nearest_point"][0] == pytest.approx(37.5, abs=1e-4)
    assert data["nearest_point"][1] == pytest.approx(36.5, abs=1e-6)
    assert data["distance_km"] == pytest.approx(11.09, abs=0.02)
    assert data["uncertainty_km"] == 0.5 and data["disputed"] is False and data["at_border"] is False
    assert main(["border", "36.4,37.5", "--dataset", "squares", "--own", "SY"]) == 0
    out = capsys.readouterr().out
    assert "TR" in out and "36.500000° N" in out


def test_cli_bad_input_exits_non_zero_with_one_line(squares, capsys):
    for argv in (["border", "95,37", "--dataset", "squares"], ["border", "nan,37", "--dataset", "squares"],
                 ["border", "36.4", "--dataset", "squares"], ["border", "36.4,37.5", "--dataset", "nope"]):
        assert main(argv) != 0
        err = capsys.readouterr().err.strip()
        assert err.startswith("error:") and "Traceback" not in err, argv
        assert len(err.splitlines()) <= 2, err  # one message (rich may wrap a long line)


def test_cli_borders_import_and_info(cache, capsys):
    path = cache / "c.geojson"
    gpd.GeoDataFrame({"iso_a2": ["SY", "TR"]}, geometry=[box(37, 35.5, 38, 36.5), box(37, 36.5, 38, 37.5)],
                     crs="EPSG:4326").to_file(path, driver="GeoJSON")
    assert main(["borders", "import", str(path), "--name", "two", "--uncertainty-km", "1.0", "--keep-sea"]) == 0
    capsys.readouterr()
    assert main(["borders", "import", str(path), "--name", "two", "--uncertainty-km", "1.0"]) != 0
    assert "--overwrite" in capsys.readouterr().err
    assert main(["borders", "info", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["two"]["uncertainty_km"] == 1.0 and rows["two"]["pairs"] == 1
    assert rows["osm"]["default"] is True
