"""Radius, bounding-box, date, country, type and fatality filters — in memory or on a store.

The semantics are the stores' (:class:`geo.store.base.Filters`):

* ``near=(lat, lon)`` + ``radius_km``: geodesic distance on WGS84 (pyproj) ≤ radius;
  results come nearest first with their distance in km;
* ``bbox=(west, south, east, north)`` in degrees (``west > east`` crosses the antimeridian);
* ``date_from``/``date_to``: the incident's date span ``[start, end]`` overlaps the range
  (undated incidents never match a date filter);
* ``country``: ISO alpha-2 of the incident's place; ``event_type``: event or sub-event
  type, case-insensitive; ``min_fatalities``: best (else low) killed estimate ≥ N.

Without ``near`` results are ordered newest first (undated last), then by id.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import InputError
from geo.model import Incident
from geo.store.base import FLAT_NAMES, Filters, finish_near, flat_row

if TYPE_CHECKING:
    import geopandas


def filter_incidents(
    incidents: Iterable[Incident],
    *,
    near: tuple[float, float] | None = None,
    radius_km: float | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    date_from: Any = None,
    date_to: Any = None,
    country: str | None = None,
    event_type: str | None = None,
    min_fatalities: int | None = None,
    limit: int | None = None,
) -> list[tuple[Incident, float | None]]:
    """Incidents matching every filter, as ``(incident, distance_km | None)`` (see the module docstring)."""
    f = Filters.make(
        near=near, radius_km=radius_km, bbox=bbox, date_from=date_from, date_to=date_to,
        country=country, event_type=event_type, min_fatalities=min_fatalities, limit=limit,
    )
    kept = []
    for inc in incidents:
        row = flat_row(inc)
        if f.matches(row):
            kept.append((inc, row))
    if f.near is None:
        kept.sort(key=lambda t: t[1]["id"])
        kept.sort(key=lambda t: t[1]["date_start"] or "", reverse=True)
        kept.sort(key=lambda t: t[1]["date_start"] is None)
        out: list[tuple[Incident, float | None]] = [(inc, None) for inc, _ in kept]
        return out[: f.limit] if f.limit is not None else out
    return finish_near(((inc, row["lat"], row["lon"]) for inc, row in kept), f)


def load_incidents(source: str | Path, **filters: Any) -> list[tuple[Incident, float | None]]:
    """Filtered incidents from a GeoJSON file (``conflictmap map`` output), a ``.gpkg`` store or a PostGIS URL."""
    from geo.store import is_store_url, open_store

    text = str(source)
    if is_store_url(text) or text.lower().endswith(".gpkg"):
        if not is_store_url(text) and not Path(text).is_file():
            raise InputError(f"{text}: no such store; create it with: conflictmap ingest PATH... --db {text}")
        if not is_store_url(text) and not _is_store(Path(text)):
            return filter_incidents(_read_gpkg_export(Path(text)), **filters)
        with open_store(text) as st:
            return st.query(**filters)
    path = Path(text)
    if not path.is_file():
        raise InputError(f"{path}: no such file; run `conflictmap map PATH...` first to create it")
    from geo.export import read_geojson

    return filter_incidents(read_geojson(path), **filters)


def _is_store(path: Path) -> bool:
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return bool(con.execute("SELECT 1 FROM sqlite_master WHERE name = 'conflictmap_meta'").fetchall())
        finally:
            con.close()
    except sqlite3.Error:
        return False


def _read_gpkg_export(path: Path) -> list[Incident]:
    """Incidents of a GeoPackage written by ``conflictmap export --format gpkg`` (its ``properties`` column)."""
    import json

    import pyogrio

    try:
        frame = pyogrio.read_dataframe(path, layer="incidents", columns=["properties"], read_geometry=True)
    except Exception as exc:  # noqa: BLE001 - any GDAL failure means: not a readable export
        raise InputError(f"{path}: not a conflictmap store or export with an 'incidents' layer ({exc})") from None
    out = []
    for n, (props, geom) in enumerate(zip(frame["properties"], frame.geometry)):
        try:
            data = json.loads(props)
            data["place"] = {**data["place"], "lon": geom.x, "lat": geom.y}
            out.append(Incident.from_properties(data))
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise InputError(f"{path}: feature {n} does not describe an incident ({exc})") from None
    return out


def load_flat(source: str | Path, **filters: Any) -> list[dict[str, Any]]:
    """Like :func:`load_incidents` but flat rows (:func:`geo.store.base.flat_row` columns, plus
    ``distance_km`` with ``near``); stores answer without decoding incidents (fast on big stores)."""
    from geo.store import is_store_url, open_store

    text = str(source)
    if is_store_url(text) or (text.lower().endswith(".gpkg") and Path(text).is_file() and _is_store(Path(text))):
        with open_store(text) as st:
            return st.query_flat(**filters)
    rows = []
    for inc, dist in load_incidents(source, **filters):
        row = flat_row(inc)
        if filters.get("near") is not None:
            row["distance_km"] = dist
        rows.append(row)
    return rows


def to_geodataframe(rows: Iterable[tuple[Incident, float | None]], with_distance: bool = False) -> geopandas.GeoDataFrame:
    """Flat columns (+ ``distance_km``) and Point geometry in EPSG:4326."""
    import geopandas
    import pandas as pd
    import shapely

    records = []
    for inc, dist in rows:
        row = flat_row(inc)
        if with_distance:
            row["distance_km"] = dist
        records.append(row)
    columns = list(FLAT_NAMES) + (["distance_km"] if with_distance else [])
    df = pd.DataFrame.from_records(records, columns=columns)
    geometry = shapely.points(df["lon"].to_numpy(dtype=float), df["lat"].to_numpy(dtype=float)) if len(df) else []
    return geopandas.GeoDataFrame(df, geometry=geopandas.GeoSeries(geometry, crs="EPSG:4326"), crs="EPSG:4326")


def read_incidents(source: str | Path, **filters: Any) -> geopandas.GeoDataFrame:
    """Incidents of a GeoJSON file, GeoPackage store or ``postgresql://`` store as a GeoDataFrame.

    ``filters`` are those of :func:`filter_incidents` (``near=(lat, lon)``, ``radius_km=…``, …);
    with ``near`` a ``distance_km`` column is added and rows come nearest first. Columns are the
    flat incident columns (EPSG:4326 Point geometry from ``lon``/``lat``).
    """
    import geopandas
    import pandas as pd
    import shapely

    rows = load_flat(source, **filters)
    columns = list(FLAT_NAMES) + (["distance_km"] if filters.get("near") is not None else [])
    df = pd.DataFrame.from_records(rows, columns=columns)
    geometry = shapely.points(df["lon"].to_numpy(dtype=float), df["lat"].to_numpy(dtype=float)) if len(df) else []
    return geopandas.GeoDataFrame(df, geometry=geopandas.GeoSeries(geometry, crs="EPSG:4326"), crs="EPSG:4326")
