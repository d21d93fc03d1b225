"""The embedded store: an OGC GeoPackage written with the standard library's ``sqlite3``.

The ``incidents`` table is a real GeoPackage feature layer (``gpkg_contents``,
``gpkg_geometry_columns``, ``gpkg_spatial_ref_sys``, GeoPackage geometry blobs,
EPSG:4326) with the ``gpkg_rtree_index`` extension: an SQLite R*Tree kept up to
date by the standard GeoPackage triggers, whose ``ST_MinX``/``ST_IsEmpty``…
functions this module registers on its connection (GDAL/QGIS register their
own), so QGIS, GDAL/pyogrio and geopandas open the layer directly and no
SpatiaLite is needed. ``articles``, ``reports`` and ``ingest_runs`` are
GeoPackage attribute tables.

Concurrency and crashes: the database runs in WAL mode; every ingest is one
``BEGIN IMMEDIATE`` transaction, so a second writer waits (busy timeout) rather
than failing, readers never block, and a killed process leaves the last
committed state.
"""

from __future__ import annotations

import math
import sqlite3
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geo.errors import StoreError
from geo.model import Incident
from geo.store.base import (
    FLAT_COLUMNS,
    FLAT_NAMES,
    SCHEMA_VERSION,
    Filters,
    IncidentStore,
    bbox_parts,
    circle_bboxes,
    finish_near,
    flat_row,
)

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10200  # GeoPackage 1.2
TABLE, GEOM = "incidents", "geom"
RTREE = f"rtree_{TABLE}_{GEOM}"
BUSY_TIMEOUT_S = 120.0

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
    'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]'
)

# ----- GeoPackage geometry blobs -----------------------------------------------------------

_HEADER = struct.Struct("<2sBBi")  # magic "GP", version 0, flags, srs_id
_POINT = struct.Struct("<BIdd")  # WKB little endian, type 1 (Point), x, y
_FLAGS_LE_NO_ENVELOPE = 0b0000_0001


def point_blob(lon: float, lat: float, srs_id: int = 4326) -> bytes:
    """A GeoPackage binary Point (little endian, no envelope: allowed for points)."""
    return _HEADER.pack(b"GP", 0, _FLAGS_LE_NO_ENVELOPE, srs_id) + _POINT.pack(1, 1, lon, lat)


_ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}


def _blob_bounds(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """``(minx, maxx, miny, maxy)`` of a GeoPackage geometry blob; None when empty/NULL."""
    if not blob or len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if flags & 0b0001_0000:  # empty geometry
        return None
    n_env = _ENVELOPE_DOUBLES.get((flags >> 1) & 0b111, 0)
    order = "<" if flags & 1 else ">"
    if n_env:
        env = struct.unpack_from(f"{order}4d", blob, 8)
        return env[0], env[1], env[2], env[3]
    wkb = blob[8 + 8 * n_env :]
    if len(wkb) >= 21:
        bo = "<" if wkb[0] == 1 else ">"
        (gtype,) = struct.unpack_from(f"{bo}I", wkb, 1)
        if gtype % 1000 == 1:
            x, y = struct.unpack_from(f"{bo}2d", wkb, 5)
            if math.isnan(x) or math.isnan(y):  # NaN coordinates: an empty point
                return None
            return x, x, y, y
    import shapely

    geom = shapely.from_wkb(wkb)
    if geom.is_empty:
        return None
    minx, miny, maxx, maxy = geom.bounds
    return minx, maxx, miny, maxy


def _st(i: int):
    def fn(blob: bytes | None) -> float | None:
        b = _blob_bounds(blob)
        return None if b is None else b[i]

    return fn


def _st_is_empty(blob: bytes | None) -> int | None:
    if blob is None:
        return None
    return 1 if _blob_bounds(blob) is None else 0


def _register_functions(con: sqlite3.Connection) -> None:
    """The GeoPackage SQL functions the R-tree triggers call."""
    for i, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        con.create_function(name, 1, _st(i), deterministic=True)
    con.create_function("ST_IsEmpty", 1, _st_is_empty, deterministic=True)


# ----- schema -----------------------------------------------------------------------------------

_CORE_SQL = """
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
  scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
"""


def _schema_sql() -> str:
    cols = ",\n  ".join(
        f"{name} {typ}{' NOT NULL UNIQUE' if name == 'id' else ''}" for name, typ in FLAT_COLUMNS
    )
    t, g, r = TABLE, GEOM, RTREE
    mm = f"ST_MinX(NEW.{g}), ST_MaxX(NEW.{g}), ST_MinY(NEW.{g}), ST_MaxY(NEW.{g})"
    return f"""
CREATE TABLE IF NOT EXISTS {t} (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  {g} POINT,
  {cols},
  properties TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS {t}_country ON {t}(country_code);
CREATE INDEX IF NOT EXISTS {t}_date ON {t}(date_start);
CREATE VIRTUAL TABLE IF NOT EXISTS {r} USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER IF NOT EXISTS {r}_insert AFTER INSERT ON {t}
  WHEN (new.{g} NOT NULL AND NOT ST_IsEmpty(NEW.{g}))
  BEGIN INSERT OR REPLACE INTO {r} VALUES (NEW.fid, {mm}); END;
CREATE TRIGGER IF NOT EXISTS {r}_update1 AFTER UPDATE OF {g} ON {t}
  WHEN OLD.fid = NEW.fid AND (NEW.{g} NOTNULL AND NOT ST_IsEmpty(NEW.{g}))
  BEGIN INSERT OR REPLACE INTO {r} VALUES (NEW.fid, {mm}); END;
CREATE TRIGGER IF NOT EXISTS {r}_update2 AFTER UPDATE OF {g} ON {t}
  WHEN OLD.fid = NEW.fid AND (NEW.{g} ISNULL OR ST_IsEmpty(NEW.{g}))
  BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;
CREATE TRIGGER IF NOT EXISTS {r}_update3 AFTER UPDATE ON {t}
  WHEN OLD.fid != NEW.fid AND (NEW.{g} NOTNULL AND NOT ST_IsEmpty(NEW.{g}))
  BEGIN DELETE FROM {r} WHERE id = OLD.fid; INSERT OR REPLACE INTO {r} VALUES (NEW.fid, {mm}); END;
CREATE TRIGGER IF NOT EXISTS {r}_update4 AFTER UPDATE ON {t}
  WHEN OLD.fid != NEW.fid AND (NEW.{g} ISNULL OR ST_IsEmpty(NEW.{g}))
  BEGIN DELETE FROM {r} WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER IF NOT EXISTS {r}_delete AFTER DELETE ON {t}
  WHEN old.{g} NOT NULL
  BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;
CREATE TABLE IF NOT EXISTS articles (
  id TEXT PRIMARY KEY NOT NULL, content_hash TEXT NOT NULL, title TEXT, publisher TEXT, url TEXT,
  published TEXT, path TEXT, text TEXT NOT NULL, n_incidents INTEGER NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (
  id TEXT PRIMARY KEY NOT NULL, article_id TEXT NOT NULL REFERENCES articles(id), incident_id TEXT,
  lon REAL NOT NULL, lat REAL NOT NULL, date TEXT, properties TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS reports_article ON reports(article_id);
CREATE INDEX IF NOT EXISTS reports_incident ON reports(incident_id);
CREATE TABLE IF NOT EXISTS ingest_runs (
  run INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, finished TEXT NOT NULL, report TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS conflictmap_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT);
"""


def _registrations() -> list[tuple[str, Sequence[Any]]]:
    sql = []
    srs = "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)"
    sql.append((srs, ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid")))
    sql.append((srs, ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system")))
    sql.append((srs, ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system")))
    contents = "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, ?, ?, ?, ?)"
    sql.append((contents, (TABLE, "features", TABLE, "Merged conflict incidents (conflictmap store)", 4326)))
    for t, d in (
        ("articles", "Ingested articles (text, metadata, content hash)"),
        ("reports", "Per-article incidents as extracted (JSON properties)"),
        ("ingest_runs", "One row per ingest run"),
    ):
        sql.append((contents, (t, "attributes", t, d, None)))
    sql.append(("INSERT OR IGNORE INTO gpkg_geometry_columns VALUES (?, ?, 'POINT', 4326, 0, 0)", (TABLE, GEOM)))
    sql.append((
        "INSERT OR IGNORE INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', "
        "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        (TABLE, GEOM),
    ))
    sql.append(("INSERT OR IGNORE INTO conflictmap_meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)))
    return sql


class GeoPackageStore(IncidentStore):
    """Incident store in one GeoPackage file (created on first use)."""

    backend = "geopackage"

    def __init__(self, path: str | Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and self.path.stat().st_size > 0:
                with open(self.path, "rb") as fh:
                    if fh.read(16) != b"SQLite format 3\x00":
                        raise StoreError(
                            f"{self.path}: not a GeoPackage/SQLite file; give a new file name or a conflictmap store"
                        )
            self.con = sqlite3.connect(self.path, timeout=busy_timeout_s, isolation_level=None)
            self.con.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            _register_functions(self.con)
            self._init_schema()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc}); check the path and its permissions") from exc

    def _init_schema(self) -> None:
        con = self.con
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
        if mode.lower() != "wal":
            con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")  # durable against process crashes in WAL mode
        con.execute("PRAGMA foreign_keys = ON")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "conflictmap_meta" in tables and TABLE in tables:
            return
        if tables - {"sqlite_sequence"} and "gpkg_contents" in tables and TABLE not in tables:
            pass  # a GeoPackage without our layers: add them
        elif tables and "gpkg_contents" not in tables:
            raise StoreError(
                f"{self.path}: an SQLite database that is not a GeoPackage; give a new file name for the store"
            )
        elif TABLE in tables and "conflictmap_meta" not in tables:
            raise StoreError(
                f"{self.path}: a GeoPackage with an '{TABLE}' layer that is not a conflictmap store "
                "(an export?); read it with --in, or give a new file name for the store"
            )
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
            con.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
            for stmt in (_CORE_SQL + _schema_sql()).split(";\n"):
                if stmt.strip():
                    con.execute(stmt)
            for sql, params in _registrations():
                con.execute(sql, params)
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise

    # --- primitives ---
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.con.execute(sql, params).fetchall()

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.con.executemany(sql, rows)

    def _begin_write(self) -> None:
        try:
            self.con.execute("BEGIN IMMEDIATE")  # waits up to the busy timeout for another writer
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"{self.path}: another process has held the store for more than {BUSY_TIMEOUT_S:.0f} s ({exc}); "
                "wait for it to finish and run again"
            ) from exc

    def _commit(self) -> None:
        self._update_extent()
        self.con.execute("COMMIT")

    def _rollback(self) -> None:
        if self.con.in_transaction:
            self.con.execute("ROLLBACK")

    def _update_extent(self) -> None:
        self.con.execute(
            f"UPDATE gpkg_contents SET (min_x, min_y, max_x, max_y) = "
            f"(SELECT min(lon), min(lat), max(lon), max(lat) FROM {TABLE}), "
            f"last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?",
            (TABLE,),
        )

    def _insert_incidents(self, rows: list[tuple[Incident, str]]) -> None:
        names = ", ".join(FLAT_NAMES)
        marks = ", ".join("?" * (len(FLAT_NAMES) + 2))
        data = []
        for inc, props in rows:
            flat = flat_row(inc)
            data.append((point_blob(flat["lon"], flat["lat"]), *(flat[n] for n in FLAT_NAMES), props))
        self.con.executemany(f"INSERT INTO {TABLE} ({GEOM}, {names}, properties) VALUES ({marks})", data)

    def _delete_incidents(self, ids: Sequence[str]) -> None:
        self.con.executemany(f"DELETE FROM {TABLE} WHERE id = ?", [(i,) for i in ids])

    def _rtree_sql(self, boxes: list[tuple[float, float, float, float]]) -> tuple[str, list[Any]]:
        ors, params = [], []
        for w, s, e, n in boxes:
            ors.append("(minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?)")
            params += [e, w, n, s]
        return f"fid IN (SELECT id FROM {RTREE} WHERE {' OR '.join(ors)})", params

    def _spatial_sql(self, f: Filters) -> tuple[str, list[Any]] | None:
        if f.near is not None and f.radius_km is not None:
            return self._rtree_sql(circle_bboxes(f.near[0], f.near[1], f.radius_km))
        if f.bbox is not None:
            return self._rtree_sql(bbox_parts(f.bbox))
        return None

    def _neighbour_ids(self, lat: float, lon: float, radius_km: float, where: list[str], params: list[Any],
                       with_prec: bool = False) -> list[Any]:
        f = Filters(near=(lat, lon), radius_km=radius_km)
        sql, p = self._rtree_sql(circle_bboxes(lat, lon, radius_km))
        cond = " AND ".join([sql, *where])
        rows = self._execute(f"SELECT id, lat, lon, where_prec FROM {TABLE} WHERE {cond}", p + params)
        got = finish_near((((rid, wp), la, lo) for rid, la, lo, wp in rows), f)
        return [(rid, d, wp) for (rid, wp), d in got] if with_prec else [rid for (rid, _), _ in got]

    def bulk_load(self, incidents, batch: int = 50_000) -> int:  # type: ignore[no-untyped-def]
        """See :meth:`IncidentStore.bulk_load`; afterwards the WAL is folded back into the file."""
        n = super().bulk_load(incidents, batch)
        self.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return n

    def close(self) -> None:
        try:
            self._rollback()
            self.con.close()
        except sqlite3.Error:
            pass
