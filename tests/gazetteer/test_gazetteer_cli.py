"""``conflictmap gazetteer`` verbs on the default index, driven through ``geo.cli.main``."""

from __future__ import annotations

import json

from gazetteer import Gazetteer
from geo.cli import main


def test_search_json_lines(gz: Gazetteer, capsys) -> None:
    assert main(["gazetteer", "search", "Atmah", "--country", "SY", "--json", "--limit", "3"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert 1 <= len(lines) <= 3
    assert lines[0]["id"] == "curated:atmeh" and lines[0]["matched"] == "Atmah"


def test_search_near_and_table(gz: Gazetteer, capsys) -> None:
    assert main(["gazetteer", "search", "Tripoli", "--near", "34.4,35.8", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "Tripoli" in out and "LB" in out.split("LY")[0]  # Lebanon's Tripoli listed first


def test_search_nothing_found(gz: Gazetteer, capsys) -> None:
    assert main(["gazetteer", "search", "Qqqxqqzq", "--no-fuzzy"]) == 0
    assert "no place matches" in capsys.readouterr().err


def test_nearest_and_info(gz: Gazetteer, capsys) -> None:
    assert main(["gazetteer", "nearest", "36.30", "36.70", "--json", "-n", "2"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rows[0]["id"] == "curated:atmeh" and rows[0]["distance_m"] < 3000
    assert main(["gazetteer", "info"]) == 0
    out = capsys.readouterr().out
    assert "cities500" in out and "places" in out


def test_info_groups_alike_sources(capsys) -> None:
    assert main(["gazetteer", "info"]) == 0
    grouped = capsys.readouterr().out
    assert main(["gazetteer", "info", "--all"]) == 0
    every = capsys.readouterr().out
    assert "sources: admin1 area: point = centroid" in grouped and "--all" in grouped
    assert "'Canada_Ontario" in every  # each polygon-derived admin1 keeps its own named source
    assert len(grouped.splitlines()) * 5 < len(every.splitlines())
