"""GeoJSON (RFC 7946 + schema + geopandas), CSV and GeoPackage exports of hand-built incidents."""

from __future__ import annotations

import csv
import dataclasses
import json
import re

import pytest

from geo.errors import InputError
from geo.export import (
    CSV_COLUMNS,
    feature_collection,
    incident_to_feature,
    read_geojson,
    schema,
    write_csv,
    write_geojson,
    write_gpkg,
)

ACLED = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "location",
         "latitude", "longitude", "geo_precision", "time_precision", "fatalities", "source", "notes"]


def _by_id(incs):
    return {i.id: i for i in incs}


def test_geojson_is_rfc7946_lon_lat_without_crs(fixtures, tmp_path):
    incs, _ = fixtures
    path = write_geojson(incs, tmp_path / "out.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    feats = {f["id"]: f for f in doc["features"]}
    assert len(feats) == 3
    assert feats["inc-asym"]["geometry"] == {"type": "Point", "coordinates": [10.0, 50.0]}  # [lon, lat]
    assert feats["inc-atmeh-2022-02-03"]["geometry"]["coordinates"] == [36.68639, 36.31111]
    assert doc["bbox"] == [10.0, 33.5, 44.4, 50.0]
    props = feats["inc-atmeh-2022-02-03"]["properties"]
    assert "lat" not in props["place"] and "lon" not in props["place"]  # no duplicated geometry
    assert [s["article_id"] for s in props["sources"]] == ["000_f18772d31dee92f8", "004_23a385800a3f30d7"]
    assert props["casualties"]["killed"] == {"low": 12, "best": 13, "high": 13}
    assert props["casualties"]["categories"]["killed.children"]["best"] == 4
    assert props["border"]["neighbour"] == "TR" and props["border"]["dataset"].startswith("omim")
    assert props["evidence"][0]["text"] == "Atme" and props["claims"][0]["verdict"].startswith("plausible")


def test_geojson_keeps_at_most_seven_decimals(fixtures, tmp_path):
    incs, _ = fixtures
    inc = incs[1]
    precise = dataclasses.replace(inc, place=dataclasses.replace(inc.place, lon=10.123456789123, lat=-50.98765432198))
    text = write_geojson([precise], tmp_path / "p.geojson").read_text()
    coords = json.loads(text)["features"][0]["geometry"]["coordinates"]
    assert coords == [10.1234568, -50.9876543]
    for number in re.findall(r"-?\d+\.(\d+)", text):
        assert len(number) <= 7


def test_geojson_validates_against_schema_and_geopandas(fixtures, tmp_path):
    import geopandas as gpd
    import jsonschema

    incs, _ = fixtures
    path = write_geojson(incs, tmp_path / "out.geojson")
    jsonschema.validate(json.loads(path.read_text()), schema())
    bad = feature_collection(incs)
    bad["crs"] = {"type": "name", "properties": {"name": "EPSG:4326"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema())
    swapped = feature_collection(incs)
    swapped["features"][0]["geometry"]["coordinates"] = [36.7, 136.3]  # latitude out of range
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(swapped, schema())
    gdf = gpd.read_file(path)
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 3
    asym = gdf[gdf["id"] == "inc-asym"].geometry.iloc[0]
    assert (asym.x, asym.y) == (10.0, 50.0)


def test_read_geojson_round_trip_rebuilds_incidents(fixtures, tmp_path):
    incs, _ = fixtures
    back = read_geojson(write_geojson(incs, tmp_path / "out.geojson"))
    assert _by_id(back) == _by_id(incs)  # every nested field, dates included
    assert back[0].casualties.figures[0].evidence.anchor == incs[0].casualties.figures[0].evidence.anchor


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        ('{"type": "Feature"}', "FeatureCollection"),
        ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null}]}', "Point"),
        (('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", '
          '"coordinates": [200, 10]}, "properties": {"id": "x", "place": {"name": "y"}}}]}'), "not a WGS84"),
        (('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", '
          '"coordinates": [20, 10]}, "properties": {"id": "x"}}]}'), "place"),
    ],
)
def test_read_geojson_errors_name_the_file(tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content)
    with pytest.raises(InputError) as err:
        read_geojson(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_read_geojson_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_geojson(tmp_path / "nope.geojson")


def test_feature_rejects_invalid_coordinates(fixtures):
    inc = fixtures[0][1]
    broken = dataclasses.replace(inc, place=dataclasses.replace(inc.place, lat=float("nan")))
    with pytest.raises(InputError, match="inc-asym"):
        incident_to_feature(broken)


def test_csv_columns_values_and_injection_safety(fixtures, tmp_path):
    incs, _ = fixtures
    west = dataclasses.replace(incs[1], id="inc-west", place=dataclasses.replace(incs[1].place, lon=-3.7, lat=40.4))
    path = write_csv([*incs, west], tmp_path / "out.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    header = next(csv.reader(path.open(encoding="utf-8")))
    assert header == CSV_COLUMNS and set(ACLED) <= set(header)
    r = {row["incident_id"]: row for row in rows}
    atmeh = r["inc-atmeh-2022-02-03"]
    assert (atmeh["latitude"], atmeh["longitude"]) == ("36.31111", "36.68639")
    assert (atmeh["event_date"], atmeh["time_precision"], atmeh["location"]) == ("2022-02-03", "1", "Atmeh")
    assert (atmeh["fatalities"], atmeh["fatalities_low"], atmeh["fatalities_high"]) == ("13", "12", "13")
    assert (atmeh["actor1"], atmeh["actor2"]) == ("US forces", "US-led coalition")
    assert (atmeh["border_km"], atmeh["border_neighbour"], atmeh["border_uncertainty_km"]) == ("0.98", "TR", "0.6")
    assert atmeh["casualty_categories"] == "killed.children=4/4/4; killed.women=3/3/3"
    assert atmeh["claim_verdict"] == "plausible (reference point)"
    assert atmeh["sources"] == "000_f18772d31dee92f8; 004_23a385800a3f30d7"
    assert (r["inc-asym"]["latitude"], r["inc-asym"]["longitude"]) == ("50.0", "10.0")
    assert r["inc-west"]["longitude"] == "-3.7"  # numbers are not "neutralised"
    hostile = r["inc-<hostile>"]
    assert hostile["source"] == "'=HYPERLINK(\"http://evil\")"  # formula neutralised
    assert hostile["actor1"].startswith("\"'><img")  # text kept literally


def test_gpkg_reads_back(fixtures, tmp_path):
    import geopandas as gpd
    import pyogrio

    from geo.model import Incident

    incs, _ = fixtures
    path = write_gpkg(incs, tmp_path / "out.gpkg")
    assert [name for name, _ in pyogrio.list_layers(path)] == ["incidents"]
    gdf = gpd.read_file(path, layer="incidents")
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 3
    row = gdf.set_index("incident_id").loc["inc-asym"]
    assert (row.geometry.x, row.geometry.y) == (10.0, 50.0)
    atmeh = gdf.set_index("incident_id").loc["inc-atmeh-2022-02-03"]
    assert atmeh["fatalities_low"] == 12 and atmeh["border_neighbour"] == "TR"
    props = json.loads(atmeh["properties"])
    props["place"].update(lon=atmeh.geometry.x, lat=atmeh.geometry.y)
    assert Incident.from_properties(props) == incs[0]
    # writing again replaces the file atomically
    write_gpkg(incs[:1], path)
    assert len(gpd.read_file(path)) == 1
