"""The command line on hostile input: one-line errors, an exit code that says so, never a traceback."""

from __future__ import annotations

import json

from geo.cli import main


def test_map_with_only_unreadable_articles_fails_cleanly(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bad.jsonl").write_text('{"text": \n', encoding="utf-8")
    code = main(["map", str(tmp_path), "--out", str(tmp_path / "out"), "-q"])
    err = " ".join(capsys.readouterr().err.split())  # rich wraps long lines
    assert code == 1
    assert "empty.txt" in err and "is empty" in err and "bad.jsonl:1" in err and "no readable articles" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "incidents.geojson").exists()  # nothing half-written


def test_problem_paths_with_markup_brackets_are_printed_verbatim(tmp_path, capsys):
    """Found by this file: problems were printed with rich markup, so '[/bold]' raised MarkupError (fixed)."""
    folder = tmp_path / "["
    folder.mkdir()
    (folder / "bold].txt").write_bytes(b"")  # the path contains "[/bold]"
    code = main(["map", str(tmp_path), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err
    assert code == 1 and "[/bold].txt" in err


def test_published_option_rejects_bad_dates(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    code = main(["map", str(tmp_path), "--published", "03/02/2022", "--out", str(tmp_path / "o"), "-q"])
    assert code != 0 and "YYYY-MM-DD" in capsys.readouterr().err


def test_json_sidecar_problem_reaches_the_user(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"published": "yesterday"}), encoding="utf-8")
    code = main(["map", str(tmp_path), "--out", str(tmp_path / "o"), "-q"])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 1 and "a.meta.json" in err and "published" in err
