"""``conflictmap geoparse``: place mentions of JSONL documents, in the evaluation corpora's format."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

import click

from geo.cli.jsonl import records
from geo.errors import InputError


def toponym_record(t: Any) -> dict[str, Any]:
    """One output toponym as read by ``shared/eval/geoparsing/score.py`` (unresolved: lat/lon null)."""
    p = t.place
    return {
        "start": t.start,
        "end": t.end,
        "name": t.name,
        "lat": round(p.lat, 6) if p else None,
        "lon": round(p.lon, 6) if p else None,
        "geonameid": p.geonameid if p else None,
        "score": round(float(t.score), 4),
    }


def focus_record(t: Any) -> dict[str, Any]:
    rec = toponym_record(t)
    p = t.place
    rec.update(
        country_code=p.country_code if p else None,
        admin1=p.admin1 if p else None,
        place_id=p.place_id if p else None,
        source=p.source if p else None,
        reasons=list(t.reasons),
    )
    return rec


def run_geoparse(src: IO[str], out: IO[str], name: str, with_focus: bool = False, gazetteer: Any = None) -> tuple[int, int]:
    """Geoparse every JSONL line of ``src`` into ``out``; returns (documents written, lines failed)."""
    from geo.geoparse import Geoparser

    gp: Any = None
    ok = failed = 0

    def report(exc: InputError) -> None:
        nonlocal failed
        click.echo(f"error: {exc}", err=True)
        failed += 1

    for doc in records(src, name, report):
        if gp is None:
            gp = Geoparser(gazetteer)
        res = gp.parse(doc.text, article_id=str(doc.id), title=doc.title, focus=with_focus, locale=doc.locale)
        rec: dict[str, Any] = {"id": doc.id, "toponyms": [toponym_record(t) for t in res.toponyms]}
        if with_focus:
            rec["focus"] = [focus_record(t) for t in res.focus]
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        ok += 1
    return ok, failed


def register(app: click.Group) -> None:
    """Add ``geoparse`` to the application."""

    @app.command("geoparse")
    @click.argument("source", default="-", metavar="[FILE.jsonl|-]")
    @click.option("--out", "out_path", type=click.Path(dir_okay=False), help="Write JSONL here (default stdout).")
    @click.option("--overwrite", is_flag=True, help="Replace --out if it exists.")
    @click.option("--focus", "with_focus", is_flag=True, help="Add the ranked incident locations with reasons.")
    @click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
    def geoparse(source: str, out_path: str | None, overwrite: bool, with_focus: bool, quiet: bool) -> int:
        """Find and resolve place mentions in JSONL documents ({"id":…, "text":…} per line).

        Output lines: {"id":…, "toponyms":[{"start","end","name","lat","lon","geonameid","score"}]},
        the format of shared/eval/geoparsing/score.py; unresolved mentions have lat/lon null.
        Bad lines are reported on stderr with their line number and skipped (exit code 1).
        """
        if source == "-":
            src: IO[str] = sys.stdin
            name = "<stdin>"
        else:
            path = Path(source)
            if not path.is_file():
                raise InputError(f"{source}: no such file; give a JSONL file of {{\"id\", \"text\"}} lines or - for stdin")
            src = path.open(encoding="utf-8", errors="strict")
            name = source
        if out_path and Path(out_path).exists() and not overwrite:
            raise InputError(f"{out_path}: already exists; pass --overwrite to replace it")
        out: IO[str] = open(out_path, "w", encoding="utf-8") if out_path else sys.stdout
        try:
            try:
                ok, failed = run_geoparse(src, out, name, with_focus)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        finally:
            if out is not sys.stdout:
                out.close()
            if src is not sys.stdin:
                src.close()
        if not quiet:
            click.echo(f"geoparsed {ok} document(s)" + (f", {failed} line(s) failed" if failed else ""), err=True)
        return 1 if failed else 0
