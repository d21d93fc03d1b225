"""Build international land border lines from the OSM-derived region polygons of omim-data-borders.

Method (see ``docs/borders.md``):

1. Every region polygon of the archive (``gazetteer.omim``) is labelled with a *unit*: its
   country's ISO code, or the name of a disputed/de-facto entity (Abkhazia, Crimea, …) or of a
   region whose boundary with a neighbour is a line of control (Jammu and Kashmir).
2. The polygons come from one dataset whose neighbouring rings share their vertices exactly, but
   not every vertex: one side sometimes has an extra vertex the other lacks (Syria shares 4,553
   of its 9,429 edges with Turkey's regions edge for edge; with vertex matching the TR–SY line
   has no gaps). So a border edge is an edge of a unit's ring whose *two end vertices are both
   used by the ring of one other unit*. Edges between regions of the same country are internal
   and dropped; edges whose vertices no other unit uses are coastlines or the outer limit of
   territorial waters and never become borders.
3. MAPS.ME polygons include territorial waters, so neighbours also share maritime limits. Shared
   edges are cut into pieces of at most :data:`PIECE_DEG` degrees and a piece is kept when its
   midpoint is on land in the GLOBE 30″ (≈ 1 km) land mask of ``global-land-mask`` (lakes and
   rivers count as land there, so Lake Kivu or Lake Peipus borders are kept). Near a coast the
   cut is therefore accurate to about one mask cell (≈ 1 km along the line).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from gazetteer import omim

log = logging.getLogger(__name__)

#: maximum length of a border piece in degrees (≈ 550 m of latitude); bounds the index error terms
PIECE_DEG = 0.005

#: regions whose boundary with a foreign neighbour is a line of control rather than a settled border
LOC_REGIONS: dict[str, str] = {
    "India_Jammu and Kashmir.poly": "Jammu and Kashmir",
}

#: kind of line between a disputed entity and its neighbours, by entity
ENTITY_KIND: dict[str, str] = {
    "Abkhazia": "line of control/ceasefire line (Abkhazia)",
    "South Ossetia": "line of control/ceasefire line (South Ossetia)",
    "Crimea": "line of control (Crimea)",
    "Nagorno-Karabakh": "line of control/ceasefire line (Nagorno-Karabakh)",
    "Jerusalem": "disputed boundary (Jerusalem)",
    "Campo de Hielo Sur": "disputed boundary (Southern Patagonian Ice Field)",
    "Jammu and Kashmir": "line of control (Kashmir)",
}

#: pairs of countries whose shared line is a ceasefire/armistice line or otherwise disputed
DISPUTED_PAIRS: dict[frozenset[str], str] = {
    frozenset({"IL", "SY"}): "ceasefire line (Golan Heights)",
    frozenset({"IL", "LB"}): "armistice/withdrawal line (Blue Line)",
    frozenset({"IL", "PS"}): "armistice line (Green Line: West Bank/Gaza)",
    frozenset({"EH", "MA"}): "disputed boundary (Western Sahara)",
    frozenset({"RS", "XK"}): "disputed boundary (Kosovo)",
    frozenset({"CN", "IN"}): "line of actual control (India–China)",
    frozenset({"AZ", "AM"}): "disputed border (Armenia–Azerbaijan)",
}


#: neighbours whose only shared lines are maritime delimitations in the Caspian Sea, which the GLOBE
#: mask counts as inland water (land); Azerbaijan has no land border with either state.
NO_LAND_BORDER = {frozenset({"AZ", "KZ"}), frozenset({"AZ", "TM"})}


@dataclass
class Unit:
    """A side of a border line: a country, or a disputed entity labelled by its de-jure country."""

    name: str  # "SY", or "Abkhazia"
    iso2: str  # de-jure ISO2 ("GE" for Abkhazia)
    entity: bool  # a disputed entity or line-of-control region, not a whole country


def unit_of(region: omim.PolyRegion) -> Unit | None:
    """The border unit a region belongs to."""
    if region.iso2 is None:
        return None
    if region.disputed:
        return Unit(region.prefix, region.iso2, True)
    if region.file in LOC_REGIONS:
        return Unit(LOC_REGIONS[region.file], region.iso2, True)
    return Unit(region.iso2, region.iso2, False)


def _vertex_keys(xy: np.ndarray) -> np.ndarray:
    """One int64 per vertex, equal for coordinates equal to 1e-7 degree."""
    q = np.round(xy * 1e7).astype(np.int64) + (1 << 31)
    return (q[:, 0] << 32) | q[:, 1]


def pair_kind(ua: Unit, ub: Unit) -> tuple[bool, str]:
    """(disputed, kind) of the line between two units."""
    for u in (ua, ub):
        if u.entity:
            return True, ENTITY_KIND.get(u.name, f"disputed boundary ({u.name})")
    kind = DISPUTED_PAIRS.get(frozenset({ua.iso2, ub.iso2}))
    if kind:
        return True, kind
    return False, "international border"


@dataclass
class SharedEdges:
    """Edges shared by rings of two different units: x1, y1, x2, y2 and the two unit indexes."""

    xy1: np.ndarray  # (n, 2) lon, lat
    xy2: np.ndarray
    ua: np.ndarray  # (n,) int32, ua < ub
    ub: np.ndarray
    units: list[Unit]
    ambiguous: int  # edges used by three or more units (dropped)


def _bridge(border: np.ndarray, v_all: np.ndarray, a: np.ndarray, b: np.ndarray, u: np.ndarray,
            ua_: np.ndarray, ub_: np.ndarray, ia: np.ndarray, ib: np.ndarray, max_extra: int = 3) -> None:
    """Close gaps where *both* neighbours draw a short stretch with vertices of their own.

    In ring order, a path P → x₁ … x_r → Q (r ≤ ``max_extra``) of unit u whose inner vertices no
    other unit uses, and whose ends P and Q are both used by unit v > u, is u's drawing of the
    u–v line between P and Q, unless v's ring joins P and Q directly (then that edge is already a
    border edge). Only the lower unit's drawing is taken, so no stretch is drawn twice.
    Updates ``border``/``v_all`` in place.
    """
    n = len(u)
    direct = np.unique(np.minimum(ia, ib)[border] * (np.int64(1) << 32) + np.maximum(ia, ib)[border])
    joined = np.zeros(n, dtype=bool)  # edge i runs on into edge i + 1 (same ring)
    joined[:-1] = np.all(b[:-1] == a[1:], axis=1) & (u[:-1] == u[1:])
    solo_end = (ub_[:, 1] < 0)  # the edge's end vertex is used by its own unit only
    # paths start at a vertex that a higher unit also uses
    starts = np.flatnonzero(~border & (ua_ > u[:, None]).any(axis=1))
    for r in range(1, max_extra + 1):
        i = starts[starts < n - r]
        ok = np.ones(len(i), dtype=bool)
        for k in range(r):
            ok &= joined[i + k] & solo_end[i + k] & ~border[i + k + 1]
        if not ok.any():
            continue
        i = i[ok]
        p_users, q_users = ua_[i], ub_[i + r]
        common = (p_users > u[i][:, None]) & (p_users[:, :, None] == q_users[:, None, :]).any(axis=2)
        pq = np.minimum(ia[i], ib[i + r]) * (np.int64(1) << 32) + np.maximum(ia[i], ib[i + r])
        one = (common.sum(axis=1) == 1) & ~np.isin(pq, direct)
        i, vv = i[one], p_users[one][common[one]]
        for k in range(r + 1):
            border[i + k] = True
            v_all[i + k] = vv


def shared_edges(regions: Iterable[omim.PolyRegion]) -> SharedEdges:
    """Edges on the boundary between two different units (their rings share both end vertices)."""
    units: list[Unit] = []
    index: dict[tuple[str, str], int] = {}
    a_parts, b_parts, u_parts = [], [], []
    for region in regions:
        unit = unit_of(region)
        if unit is None:
            continue
        uid = index.setdefault((unit.name, unit.iso2), len(units))
        if uid == len(units):
            units.append(unit)
        for _hole, ring in region.rings:
            pts = np.asarray(ring, dtype=np.float64)
            if len(pts) < 2:
                continue
            if not np.array_equal(pts[0], pts[-1]):
                pts = np.vstack([pts, pts[:1]])
            a_parts.append(pts[:-1])
            b_parts.append(pts[1:])
            u_parts.append(np.full(len(pts) - 1, uid, dtype=np.int32))
    a = np.concatenate(a_parts)
    b = np.concatenate(b_parts)
    u = np.concatenate(u_parts)
    ka, kb = _vertex_keys(a), _vertex_keys(b)
    keep = ka != kb  # repeated vertices make empty edges
    a, b, u, ka, kb = a[keep], b[keep], u[keep], ka[keep], kb[keep]
    # which units' rings use each vertex (up to three: tripoints)
    o = np.lexsort((u, ka))
    ks, us = ka[o], u[o].astype(np.int64)
    distinct = np.r_[True, (ks[1:] != ks[:-1]) | (us[1:] != us[:-1])]
    vk, vu = ks[distinct], us[distinct]
    first = np.flatnonzero(np.r_[True, vk[1:] != vk[:-1]])
    keys = vk[first]
    count = np.diff(np.r_[first, len(vk)])
    users = np.full((len(keys), 3), -1, dtype=np.int64)
    for r in range(3):
        has = count > r
        users[has, r] = vu[first[has] + r]
    ia, ib = np.searchsorted(keys, ka), np.searchsorted(keys, kb)
    ua_, ub_ = users[ia], users[ib]
    # a border edge of unit u: both ends are used by one and the same other unit v. Vertex-level
    # matching also catches edges that the neighbour draws with an extra vertex in between.
    other = (ua_ != u[:, None]) & (ua_ >= 0)
    match = other & (ua_[:, :, None] == ub_[:, None, :]).any(axis=2)
    n_match = match.sum(axis=1)
    border = n_match == 1
    v_all = np.full(len(u), -1, dtype=np.int64)
    v_all[border] = ua_[border][match[border]]
    _bridge(border, v_all, a, b, u, ua_, ub_, ia, ib)
    idx = np.flatnonzero(border)
    v = v_all[idx]
    uu = u[idx].astype(np.int64)
    pmin, pmax = np.minimum(uu, v), np.maximum(uu, v)
    lo, hi = np.minimum(ka[idx], kb[idx]), np.maximum(ka[idx], kb[idx])
    # each edge once (both neighbours draw it), keeping the first in ring order
    order = np.lexsort((idx, pmax, pmin, hi, lo))
    new = np.ones(len(order), dtype=bool)
    new[1:] = ((lo[order][1:] != lo[order][:-1]) | (hi[order][1:] != hi[order][:-1])
               | (pmin[order][1:] != pmin[order][:-1]) | (pmax[order][1:] != pmax[order][:-1]))
    keep_rows = np.sort(order[new])  # back into ring order: a border line's edges run consecutively
    e = idx[keep_rows]
    return SharedEdges(
        xy1=a[e], xy2=b[e], ua=pmin[keep_rows].astype(np.int32), ub=pmax[keep_rows].astype(np.int32),
        units=units, ambiguous=int(np.count_nonzero(n_match > 1)),
    )


def split_pieces(xy1: np.ndarray, xy2: np.ndarray, max_deg: float = PIECE_DEG) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut segments into pieces no longer than ``max_deg`` (linear in lon/lat, as the data draws them;
    a segment whose ends are more than 180° of longitude apart crosses the antimeridian).

    Returns (p1, p2, source_index) with one row per piece.
    """
    d = xy2 - xy1
    d[:, 0] = (d[:, 0] + 180.0) % 360.0 - 180.0  # the short way round, across the antimeridian too
    n = np.maximum(1, np.ceil(np.hypot(d[:, 0], d[:, 1]) / max_deg).astype(np.int64))
    src = np.repeat(np.arange(len(xy1)), n)
    # position of each piece within its segment
    k = np.arange(len(src)) - np.repeat(np.cumsum(n) - n, n)
    t0 = (k / n[src])[:, None]
    t1 = ((k + 1) / n[src])[:, None]
    p1 = xy1[src] + d[src] * t0
    p2 = xy1[src] + d[src] * t1
    p2[k + 1 == n[src]] = xy2[src[k + 1 == n[src]]]  # exact end vertex
    for p in (p1, p2):
        out = np.abs(p[:, 0]) > 180.0
        p[out, 0] = (p[out, 0] + 180.0) % 360.0 - 180.0
    return p1, p2, src


def on_land(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """GLOBE 30″ land mask (global-land-mask); inland water bodies count as land."""
    from global_land_mask import globe

    return np.asarray(globe.is_land(np.clip(lat, -90, 90), ((lon + 180.0) % 360.0) - 180.0), dtype=bool)


# ----- the embedded default dataset ---------------------------------------------------------------

#: positional uncertainty of the default dataset, and why
DEFAULT_UNCERTAINTY_KM = 0.2
DEFAULT_UNCERTAINTY_BASIS = (
    "OpenStreetMap-derived border lines agree with each other to about 0.2 km (95th percentile; "
    "issue 6); the .poly files store coordinates to 7 significant digits (≤ 10 m). Within about "
    "1 km of a coast the cut between land border and maritime limit follows the GLOBE 30″ land mask."
)


def archive_date(archive) -> str | None:  # type: ignore[no-untyped-def]
    """Newest modification date of the .poly files in the archive (ISO date)."""
    import datetime as dt
    import tarfile

    newest = 0
    with tarfile.open(archive, "r:xz") as tar:
        for m in tar.getmembers():
            newest = max(newest, int(m.mtime))
    return dt.datetime.fromtimestamp(newest, dt.UTC).date().isoformat() if newest else None


def ring_arrays(regions: list[omim.PolyRegion], unit_ids: list[int]) -> dict[str, np.ndarray]:
    """Rings of the region polygons as flat arrays (coords, offsets, hole flag, unit)."""
    coords, offsets, holes, units = [], [0], [], []
    for region, uid in zip(regions, unit_ids):
        for hole, ring in region.rings:
            pts = np.asarray(ring, dtype=np.float64)
            coords.append(pts)
            offsets.append(offsets[-1] + len(pts))
            holes.append(hole)
            units.append(uid)
    from geo.borders import ring_bounds

    flat, offs = np.concatenate(coords), np.asarray(offsets, dtype=np.int64)
    return {
        "coords": flat,
        "bounds": ring_bounds(flat, offs),
        "offsets": offs,
        "hole": np.asarray(holes, dtype=bool),
        "unit": np.asarray(units, dtype=np.int32),
    }


def build_default(name: str) -> dict:
    """Build the default dataset from omim-data-borders into the cache; returns its metadata."""
    import datetime as dt
    import time

    from geo.borders import store

    t0 = time.perf_counter()
    archive = omim.archive_path()
    regions = [r for r in omim.iter_regions(archive) if r.iso2]
    edges = shared_edges(regions)
    p1, p2, src = split_pieces(edges.xy1, edges.xy2)
    mid = (p1 + p2) / 2
    land = on_land(mid[:, 0], mid[:, 1])
    p1, p2, src = p1[land], p2[land], src[land]
    ua, ub = edges.ua[src], edges.ub[src]
    # drop lines between a line-of-control region and the rest of its own country
    iso = np.array([u.iso2 for u in edges.units])
    disputed_entity = np.array([u.name in omim.DISPUTED_PREFIXES for u in edges.units])
    internal = (iso[ua] == iso[ub]) & ~disputed_entity[ua] & ~disputed_entity[ub]
    for pair_codes in NO_LAND_BORDER:
        x, y = sorted(pair_codes)
        internal |= ((iso[ua] == x) & (iso[ub] == y)) | ((iso[ua] == y) & (iso[ub] == x))
    p1, p2, ua, ub = p1[~internal], p2[~internal], ua[~internal], ub[~internal]
    pair_keys, pair = np.unique(np.stack([ua, ub], axis=1), axis=0, return_inverse=True)
    pairs = []
    for i, j in pair_keys:
        ua_, ub_ = edges.units[i], edges.units[j]
        disputed, kind = pair_kind(ua_, ub_)
        pairs.append({"a": ua_.iso2, "b": ub_.iso2, "a_unit": ua_.name, "b_unit": ub_.name,
                      "disputed": disputed, "kind": kind})
    index = {(u.name, u.iso2): k for k, u in enumerate(edges.units)}
    unit_ids = [index[(unit_of(r).name, unit_of(r).iso2)] for r in regions]  # type: ignore[union-attr]
    version = omim.dataset_version()
    meta = {
        "name": name,
        "title": f"OpenStreetMap via omim-data-borders {version}",
        "source": f"PyPI package omim-data-borders=={version} (MAPS.ME region polygons, {archive.name})",
        "version": version,
        "data_date": archive_date(archive),
        "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "licence": "© OpenStreetMap contributors, ODbL",
        "uncertainty_km": DEFAULT_UNCERTAINTY_KM,
        "uncertainty_basis": DEFAULT_UNCERTAINTY_BASIS,
        "method": ("edges of two countries' region polygons that share both end vertices (plus short stretches "
                   "each side draws with vertices of its own); pieces at sea dropped with the GLOBE 30\" land mask "
                   "(global-land-mask); Caspian-only pairs AZ-KZ, AZ-TM dropped"),
        "units": [{"name": u.name, "iso2": u.iso2, "entity": u.entity} for u in edges.units],
        "pairs": pairs,
        "counts": {"regions": len(regions), "shared_edges": len(edges.xy1), "pieces": len(p1),
                   "pairs": len(pairs), "ambiguous_edges": edges.ambiguous},
    }
    pieces = {"p1": p1, "p2": p2, "pair": pair.astype(np.int32).ravel()}
    rings = ring_arrays(regions, unit_ids)
    store.write_dataset(name, meta, pieces, rings)
    meta["build_seconds"] = round(time.perf_counter() - t0, 1)
    log.info("built border dataset %s in %.1f s", name, meta["build_seconds"])
    return meta


def merged_lines(p1: np.ndarray, p2: np.ndarray, pair: np.ndarray, pairs: list[dict]):  # type: ignore[no-untyped-def]
    """GeoDataFrame of border lines, one (multi)line per pair of sides."""
    import geopandas as gpd
    import shapely

    geoms, rows = [], []
    order = np.argsort(pair, kind="stable")
    bounds = np.searchsorted(pair[order], np.arange(len(pairs) + 1))
    for k, info in enumerate(pairs):
        sel = order[bounds[k]: bounds[k + 1]]
        if not len(sel):
            continue
        segs = shapely.linestrings(np.stack([p1[sel], p2[sel]], axis=1))
        merged = shapely.line_merge(shapely.multilinestrings(segs))
        geoms.append(shapely.simplify(merged, 1e-9))
        rows.append(info)
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    return gdf
