"""Reference points of countries (and US states) on land, from the OSM polygons of ``omim-data-borders``.

A country's point is the centroid of the largest land area of its polygons: the OSM region
polygons (which include territorial waters) are rasterised on a 0.1° grid (0.025° for small
countries), intersected with the GLOBE 1 km land mask shipped by ``global-land-mask``, the
largest 8-connected land component is kept (by area) and its centroid taken on the sphere
(area-weighted mean of unit vectors). When that centroid is not on the component (a crescent-
shaped country), the component's cell nearest to it is used instead. US states get the centroid of
all their land (the union of their ``US_<State>_*`` regions). For the United States this
gives the centre of the contiguous states (39.8 N 98.6 W), the kind of point GeoNames gives a
country. The result is computed once per source version and cached as a small JSON file beside
the index (the polygons take ~10 s of CPU to parse).
"""

from __future__ import annotations

import json
import math
import os
import tarfile
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from gazetteer.versions import package_version

#: bump when the computation changes (the cached points are then recomputed)
LANDPOINTS_VERSION = 2
FINE = 40  # cells per degree of the land grid sampled from the 1 km GLOBE mask (0.025°)
COARSE_STEP = 4  # 0.1° cells for most countries
MIN_CELLS = 40  # fewer land cells at 0.1° → recompute at 0.025°

Rings = list[np.ndarray]  # rings of one region: arrays of (lon, lat), holes included (even-odd rule)


def source_label() -> str:
    """Provenance text of the points (for the ``source`` of country records)."""
    return (
        f"centroid of the largest land area of the OSM country polygons (omim-data-borders "
        f"{package_version('omim-data-borders')}, ODbL) on the GLOBE 1 km land mask (global-land-mask)"
    )


def state_source_label() -> str:
    """Provenance text of the US state points."""
    return (
        f"centroid of the land area of the state's OSM region polygons (US_<State>_* regions of "
        f"omim-data-borders {package_version('omim-data-borders')}, ODbL) on the GLOBE 1 km land mask (global-land-mask)"
    )


def cache_key() -> str:
    return f"omim-{package_version('omim-data-borders')}-glm-{package_version('global-land-mask')}-v{LANDPOINTS_VERSION}"


# --------------------------------------------------------------------------- inputs


def read_regions(
    archive: Path | None = None, holes: dict[str, list[bool]] | None = None
) -> dict[str, tuple[str | None, Rings]]:
    """Region file stem → (ISO2, rings); a fast reader of the same archive as :mod:`gazetteer.omim`.

    ``holes``: when given, filled with stem → one flag per ring (True for the ``!`` rings, holes
    of the region; the rasteriser does not need them: it fills by the even-odd rule).
    """
    from gazetteer import omim

    names = omim.country_codes_by_name()
    out: dict[str, tuple[str | None, Rings]] = {}
    with tarfile.open(archive or omim.archive_path(), "r:xz") as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith(".poly"):
                continue
            stem = Path(member.name).name[: -len(".poly")]
            prefix = stem.split("_")[0]
            iso2 = omim.SPECIAL_PREFIXES[prefix][0] if prefix in omim.SPECIAL_PREFIXES else names.get(prefix)
            fh = tar.extractfile(member)
            if fh is None:
                continue
            body = fh.read().decode("utf-8", errors="replace").split("\n", 1)[-1]
            rings: Rings = []
            flags: list[bool] = []
            for piece in body.split("\nEND"):
                head, _, coords = piece.strip().partition("\n")
                if not coords:
                    continue
                a = np.fromstring(coords, sep=" ")
                if a.size >= 6 and a.size % 2 == 0:
                    rings.append(a.reshape(-1, 2))
                    flags.append(head.strip().startswith("!"))
            out[stem] = (iso2, rings)
            if holes is not None:
                holes[stem] = flags
    return out


def land_grid() -> np.ndarray:
    """Land (True) on a 0.025° grid, rows from 90 N southwards, columns from 180 W eastwards.

    Sampled from the 1 km (1/120°) GLOBE mask of ``global-land-mask`` by streaming its ``.npz``
    row by row (the full mask would take ~0.9 GB).
    """
    import importlib.util

    from numpy.lib import format as npf

    # not ``import global_land_mask``: importing it loads the whole 0.9 GB mask
    spec = importlib.util.find_spec("global_land_mask")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("global-land-mask is not installed: pip install global-land-mask")
    path = Path(next(iter(spec.submodule_search_locations))) / "globe_combined_mask_compressed.npz"
    ratio = 120 // FINE
    with zipfile.ZipFile(path) as z, z.open("mask.npy") as fh:
        ver = npf.read_magic(fh)
        shape, _, _ = npf.read_array_header_1_0(fh) if ver == (1, 0) else npf.read_array_header_2_0(fh)
        rows = []
        for r in range(shape[0]):
            buf = fh.read(shape[1])
            if r % ratio == ratio // 2:
                rows.append(np.frombuffer(buf, dtype=np.bool_)[ratio // 2 :: ratio].copy())
    return ~np.vstack(rows)  # the mask is True on the ocean


# --------------------------------------------------------------------------- rasterising


def rasterise(regions: Iterable[Rings], step: int) -> tuple[int, int, np.ndarray] | None:
    """Cells (of ``step`` fine cells) whose centre lies inside any of the regions (even-odd per region).

    Returns (first row, first column, boolean array) on the global grid of ``step / FINE`` degrees.
    """
    off = step / 2  # centre of a cell, in fine units
    rows_all, va_all, vb_all = [], [], []
    for rid, rings in enumerate(regions):
        if not rings:
            continue
        pts = [(r, np.roll(r, -1, axis=0)) for r in rings]
        a = np.concatenate([p[0] for p in pts])
        b = np.concatenate([p[1] for p in pts])
        u1, u2 = (90.0 - a[:, 1]) * FINE, (90.0 - b[:, 1]) * FINE  # fine row units, southwards
        v1, v2 = (a[:, 0] + 180.0) * FINE, (b[:, 0] + 180.0) * FINE
        lo, hi = np.minimum(u1, u2), np.maximum(u1, u2)
        i0 = np.ceil((lo - off) / step).astype(np.int64)
        i1 = np.ceil((hi - off) / step).astype(np.int64)
        n = i1 - i0
        keep = n > 0
        if not keep.any():
            continue
        e = np.repeat(np.nonzero(keep)[0], n[keep])
        starts = np.cumsum(n[keep]) - n[keep]
        rows = i0[e] + (np.arange(len(e)) - np.repeat(starts, n[keep]))
        uc = rows * step + off
        x = v1[e] + (uc - u1[e]) * (v2[e] - v1[e]) / (u2[e] - u1[e])
        order = np.lexsort((x, rows))
        rows, x = rows[order], x[order]
        if len(rows) % 2:  # an unclosed ring; cannot fill reliably
            continue
        rows_all.append(rows[0::2])
        va_all.append(x[0::2])
        vb_all.append(x[1::2])
    if not rows_all:
        return None
    rows = np.concatenate(rows_all)
    ja = np.ceil((np.concatenate(va_all) - off) / step).astype(np.int64)
    jb = np.ceil((np.concatenate(vb_all) - off) / step).astype(np.int64)
    ncols = 360 * FINE // step
    ja, jb = np.clip(ja, 0, ncols), np.clip(jb, 0, ncols)
    ok = jb > ja
    rows, ja, jb = rows[ok], ja[ok], jb[ok]
    if not len(rows):
        return None
    r0, c0, c1 = int(rows.min()), int(ja.min()), int(jb.max())
    diff = np.zeros((int(rows.max()) - r0 + 1, c1 - c0 + 1), dtype=np.int32)
    np.add.at(diff, (rows - r0, ja - c0), 1)
    np.add.at(diff, (rows - r0, jb - c0), -1)
    return r0, c0, np.cumsum(diff, axis=1)[:, :-1] > 0


def _cells_latlon(r0: int, c0: int, shape: tuple[int, int], step: int) -> tuple[np.ndarray, np.ndarray]:
    lat = 90.0 - ((np.arange(shape[0]) + r0) * step + step / 2) / FINE
    lon = ((np.arange(shape[1]) + c0) * step + step / 2) / FINE - 180.0
    return lat, lon


def land_point(
    regions: list[Rings], land: np.ndarray, largest: bool = True
) -> tuple[float, float, int] | None:
    """(lat, lon, land cells) of the centroid of the largest land area of the regions, or None.

    ``largest=False``: the centroid of all their land (used for US states: Hawaii, Michigan).
    """
    from scipy import ndimage

    cells = None
    for step in (COARSE_STEP, 1):
        ras = rasterise(regions, step)
        if ras is None:
            continue
        r0, c0, inside = ras
        fr = (np.arange(inside.shape[0]) + r0) * step + step // 2
        fc = (np.arange(inside.shape[1]) + c0) * step + step // 2
        fr = np.clip(fr, 0, land.shape[0] - 1)
        cells = inside & land[np.ix_(fr, fc)]
        if cells.sum() >= MIN_CELLS or step == 1:
            break
    if cells is None or not cells.any():
        return None
    lab, n = ndimage.label(cells, structure=np.ones((3, 3), dtype=int))
    lat, lon = _cells_latlon(r0, c0, cells.shape, step)
    w = np.cos(np.radians(lat))[:, None] * np.ones(cells.shape[1])
    if cells.shape[1] == 360 * FINE // step:  # spans the antimeridian: join components across it
        lab = _join_wrapped(lab, n)
    areas = np.bincount(lab.ravel(), weights=w.ravel())
    areas[0] = 0.0
    best = lab == int(np.argmax(areas)) if largest else lab > 0
    ii, jj = np.nonzero(best)
    la, lo, ww = np.radians(lat[ii]), np.radians(lon[jj]), w[ii, jj]
    xyz = np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=1)
    m = (xyz * ww[:, None]).sum(axis=0)
    m /= np.linalg.norm(m)
    clat, clon = math.degrees(math.asin(m[2])), math.degrees(math.atan2(m[1], m[0]))
    ci = round((90.0 - clat) * FINE / step - 0.5) - r0
    cj = round((clon + 180.0) * FINE / step - 0.5) - c0
    if best.shape[1] == 360 * FINE // step:  # the full circle: wrap around the antimeridian
        cj %= best.shape[1]
    if not (0 <= ci < best.shape[0] and 0 <= cj < best.shape[1] and best[ci, cj]):
        k = int(np.argmax(xyz @ m))  # the component's cell nearest to the centroid
        clat, clon = float(lat[ii[k]]), float(lon[jj[k]])
    return round(clat, 5), round(clon, 5), int(best.sum())


def _join_wrapped(lab: np.ndarray, n: int) -> np.ndarray:
    """Merge labels of components that touch across the antimeridian (first and last column)."""
    parent = np.arange(n + 1)

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = int(parent[a])
        return a

    left, right = lab[:, 0], lab[:, -1]
    for d in (-1, 0, 1):
        rr = np.roll(right, d)
        for a, b in zip(left[(left > 0) & (rr > 0)], rr[(left > 0) & (rr > 0)]):
            ra, rb = find(int(a)), find(int(b))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([find(i) for i in range(n + 1)])
    return roots[lab]


# --------------------------------------------------------------------------- the points


def compute_points(
    archive: Path | None = None,
    regions: dict[str, tuple[str | None, Rings]] | None = None,
    land: np.ndarray | None = None,
) -> dict[str, dict[str, list[float]]]:
    """``{"countries": {ISO2: [lat, lon]}, "us_states": {state name: [lat, lon]}}``.

    ``regions``, ``land``: the outputs of :func:`read_regions` and :func:`land_grid` when the
    caller has them already.
    """
    if regions is None:
        regions = read_regions(archive)
    if land is None:
        land = land_grid()
    by_country: dict[str, list[Rings]] = defaultdict(list)
    by_state: dict[str, list[Rings]] = defaultdict(list)
    for stem, (iso2, rings) in regions.items():
        if iso2:
            by_country[iso2].append(rings)
        parts = stem.split("_")
        if parts[0] == "US" and len(parts) >= 2:
            by_state[parts[1]].append(rings)
    out: dict[str, dict[str, list[float]]] = {"countries": {}, "us_states": {}}
    for key, groups in (("countries", by_country), ("us_states", by_state)):
        for name, regs in sorted(groups.items()):
            p = land_point(regs, land, largest=key == "countries")
            if p is not None:
                out[key][name] = [p[0], p[1]]
    return out


def load_points(
    cache_dir: Path | None = None,
    regions: Callable[[], dict[str, tuple[str | None, Rings]]] | None = None,
    land: Callable[[], np.ndarray] | None = None,
) -> dict[str, dict[str, list[float]]]:
    """The points, from ``cache_dir/landpoints-<key>.json`` when present, else computed (and cached).

    ``regions``, ``land``: callables returning :func:`read_regions`' and :func:`land_grid`'s output
    (shared with other users, e.g. :mod:`gazetteer.adminpoints`, so that each is read once). Returns empty tables when the polygons or the
    land mask are not installed (callers fall back).
    """
    path = cache_dir / f"landpoints-{cache_key()}.json" if cache_dir else None
    return cached_json(
        path,
        lambda: compute_points(regions=regions() if regions else None, land=land() if land else None),
        {"countries": {}, "us_states": {}},
        (FileNotFoundError, ImportError, OSError, tarfile.TarError, zipfile.BadZipFile),
    )


def cached_json(path: Path | None, compute: Callable[[], dict], empty: dict, missing: tuple) -> dict:
    """``path``'s JSON when readable, else ``compute()`` saved there atomically (``empty`` when
    ``compute`` raises one of ``missing``: an input package is not installed)."""
    if path and path.exists():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    try:
        pts = compute()
    except missing:
        return empty
    if path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # concurrent first builds
            tmp.write_text(json.dumps(pts, sort_keys=True), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass
    return pts
