"""Exports of incidents: GeoJSON (RFC 7946, one writer for everything), CSV and GeoPackage.

Every export is derived from :meth:`geo.model.Incident.to_properties`, so the
fields are described once. GeoJSON carries the full nested properties (sources,
evidence, casualties, border, claims); CSV and GeoPackage carry flat,
ACLED-compatible columns plus this project's own, and the GeoPackage keeps the
full properties as JSON in a ``properties`` column.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

from geo.atomic import atomic_write_text, atomic_write_with
from geo.errors import InputError
from geo.model import Incident
from geo.render.safe import finite

#: JSON schema of the GeoJSON export (draft 2020-12), checked by the tests with ``jsonschema``
SCHEMA_PATH = Path(__file__).with_name("export_schema.json")

#: decimal places kept for coordinates (RFC 7946 §11.2: ~1 cm; no false precision)
DECIMALS = 7

#: ACLED column names first (where a field maps), then this project's own.
CSV_COLUMNS = [
    # ACLED-compatible
    "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "admin1", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "fatalities",
    # conflictmap's own
    "incident_id", "country_code", "date_start", "date_end", "date_how",
    "fatalities_low", "fatalities_best", "fatalities_high",
    "injured_low", "injured_best", "injured_high", "casualty_categories",
    "border_km", "border_neighbour", "border_own", "border_dataset", "border_uncertainty_km",
    "border_disputed", "at_border",
    "claim", "claim_verdict", "claim_computed_km", "claim_explanation",
    "actors", "sources", "source_urls", "location_text", "place_id", "place_source",
    "where_prec", "merge_reason",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ----- GeoJSON ---------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    """JSON-ready copy: floats rounded to 7 decimals, NaN/inf → None."""
    if isinstance(value, float):
        return round(value, DECIMALS) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def incident_to_feature(incident: Incident) -> dict[str, Any]:
    """One RFC 7946 Feature: Point ``[lon, lat]``, ``id``, properties without the duplicated coordinate."""
    lon, lat = finite(incident.place.lon), finite(incident.place.lat)
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InputError(
            f"incident {incident.id!r} has no valid coordinate (got lat={incident.place.lat!r}, "
            f"lon={incident.place.lon!r}); fix or drop it before exporting"
        )
    props = _clean(incident.to_properties())
    props["place"].pop("lat", None)
    props["place"].pop("lon", None)
    return {
        "type": "Feature",
        "id": incident.id,
        "geometry": {"type": "Point", "coordinates": [round(lon, DECIMALS), round(lat, DECIMALS)]},
        "properties": props,
    }


def feature_collection(incidents: list[Incident]) -> dict[str, Any]:
    """RFC 7946 FeatureCollection (no ``crs`` member) with a ``bbox``."""
    features = [incident_to_feature(i) for i in incidents]
    fc: dict[str, Any] = {"type": "FeatureCollection"}
    if features:
        xs = [f["geometry"]["coordinates"][0] for f in features]
        ys = [f["geometry"]["coordinates"][1] for f in features]
        fc["bbox"] = [min(xs), min(ys), max(xs), max(ys)]
    fc["features"] = features
    return fc


def write_geojson(incidents: list[Incident], path: Path) -> Path:
    """Write ``incidents`` as an RFC 7946 GeoJSON file (atomically); returns the path."""
    path = Path(path)
    text = json.dumps(feature_collection(incidents), ensure_ascii=False, allow_nan=False, indent=None)
    atomic_write_text(path, text + "\n")
    return path


def read_geojson(path: Path) -> list[Incident]:
    """Rebuild incidents from a file written by :func:`write_geojson`.

    Raises :class:`~geo.errors.InputError` naming the file (and feature) on any problem.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; give an incidents.geojson written by 'conflictmap map'") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read it as UTF-8 text ({exc.__class__.__name__}: {exc})") from None
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(
        doc.get("features"), list
    ):
        got = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(f"{path}: expected a GeoJSON FeatureCollection with a 'features' list, got {got!r}")
    incidents = []
    for n, feat in enumerate(doc["features"]):
        where = f"{path}: feature {n}"
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise InputError(f"{where}: not a GeoJSON Feature")
        geom = feat.get("geometry")
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if not isinstance(geom, dict) or geom.get("type") != "Point" or not isinstance(coords, list) or len(
            coords
        ) < 2:
            raise InputError(f"{where}: expected a Point geometry [lon, lat], got {json.dumps(geom)[:80]}")
        lon, lat = finite(coords[0]), finite(coords[1])
        if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InputError(f"{where}: coordinate {coords[:2]} is not a WGS84 [lon, lat] pair")
        props = feat.get("properties")
        if not isinstance(props, dict) or not isinstance(props.get("place"), dict):
            raise InputError(f"{where}: properties lack the 'place' object written by conflictmap")
        props = dict(props)
        props["place"] = {**props["place"], "lon": lon, "lat": lat}
        props.setdefault("id", feat.get("id"))
        if not isinstance(props.get("id"), str) or not props["place"].get("name"):
            raise InputError(f"{where}: properties need a string 'id' and a place 'name'")
        try:
            incidents.append(Incident.from_properties(props))
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise InputError(f"{where}: properties do not describe an incident ({exc})") from None
    return incidents


def schema() -> dict[str, Any]:
    """The JSON schema every file written by :func:`write_geojson` satisfies."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# ----- flat rows (CSV, GeoPackage) ----------------------------------------------------------


def _join(values: list[Any]) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def incident_row(incident: Incident) -> dict[str, Any]:
    """Flat ACLED-compatible row (the CSV/GeoPackage columns) of one incident."""
    p, d, c, b = incident.place, incident.date, incident.casualties, incident.border
    perpetrators = [a.name for a in incident.actors if a.role == "perpetrator"]
    targets = [a.name for a in incident.actors if a.role == "target"]
    others = [a.name for a in incident.actors if a.name not in perpetrators + targets]
    ordered = list(dict.fromkeys(perpetrators + targets + others))
    actor1 = perpetrators[0] if perpetrators else (ordered[0] if ordered else None)
    actor2 = targets[0] if targets else next((a for a in ordered if a != actor1), None)
    claim = incident.claims[0] if incident.claims else None
    note_ev = (incident.event_evidence or [f.evidence for f in c.figures] or [None])[0]
    notes = (note_ev.sentence or note_ev.text) if note_ev else ""
    cats = "; ".join(
        f"{k}={'/'.join('' if v is None else str(v) for v in (r.low, r.best, r.high))}"
        for k, r in sorted(c.categories.items())
    )
    return {
        "event_date": d.date.isoformat() if d and d.date else None,
        "time_precision": d.precision if d else None,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "actor1": actor1,
        "actor2": actor2,
        "country": p.country,
        "admin1": p.admin1,
        "location": p.name,
        "latitude": round(p.lat, DECIMALS),
        "longitude": round(p.lon, DECIMALS),
        "geo_precision": incident.geo_precision,
        "source": _join(list(dict.fromkeys(s.publisher or s.title or s.article_id for s in incident.sources))),
        "notes": " ".join(notes.split()),
        "fatalities": incident.fatalities,
        "incident_id": incident.id,
        "country_code": p.country_code,
        "date_start": d.start.isoformat() if d and d.start else None,
        "date_end": d.end.isoformat() if d and d.end else None,
        "date_how": d.how if d else None,
        "fatalities_low": c.killed.low,
        "fatalities_best": c.killed.best,
        "fatalities_high": c.killed.high,
        "injured_low": c.injured.low,
        "injured_best": c.injured.best,
        "injured_high": c.injured.high,
        "casualty_categories": cats or None,
        "border_km": round(b.distance_km, 3) if b and finite(b.distance_km) is not None else None,
        "border_neighbour": b.neighbour if b else None,
        "border_own": b.own if b else None,
        "border_dataset": b.dataset if b else None,
        "border_uncertainty_km": round(b.uncertainty_km, 3) if b and finite(b.uncertainty_km) is not None else None,
        "border_disputed": b.disputed if b else None,
        "at_border": b.at_border if b else None,
        "claim": claim.evidence.text if claim else None,
        "claim_verdict": claim.verdict if claim else None,
        "claim_computed_km": claim.computed_km if claim else None,
        "claim_explanation": claim.explanation if claim else None,
        "actors": _join(ordered) or None,
        "sources": _join([s.article_id for s in incident.sources]) or None,
        "source_urls": _join([s.url for s in incident.sources]) or None,
        "location_text": incident.location_text,
        "place_id": p.place_id,
        "place_source": p.source,
        "where_prec": incident.where_prec,
        "merge_reason": incident.merge_reason,
    }


def _csv_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (numbers stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(incidents: list[Incident], path: Path) -> Path:
    """Write one CSV row per incident (UTF-8, header row, formula-injection safe); returns the path."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")  # RFC 4180; quotes a lone CR
    writer.writeheader()
    for inc in incidents:
        writer.writerow({k: _csv_cell(v) for k, v in incident_row(inc).items()})
    atomic_write_text(Path(path), buf.getvalue())
    return Path(path)


def write_gpkg(incidents: list[Incident], path: Path, *, layer: str = "incidents") -> Path:
    """Write a GeoPackage layer (EPSG:4326 points; flat columns + full ``properties`` JSON)."""
    import geopandas as gpd
    import pandas as pd
    from shapely import points

    rows = [incident_row(i) for i in incidents]
    frame = pd.DataFrame(rows, columns=CSV_COLUMNS)
    frame["properties"] = [
        json.dumps(incident_to_feature(i)["properties"], ensure_ascii=False, allow_nan=False) for i in incidents
    ]
    for col in ("border_disputed", "at_border"):
        frame[col] = frame[col].astype("boolean")
    for col in ("time_precision", "geo_precision", "fatalities", "fatalities_low", "fatalities_best",
                "fatalities_high", "injured_low", "injured_best", "injured_high", "where_prec"):
        frame[col] = pd.to_numeric(frame[col]).astype("Int64")
    for col in ("latitude", "longitude", "border_km", "border_uncertainty_km", "claim_computed_km"):
        frame[col] = pd.to_numeric(frame[col]).astype("float64")
    geometry = points([r["longitude"] for r in rows], [r["latitude"] for r in rows]) if rows else []
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"), crs="EPSG:4326")

    def _write(tmp: Path) -> None:
        gdf.to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio")

    atomic_write_with(Path(path), _write)
    return Path(path)
