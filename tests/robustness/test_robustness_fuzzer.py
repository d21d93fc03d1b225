"""The fuzzer itself finds, shrinks, saves and replays a crash (checked on a deliberately buggy target)."""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import fuzz_targets
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]


def _load_fuzzer():
    spec = importlib.util.spec_from_file_location("fuzz_pipeline", ROOT / "bench" / "fuzz_pipeline.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _buggy(inp):
    if "7" in inp["text"]:
        return 1 // 0
    if "%" in inp["text"]:
        raise KeyError(inp["text"])
    return 0


def test_fuzzer_finds_shrinks_and_saves_distinct_crashes(tmp_path, monkeypatch):
    fp = _load_fuzzer()
    monkeypatch.setitem(fuzz_targets.TARGETS, "buggy", (_buggy, st.builds(lambda t: {"text": t}, st.text(max_size=30))))
    monkeypatch.setattr(fuzz_targets, "CRASHERS", tmp_path)
    fz = fp.Fuzzer("buggy", time.monotonic() + 60, save=True)
    fz.run(examples=3000, batch=300, base_seed=0)
    sigs = sorted(fz.known)
    assert [s.split("@")[0] for s in sigs] == ["KeyError", "ZeroDivisionError"]
    inputs = {s.split("@")[0]: fz.known[s]["input"]["text"] for s in sigs}
    assert inputs == {"KeyError": "%", "ZeroDivisionError": "7"}  # shrunk to the minimal input
    written = fz.write_crashers()
    assert len(written) == 2
    rec = json.loads(written[0].read_text(encoding="utf-8"))
    assert rec["target"] == "buggy" and rec["xfail"].startswith("open") and "Error" in rec["error"]
    assert fz.tried >= 3000 * 0.5  # known crashes stop failing, so the search went on after the first


def test_expected_refusals_are_not_crashes():
    from geo.errors import InputError

    assert fuzz_targets.is_expected(InputError("x.txt: is empty; add text"))
    assert not fuzz_targets.is_expected(ValueError("boom"))
    assert not fuzz_targets.is_expected(InputError("two\nlines"))
