#!/usr/bin/env python
"""Fuzz the article → incident path with hypothesis at scale; save minimised crashers as regression tests.

    .venv/bin/python bench/fuzz_pipeline.py                       # all targets, 2,000 inputs each
    .venv/bin/python bench/fuzz_pipeline.py --targets readers,extract --examples 20000 --seconds 120
    .venv/bin/python bench/fuzz_pipeline.py --replay              # re-run the saved crashers only
    .venv/bin/python bench/fuzz_pipeline.py --stress              # time pathological texts (super-linear?)

Targets (see ``tests/robustness/fuzz_targets.py``): ``readers`` (any bytes in any article file),
``normalize``, ``extract`` (casualties), ``pipeline`` (``Pipeline().process_article``: geoparse,
extraction, borders, claims, properties round-trip) and ``geojson`` (write/read round-trip).
A target that cannot be imported yet (a module still being written) is reported as skipped.

Each distinct crash (exception type + innermost project frame) is shrunk by hypothesis to a
minimal input and written to ``tests/robustness/crashers/<target>-<hash>.json``, which
``tests/robustness/test_robustness_crashers.py`` replays on every test run. Once a signature is
known it no longer stops the search, so one run can find several bugs. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import platform
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "robustness"))

import fuzz_targets
from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings

OWNERS = {
    "geo/articles": "articles/readers (h7)", "geo/validate": "validate (h7)", "geo/extract": "extraction",
    "geo/geoparse": "geoparsing", "gazetteer": "gazetteer", "geo/borders": "borders", "geo/pipeline": "lead (pipeline)",
    "geo/verify": "lead (claims)", "geo/merge": "lead (merge)", "geo/export": "export", "geo/render": "render",
    "geo/model": "lead (model)", "geo/store": "store",
}


def signature(exc: BaseException) -> tuple[str, str]:
    """(signature, project file:line) of an exception: its type and innermost frame inside the project."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = None
    for fr in reversed(frames):
        path = Path(fr.filename).resolve()
        if ROOT in path.parents and "/.venv/" not in str(path):
            where = f"{path.relative_to(ROOT)}:{fr.lineno}"
            break
    if where is None and frames:
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}"
    return f"{type(exc).__name__}@{where}", where or "?"


def owner_of(where: str) -> str:
    for prefix, owner in OWNERS.items():
        if where.startswith(prefix):
            return owner
    return "test invariant (see the assertion)" if "fuzz_targets" in where else "unknown"


class Fuzzer:
    def __init__(self, name: str, deadline: float, save: bool) -> None:
        self.name = name
        self.deadline = deadline
        self.save = save
        self.tried = 0
        self.productive = 0  # inputs that gave at least one article/figure/incident
        self.known: dict[str, dict] = {}  # signature → smallest crasher record
        self.raise_known = True

    def body(self, inp: dict) -> None:
        if time.monotonic() > self.deadline:
            return
        self.tried += 1
        try:
            self.productive += fuzz_targets.run_target(self.name, inp) > 0
        except Exception as exc:
            sig, where = signature(exc)
            size = len(json.dumps(inp, ensure_ascii=False))
            old = self.known.get(sig)
            if old is None or size < old["size"]:
                self.known[sig] = {
                    "target": self.name, "signature": sig, "size": size, "input": inp,
                    "error": f"{type(exc).__name__}: {str(exc)[:500]}",
                    "traceback": traceback.format_exception(exc)[-6:],
                    "owner": owner_of(where),
                }
            if old is None or self.raise_known:
                raise

    def run(self, examples: int, batch: int, base_seed: int) -> None:
        _, strategy = fuzz_targets.TARGETS[self.name]
        n = 0
        while self.tried < examples and time.monotonic() < self.deadline:
            before = len(self.known)
            wrapped = settings(
                max_examples=min(batch, examples - self.tried), database=None, deadline=None,
                suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink],
                verbosity=Verbosity.quiet, report_multiple_bugs=True,
            )(seed(base_seed + n)(given(strategy)(lambda inp: self.body(inp))))
            try:
                wrapped()
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt):
                    raise
            # after a bug is found and shrunk, known signatures stop failing so the search goes on
            self.raise_known = False
            if len(self.known) == before and n > 10_000:
                break
            n += 1

    def write_crashers(self) -> list[Path]:
        written = []
        for sig, rec in sorted(self.known.items()):
            path = fuzz_targets.CRASHERS / f"{self.name}-{hashlib.sha1(sig.encode()).hexdigest()[:10]}.json"
            if path.exists():
                old = json.loads(path.read_text(encoding="utf-8"))
                if old.get("size", 1e18) <= rec["size"]:
                    continue
                rec = {**old, **{k: rec[k] for k in ("size", "input", "error", "traceback")}}
            else:
                rec = {**rec, "found": dt.date.today().isoformat(),
                       "xfail": f"open: found by bench/fuzz_pipeline.py, owner: {rec['owner']}",
                       "command": f".venv/bin/python bench/fuzz_pipeline.py --targets {self.name}"}
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(rec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            written.append(path)
        return written


def replay() -> int:
    rows = []
    bad = 0
    for path, rec in fuzz_targets.load_crashers():
        try:
            fuzz_targets.run_target(rec["target"], rec["input"])
            status = "passes"
        except Exception as exc:  # noqa: BLE001
            status = f"FAILS: {type(exc).__name__}: {str(exc)[:80]}"
            bad += 1
        rows.append((path.name, rec["target"], rec.get("owner", "?"), status))
    print("| crasher | target | owner | status |\n|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 1 if bad else 0


STRESS_UNITS = {
    "words": "a ", "killed": "killed ", "digits": "1,", "at least": "at least ", "parens": "(", "dots": ". ",
    "no spaces": "x", "arabic": "قتل ", "capitalised": "Atmeh ", "hyphens": "twenty-", "quotes": "“",
    "newlines": "\n", "spaces": " ", "no-break spaces": "\xa0", "tolls": "13 people were killed. ", "border claims": "less than a kilometer from the Turkish border ",
    "suicide": "a suicide bomber blew ", "dashes": "- ", "distances": "5 km north of ",
    "open tags": "<a ", "lone <": "<", "end tags": "</", "declarations": "<!", "attributes": '<p a="',
}
STRESS_PREFIX = "In Atmeh, Idlib, Syria, on Thursday: "


def stress(targets: list[str], sizes: tuple[int, int]) -> int:
    """Time pathological repetitive texts at two sizes; an exponent well above 1 means super-linear time.

    ``extract`` gets the raw text (the extractor's own behaviour); ``pipeline`` gets the normalised
    text, as articles read by ``geo.articles`` are.
    """
    import math

    from geo.model import Article

    fns = {}
    if "extract" in targets:
        try:
            from geo.extract import extract_casualties
        except ImportError:
            from geo.extract.casualties import extract_casualties
        fns["extract"] = extract_casualties
    if "pipeline" in targets:
        from geo.articles import normalize_text as _norm

        # as in a real run: the reader normalises the text, then the pipeline sees it
        fns["pipeline"] = lambda text: fuzz_targets.pipeline().process_article(Article(id="stress", text=_norm(text)))
    if "readers" in targets:
        from geo.articles import extract_html, normalize_text

        fns["normalize"] = normalize_text
        fns["html"] = lambda text: extract_html("<html><body><p>" + text)
    for fn in fns.values():
        fn("Atmeh")  # warm-up: imports, gazetteer, borders
    print(f"stress run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; text = {STRESS_PREFIX!r} + unit × n")
    print(f"| stage | unit | {sizes[0]:,} chars | {sizes[1]:,} chars | exponent |")
    print("|---|---|---:|---:|---:|")
    worst = 0.0
    for stage, fn in fns.items():
        for name, unit in STRESS_UNITS.items():
            times = []
            for size in sizes:
                text = STRESS_PREFIX + (unit * (size // len(unit) + 1))[:size]
                t = time.perf_counter()
                fn(text)
                times.append(time.perf_counter() - t)
            exp = math.log(max(times[1], 1e-4) / max(times[0], 1e-4)) / math.log(sizes[1] / sizes[0])
            flag = " **super-linear**" if exp > 1.5 and times[1] > 1 else ""
            worst = max(worst, times[1])
            print(f"| {stage} | {name!r} | {times[0]:.2f} s | {times[1]:.2f} s | {exp:.1f}{flag} |", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--targets", default="all", help=f"comma list of {', '.join(fuzz_targets.TARGETS)} or 'all'")
    ap.add_argument("--examples", type=int, default=2000, help="inputs per target (default 2000)")
    ap.add_argument("--seconds", type=float, default=300, help="time budget per target (default 300)")
    ap.add_argument("--seed", type=int, default=0, help="first hypothesis seed (default 0)")
    ap.add_argument("--batch", type=int, default=500, help="inputs per hypothesis run (default 500)")
    ap.add_argument("--no-save", action="store_true", help="do not write crashers to tests/robustness/crashers/")
    ap.add_argument("--replay", action="store_true", help="only replay the saved crashers")
    ap.add_argument("--stress", action="store_true",
                    help="time pathological repetitive texts (10k and 40k characters) instead of fuzzing")
    args = ap.parse_args(argv)
    logging.disable(logging.WARNING)  # readers log every fallback; keep the table readable
    if args.replay:
        return replay()
    if args.stress:
        names = ["readers", "extract", "pipeline"] if args.targets == "all" else args.targets.split(",")
        return stress(names, (10_000, 40_000))
    names = list(fuzz_targets.TARGETS) if args.targets == "all" else args.targets.split(",")
    rows = []
    for name in names:
        if name not in fuzz_targets.TARGETS:
            ap.error(f"unknown target {name!r}; choose from {', '.join(fuzz_targets.TARGETS)}")
        warm = time.monotonic()
        try:  # imports, gazetteer and border loading happen here, outside the timed run
            fuzz_targets.run_target(name, {"text": "Atmeh", "suffix": ".txt", "b64": "QXRtZWg="})
        except ImportError as exc:
            rows.append((name, 0, "-", "-", "-", "-", f"skipped: {exc}"))
            continue
        except Exception:  # noqa: BLE001, S110 - a crash on the warm-up input is found again by the run
            pass
        warm = time.monotonic() - warm
        start = time.monotonic()
        fz = Fuzzer(name, start + args.seconds, save=not args.no_save)
        fz.run(args.examples, args.batch, args.seed)
        secs = time.monotonic() - start
        written = [] if args.no_save else fz.write_crashers()
        sigs = "; ".join(f"{s} ({r['owner']})" for s, r in sorted(fz.known.items())) or "none"
        rows.append((name, fz.tried, fz.productive, len(fz.known), f"{secs:.1f}", f"{fz.tried / secs:.0f}" if secs else "-",
                     f"{sigs}; warm-up {warm:.1f}s; new files: {len(written)}"))
    print(f"fuzz run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, python {platform.python_version()}, "
          f"seed {args.seed}, command: {' '.join(['bench/fuzz_pipeline.py', *(argv if argv is not None else sys.argv[1:])])}")
    print("| target | inputs tried | with output | distinct crashes | seconds | inputs/s | crash signatures |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
