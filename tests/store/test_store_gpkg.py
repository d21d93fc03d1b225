"""The embedded store is a real GeoPackage: GDAL (pyogrio) and geopandas open it, its R-tree is right,
two writers at once both succeed, and it refuses files that are not stores."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from pathlib import Path

import geopandas
import pyogrio
import pytest
import shapely

from geo.errors import InputError, StoreError
from geo.store import open_store
from geo.store.gpkg import _blob_bounds, point_blob

from .conftest import make_article, make_incident
from .test_store_contract import PLACES, _corpus


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    db = tmp_path / "inc.gpkg"
    arts, by = _corpus()
    with open_store(db) as st:
        st.ingest(arts, by)
        # replace one article so that deletes and inserts have gone through the triggers
        moved = make_incident("art-idlib", "Beirut", 33.89332, 35.50157, country="LB", day="2022-03-20")
        st.ingest([make_article("art-idlib", "moved")], {"art-idlib": [moved]})
    return db


def test_geopandas_and_gdal_read_the_incidents_layer(filled: Path) -> None:
    layers = {name: geom for name, geom in pyogrio.list_layers(filled)}
    assert layers["incidents"] == "Point" and "articles" in layers
    gdf = geopandas.read_file(filled, layer="incidents")
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 7
    row = gdf.set_index("id").loc["art-atmeh#1"]
    assert (row.geometry.x, row.geometry.y) == (PLACES["Atmeh"][1], PLACES["Atmeh"][0])
    assert row["place"] == "Atmeh" and row["country_code"] == "SY" and row["sources"] == "art-atmeh"
    info = pyogrio.read_info(filled, layer="incidents")
    assert info["capabilities"]["fast_spatial_filter"] is True
    has_index = pyogrio.read_dataframe(
        filled, sql="SELECT HasSpatialIndex('incidents', 'geom') AS h", sql_dialect="SQLITE"
    )
    assert int(has_index.iloc[0, 0]) == 1
    # GDAL's spatial filter (through our R-tree) gives the same answer as a scan
    box = (36.0, 35.5, 37.0, 36.5)
    via_gdal = pyogrio.read_dataframe(filled, layer="incidents", bbox=box)
    scan = gdf.cx[box[0] : box[2], box[1] : box[3]]
    assert sorted(via_gdal["id"]) == sorted(scan["id"]) and len(scan) == 3


def test_rtree_matches_the_table_after_updates(filled: Path) -> None:
    con = sqlite3.connect(filled)
    rows = con.execute(
        "SELECT i.lon, i.lat, r.minx, r.maxx, r.miny, r.maxy FROM incidents i JOIN rtree_incidents_geom r ON r.id = i.fid"
    ).fetchall()
    n = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
    assert len(rows) == n == con.execute("SELECT count(*) FROM rtree_incidents_geom").fetchone()[0]
    for lon, lat, minx, maxx, miny, maxy in rows:  # rtree stores float32, rounded outwards
        assert minx <= lon <= maxx and miny <= lat <= maxy and maxx - minx < 1e-4
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    ext = con.execute("SELECT extension_name FROM gpkg_extensions WHERE table_name='incidents'").fetchall()
    assert ext == [("gpkg_rtree_index",)]
    bounds = con.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name='incidents'").fetchone()
    assert bounds == con.execute("SELECT min(lon), min(lat), max(lon), max(lat) FROM incidents").fetchone()
    con.close()


def test_geometry_blob_bounds_agree_with_gdal_written_geometries(tmp_path: Path) -> None:
    assert _blob_bounds(point_blob(36.68639, 36.31111)) == (36.68639, 36.68639, 36.31111, 36.31111)
    assert _blob_bounds(None) is None
    poly = shapely.Polygon([(36.0, 35.0), (37.5, 35.2), (36.8, 36.9)])
    out = tmp_path / "g.gpkg"
    geopandas.GeoDataFrame({"a": [1, 2]}, geometry=[poly, shapely.Point(10, 50)], crs=4326).to_file(out, layer="g")
    blobs = [b for (b,) in sqlite3.connect(out).execute("SELECT geom FROM g ORDER BY fid")]
    minx, maxx, miny, maxy = _blob_bounds(blobs[0])
    assert (minx, miny, maxx, maxy) == poly.bounds
    assert _blob_bounds(blobs[1])[:3:2] == (10.0, 50.0)


def test_refuses_files_that_are_not_stores(tmp_path: Path) -> None:
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"\x00\x01 definitely not sqlite")
    with pytest.raises(StoreError, match="junk.gpkg"):
        open_store(junk)
    export = tmp_path / "export.gpkg"
    geopandas.GeoDataFrame({"id": ["x"]}, geometry=[shapely.Point(1, 2)], crs=4326).to_file(export, layer="incidents")
    with pytest.raises(StoreError, match="not a conflictmap store"):
        open_store(export)
    with pytest.raises(InputError, match=".gpkg"):
        open_store(tmp_path / "store.sqlite")
    with pytest.raises(InputError, match="scheme"):
        open_store("mysql://x/y")


def _ingest_worker(db: str, prefix: str, n: int, barrier) -> int:
    arts = [make_article(f"{prefix}-{i}") for i in range(n)]
    by = {
        a.id: [make_incident(a.id, f"P{prefix}{i}", lat=10 + i * 0.5, lon=(20 if prefix == "a" else -20) + i * 0.5)]
        for i, a in enumerate(arts)
    }
    shared = make_article("shared")  # both processes ingest this one: it must be stored once
    by["shared"] = [make_incident("shared", "Shared", lat=-30, lon=140)]
    with open_store(db) as st:
        barrier.wait()
        rep = st.ingest([*arts, shared], by)
    return rep.articles_new


def test_two_concurrent_ingests_into_one_store(store_db: str) -> None:
    """Two processes ingest at the same moment (GeoPackage: busy wait; PostGIS: advisory lock)."""
    db = store_db
    ctx = mp.get_context("spawn")
    barrier = ctx.Manager().Barrier(2)
    with ctx.Pool(2) as pool:
        res = [pool.apply_async(_ingest_worker, (db, p, 150, barrier)) for p in ("a", "b")]
        new = sorted(r.get(timeout=300) for r in res)
    assert new == [150, 151]  # one of them stored the shared article, the other found it unchanged
    with open_store(db) as st:
        s = st.stats()
        assert (s["articles"], s["reports"], s["incidents"]) == (301, 301, 301)
        ids = [i.id for i, _ in st.query()]
        assert len(ids) == len(set(ids)) == 301
        assert s["ingest_runs"] == 2
