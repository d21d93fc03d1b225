"""Extraction on many cores or machines with Dask; results come back to ONE writer.

``extract(articles, workers=N)`` runs :func:`geo.pipeline.process_article_default`
on a Dask ``LocalCluster`` (N worker processes, one thread each; every worker
builds its pipeline once), ``extract(articles, scheduler="tcp://host:8786")``
on an existing cluster, and ``extract(articles)`` in this process. Incidents
are gathered in the calling process, which alone writes the store, so nothing
is written twice or lost. An article whose processing raises is reported in
``failures`` and left out (it is retried by the next ingest); the others go on.
Dask is an optional extra (``pip install 'conflictmap[dask]'``), imported late.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from geo.errors import InputError, MissingExtraError
from geo.model import Article, Incident

Process = Callable[[Article], list[Incident]]


@dataclass
class ExtractResult:
    """Incidents per article id, the articles that failed, and where the work ran."""

    by_article: dict[str, list[Incident]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # article id → "ErrorType: message"
    seconds: float = 0.0
    engine: str = "serial"
    worker_rss_bytes: dict[str, int] = field(default_factory=dict)  # Dask worker address → resident memory


def _default_process() -> Process:
    from geo.pipeline import process_article_default

    return process_article_default


def _run_batch(articles: Sequence[Article], process: Process | None = None) -> list[tuple[str, bool, Any]]:
    """Process a batch of articles; never raises (a failure is returned with its article id)."""
    fn = process or _default_process()
    out = []
    for article in articles:
        try:
            out.append((article.id, True, fn(article)))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the others
            out.append((article.id, False, f"{type(exc).__name__}: {exc}"))
    return out


def _rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def _collect(result: ExtractResult, batch: list[tuple[str, bool, Any]]) -> None:
    for aid, ok, value in batch:
        if ok:
            result.by_article[aid] = value
        else:
            result.failures[aid] = value


def extract(
    articles: Sequence[Article],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    process: Process | None = None,
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    client: Any = None,
) -> ExtractResult:
    """Run extraction on every article (serially, on a LocalCluster, on ``scheduler``, or on a
    ``dask.distributed.Client`` you pass and keep)."""
    t0 = time.perf_counter()
    result = ExtractResult()
    if workers is not None and workers < 1:
        raise InputError(f"--workers must be at least 1; got {workers}")
    if client is None and scheduler is None and (workers is None or workers == 1):
        for article in articles:
            _collect(result, _run_batch([article], process))
            if progress:
                progress(1)
        result.seconds = time.perf_counter() - t0
        return result
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise MissingExtraError("dask", "dask") from None

    cluster = None
    own_client = client is None
    if client is not None:
        result.engine = f"dask client {client.scheduler.address}"
    elif scheduler:
        if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise InputError(f"--scheduler {scheduler!r}: expected an address such as tcp://HOST:8786")
        try:
            client = Client(scheduler, timeout="15s")
        except OSError as exc:
            raise InputError(
                f"--scheduler {scheduler}: cannot reach the Dask scheduler ({exc}); check the address "
                "and that `dask scheduler` is running"
            ) from None
        result.engine = f"dask scheduler {scheduler}"
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
        result.engine = f"dask LocalCluster ({workers} workers × 1 thread)"
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
        size = batch_size or max(1, min(25, len(articles) // (n_workers * 4) or 1))
        batches = [list(articles[i : i + size]) for i in range(0, len(articles), size)]
        futures = client.map(_run_batch, batches, process=process, pure=False)
        for fut in as_completed(futures):
            batch = fut.result()
            _collect(result, batch)
            if progress:
                progress(len(batch))
            fut.release()
        try:
            result.worker_rss_bytes = client.run(_rss)
        except Exception:  # noqa: BLE001 - memory figures are informative only
            pass
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()
    result.seconds = time.perf_counter() - t0
    return result
