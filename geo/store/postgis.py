"""The PostGIS store: the same tables and contract as the GeoPackage store, on PostgreSQL.

Points are ``geography(Point, 4326)`` with a GiST index; radius queries use
``ST_DWithin`` on geography (metres on the spheroid) and report distances with
pyproj ``Geod`` exactly like the embedded store. Every ingest is one
transaction serialised by a transaction-level advisory lock, so concurrent
ingests wait for each other; incidents are written with ``COPY``.
psycopg is an optional extra (``pip install 'conflictmap[postgis]'``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from geo.errors import MissingExtraError, StoreError
from geo.model import Incident
from geo.store.base import (
    FLAT_COLUMNS,
    FLAT_NAMES,
    SCHEMA_VERSION,
    Filters,
    IncidentStore,
    finish_near,
    flat_row,
)

_LOCK_KEY = 0x636D6170  # "cmap": serialises writers of one database

_PG_TYPES = {"TEXT": "text", "DATE": "text", "REAL": "double precision", "INTEGER": "integer"}


def _schema_sql() -> list[str]:
    cols = ",\n  ".join(
        f"{name} {_PG_TYPES[typ]}{' PRIMARY KEY' if name == 'id' else ''}" for name, typ in FLAT_COLUMNS
    )
    return [
        "CREATE EXTENSION IF NOT EXISTS postgis",
        f"CREATE TABLE IF NOT EXISTS incidents (\n  {cols},\n  geog geography(Point, 4326) NOT NULL,\n"
        "  properties jsonb NOT NULL)",
        "CREATE INDEX IF NOT EXISTS incidents_geog ON incidents USING gist (geog)",
        "CREATE INDEX IF NOT EXISTS incidents_country ON incidents (country_code)",
        "CREATE INDEX IF NOT EXISTS incidents_date ON incidents (date_start)",
        "CREATE TABLE IF NOT EXISTS articles (id text PRIMARY KEY, content_hash text NOT NULL, title text, "
        "publisher text, url text, published text, path text, text text NOT NULL, n_incidents integer NOT NULL, "
        "ingested_at text NOT NULL)",
        "CREATE TABLE IF NOT EXISTS reports (id text PRIMARY KEY, article_id text NOT NULL REFERENCES articles(id), "
        "incident_id text, lon double precision NOT NULL, lat double precision NOT NULL, date text, "
        "properties jsonb NOT NULL)",
        "CREATE INDEX IF NOT EXISTS reports_article ON reports (article_id)",
        "CREATE INDEX IF NOT EXISTS reports_incident ON reports (incident_id)",
        "CREATE TABLE IF NOT EXISTS ingest_runs (run serial PRIMARY KEY, started text NOT NULL, "
        "finished text NOT NULL, report text NOT NULL)",
        "CREATE TABLE IF NOT EXISTS conflictmap_meta (key text PRIMARY KEY, value text)",
        f"INSERT INTO conflictmap_meta VALUES ('schema_version', '{SCHEMA_VERSION}') ON CONFLICT DO NOTHING",
    ]


def redact(url: str) -> str:
    """The URL without its password (for messages)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


class PostGISStore(IncidentStore):
    """Incident store in a PostgreSQL database with PostGIS."""

    backend = "postgis"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise MissingExtraError("postgis", "psycopg") from None
        self._psycopg = psycopg
        self.location = redact(url)
        try:
            self.con = psycopg.connect(url, autocommit=True, connect_timeout=15)
        except psycopg.Error as exc:
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(
                f"cannot connect to {self.location}: {msg}; check the URL and that the server is running"
            ) from exc
        try:
            self._begin_write()
            for stmt in _schema_sql():
                self.con.execute(stmt)
            self._commit()
        except psycopg.Error as exc:
            self._rollback()
            self.con.close()
            raise StoreError(
                f"{self.location}: cannot create the store's tables ({str(exc).strip().splitlines()[0]}); "
                "the database needs PostGIS: run CREATE EXTENSION postgis as a superuser"
            ) from exc

    # --- primitives ---
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        cur = self.con.execute(_pg(sql), list(params) or None)
        return cur.fetchall() if cur.description else []

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self.con.cursor() as cur:
                cur.executemany(_pg(sql), rows)

    def _begin_write(self) -> None:
        self.con.execute("BEGIN")
        self.con.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))

    def _commit(self) -> None:
        self.con.execute("COMMIT")

    def _rollback(self) -> None:
        try:
            self.con.execute("ROLLBACK")
        except self._psycopg.Error:
            pass

    def _insert_incidents(self, rows: list[tuple[Incident, str]]) -> None:
        names = ", ".join(FLAT_NAMES)
        with self.con.cursor() as cur, cur.copy(f"COPY incidents ({names}, geog, properties) FROM STDIN") as cp:
            for inc, props in rows:
                flat = flat_row(inc)
                geog = f"SRID=4326;POINT({flat['lon']!r} {flat['lat']!r})"
                cp.write_row([*(flat[n] for n in FLAT_NAMES), geog, props])

    def _delete_incidents(self, ids: Sequence[str]) -> None:
        if ids:
            self.con.execute("DELETE FROM incidents WHERE id = ANY(%s)", (list(ids),))

    @staticmethod
    def _dwithin(lat: float, lon: float, radius_km: float) -> tuple[str, list[Any]]:
        # a hair wider than the radius: the exact cut is made with pyproj, like the GeoPackage store
        return (
            "ST_DWithin(geog, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?)",
            [lon, lat, radius_km * 1000.0 * 1.0001 + 1.0],
        )

    def _spatial_sql(self, f: Filters) -> tuple[str, list[Any]] | None:
        if f.near is not None and f.radius_km is not None:
            return self._dwithin(f.near[0], f.near[1], f.radius_km)
        return None

    def _neighbour_ids(self, lat: float, lon: float, radius_km: float, where: list[str], params: list[Any],
                       with_prec: bool = False) -> list[Any]:
        f = Filters(near=(lat, lon), radius_km=radius_km)
        sql, p = self._dwithin(lat, lon, radius_km)
        rows = self._execute(
            f"SELECT id, lat, lon, where_prec FROM incidents WHERE {' AND '.join([sql, *where])}", p + params
        )
        got = finish_near((((rid, wp), la, lo) for rid, la, lo, wp in rows), f)
        return [(rid, d, wp) for (rid, wp), d in got] if with_prec else [rid for (rid, _), _ in got]

    def close(self) -> None:
        try:
            self._rollback()
            self.con.close()
        except Exception:  # noqa: BLE001 - closing a broken connection must not mask the real error
            pass
