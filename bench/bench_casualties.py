"""Casualty extraction on the RAND RDWTI corpus: run ``conflictmap extract`` logic and the shared scorer.

    .venv/bin/python bench/bench_casualties.py [--split all|dev|heldout] [--limit N] [--sample N --seed S]
                                               [--write-docs]

Reads ``../shared/eval/casualties/rand_rdwti.jsonl`` (never copied into the repository), writes
predictions to a temporary file, runs ``score.py`` from the same folder and prints its table,
the extraction speed, and the same figures with ``--zero-if-none``. ``--write-docs`` appends the
results to docs/bench-extract.md.

Development split: a text is in the **dev** half when the MD5 of its id is even, else in the
**held-out** half (``split_of``). Error analysis and rule changes use the dev half only; the held-out
half checks that a change generalises. Every run prints the headline figures per half.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval" / "casualties"
sys.path.insert(0, str(ROOT))


def split_of(rid: str) -> str:
    """``"dev"`` when the MD5 of the id is even, else ``"heldout"`` (a fixed, documented split)."""
    return "dev" if int(hashlib.md5(rid.encode()).hexdigest(), 16) % 2 == 0 else "heldout"


def _split_table(rows: list[dict], preds: dict[str, dict]) -> str:
    """Headline figures per half with the shared scorer (``score.score``), as a markdown table."""
    sys.path.insert(0, str(EVAL))
    import score  # the shared scorer, standard library only

    lines = ["| half | texts | killed coverage | killed exact (answered) | killed exact, gold > 0 | "
             "injured coverage | injured exact (answered) | injured exact, gold > 0 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for half in ("dev", "heldout", "all"):
        sub = [r for r in rows if half == "all" or split_of(r["id"]) == half]
        if not sub:
            continue
        gold = {r["id"]: {"killed": r["killed"], "injured": r["injured"]} for r in sub}
        res = score.score(gold, {rid: preds[rid] for rid in gold})
        k, i = res["killed"], res["injured"]
        lines.append(f"| {half} | {len(sub)} | {k['coverage']:.4f} | {k['exact_predicted']:.4f} | "
                     f"{k['nonzero']['exact_all']:.4f} | {i['coverage']:.4f} | {i['exact_predicted']:.4f} | "
                     f"{i['nonzero']['exact_all']:.4f} |")
    return "\n".join(lines)


def _event_table(rows: list[dict]) -> str:
    """ACLED event types from ``geo.extract.events`` against RAND's weapon field (a coarse check)."""
    from collections import Counter

    from geo.extract.events import classify_event
    from geo.extract.sentences import split_sentences

    groups = {"Explosives": "explosive", "Remote-detonated explosive": "explosive", "Firearms": "firearm",
              "Knives & sharp objects": "firearm"}
    counts: dict[str, Counter] = {"explosive": Counter(), "firearm": Counter()}
    for r in rows:
        g = groups.get((r.get("extra") or {}).get("weapon"))
        if g is None:
            continue
        etype, _sub, _ev = classify_event(r["text"], split_sentences(r["text"]))
        counts[g][etype or "(none)"] += 1
    lines = ["Event type (ACLED) against RAND's weapon field — share of texts per predicted event_type:", "",
             "| RAND weapon | n | Explosions/Remote violence | Battles | Violence against civilians | other | none |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for g, c in counts.items():
        n = sum(c.values()) or 1
        ex, ba, vac, no = (c["Explosions/Remote violence"], c["Battles"], c["Violence against civilians"], c["(none)"])
        other = n - ex - ba - vac - no
        lines.append(f"| {g} | {n} | {ex / n:.3f} | {ba / n:.3f} | {vac / n:.3f} | {other / n:.3f} | {no / n:.3f} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", default=str(EVAL / "rand_rdwti.jsonl"))
    ap.add_argument("--limit", type=int, default=None, help="first N texts only")
    ap.add_argument("--sample", type=int, default=None, help="a random sample of N texts")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--split", choices=("all", "dev", "heldout"), default="all",
                    help="score only one half of the corpus (MD5 parity of the id; see split_of)")
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()

    from geo.cli.extract_cmd import extract_record

    rows = [json.loads(line) for line in open(args.gold, encoding="utf-8") if line.strip()]
    if args.split != "all":
        rows = [r for r in rows if split_of(r["id"]) == args.split]
    if args.sample:
        rows = random.Random(args.seed).sample(rows, args.sample)
    elif args.limit:
        rows = rows[: args.limit]
    tmp = Path(tempfile.mkdtemp())
    pred, pred0, gold = tmp / "pred.jsonl", tmp / "pred0.jsonl", tmp / "gold.jsonl"
    t0, c0 = time.perf_counter(), time.process_time()
    preds: dict[str, dict] = {}
    with pred.open("w") as f, pred0.open("w") as f0:
        for r in rows:
            rec = extract_record(r["id"], r["text"], None)
            preds[r["id"]] = {"killed": rec["killed"], "injured": rec["injured"]}
            f.write(json.dumps({"id": rec["id"], "killed": rec["killed"], "injured": rec["injured"]}) + "\n")
            f0.write(json.dumps({"id": rec["id"], "killed": 0 if rec["killed"] is None else rec["killed"],
                                 "injured": 0 if rec["injured"] is None else rec["injured"]}) + "\n")
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    with gold.open("w") as g:
        for r in rows:
            g.write(json.dumps({"id": r["id"], "killed": r["killed"], "injured": r["injured"]}) + "\n")
    events = _event_table(rows)
    halves = _split_table(rows, preds)
    scorer = str(EVAL / "score.py")
    table = subprocess.run([sys.executable, scorer, str(gold), str(pred)], capture_output=True, text=True).stdout
    table0 = subprocess.run([sys.executable, scorer, str(gold), str(pred0)], capture_output=True, text=True).stdout
    speed = (f"{len(rows)} texts in {secs:.1f} s wall, {cpu:.1f} s CPU ({len(rows) / cpu:.0f} texts per CPU-second, "
             f"one process; load average {os.getloadavg()[0]:.1f})")
    print("## default (null when the text states no figure)\n" + table)
    print("\n## --zero-if-none\n" + table0)
    print("\n## per half (dev = even MD5 of the id, used for error analysis; heldout = odd)\n" + halves)
    print("\n" + events)
    print("\n" + speed)
    if args.write_docs:
        cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")),
                   platform.processor())
        mem = next((int(ln.split()[1]) // 1024 // 1024 for ln in open("/proc/meminfo") if ln.startswith("MemTotal")), 0)
        cmd = "python bench/bench_casualties.py" + (f" --split {args.split}" if args.split != "all" else "") \
            + (f" --sample {args.sample} --seed {args.seed}" if args.sample else "") \
            + (f" --limit {args.limit}" if args.limit else "") + " --write-docs"
        doc = ROOT / "docs" / "bench-extract.md"
        with doc.open("a", encoding="utf-8") as d:
            d.write(f"\n## Casualty extraction on RAND RDWTI ({dt.date.today().isoformat()})\n\n"
                    f"Machine: {cpu}, {os.cpu_count()} cores, {mem} GB RAM. Command: `{cmd}`. "
                    f"Corpus: `../shared/eval/casualties/rand_rdwti.jsonl` ({len(rows)} texts; RAND Database of "
                    f"Worldwide Terrorism Incidents). {speed}.\n\n"
                    f"Default output (null when the text states no figure):\n\n```\n{table}\n```\n\n"
                    f"With `--zero-if-none`:\n\n```\n{table0}\n```\n\n"
                    f"Per half (dev = even MD5 of the id, used for error analysis; heldout = odd):\n\n{halves}\n\n"
                    f"{events}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
