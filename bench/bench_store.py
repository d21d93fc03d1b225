"""Store and scale-out benchmarks; prints a table and writes docs/bench-store.md.

    .venv/bin/python bench/bench_store.py                      # 1M incidents, 200 articles (minutes)
    .venv/bin/python bench/bench_store.py --rows 100000 --articles 60 --no-write

Measures
1. radius queries (25 km and 100 km, geodesic) over N stored synthetic incidents, GeoPackage
   and PostGIS side by side: p50 / p95 latency, rows returned, bulk-load time;
2. ingest throughput of synthetic articles through the real pipeline, on one core and on a Dask
   LocalCluster of 2 workers (1 thread each): articles/s, memory per worker, scaling ratio;
3. re-ingest of the already-ingested corpus: new rows (must be 0) and its time.

PostGIS: ``--pg-url postgresql://…`` or, by default, a throw-away server started like the tests
do (Debian postgresql-15 + postgresql-15-postgis-3). ``--no-pg`` skips it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synth import cities, synth_articles, synth_incidents
from geo.store import open_store


def machine() -> str:
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout.splitlines()
            if line.startswith("Model name")
        )
    except Exception:  # noqa: BLE001
        model = platform.processor() or "?"
    import psutil

    return (f"{model}; {os.cpu_count()} cores (shared with other jobs: load average "
            f"{os.getloadavg()[0]:.1f}); {psutil.virtual_memory().total / 2**30:.0f} GiB RAM; "
            f"Python {platform.python_version()}")


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


# ----- 1. radius queries ------------------------------------------------------------------------


def bench_radius(db: str, rows: int, queries: int, radii: tuple[float, ...], seed: int = 1) -> dict:
    """Bulk-load ``rows`` incidents into ``db`` (if not there yet) and time radius queries."""
    out: dict = {"rows": rows}
    with open_store(db) as st:
        have = st._execute("SELECT count(*) FROM incidents")[0][0]
        if have != rows:
            if have:
                raise SystemExit(f"{db} holds {have} incidents, not {rows}; give a fresh --workdir")
            t = time.perf_counter()
            print(f"  loading {rows:,} incidents into {db.split('@')[-1]} …", file=sys.stderr)
            st.bulk_load(synth_incidents(rows, seed=seed))
            out["load_s"] = time.perf_counter() - t
        rng = random.Random(seed + 1)
        pool = cities()
        centres = [(c["latitude"], c["longitude"]) for c in (rng.choice(pool) for _ in range(queries))]
        st.query(near=centres[0], radius_km=radii[0])  # warm caches
        for r in radii:
            for how in ("flat", "full"):
                times, counts = [], []
                for lat, lon in centres:
                    t = time.perf_counter()
                    if how == "flat":  # ids, distances and the flat columns (near --json, read_incidents)
                        got = st.query_flat(near=(lat, lon), radius_km=r)
                    else:  # full Incident objects with evidence (decoded from JSON)
                        got = st.query(near=(lat, lon), radius_km=r)
                    times.append((time.perf_counter() - t) * 1000)
                    counts.append(len(got))
                out[(r, how)] = {"p50": statistics.median(times), "p95": _pct(times, 0.95),
                                 "mean_rows": statistics.mean(counts), "median_rows": statistics.median(counts)}
                print(f"  {db.split('@')[-1]} {r:g} km {how}: p50 {out[(r, how)]['p50']:.1f} ms", file=sys.stderr)
    return out


# ----- 2./3. ingest -----------------------------------------------------------------------------


def _warm() -> int:
    """Build the per-process pipeline (gazetteer, geoparser, borders) and return this process's RSS."""
    import psutil

    from bench.synth import synth_articles as sa
    from geo.pipeline import process_article_default

    process_article_default(sa(1, seed=999)[0][0])
    return psutil.Process().memory_info().rss


def bench_ingest(n: int, workers: int, workdir: Path) -> dict:
    from geo.scale import extract

    arts = [a for a, _ in synth_articles(n, seed=3)]
    out: dict = {"articles": n}
    # one core (pipeline built first: steady-state throughput)
    rss_serial = _warm()
    db = workdir / "ingest-serial.gpkg"
    t = time.perf_counter()
    res = extract(arts)
    with open_store(db) as st:
        rep = st.ingest(arts, res.by_article)
    out["serial_s"] = time.perf_counter() - t
    out["serial_rss_mb"] = rss_serial / 2**20
    out["incidents"] = rep.incidents_total
    out["failures"] = len(res.failures)
    # Dask LocalCluster, workers warmed the same way
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        out["dask"] = "dask not installed"
        return out
    import logging

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        t = time.perf_counter()
        client.run(_warm)
        out["dask_warmup_s"] = time.perf_counter() - t
        db2 = workdir / "ingest-dask.gpkg"
        t = time.perf_counter()
        res2 = extract(arts, client=client)
        with open_store(db2) as st:
            rep2 = st.ingest(arts, res2.by_article)
        out["dask_s"] = time.perf_counter() - t
        out["dask_rss_mb"] = {k: v / 2**20 for k, v in res2.worker_rss_bytes.items()}
        out["dask_incidents"] = rep2.incidents_total
    # re-ingest: what `conflictmap ingest` does for an unchanged corpus (hash check, nothing to extract)
    t = time.perf_counter()
    with open_store(db) as st:
        known = st.known_hashes(a.id for a in arts)
        todo = [a for a in arts if known.get(a.id) != a.content_hash]
        res3 = extract(todo)
        before = st._execute("SELECT (SELECT count(*) FROM reports) + (SELECT count(*) FROM incidents)")[0][0]
        rep3 = st.ingest(arts, res3.by_article)
        after = st._execute("SELECT (SELECT count(*) FROM reports) + (SELECT count(*) FROM incidents)")[0][0]
    out["reingest_s"] = time.perf_counter() - t
    out["reingest_new_rows"] = after - before
    out["reingest_unchanged"] = rep3.articles_unchanged
    return out


# ----- main ---------------------------------------------------------------------------------------


def _start_pg(workdir: Path):
    sys.path.insert(0, str(ROOT))
    from tests.store.conftest import _PgServer

    server = _PgServer()
    server.start()
    import psycopg

    with psycopg.connect(server.url("postgres"), autocommit=True) as con:
        con.execute("CREATE DATABASE bench")
    with psycopg.connect(server.url("bench"), autocommit=True) as con:
        con.execute("CREATE EXTENSION postgis")
    return server, server.url("bench")


def main() -> None:
    ap = argparse.ArgumentParser(description="conflictmap store benchmarks")
    ap.add_argument("--rows", type=int, default=1_000_000, help="stored incidents for the radius queries")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--articles", type=int, default=200, help="synthetic articles for the ingest runs")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", type=Path, help="keep the stores here (default: a temp dir, deleted)")
    ap.add_argument("--pg-url", help="use this PostGIS database instead of starting a throw-away server")
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--skip-radius", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="do not write docs/bench-store.md")
    a = ap.parse_args()

    workdir = a.workdir or Path(tempfile.mkdtemp(prefix="bench-store-"))
    workdir.mkdir(parents=True, exist_ok=True)
    radii = (25.0, 100.0)
    lines = ["## Store and scale-out (`bench/bench_store.py`)", "",
             f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
             f"- machine: {machine()}",
             f"- command: `.venv/bin/python bench/bench_store.py {' '.join(sys.argv[1:])}`".replace("  ", " "), ""]
    server = None
    try:
        if not a.skip_radius:
            res = {"GeoPackage": bench_radius(str(workdir / "radius.gpkg"), a.rows, a.queries, radii)}
            if not a.no_pg:
                url = a.pg_url
                if not url:
                    server, url = _start_pg(workdir)
                res["PostGIS"] = bench_radius(url, a.rows, a.queries, radii)
            lines += [f"### Radius queries over {a.rows:,} stored incidents ({a.queries} random city centres)", "",
                      "`flat` = `query_flat` (ids, geodesic distances, flat columns: what `near` and "
                      "`read_incidents` use); `full` = `query` (complete `Incident` objects decoded from JSON).", "",
                      "| store | bulk load | radius | rows (median / mean) | flat p50 ms | flat p95 ms "
                      "| full p50 ms | full p95 ms |", "|---|---|---|---|---|---|---|---|"]
            for name, r in res.items():
                load = f"{r['load_s']:.0f} s" if "load_s" in r else "(reused)"
                for rad in radii:
                    fl, fu = r[(rad, "flat")], r[(rad, "full")]
                    lines.append(f"| {name} | {load} | {rad:g} km | {fl['median_rows']:.0f} / {fl['mean_rows']:.0f} "
                                 f"| {fl['p50']:.1f} | {fl['p95']:.1f} | {fu['p50']:.1f} | {fu['p95']:.1f} |")
            lines.append("")
            print("\n".join(lines), flush=True)
        if not a.skip_ingest:
            r = bench_ingest(a.articles, a.workers, workdir)
            s_rate = r["articles"] / r["serial_s"]
            ing = [f"### Ingest of {r['articles']} synthetic articles (real pipeline; pipeline built before timing)", "",
                   "| run | seconds | articles/s | memory | incidents |", "|---|---|---|---|---|",
                   f"| 1 core (serial) | {r['serial_s']:.1f} | {s_rate:.2f} | {r['serial_rss_mb']:.0f} MB (process) "
                   f"| {r['incidents']} |"]
            if "dask_s" in r:
                d_rate = r["articles"] / r["dask_s"]
                mem = ", ".join(f"{v:.0f}" for v in r["dask_rss_mb"].values())
                ing.append(f"| Dask LocalCluster, {a.workers} workers × 1 thread | {r['dask_s']:.1f} | {d_rate:.2f} "
                           f"| {mem} MB per worker | {r['dask_incidents']} |")
                ing += ["", f"- scaling ratio ({a.workers} workers / 1 core): **{d_rate / s_rate:.2f}×** "
                        f"(worker warm-up, not timed: {r['dask_warmup_s']:.1f} s)"]
            ing += [f"- re-ingest of the same {r['articles']} articles: **{r['reingest_new_rows']} new rows**, "
                    f"{r['reingest_unchanged']} unchanged, {r['reingest_s']:.2f} s", ""]
            lines += ing
            print("\n".join(ing), flush=True)
    finally:
        if server is not None:
            server.stop()
        if a.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if not a.no_write:
        out = ROOT / "docs" / "bench-store.md"
        out.parent.mkdir(exist_ok=True)
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
