"""``conflictmap extract``: JSONL articles in, one JSONL line of casualties and incidents out per article."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import IO, Any

import click
from rich.console import Console
from rich.text import Text

from geo.cli.jsonl import records
from geo.errors import InputError

err = Console(stderr=True)


def extract_record(rid: str | int, text: str, published: dt.date | None, geoparser: Any | None = None,
                   title: str | None = None, zero_if_none: bool = False, locale: str | None = None) -> dict[str, Any]:
    """The output line for one article: best killed/injured of the main incident, and all incidents."""
    from geo.extract import extract_casualties, extract_incidents
    from geo.model import Article

    incidents = []
    if geoparser is not None:
        art = Article(id=str(rid), text=text, title=title, published=published, locale=locale)
        incidents = extract_incidents(art, geoparser.parse(text, article_id=art.id, title=title, locale=locale))
    cas = incidents[0].casualties if incidents else extract_casualties(text, str(rid), published)
    killed, injured = cas.killed.best, cas.injured.best
    if zero_if_none:
        killed = 0 if killed is None else killed
        injured = 0 if injured is None else injured
    return {"id": rid, "killed": killed, "injured": injured,
            "incidents": [i.to_properties() for i in incidents]}


def run_extract(src: IO[str], name: str, out: IO[str], geoparser: Any | None, zero_if_none: bool = False,
                quiet: bool = False) -> tuple[int, int]:
    """Process every line of ``src``; bad lines are reported on stderr and skipped. Returns (done, skipped)."""
    done = skipped = 0

    def report(exc: InputError) -> None:
        nonlocal skipped
        err.print(Text.assemble(("skipped ", "yellow"), str(exc)), soft_wrap=True, highlight=False)
        skipped += 1

    for rec_in in records(src, name, report):
        rec = extract_record(rec_in.id, rec_in.text, rec_in.published, geoparser, rec_in.title, zero_if_none,
                             rec_in.locale)
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        done += 1
    if not quiet:
        err.print(f"extract: {done} texts, {skipped} lines skipped", highlight=False)
    return done, skipped


def register(app: click.Group) -> None:
    """Add the ``extract`` verb."""

    @app.command("extract")
    @click.argument("source", default="-", metavar="[FILE.jsonl|-]")
    @click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
                  help="Write JSONL here instead of stdout (never overwrites without --overwrite).")
    @click.option("--overwrite", is_flag=True, help="Replace an existing --out file.")
    @click.option("--geoparse/--no-geoparse", "use_geoparse", default=None,
                  help="Locate incidents with the geoparser (default: on when it is available).")
    @click.option("--zero-if-none", is_flag=True,
                  help="Write 0 instead of null when a text states no killed/injured figure.")
    @click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
    def extract(source: str, out_path: str | None, overwrite: bool, use_geoparse: bool | None,
                zero_if_none: bool, quiet: bool) -> int:
        """Extract casualties and incidents from JSONL lines {"id", "text", "published"?}.

        Writes one line per input: {"id", "killed", "injured", "incidents": [...]}, where killed/injured
        are the best estimates for the article's main incident (null when the text gives none).
        """
        from pathlib import Path

        geoparser = None
        if use_geoparse is not False:
            try:
                from geo.geoparse import Geoparser

                geoparser = Geoparser()
            except Exception as exc:  # noqa: BLE001 - fall back to casualties only, and say so
                if use_geoparse:
                    raise InputError(f"--geoparse was requested but the geoparser is unavailable: {exc}") from None
                if not quiet:
                    err.print(f"geoparser unavailable ({exc}); extracting casualties only", highlight=False)
        if out_path and Path(out_path).exists() and not overwrite:
            raise InputError(f"{out_path}: already exists; pass --overwrite to replace it")
        if source == "-":
            src_ctx: Any = None
            src, name = sys.stdin, "<stdin>"
        else:
            p = Path(source)
            if not p.is_file():
                raise InputError(f"{source}: no such file; give a JSONL file or - for stdin")
            src_ctx = src = p.open(encoding="utf-8")
            name = source
        try:
            if out_path:
                with open(out_path, "w", encoding="utf-8") as out:
                    _done, skipped = run_extract(src, name, out, geoparser, zero_if_none, quiet)
            else:
                _done, skipped = run_extract(src, name, sys.stdout, geoparser, zero_if_none, quiet)
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not UTF-8 text ({exc.reason}); re-save it as UTF-8") from None
        finally:
            if src_ctx is not None:
                src_ctx.close()
        return 1 if skipped else 0
