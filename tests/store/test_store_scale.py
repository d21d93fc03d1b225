"""geo.scale on a real Dask LocalCluster: every article comes back once, failures stay isolated."""

from __future__ import annotations

import hashlib

import pytest

from geo.errors import InputError
from geo.model import Article, Incident
from geo.scale import extract

from .conftest import make_article, make_incident


def locate_by_hash(article: Article) -> list[Incident]:
    """A deterministic per-article extraction that raises on one article (like a crashing parser)."""
    if "BOOM" in article.text:
        raise ValueError(f"cannot parse {article.id}")
    h = int(hashlib.sha256(article.text.encode()).hexdigest()[:8], 16)
    return [make_incident(article.id, f"P{h % 97}", lat=(h % 170) - 85.0, lon=(h % 350) - 175.0, n=k)
            for k in range(1 + h % 3)]


def _articles() -> list[Article]:
    arts = [make_article(f"a{i:02d}", f"report number {i}") for i in range(23)]
    arts.append(make_article("bad", "BOOM: this one breaks the parser"))
    return arts


def test_serial_extract_isolates_failures() -> None:
    res = extract(_articles(), process=locate_by_hash)
    assert res.engine == "serial" and set(res.failures) == {"bad"}
    assert "ValueError: cannot parse bad" in res.failures["bad"]
    assert len(res.by_article) == 23
    with pytest.raises(InputError):
        extract(_articles(), workers=0)


@pytest.mark.dask
def test_localcluster_equals_serial() -> None:
    pytest.importorskip("dask.distributed")
    arts = _articles()
    serial = extract(arts, process=locate_by_hash)
    par = extract(arts, workers=2, process=locate_by_hash, batch_size=3)
    assert par.engine.startswith("dask LocalCluster (2 workers")
    assert par.by_article == serial.by_article  # same incidents, none lost or doubled
    assert par.failures == serial.failures
    assert len(par.worker_rss_bytes) == 2 and all(v > 10_000_000 for v in par.worker_rss_bytes.values())


def test_bad_scheduler_address_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="tcp://HOST"):
        extract([make_article("x")], scheduler="localhost:1")


@pytest.mark.dask
def test_existing_scheduler_is_used() -> None:
    distributed = pytest.importorskip("dask.distributed")
    arts = _articles()[:8]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, protocol="tcp://",
                                  dashboard_address=None) as cluster:
        addr = cluster.scheduler_address
        assert addr.startswith("tcp://")
        res = extract(arts, scheduler=addr, process=locate_by_hash)
    assert res.engine == f"dask scheduler {addr}"
    assert res.by_article == extract(arts, process=locate_by_hash).by_article
