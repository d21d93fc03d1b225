"""``conflictmap near | export | stats`` on GeoJSON files and stores, through ``geo.cli.main``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas
import pytest
from pyproj import Geod

from geo.cli import main
from geo.export import read_geojson, write_geojson
from geo.query import read_incidents
from geo.store import open_store

from .test_store_contract import PLACES, _corpus

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cli")
    arts, by = _corpus()
    write_geojson([i for incs in by.values() for i in incs], d / "incidents.geojson")
    with open_store(d / "store.gpkg") as st:
        st.ingest(arts, by)
    return {"geojson": d / "incidents.geojson", "db": d / "store.gpkg", "dir": d}


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.mark.parametrize("src", ["--in", "--db"])
def test_near_latlon_json_nearest_first(capsys, data, src: str) -> None:
    path = data["geojson"] if src == "--in" else data["db"]
    code, out, _ = run(capsys, "near", "36.30,36.70", "--radius", "60km", src, path, "--json")
    assert code == 0
    doc = json.loads(out)
    assert isinstance(doc, list) and len(doc) == 5
    names = [r["place"] for r in doc]
    assert names[0] == "Atmeh" and "Damascus" not in names
    for rec in doc:
        lat, lon, cc = PLACES[rec["place"]]
        _, _, m = GEOD.inv(36.70, 36.30, lon, lat)
        assert rec["distance_km"] == pytest.approx(m / 1000, abs=0.001)
        assert (rec["lat"], rec["lon"], rec["country_code"]) == (lat, lon, cc)
    dists = [r["distance_km"] for r in doc]
    assert dists == sorted(dists)


def test_near_table_and_filters(capsys, data) -> None:
    code, out, err = run(capsys, "near", "36.30,36.70", "--radius", "60km", "--in", data["geojson"], "--country", "tr")
    assert code == 0 and "Reyhanli" in out and "Atmeh" not in out and "1 incident(s)" in err
    code, out, _ = run(capsys, "near", "36.30,36.70", "--radius", "100km", "--db", data["db"],
                       "--min-fatalities", "4", "--json")
    assert {r["place"] for r in json.loads(out)} == {"Idlib", "Aleppo", "Reyhanli"}
    code, out, _ = run(capsys, "near", "36.30,36.70", "--radius", "100km", "--db", data["db"],
                       "--from", "2022-02-02", "--to", "2022-02-04", "--event-type", "BATTLES", "--json")
    assert [r["place"] for r in json.loads(out)] == ["Sarmada", "Aleppo"]


def test_near_nothing_there_exits_zero(capsys, data) -> None:
    code, out, err = run(capsys, "near", "0,0", "--radius", "10km", "--in", data["geojson"])
    assert code == 0 and "0 incident(s)" in err
    code, out, _ = run(capsys, "near", "0,0", "--radius", "10km", "--in", data["geojson"], "--json")
    assert code == 0 and json.loads(out) == []
    code, out, err = run(capsys, "near", "0,0", "--radius", "10km", "--in", data["geojson"], "--json")
    assert "0 incident(s)" in err


def test_near_errors_are_one_line(capsys, data, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no output/incidents.geojson here
    code, _, err = run(capsys, "near", "36.3,36.7", "--radius", "25km")
    assert code != 0 and "conflictmap map" in err and "Traceback" not in err
    for args, needle in [
        (["near", "36.3,36.7", "--radius", "-5km", "--in", data["geojson"]], "greater than zero"),
        (["near", "136.3,36.7", "--in", data["geojson"]], "latitude"),
        (["near", "36.3,36.7", "--in", data["geojson"], "--bbox", "1,2,3"], "WEST,SOUTH,EAST,NORTH"),
        (["near", "36.3,36.7", "--in", data["geojson"], "--country", "Syria"], "alpha-2"),
        (["near", "36.3,36.7", "--in", data["geojson"], "--from", "2022-13-01"], "YYYY-MM-DD"),
        (["near", "36.3,36.7", "--db", tmp_path / "none.gpkg"], "conflictmap ingest"),
    ]:
        code, _, err = run(capsys, *args)
        assert code != 0 and needle in err and "Traceback" not in err, (args, err)
        assert len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_near_place_names_resolve_or_ask(capsys, data) -> None:
    # an ambiguous name lists its choices and asks, never guesses
    code, _, err = run(capsys, "near", "Tripoli", "--radius", "25km", "--in", data["geojson"])
    assert code != 0 and "LB" in err and "LY" in err and "--place-country" in err
    code, out, _ = run(capsys, "near", "Tripoli", "--place-country", "LB", "--radius", "25km",
                       "--in", data["geojson"], "--json")
    doc = json.loads(out)
    assert code == 0 and [r["place"] for r in doc] == ["Tripoli"]
    assert doc[0]["distance_km"] < 5
    # a name whose best place is far more important resolves
    code, out, _ = run(capsys, "near", "Damascus", "--radius", "25km", "--in", data["geojson"], "--json")
    assert code == 0 and [r["place"] for r in json.loads(out)] == ["Damascus"]


def test_export_formats_filters_and_no_clobber(capsys, data, tmp_path) -> None:
    gj = tmp_path / "sy.geojson"
    code, _, err = run(capsys, "export", "--db", data["db"], "--out", gj, "--country", "SY")
    assert code == 0, err
    back = read_geojson(gj)
    assert sorted(i.place.name for i in back) == ["Aleppo", "Atmeh", "Damascus", "Idlib", "Sarmada"]
    raw = json.loads(gj.read_text())
    assert "crs" not in raw and raw["features"][0]["geometry"]["type"] == "Point"
    code, _, err = run(capsys, "export", "--db", data["db"], "--out", gj)
    assert code != 0 and "--overwrite" in err
    assert len(read_geojson(gj)) == 5  # untouched
    code, _, _ = run(capsys, "export", "--db", data["db"], "--out", gj, "--overwrite")
    assert code == 0 and len(read_geojson(gj)) == 7

    c = tmp_path / "near.csv"
    code, _, err = run(capsys, "export", "--in", data["geojson"], "--out", c, "--near", "36.3,36.7", "--radius", "30km")
    assert code == 0, err
    with open(c, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3  # Atmeh, Sarmada, Reyhanli

    g = tmp_path / "out.gpkg"
    code, _, err = run(capsys, "export", "--format", "gpkg", "--db", data["db"], "--out", g, "--min-fatalities", "10")
    assert code == 0, err
    gdf = geopandas.read_file(g)
    assert len(gdf) == 2 and gdf.crs.to_epsg() == 4326
    code, _, err = run(capsys, "export", "--db", data["db"], "--out", tmp_path / "x.txt")
    assert code != 0 and "--format" in err


def test_stats(capsys, data, tmp_path) -> None:
    code, out, _ = run(capsys, "stats", "--db", data["db"], "--json")
    s = json.loads(out)
    assert code == 0 and (s["articles"], s["incidents"], s["backend"]) == (7, 7, "geopackage")
    code, out, _ = run(capsys, "stats", "--db", data["db"])
    assert code == 0 and "incidents" in out and "SY" in out
    code, _, err = run(capsys, "stats", "--db", tmp_path / "missing.gpkg")
    assert code != 0 and "no such store" in err
    assert not (tmp_path / "missing.gpkg").exists()


def test_read_incidents_geodataframe(data) -> None:
    for src in (data["geojson"], data["db"]):
        gdf = read_incidents(src, near=(36.30, 36.70), radius_km=60)
        assert gdf.crs.to_epsg() == 4326 and list(gdf["place"])[0] == "Atmeh" and len(gdf) == 5
        assert (gdf.geometry.x == gdf["lon"]).all() and (gdf.geometry.y == gdf["lat"]).all()
        assert gdf["distance_km"].is_monotonic_increasing
        every = read_incidents(src)
        assert len(every) == 7 and "distance_km" not in every.columns
    assert len(read_incidents(data["db"], country="LB")) == 1


def test_near_reads_a_gpkg_export_too(capsys, data, tmp_path) -> None:
    g = tmp_path / "export.gpkg"
    assert run(capsys, "export", "--db", data["db"], "--out", g)[0] == 0
    code, out, err = run(capsys, "near", "36.30,36.70", "--radius", "60km", "--in", g, "--json")
    assert code == 0, err
    assert [r["place"] for r in json.loads(out)][0] == "Atmeh" and len(json.loads(out)) == 5


@pytest.mark.postgis
def test_near_export_stats_on_postgis(capsys, pg_url, tmp_path) -> None:
    from .test_store_contract import _corpus as corpus

    arts, by = corpus()
    with open_store(pg_url) as st:
        st.ingest(arts, by)
    code, out, err = run(capsys, "near", "36.30,36.70", "--radius", "60km", "--db", pg_url, "--json")
    assert code == 0, err
    assert [r["place"] for r in json.loads(out)][:2] == ["Atmeh", "Reyhanli"]
    code, out, _ = run(capsys, "stats", "--db", pg_url, "--json")
    assert json.loads(out)["backend"] == "postgis" and json.loads(out)["incidents"] == 7
    code, _, err = run(capsys, "export", "--db", pg_url, "--out", tmp_path / "pg.geojson", "--country", "LB")
    assert code == 0 and [i.place.name for i in read_geojson(tmp_path / "pg.geojson")] == ["Tripoli"]


def test_missing_extras_name_the_extra(monkeypatch) -> None:
    import sys

    from geo.errors import MissingExtraError
    from geo.scale import extract

    from .conftest import make_article

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgis extra were not installed
    with pytest.raises(MissingExtraError, match=r"conflictmap\[postgis\]"):
        open_store("postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(MissingExtraError, match=r"conflictmap\[dask\]"):
        extract([make_article("x")], workers=2)


def test_unreachable_postgres_is_one_clear_error(capsys) -> None:
    code, _, err = run(capsys, "stats", "--db", "postgresql://nobody:secret@127.0.0.1:1/none")
    assert code != 0 and "cannot connect" in err and "secret" not in err and "Traceback" not in err
