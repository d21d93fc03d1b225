"""``conflictmap ingest`` end to end with the real pipeline: incremental, crash-safe, Dask = serial."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.synth import write_corpus
from geo.store import open_store

from .conftest import make_article, make_incident

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def ingest(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "ingest", *map(str, args), "--quiet", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"ingest exited {proc.returncode}: {proc.stderr}")
    return proc


def snapshot(db: Path | str) -> dict:
    with open_store(db) as st:
        return {
            "articles": sorted(st.articles()),
            "reports": sorted(r[0] for r in st._execute("SELECT id FROM reports")),
            "incidents": sorted((i.id, tuple(s.article_id for s in i.sources)) for i, _ in st.query()),
        }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    write_corpus(16, d, seed=7)
    return d


@pytest.fixture(scope="module")
def serial_store(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> tuple[Path, dict]:
    """The corpus and the two seed articles ingested serially (the reference for the Dask run)."""
    db = tmp_path_factory.mktemp("serial") / "serial.gpkg"
    return db, json.loads(ingest(corpus, SEEDS, "--db", db).stdout)


@pytest.mark.slow
def test_ingest_then_reingest_adds_nothing(serial_store: tuple[Path, dict], corpus: Path) -> None:
    db, first = serial_store
    n = len(list(corpus.glob("*.txt"))) + 2
    assert first["articles_new"] == n and first["engine"] == "serial" and first["articles_failed"] == 0
    assert first["incidents_total"] >= 1
    before = snapshot(db)
    again = json.loads(ingest(corpus, SEEDS, "--db", db).stdout)
    assert again["articles_unchanged"] == n and again["articles_new"] == 0 and again["reports_added"] == 0
    assert again["incidents_total"] == first["incidents_total"] and snapshot(db) == before
    check_consistent(db)
    with open_store(db) as st:
        near = st.query(near=(36.31111, 36.68639), radius_km=25)
    # both seed reports describe the Atmeh raid
    assert near and {s.article_id for i, _ in near for s in i.sources} == {p.stem for p in SEEDS.glob("*.txt")}


def check_consistent(db: Path) -> None:
    """Every report belongs to a stored incident whose sources are exactly its reports' articles."""
    with open_store(db) as st:
        reports = st._execute("SELECT id, article_id, incident_id FROM reports")
        incidents = {i.id: i for i, _ in st.query()}
        n_rows = st._execute("SELECT count(*) FROM incidents")[0][0]
        n_rtree = st._execute("SELECT count(*) FROM rtree_incidents_geom")[0][0]
        articles = set(st.articles())
    assert n_rows == len(incidents) == n_rtree
    assert len({r[0] for r in reports}) == len(reports)
    by_incident: dict[str, set[str]] = {}
    for _rid, aid, iid in reports:
        assert aid in articles and iid in incidents
        by_incident.setdefault(iid, set()).add(aid)
    assert set(by_incident) == set(incidents)
    for iid, inc in incidents.items():
        assert {s.article_id for s in inc.sources} == by_incident[iid]


@pytest.mark.slow
def test_kill_9_inside_the_transaction_then_rerun(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "kill.gpkg"
    files = sorted(corpus.glob("*.txt"))
    with open_store(db) as st:  # a store with earlier content (hand-made: no pipeline needed)
        st.ingest([make_article("earlier")], {"earlier": [make_incident("earlier")]})
    before = snapshot(db)

    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", "ingest", str(corpus), "--db", str(db), "--quiet"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    killed_in_txn = False
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError:  # the ingest holds the write lock: it is inside its transaction
            os.kill(proc.pid, signal.SIGKILL)
            killed_in_txn = True
            break
        time.sleep(0.002)
    proc.wait(timeout=60)
    probe.close()
    assert killed_in_txn, f"never caught the ingest inside its transaction (exit {proc.returncode})"
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(db) == before  # exactly as before the run
    check_consistent(db)

    first = json.loads(ingest(corpus, "--db", db).stdout)
    assert first["articles_new"] == len(files) and first["articles_unchanged"] == 0
    after = snapshot(db)
    assert len(after["articles"]) == len(files) + 1
    check_consistent(db)
    rerun = json.loads(ingest(corpus, "--db", db).stdout)
    assert rerun["articles_unchanged"] == len(files)
    assert rerun["articles_new"] == rerun["reports_added"] == 0 and snapshot(db) == after


@pytest.mark.slow
@pytest.mark.dask
def test_dask_localcluster_equals_serial(tmp_path: Path, corpus: Path, serial_store: tuple[Path, dict]) -> None:
    pytest.importorskip("dask.distributed")
    serial = serial_store[0]
    parallel = tmp_path / "dask.gpkg"
    rep = json.loads(ingest(corpus, SEEDS, "--db", parallel, "--workers", "2").stdout)
    assert rep["engine"].startswith("dask LocalCluster (2 workers")
    assert snapshot(parallel) == snapshot(serial)
    check_consistent(parallel)
    with open_store(serial) as a, open_store(parallel) as b:
        assert [i for i, _ in a.query()] == [i for i, _ in b.query()]
