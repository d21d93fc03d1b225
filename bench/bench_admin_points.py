"""Admin1 reference points: OSM region polygons (``gazetteer.adminpoints``) vs the centre of the extent of places.

    .venv/bin/python bench/bench_admin_points.py                      # print the tables
    .venv/bin/python bench/bench_admin_points.py --write docs/bench-admin-points.md

For every gold toponym of ``../shared/eval/geoparsing/{geowebnews,lgl}.jsonl`` (read where they lie,
never copied) whose name matches a non-US first-level admin area of the embedded gazetteer (the
same names the index holds: the GeoNames admin1 name, its base name and "<base> Province" etc.)
and whose gold point lies in that admin1's country (country of the nearest GeoNames cities500
place), it measures the geodesic distance (WGS84) from the gold point to the admin1 point of the
old method (centre of the 2nd–98th percentile box of its cities500 places) and of the new one
(point inside the union of the matched OSM polygons), and counts those within 161 km. It also
times the computation (reading the polygons once, then the matching and geometry).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from bench_gazetteer import machine, table  # noqa: E402  (bench/ is on sys.path when run as a script)

from gazetteer import adminpoints as ap
from gazetteer import sources as S
from gazetteer.normalize import name_key

KM = 161.0
NOTES = "### Reading"  # the part of the written file below this heading is kept
VARIANTS = ("centroid", "representative", "planar", "land")
VARIANT_TITLES = ("largest land area (chosen)",)


def unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def main() -> int:
    ap_ = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap_.add_argument("--write", type=Path, help="write the markdown section to this file")
    ap_.add_argument(
        "--cache", type=Path, help="read/write adminpoints-*.json here (default: compute afresh)"
    )
    ap_.add_argument("--experiment", type=Path, help=argparse.SUPPRESS)
    args = ap_.parse_args()
    from pyproj import Geod
    from scipy.spatial import cKDTree

    geod = Geod(ellps="WGS84")
    cities = json.loads((S._gnc_dir() / "cities500.json").read_text(encoding="utf-8"))
    names, places_l, _ = S.admin1_table(cities, S._read_rg())
    places = {k: np.array(v, dtype=float) for k, v in places_l.items()}

    # the computation, timed: reading the polygons (shared with the land points), then the admin1 part
    t0, c0 = time.perf_counter(), time.process_time()
    shared = ap.SharedRegions()
    if args.experiment:
        pts = json.loads(args.experiment.read_text())
        t_read = c_read = float("nan")
    elif args.cache:
        pts = ap.load_admin_points(names, places, args.cache, shared)
        t_read = c_read = float("nan")
    else:
        shared()
        shared.land()
        t_read, c_read = time.perf_counter() - t0, time.process_time() - c0
        pts = ap.compute_admin_points(names, places, shared)
    t_all, c_all = time.perf_counter() - t0, time.process_time() - c0
    rejected = pts.pop("_rejected", {})

    old = {}
    for key, arr in places.items():
        if key in names and key[1] and key[1] != "00" and key[0] != "US":
            old[key] = S.extent_centre(arr[:, 0], arr[:, 1])
    # index names of each admin1, as in gazetteer.sources.embedded_records
    by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cc, a1 in old:
        name = names[(cc, a1)]
        base = S.admin_base_name(name)
        forms = {name, base} | {f"{base} {s}" for s in S.ADMIN_SUFFIXES.get(cc, ("Province",))}
        for f in forms:
            by_key[name_key(f)].append((cc, a1))

    lats = np.array([c["latitude"] for c in cities.values()])
    lons = np.array([c["longitude"] for c in cities.values()])
    ccs = [c["countrycode"] for c in cities.values()]
    tree = cKDTree(unit(lats, lons))

    rows, detail = [], []
    for corpus in ("geowebnews", "lgl"):
        path = SHARED / "eval" / "geoparsing" / f"{corpus}.jsonl"
        if not path.exists():
            print(f"missing {path}", file=sys.stderr)
            continue
        gold = []
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                for t in json.loads(line).get("toponyms", []):
                    if t.get("lat") is not None and t.get("lon") is not None:
                        gold.append(t)
        _, idx = tree.query(unit(np.array([t["lat"] for t in gold]), np.array([t["lon"] for t in gold])))
        dist: dict[str, list[float]] = defaultdict(list)
        dist_poly: dict[str, list[float]] = defaultdict(list)
        for t, i in zip(gold, idx):
            hits = [k for k in by_key.get(name_key(t["name"]), []) if k[0] == ccs[i]]
            if not hits:
                continue
            k = hits[0]
            entry = pts.get(f"{k[0]}.{k[1]}")
            cand = {"old": old[k]}
            if entry:
                cand["new"] = (entry["lat"], entry["lon"])
                for m in VARIANTS:
                    cand[m] = tuple(entry.get(m) or entry["centroid"])
            else:
                cand["new"] = old[k]
            for m, (la, lo) in cand.items():
                d = geod.inv(lo, la, t["lon"], t["lat"])[2] / 1000.0
                dist[m].append(d)
                if entry:
                    dist_poly[m].append(d)
            if entry:
                detail.append(
                    (corpus, t["name"], f"{k[0]}.{k[1]}", round(dist["old"][-1]), round(dist["new"][-1]))
                )
        n, npoly = len(dist["old"]), len(dist_poly["old"])
        rows.append(
            (
                corpus,
                n,
                npoly,
                sum(d <= KM for d in dist["old"]),
                sum(d <= KM for d in dist["new"]),
                f"{statistics.median(dist['old']):.0f} → {statistics.median(dist['new']):.0f}" if n else "",
                *(
                    f"{sum(d <= KM for d in dist_poly[m])} / {statistics.median(dist_poly[m]):.0f} km"
                    if npoly
                    else ""
                    for m in ("old", *VARIANTS)
                ),
            )
        )

    out = [
        "## Admin1 points from OSM region polygons (issue #3)",
        "",
        f"machine: {machine()}  ",
        "command: `.venv/bin/python bench/bench_admin_points.py --write docs/bench-admin-points.md`  ",
        f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  ",
        "note: shared 2-core machine; wall times vary with the other engineers' load, CPU times less.",
        "",
    ]
    out.append(
        table(
            f"Gold toponyms naming a non-US admin1 of ours (same name, gold in its country): within {KM:.0f} km",
            rows,
            (
                "corpus",
                "toponyms",
                "of which: admin1 has a polygon point",
                f"≤{KM:.0f} km old (extent centre)",
                f"≤{KM:.0f} km new",
                "median km old → new",
                "polygon subset: old",
                "equal-area centroid",
                "representative point",
                "lon/lat centroid",
                *VARIANT_TITLES,
            ),
        )
    )
    crossing = Counter(r for r in detail if (r[3] <= KM) != (r[4] <= KM))
    changed = [(*r, n) for r, n in sorted(crossing.items(), key=lambda x: (x[0][3] - x[0][4], x[0]))]
    out.append(
        table(
            "Toponyms that cross the 161 km line (km from gold: old → new)",
            changed,
            ("corpus", "name", "admin1", "old km", "new km", "toponyms"),
        )
    )
    methods_used = Counter(v["method"] for v in pts.values())
    total = sum(1 for k in names if k[0] != "US" and k[1] and k[1] != "00" and k in places)
    out.append(
        table(
            "Coverage and cost of the computation",
            [
                ("non-US admin1 areas", total),
                ("with a polygon point (accepted match)", len(pts)),
                (
                    "… point: land centroid / polygon centroid / representative point",
                    f"{methods_used['land']} / {methods_used['centroid']} / {methods_used['representative']}",
                ),
                ("matched but rejected (recall or precision of places < 0.8)", len(rejected)),
                (
                    "reading the polygons + the land mask (shared with the land points): wall / CPU s",
                    f"{t_read:.1f} / {c_read:.1f}",
                ),
                ("total incl. matching and geometry: wall / CPU s", f"{t_all:.1f} / {c_all:.1f}"),
            ],
            ("measure", "value"),
        )
    )
    out.append(
        "Rejected matches (polygon holds < 80 % of the admin1's places, or < 80 % of the places inside it are "
        "the admin1's): "
        + ", ".join(
            f"{k} {v['name']} ({v['recall']:.2f}/{v['precision']:.2f})" for k, v in sorted(rejected.items())
        )
        + "\n"
    )
    text = "\n".join(out)
    if args.write:
        old = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        if NOTES in old:  # hand-written reading of the numbers, kept across runs
            text += "\n" + old[old.index(NOTES) :]
        args.write.write_text(text, encoding="utf-8")
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
