"""`conflictmap geoparse`: JSONL in, the scorer's JSONL out, bad lines reported and skipped."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from geo.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCORER = ROOT.parent / "shared" / "eval" / "geoparsing" / "score.py"

DOCS = [
    {"id": "a1", "text": "Shelling hit the town of Atmeh in Syria’s Idlib province on Thursday."},
    {"id": 7, "text": "Nothing happened here."},
    {"id": "a3", "text": "Officials in Tripoli, Lebanon, and in Washington commented."},
]


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_round_trip_in_scorer_format(tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, [json.dumps(d, ensure_ascii=False) for d in DOCS])
    assert main(["geoparse", str(src), "--out", str(out), "--quiet"]) == 0
    got = _read(out)
    assert [d["id"] for d in got] == ["a1", 7, "a3"]
    first = got[0]["toponyms"]
    assert [t["name"] for t in first] == ["Atmeh", "Syria", "Idlib"]
    for doc, rec in zip(DOCS, got):
        for t in rec["toponyms"]:
            assert set(t) == {"start", "end", "name", "lat", "lon", "geonameid", "score"}
            assert doc["text"][t["start"] : t["end"]] == t["name"]
    atmeh = first[0]
    assert abs(atmeh["lat"] - 36.31111) < 0.05 and abs(atmeh["lon"] - 36.68639) < 0.05
    assert got[1]["toponyms"] == []
    # refuses to clobber without --overwrite
    assert main(["geoparse", str(src), "--out", str(out), "--quiet"]) == 1
    assert main(["geoparse", str(src), "--out", str(out), "--quiet", "--overwrite"]) == 0


@pytest.mark.skipif(not SCORER.exists(), reason="shared scorer not present")
def test_output_is_read_by_the_shared_scorer(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("geoparse_score", SCORER)
    score = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(score)
    src, out, gold = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "gold.jsonl"
    _write(src, [json.dumps(DOCS[0])])
    text = DOCS[0]["text"]
    s = text.index("Atmeh")
    _write(gold, [json.dumps({"id": "a1", "toponyms": [
        {"start": s, "end": s + 5, "name": "Atmeh", "lat": 36.31111, "lon": 36.68639, "geonameid": None}]})])
    assert main(["geoparse", str(src), "--out", str(out), "--quiet"]) == 0
    res = score.score(score.load(str(gold), gold=True), score.load(str(out), gold=False))
    assert res["exact"]["recognition"]["tp"] == 1
    assert res["exact"]["resolution"]["acc_at_k"] == 1.0


def test_bad_lines_are_reported_and_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(src, [json.dumps(DOCS[0]), "{not json", json.dumps({"text": "no id"}), json.dumps({"id": 3, "text": 5}),
                 json.dumps(DOCS[2])])
    assert main(["geoparse", str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{src}:2: not valid JSON" in err
    assert f"{src}:3: the object has no 'id'" in err
    assert f"{src}:4: 'text' must be a string" in err
    assert "Traceback" not in err
    assert [d["id"] for d in _read(out)] == ["a1", "a3"]


def test_missing_file_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geoparse", str(tmp_path / "nope.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "nope.jsonl" in err and "no such file" in err and "Traceback" not in err


def test_focus_option_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(DOCS[0]) + "\n"))
    assert main(["geoparse", "-", "--focus", "--quiet"]) == 0
    rec = json.loads(capsys.readouterr().out.strip())
    assert rec["focus"][0]["name"] == "Atmeh"
    assert rec["focus"][0]["country_code"] == "SY"
    assert any(r.startswith("cue ") for r in rec["focus"][0]["reasons"])


def test_locale_hint_resolves_local_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Dublin police are searching for a suspect. Dublin officials said patrols will double."
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": 1, "text": text}) + "\n"
        + json.dumps({"id": 2, "text": text, "locale": "Dublin, Ohio"}) + "\n"
        + json.dumps({"id": 3, "text": text, "locale": 42}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert main(["geoparse", str(src), "--out", str(out), "--quiet"]) == 1  # line 3 is refused, 1 and 2 written
    assert 'in.jsonl:3: "locale" must be a place name' in capsys.readouterr().err
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == [1, 2]
    no_hint, hinted = ([(t["lat"], t["lon"]) for t in r["toponyms"]] for r in lines)
    assert all(abs(lat - 53.33) < 0.2 for lat, _ in no_hint)  # Dublin, Ireland
    assert hinted and all(abs(lat - 40.10) < 0.2 and abs(lon + 83.11) < 0.2 for lat, lon in hinted)  # Dublin, Ohio
