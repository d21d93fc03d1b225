"""Distance to the nearest international land border, with the neighbour named and the uncertainty stated.

>>> from geo.borders import Borders
>>> b = Borders.open()                       # OSM-derived default, built once and cached
>>> info = b.distance(36.31111, 36.68639)    # Atmeh, Idlib: lat, lon
>>> info.neighbour, round(info.distance_km, 1)
('TR', 1.5)

The default dataset is derived from the OpenStreetMap region polygons of the PyPI package
``omim-data-borders`` (see :mod:`geo.borders.build`); others are imported from files the user
has (:func:`import_dataset`). Distances are geodesic on WGS84 (:mod:`geo.borders.nearest`).
"""

from __future__ import annotations

import fcntl
import math
import threading
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np

from geo.atomic import atomic_write_with
from geo.borders import store
from geo.borders.nearest import PieceIndex
from geo.errors import DataError, InputError
from geo.model import BorderInfo

__all__ = ["DEFAULT_DATASET", "Borders", "import_dataset", "list_datasets"]

DEFAULT_DATASET = store.DEFAULT_NAME
_OPEN: dict[tuple[str, str], Borders] = {}  # (cache folder, dataset name) → opened dataset
_LOCK = threading.Lock()


def _check_point(lat: float, lon: float, where: str = "") -> None:
    for label, v, lim in (("latitude", lat, 90.0), ("longitude", lon, 180.0)):
        if not isinstance(v, (int, float, np.floating, np.integer)) or not math.isfinite(float(v)) or abs(float(v)) > lim:
            raise InputError(
                f"{label} {v!r}{where} is not valid: expected a finite number in [-{lim:g}, {lim:g}] "
                "(give points as LAT,LON, e.g. 36.31111,36.68639)"
            )


class Borders:
    """One border dataset: lines with their two sides, a nearest-point index, country polygons."""

    def __init__(self, key: str, meta: dict[str, Any], pieces: dict[str, np.ndarray]) -> None:
        self.key = key  # dataset name as selected on the command line ("osm")
        self.meta = meta
        self.name: str = meta.get("title") or key  # e.g. "OpenStreetMap via omim-data-borders 10.3.0rc2"
        self.version: str | None = meta.get("version")
        self.licence: str | None = meta.get("licence")
        self.uncertainty_km: float = float(meta["uncertainty_km"])
        self.uncertainty_basis: str | None = meta.get("uncertainty_basis")
        self._p1 = pieces["p1"]
        self._p2 = pieces["p2"]
        self._pair = pieces["pair"]
        units = meta.get("units") or []
        self._unit_names = [u["name"] for u in units]
        isos = sorted({u["iso2"] for u in units} | {p[s] for p in meta["pairs"] for s in ("a", "b")})
        self._isos = isos
        self._iso_id = {c: i for i, c in enumerate(isos)}
        unit_id = {u["name"]: i for i, u in enumerate(units)}
        self._unit_iso = np.array([self._iso_id[u["iso2"]] for u in units], dtype=np.int64)
        pairs = meta["pairs"]
        self._pair_a_iso = np.array([self._iso_id[p["a"]] for p in pairs], dtype=np.int64)
        self._pair_b_iso = np.array([self._iso_id[p["b"]] for p in pairs], dtype=np.int64)
        self._pair_a_unit = np.array([unit_id.get(p.get("a_unit", ""), -1) for p in pairs], dtype=np.int64)
        self._pair_b_unit = np.array([unit_id.get(p.get("b_unit", ""), -1) for p in pairs], dtype=np.int64)
        self._pair_disputed = np.array([bool(p.get("disputed")) for p in pairs])
        self._pair_kind = [p.get("kind") or "international border" for p in pairs]
        self._pair_label = [f"{p.get('a_unit') or p['a']}–{p.get('b_unit') or p['b']}" for p in pairs]

    # ----- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, dataset: str | None = None) -> Borders:
        """Open a dataset by name (None: the embedded OSM-derived default, built on first use)."""
        key = dataset or DEFAULT_DATASET
        store.check_name(key)
        slot = (str(store.datasets_dir()), key)
        with _LOCK:
            if slot in _OPEN:
                return _OPEN[slot]
            meta = store.read_meta(key)
            if key == DEFAULT_DATASET and (meta is None or not _default_is_current(meta)):
                meta = _build_default_locked(key)
            if meta is None:
                known = ", ".join(store.list_names()) or "none imported"
                raise InputError(
                    f"unknown border dataset {key!r} (available: {known}); import one with "
                    f"`conflictmap borders import FILE --name {key} --uncertainty-km X`"
                )
            pieces = store.load_arrays(key, "pieces", mmap=True)
            if pieces is None or not len(pieces.get("p1", ())):
                raise DataError(f"border dataset {key!r} has no border lines ({store.dataset_dir(key)}); re-import it")
            b = cls(key, meta, pieces)
            _OPEN[slot] = b
            return b

    # ----- indexes (built on first use) --------------------------------------------------------------
    @cached_property
    def _index(self) -> PieceIndex:
        return PieceIndex(self._p1, self._p2)

    @cached_property
    def _rings(self) -> _Rings | None:
        """Ring polygons for the own-country test (None for a dataset without polygons)."""
        arrays = store.load_arrays(self.key, "regions", mmap=True)
        if arrays is None:
            return None
        if "bounds" not in arrays:  # written by an earlier build: compute once, keep for next time
            arrays["bounds"] = ring_bounds(arrays["coords"], np.asarray(arrays["offsets"]))
            try:
                np.save(store.dataset_dir(self.key) / "regions" / "bounds.npy", arrays["bounds"])
            except OSError:
                pass
        return _Rings(arrays)

    def _units_at(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Unit (index into meta['units']) whose polygons contain each point; -1 if none or unknown."""
        out = np.full(len(lon), -1, dtype=np.int64)
        rings = self._rings
        if rings is None:
            return out
        pt, ring = rings.containing(lon, lat)
        hole, unit = rings.hole, rings.unit
        if not len(pt):
            return out
        n_units = len(self._unit_names)
        key = pt * n_units + unit[ring]
        score = np.where(hole[ring], -1, 1)
        keys, inv = np.unique(key, return_inverse=True)
        total = np.zeros(len(keys), dtype=np.int64)
        np.add.at(total, inv.ravel(), score)
        inside = keys[total > 0]
        p, u = inside // n_units, inside % n_units
        entity = np.array([bool(x.get("entity")) for x in self.meta.get("units", [])], dtype=bool)
        # a disputed entity overlapping its parent's polygon wins (the more specific area)
        order = np.lexsort((entity[u], p))
        out[p[order]] = u[order]
        return out

    # ----- distance ------------------------------------------------------------------------------------
    def distance(
        self, lat: float, lon: float, own: str | None = None, place_uncertainty_km: float = 0.0
    ) -> BorderInfo:
        """Geodesic distance from (lat, lon) to the nearest border line of this dataset.

        ``own``: ISO2 of the point's country when known (e.g. the gazetteer's); it names the
        side the point belongs to, and a disagreement with the polygons is reported in ``note``.
        """
        _check_point(lat, lon)
        return self.distance_many([lat], [lon], own=[own], place_uncertainty_km=place_uncertainty_km)[0]

    def distance_arrays(
        self,
        lats: Sequence[float] | np.ndarray,
        lons: Sequence[float] | np.ndarray,
        own: str | Sequence[str | None] | None = None,
        place_uncertainty_km: float | Sequence[float] | np.ndarray = 0.0,
        chunk: int = 10_000,
        threads: int = 1,
    ) -> dict[str, np.ndarray]:
        """Vectorised distances as arrays (memory bounded: works ``chunk`` points at a time per thread).

        ``threads``: chunks processed side by side, one per thread (the KD-tree, numpy and GEOS
        release the GIL). The default, 1, uses one core: on a busy shared machine extra threads
        were slower by the wall clock, and each thread keeps its own malloc arena (40–90 MiB more
        at 1 M points). The answers never depend on it.

        Keys: distance_km, lon, lat (nearest border point), pair (index into ``meta['pairs']``),
        own_id, neighbour_id, polygon_id (index into ``self._isos`` of the own country, the country
        across, the country the polygons put the point in; -1 unknown), uncertainty_km, at_border,
        disputed.
        """
        lat = np.asarray(lats, dtype=np.float64).ravel()
        lon = np.asarray(lons, dtype=np.float64).ravel()
        if lat.shape != lon.shape:
            raise InputError(f"got {len(lat)} latitudes but {len(lon)} longitudes: give one of each per point")
        bad = ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            _check_point(float(lat[i]), float(lon[i]), where=f" (point {i})")
        n = len(lat)
        own_codes = self._own_codes(own, n)
        pu = np.broadcast_to(np.asarray(place_uncertainty_km, dtype=np.float64), (n,))
        if not np.all(np.isfinite(pu)) or np.any(pu < 0):
            raise InputError("place uncertainty must be a finite number of km ≥ 0")
        res = {
            "distance_km": np.empty(n), "lon": np.empty(n), "lat": np.empty(n),
            "pair": np.empty(n, dtype=np.int64), "own_id": np.empty(n, dtype=np.int64),
            "neighbour_id": np.empty(n, dtype=np.int64), "polygon_id": np.empty(n, dtype=np.int64),
        }
        chunk = max(1, int(chunk))
        # neighbouring points one after the other (the KD-tree and polygon tests hit warm memory),
        # and repeated points (a geocoder gives every incident in a town the same coordinates)
        # side by side, so that each distinct (lon, lat, own) is computed once
        order = _morton_order(lon, lat, own_codes)
        lo, la, ow = lon[order], lat[order], own_codes[order]
        first = np.ones(n, dtype=bool)
        first[1:] = (lo[1:] != lo[:-1]) | (la[1:] != la[:-1]) | (ow[1:] != ow[:-1])
        del lo, la, ow
        distinct = order[first]
        index, _ = self._index, self._rings  # built once, before any worker thread uses them
        chunks = [distinct[s: s + chunk] for s in range(0, len(distinct), chunk)]
        threads = max(1, int(threads))
        pool_size = min(len(chunks), threads)
        kd_workers = 1 if pool_size > 1 else threads  # a single chunk: its KD-tree query gets the threads

        def work(sel: np.ndarray) -> None:
            # one chunk at a time per thread (memory bounded); the KD-tree, numpy and GEOS release
            # the GIL, so with threads > 1 chunks run on several cores
            near = index.nearest(lon[sel], lat[sel], workers=kd_workers)
            pair = self._pair[near.piece]
            res["distance_km"][sel] = near.distance_m / 1000.0
            res["lon"][sel] = near.lon
            res["lat"][sel] = near.lat
            res["pair"][sel] = pair
            own_id, nb_id, poly_id = self._sides(lon[sel], lat[sel], pair, own_codes[sel])
            res["own_id"][sel] = own_id
            res["neighbour_id"][sel] = nb_id
            res["polygon_id"][sel] = poly_id

        if pool_size > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(pool_size) as pool:
                for _ in pool.map(work, chunks):  # re-raises a worker's error here
                    pass
        else:
            for sel in chunks:
                work(sel)
        if len(distinct) < n:  # repeats get the answer of their first occurrence
            src = distinct[np.cumsum(first)[~first] - 1]
            dst = order[~first]
            for col in res.values():
                col[dst] = col[src]
        unc = np.sqrt(self.uncertainty_km**2 + pu**2)
        res["uncertainty_km"] = unc
        res["at_border"] = res["distance_km"] <= unc
        res["disputed"] = self._pair_disputed[res["pair"]]
        return res

    def distance_many(
        self,
        lats: Sequence[float] | np.ndarray,
        lons: Sequence[float] | np.ndarray,
        own: str | Sequence[str | None] | None = None,
        chunk: int = 10_000,
        place_uncertainty_km: float | Sequence[float] | np.ndarray = 0.0,
    ) -> list[BorderInfo]:
        """:meth:`distance` for many points (vectorised, chunked); one BorderInfo per point."""
        r = self.distance_arrays(lats, lons, own=own, place_uncertainty_km=place_uncertainty_km, chunk=chunk)
        isos = self._isos + [None]  # index -1 → None
        n = len(r["pair"])
        given = self._own_codes(own, n)
        own_id, nb_id, poly_id = r["own_id"], r["neighbour_id"], r["polygon_id"]
        # only these points get a note (the cases of _note)
        noted = (r["disputed"] | (given == -2) | (nb_id < 0)
                 | ((given >= 0) & (poly_id >= 0) & (poly_id != given))
                 | ((given >= 0) & (poly_id < 0) & (self._rings is not None)))
        out = []
        for s in range(0, n, 65_536):  # Python scalars a block at a time, not per field
            b = slice(s, s + 65_536)
            cols = zip(r["distance_km"][b].tolist(), nb_id[b].tolist(), own_id[b].tolist(), r["lon"][b].tolist(),
                       r["lat"][b].tolist(), r["uncertainty_km"][b].tolist(), r["disputed"][b].tolist(),
                       r["at_border"][b].tolist(), noted[b].tolist())
            for i, (d, nb, ow, x, y, unc, disputed, at_border, has_note) in enumerate(cols, start=s):
                note = self._note(int(r["pair"][i]), int(given[i]), int(poly_id[i]), ow, nb) if has_note else None
                out.append(BorderInfo(distance_km=d, neighbour=isos[nb], own=isos[ow],
                                      nearest_point=(round(x, 7), round(y, 7)), dataset=self.name, uncertainty_km=unc,
                                      disputed=disputed, at_border=at_border, note=note))
        return out

    def distance_to_country(
        self, lat: float, lon: float, country: str, own: str | None = None, place_uncertainty_km: float = 0.0
    ) -> BorderInfo | None:
        """Distance to the nearest border line that has ``country`` (ISO2) on one side; None if it has none.

        For claims such as "10 km from the Iraqi border" when another border is nearer.
        """
        _check_point(lat, lon)
        code = (country or "").strip().upper()
        cid = self._iso_id.get(code)
        if cid is None:
            return None
        sub = self._country_index(cid)
        if sub is None:
            return None
        index, piece_ids = sub
        near = index.nearest(np.array([lon], dtype=float), np.array([lat], dtype=float))
        pair = self._pair[piece_ids[near.piece]]
        own_codes = self._own_codes([own], 1)
        own_id, nb_id, poly_id = self._sides(np.array([lon], float), np.array([lat], float), pair, own_codes)
        d = float(near.distance_m[0]) / 1000.0
        unc = math.hypot(self.uncertainty_km, place_uncertainty_km)
        isos = self._isos + [None]
        p = int(pair[0])
        return BorderInfo(
            distance_km=d, neighbour=isos[int(nb_id[0])], own=isos[int(own_id[0])],
            nearest_point=(round(float(near.lon[0]), 7), round(float(near.lat[0]), 7)), dataset=self.name,
            uncertainty_km=unc, disputed=bool(self._pair_disputed[p]), at_border=d <= unc,
            note=self._note(p, int(own_codes[0]), int(poly_id[0]), int(own_id[0]), int(nb_id[0])),
        )

    def _country_index(self, cid: int) -> tuple[PieceIndex, np.ndarray] | None:
        cache = self.__dict__.setdefault("_country_indexes", {})
        if cid not in cache:
            pairs = np.flatnonzero((self._pair_a_iso == cid) | (self._pair_b_iso == cid))
            ids = np.flatnonzero(np.isin(self._pair, pairs))
            cache[cid] = (PieceIndex(self._p1[ids], self._p2[ids]), ids) if len(ids) else None
        return cache[cid]

    # ----- sides ---------------------------------------------------------------------------------------
    def _own_codes(self, own: str | Sequence[str | None] | None, n: int) -> np.ndarray:
        """ISO ids of the given own countries (-1 unknown/None; -2 a code this dataset lacks)."""
        if own is None or isinstance(own, str):
            own = [own] * n
        if len(own) != n:
            raise InputError(f"got {len(own)} own-country codes for {n} points: give one per point or one for all")
        out = np.full(n, -1, dtype=np.int64)
        for i, c in enumerate(own):
            if c:
                code = str(c).strip().upper()
                if len(code) != 2 or not code.isalpha():
                    raise InputError(f"own country {c!r} is not an ISO 3166-1 alpha-2 code (e.g. SY, TR)")
                out[i] = self._iso_id.get(code, -2)
        return out

    def _sides(self, lon: np.ndarray, lat: np.ndarray, pair: np.ndarray, own: np.ndarray) -> tuple[np.ndarray, ...]:
        """(own iso id, neighbour iso id, polygon iso id) per point; -1 where unknown."""
        unit = self._units_at(lon, lat)
        a_u, b_u = self._pair_a_unit[pair], self._pair_b_unit[pair]
        a_i, b_i = self._pair_a_iso[pair], self._pair_b_iso[pair]
        poly_iso = np.where(unit >= 0, self._unit_iso[np.maximum(unit, 0)], -1)
        given = own >= 0
        in_a = np.where(given & (own == a_i) & (own != b_i), True,
                        np.where(given & (own == b_i) & (own != a_i), False, unit == a_u))
        in_b = np.where(given & (own == b_i) & (own != a_i), True,
                        np.where(given & (own == a_i) & (own != b_i), False, unit == b_u))
        neighbour = np.where(in_a & ~in_b, b_i, np.where(in_b & ~in_a, a_i, -1))
        # a point of a country that is on neither side (e.g. an island): no neighbour across this line
        own_out = np.where(given, own, np.where(own == -2, -1, poly_iso))
        return own_out, neighbour, poly_iso

    def _note(self, pair: int, own_given: int, poly_id: int, own_id: int, nb_id: int) -> str | None:
        isos = self._isos
        parts = []
        if self._pair_disputed[pair]:
            parts.append(f"nearest line is a {self._pair_kind[pair]} ({self._pair_label[pair]}), not a settled border")
        if own_given == -2:
            parts.append("the given own country has no border line in this dataset")
        if own_given >= 0 and poly_id >= 0 and poly_id != own_given:
            parts.append(
                f"the point lies in {isos[poly_id]} by the dataset's polygons, not in {isos[own_given]} as given "
                "(a reference point just across the line, or a wrong place)"
            )
        elif own_given >= 0 and poly_id < 0 and self._rings is not None:
            parts.append("the point is outside every country polygon of the dataset (at sea?)")
        a, b = isos[self._pair_a_iso[pair]], isos[self._pair_b_iso[pair]]
        if nb_id < 0:
            who = isos[own_id] if own_id >= 0 else "the point's country"
            parts.append(f"{who} is on neither side of the nearest border line ({a}–{b})")
        return "; ".join(parts) or None

    # ----- lines -----------------------------------------------------------------------------------------
    def lines(self, simplify_deg: float = 0.0):  # type: ignore[no-untyped-def]
        """Border lines as a GeoDataFrame (EPSG:4326): a, b (ISO2 of each side), a_unit, b_unit, disputed, kind.

        ``simplify_deg`` > 0 simplifies the lines for display (e.g. 0.001° ≈ 100 m for a basemap);
        distances are always measured on the full lines.
        """
        gdf = self._full_lines()
        if simplify_deg > 0:
            gdf = gdf.assign(geometry=gdf.geometry.simplify(simplify_deg, preserve_topology=False))
        return gdf

    def _full_lines(self):  # type: ignore[no-untyped-def]
        import geopandas as gpd

        path = store.dataset_dir(self.key) / "lines.gpkg"
        if path.exists():
            return gpd.read_file(path, layer="borders")
        from geo.borders.build import merged_lines

        gdf = merged_lines(self._p1, self._p2, self._pair, self.meta["pairs"])
        try:  # cache for the next caller; a read-only cache is not an error
            atomic_write_with(path, lambda tmp: gdf.to_file(tmp, driver="GPKG", layer="borders"))
        except OSError:
            pass
        return gdf

    def info(self) -> dict[str, Any]:
        """Metadata for `borders info` (without the bulky unit/pair tables)."""
        return _summary(self.key, self.meta)

    def __repr__(self) -> str:
        return f"Borders({self.key!r}: {self.name}, ±{self.uncertainty_km} km)"


def _morton_order(lon: np.ndarray, lat: np.ndarray, own: np.ndarray, bits: int = 16) -> np.ndarray:
    """Indexes that visit the points along a Z-order curve (spatially near points together);
    equal (lon, lat, own) are adjacent."""
    def spread(v: np.ndarray) -> np.ndarray:
        v = v & np.uint64(0xFFFF)
        for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
            v = (v | (v << np.uint64(shift))) & np.uint64(mask)
        return v

    x = ((lon + 180.0) / 360.0 * ((1 << bits) - 1)).astype(np.uint64)
    y = ((lat + 90.0) / 180.0 * ((1 << bits) - 1)).astype(np.uint64)
    return np.lexsort((own, lat, lon, spread(x) | (spread(y) << np.uint64(1))))


def ring_bounds(coords: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """(minx, miny, maxx, maxy) of each ring of a flat coordinate array."""
    starts = offsets[:-1]
    return np.stack([np.minimum.reduceat(coords[:, 0], starts), np.minimum.reduceat(coords[:, 1], starts),
                     np.maximum.reduceat(coords[:, 0], starts), np.maximum.reduceat(coords[:, 1], starts)], axis=1)


_NX, _NY = 360, 180  # 1° cells of the ring lookup grid


def _cell(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column and row of the 1° cell of each point (clipped to the globe)."""
    x = np.clip(np.floor(np.asarray(lon) + 180.0), 0, _NX - 1).astype(np.int64)
    y = np.clip(np.floor(np.asarray(lat) + 90.0), 0, _NY - 1).astype(np.int64)
    return x, y


class _Rings:
    """Polygon rings of a dataset, built lazily: a ring's polygon is made (and prepared) on first use."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.coords = arrays["coords"]  # memory-mapped (n, 2)
        self.offsets = np.asarray(arrays["offsets"])
        self.hole = np.asarray(arrays["hole"])
        self.unit = np.asarray(arrays["unit"]).astype(np.int64)
        bounds = np.asarray(arrays["bounds"]) if "bounds" in arrays else ring_bounds(self.coords, self.offsets)
        self.bounds = bounds
        self._grid(bounds)
        self._polys: dict[int, Any] = {}

    def _grid(self, bounds: np.ndarray) -> None:
        """Rings whose bounding box meets each 1° cell (CSR lists): the boxes a point can be in."""
        x0, y0 = _cell(bounds[:, 0], bounds[:, 1])
        x1, y1 = _cell(bounds[:, 2], bounds[:, 3])
        w, h = x1 - x0 + 1, y1 - y0 + 1
        count = w * h
        ring = np.repeat(np.arange(len(bounds)), count)
        k = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        cell = (np.repeat(y0, count) + k // np.repeat(w, count)) * _NX + np.repeat(x0, count) + k % np.repeat(w, count)
        order = np.argsort(cell, kind="stable")
        self.cell_ring = ring[order]
        self.cell_start = np.searchsorted(cell[order], np.arange(_NX * _NY + 1))

    def polygon(self, i: int):  # type: ignore[no-untyped-def]
        import shapely

        poly = self._polys.get(i)
        if poly is None:
            poly = shapely.polygons(np.asarray(self.coords[self.offsets[i]: self.offsets[i + 1]]))
            shapely.prepare(poly)
            self._polys[i] = poly
        return poly

    def containing(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(point index, ring index) for every ring whose polygon contains a point."""
        import shapely

        x, y = _cell(lon, lat)
        cell = y * _NX + x
        start, count = self.cell_start[cell], self.cell_start[cell + 1] - self.cell_start[cell]
        pt = np.repeat(np.arange(len(lon)), count)
        ring = self.cell_ring[np.repeat(start - (np.cumsum(count) - count), count) + np.arange(int(count.sum()))]
        b = self.bounds[ring]  # the point is in the ring's bounding box (edges included)
        box = (lon[pt] >= b[:, 0]) & (lon[pt] <= b[:, 2]) & (lat[pt] >= b[:, 1]) & (lat[pt] <= b[:, 3])
        pt, ring = pt[box], ring[box]
        if not len(pt):
            return pt, ring
        order = np.argsort(ring, kind="stable")
        pt, ring = pt[order], ring[order]
        starts = np.flatnonzero(np.r_[True, ring[1:] != ring[:-1]])
        ok = np.zeros(len(pt), dtype=bool)
        for s, e in zip(starts, np.r_[starts[1:], len(pt)]):
            ok[s:e] = shapely.contains_xy(self.polygon(int(ring[s])), lon[pt[s:e]], lat[pt[s:e]])
        return pt[ok], ring[ok]


# ----- datasets -------------------------------------------------------------------------------------------
def _default_is_current(meta: dict[str, Any]) -> bool:
    from gazetteer import omim

    return meta.get("version") == omim.dataset_version()


def _build_default_locked(key: str) -> dict[str, Any]:
    """Build the default dataset once, even when several processes ask at the same time."""
    from geo.borders.build import build_default

    root = store.datasets_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            meta = store.read_meta(key)
            if meta is not None and _default_is_current(meta):
                return meta
            try:
                build_default(key)
            except FileNotFoundError as exc:
                raise DataError(str(exc)) from exc
            meta = store.read_meta(key)
            if meta is None:
                raise DataError(f"building the default border dataset failed ({store.dataset_dir(key)})")
            return meta
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _summary(key: str, meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": key,
        "title": meta.get("title"),
        "source": meta.get("source"),
        "version": meta.get("version"),
        "data_date": meta.get("data_date"),
        "built": meta.get("built"),
        "licence": meta.get("licence"),
        "uncertainty_km": meta.get("uncertainty_km"),
        "uncertainty_basis": meta.get("uncertainty_basis"),
        "method": meta.get("method"),
        "pairs": len(meta.get("pairs", [])),
        "pieces": (meta.get("counts") or {}).get("pieces"),
        "default": key == DEFAULT_DATASET,
    }


def list_datasets() -> list[dict[str, Any]]:
    """Every border dataset in the cache (the default one listed even before it is built)."""
    out = []
    names = store.list_names()
    for key in names:
        meta = store.read_meta(key)
        if meta is not None:
            out.append(_summary(key, meta))
    if DEFAULT_DATASET not in names:
        from gazetteer import omim

        out.insert(0, {"name": DEFAULT_DATASET, "title": f"OpenStreetMap via omim-data-borders {omim.dataset_version()}",
                       "licence": "© OpenStreetMap contributors, ODbL", "uncertainty_km": 0.2,
                       "built": None, "default": True, "note": "built on first use"})
    return out


def import_dataset(path: str, name: str, uncertainty_km: float, **kwargs: Any) -> dict[str, Any]:
    """Import country polygons or border lines from a file the user has; see :mod:`geo.borders.importer`."""
    from geo.borders.importer import import_dataset as _import

    return _import(path, name, uncertainty_km, **kwargs)
