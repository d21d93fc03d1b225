"""`conflictmap map` never destroys what it did not write."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.e2e.conftest import SEEDS, run_cli


def test_map_refuses_an_out_folder_holding_its_own_inputs(tmp_path: Path) -> None:
    inputs = tmp_path / "sources"
    inputs.mkdir()
    for f in SEEDS.glob("000_*"):
        shutil.copy(f, inputs / f.name)
    proc = run_cli("map", str(inputs), "--out", str(tmp_path), "--quiet")
    assert proc.returncode == 1
    assert "choose another --out folder" in proc.stderr
    assert sorted(p.name for p in inputs.iterdir()) == ["000_f18772d31dee92f8.meta.json", "000_f18772d31dee92f8.txt"]
    assert not (tmp_path / "map.html").exists()


def test_map_refuses_to_replace_a_sources_folder_with_foreign_files(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "notes.txt").write_text("mine", encoding="utf-8")
    proc = run_cli("map", str(SEEDS), "--out", str(tmp_path), "--quiet")
    assert proc.returncode == 1
    assert "did not write (notes.txt)" in proc.stderr
    assert (tmp_path / "sources" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "incidents.geojson").exists()
