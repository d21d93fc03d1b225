"""Fixtures for end-to-end tests: run the real CLI once on seeds/ and share its output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def run_cli(*args: str, cwd: Path = ROOT, check: bool = False) -> subprocess.CompletedProcess:
    """Run ``python -m geo ARGS`` as a user would, capturing text output."""
    proc = subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=cwd, capture_output=True, text=True, timeout=900
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"conflictmap {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Output folder of ``conflictmap map seeds/ --out DIR``."""
    out = tmp_path_factory.mktemp("seeds-out")
    run_cli("map", str(SEEDS), "--out", str(out), "--quiet", check=True)
    return out


@pytest.fixture(scope="session")
def seeds_geojson(seeds_out: Path) -> dict:
    return json.loads((seeds_out / "incidents.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_incident(seeds_geojson: dict) -> dict:
    """The single incident's feature."""
    assert len(seeds_geojson["features"]) == 1, [f["properties"]["place"]["name"] for f in seeds_geojson["features"]]
    return seeds_geojson["features"][0]
