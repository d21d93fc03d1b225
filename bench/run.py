"""Run the benchmarks, one after another, each printing its table.

    .venv/bin/python bench/run.py                 # all of them (about 30–60 min on 2 cores; store 1M rows dominates)
    .venv/bin/python bench/run.py geoparse casualties
    .venv/bin/python bench/run.py --quick         # smaller sizes, a few minutes

Each benchmark also rewrites its own section file ``docs/bench-<area>.md``;
``docs/benchmarks.md`` summarises them.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: name → (script, full arguments, quick arguments)
BENCHES: dict[str, tuple[str, list[str], list[str]]] = {
    "gazetteer": ("bench_gazetteer.py", ["--write", "docs/bench-gazetteer.md"], ["--only", "lookup"]),
    "geoparse": ("bench_geoparse.py", [], ["--no-write"]),
    "casualties": ("bench_casualties.py", ["--write-docs"], ["--sample", "4000", "--seed", "1"]),
    "borders": ("bench_borders.py", [], ["--n", "20000", "--memory-points", "100000", "--out", "/dev/null"]),
    "map": ("bench_map.py", ["--out", "docs/bench-map.md"], ["--sizes", "1000", "10000", "--no-folium"]),
    "store": ("bench_store.py", [], ["--rows", "100000", "--articles", "100", "--no-write"]),
    "fuzz": ("fuzz_pipeline.py", ["--targets", "all", "--examples", "5000", "--seconds", "240"],
             ["--targets", "all", "--examples", "300", "--seconds", "60"]),
}


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("--")] or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        script, full, small = BENCHES[name]
        cmd = [sys.executable, str(HERE / script), *(small if quick else full)]
        print(f"\n=== {name}: {' '.join(cmd[1:])}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, cwd=HERE.parent)
        print(f"=== {name}: exit {rc} in {time.perf_counter() - t0:.0f} s", flush=True)
        if rc:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
