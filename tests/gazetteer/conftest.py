"""Fixtures of the gazetteer tests.

``gz``: the default index in the normal per-user cache (built once, on first use, from the
installed packages; shared by the whole suite). ``tiny_index``: a small index built in a
temporary cache dir from the curated rows only, for import and rebuild tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gazetteer import Gazetteer


@pytest.fixture(scope="session")
def gz() -> Gazetteer:
    g = Gazetteer.open()
    yield g
    g.close()


@pytest.fixture()
def tiny_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from gazetteer.build import build_embedded
    from gazetteer.sources import curated_records

    monkeypatch.setenv("CONFLICTMAP_CACHE_DIR", str(tmp_path))
    path = tmp_path / "gazetteer.sqlite"
    build_embedded(path, records=list(curated_records()))
    return path
