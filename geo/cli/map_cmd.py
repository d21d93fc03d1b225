"""``conflictmap map``: articles (or a store) → map.html, incidents.geojson, sources/*.html."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from geo.errors import InputError

out = Console()
err = Console(stderr=True)


def register(app: click.Group) -> None:
    """Add the ``map`` verb."""
    app.add_command(map_command)


def _published(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    from geo.validate import parse_date

    return parse_date(value, what="--published") if value else None


@click.command("map")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder for map.html, incidents.geojson and sources/.")
@click.option("--published", callback=_published, metavar="YYYY-MM-DD",
              help="Publication date for articles whose metadata gives none (resolves 'Thursday').")
@click.option("--db", help="Map the incidents of a store (GeoPackage path or postgresql:// URL) instead of PATHs.")
@click.option("--title", default="Conflict incidents", show_default=True, help="Title of the map page.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def map_command(
    paths: tuple[Path, ...], out_dir: Path, published: dt.date | None, db: str | None, title: str, quiet: bool
) -> int:
    """Read articles (files or folders: .txt, .html, .json, .jsonl; optional NAME.meta.json sidecars),
    extract and resolve incidents, and write a self-contained map, GeoJSON and source pages."""
    from geo.export import write_geojson
    from geo.render import write_map

    if db and paths:
        raise InputError("give either article PATHs or --db, not both")
    if db:
        from geo.store import open_store

        with open_store(db) as store:
            incidents = [inc for inc, _ in store.query()]
            articles = store.articles()
        problems: list = []
        unlocated: list[str] = []
    elif paths:
        from geo.pipeline import Pipeline

        _refuse_inputs_inside(paths, out_dir / "sources")

        result = Pipeline().run(paths, published=published, progress=not quiet)
        incidents, articles = result.incidents, result.articles
        problems, unlocated = result.problems, result.unlocated
    else:
        raise click.UsageError("give article files or folders (e.g. conflictmap map seeds/), or --db STORE")

    for problem in problems:
        where = f"{problem.path}:{problem.line}" if getattr(problem, "line", None) else str(problem.path)
        err.print(Text.assemble(("skipped ", "yellow"), f"{where}: {problem.message}"), highlight=False, soft_wrap=True)
    if not articles and not db:
        raise InputError("no readable articles in " + ", ".join(str(p) for p in paths))

    out_dir.mkdir(parents=True, exist_ok=True)
    map_path = write_map(incidents, articles, out_dir, title=title)  # first: it refuses unsafe --out folders
    geojson_path = out_dir / "incidents.geojson"
    write_geojson(incidents, geojson_path)

    if not quiet:
        _summary(incidents, unlocated)
        err.print(Text(f"wrote {map_path}, {geojson_path} and {out_dir / 'sources'}/ ({len(articles)} pages)"))
    return 1 if problems else 0


def _summary(incidents: list, unlocated: list[str]) -> None:
    table = Table(title=f"{len(incidents)} incident(s)", title_justify="left")
    for col in ("place", "country", "date", "event", "killed (low/best/high)", "border", "sources"):
        table.add_column(col)
    for inc in incidents:
        k = inc.casualties.killed
        killed = "/".join("–" if v is None else str(v) for v in (k.low, k.best, k.high))
        border = "–"
        if inc.border:
            border = f"{inc.border.distance_km:.1f} km to {inc.border.neighbour} (±{inc.border.uncertainty_km:.1f})"
        table.add_row(
            inc.place.name,
            inc.place.country_code or "?",
            inc.date.date.isoformat() if inc.date and inc.date.date else "?",
            inc.sub_event_type or inc.event_type or "?",
            killed,
            border,
            str(len(inc.sources)),
        )
    out.print(table)
    if unlocated:
        err.print(Text.assemble(("no incident location found in: ", "yellow"), ", ".join(unlocated)))


def _refuse_inputs_inside(paths: tuple[Path, ...], generated: Path) -> None:
    """Never let ``map`` replace a folder its own inputs live in."""
    gen = generated.resolve()
    for p in paths:
        rp = p.resolve()
        if rp == gen or gen in rp.parents:
            raise InputError(
                f"{p} is inside {generated}, which `map` replaces with generated pages; "
                "choose another --out folder"
            )
