"""Replay every crasher that bench/fuzz_pipeline.py found (tests/robustness/crashers/*.json).

A crasher whose bug is still open carries an ``xfail`` reason naming the owner; once fixed, the
reason is removed and the replay must pass for good.
"""

from __future__ import annotations

import json

import pytest
from fuzz_targets import CRASHERS, TARGETS, load_crashers, run_target

CASES = load_crashers()


def test_the_corpus_is_well_formed():
    for path, rec in CASES:
        assert rec["target"] in TARGETS, path
        assert isinstance(rec["input"], dict) and rec.get("error"), path
        assert path.name.startswith(rec["target"] + "-"), path
    assert CRASHERS.is_dir()


@pytest.mark.parametrize(
    "rec",
    [
        pytest.param(rec, id=path.stem, marks=[pytest.mark.xfail(strict=False, reason=rec["xfail"])] if rec.get("xfail") else [])
        for path, rec in CASES
    ],
)
def test_crasher_replays_without_crashing(rec):
    try:
        run_target(rec["target"], rec["input"])
    except ImportError as exc:  # a module of the pipeline that is not in this checkout
        pytest.skip(f"target {rec['target']!r} cannot run here: {exc}")
    json.dumps(rec["input"])  # the saved input stays replayable
