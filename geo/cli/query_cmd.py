"""``conflictmap ingest | near | export | stats``: the store and the query verbs.

Data goes to stdout (a table, or one JSON document with ``--json``); progress
and messages go to stderr. Names and text that come from articles are printed
as plain text (never interpreted as rich markup).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from geo.errors import InputError

out = Console(soft_wrap=True)
err = Console(stderr=True)

DEFAULT_DB = "output/incidents.gpkg"
DEFAULT_IN = "output/incidents.geojson"


def register(app: click.Group) -> None:
    """Add ``ingest``, ``near``, ``export`` and ``stats``."""
    for cmd in (ingest_command, near_command, export_command, stats_command):
        app.add_command(cmd)


# ----- shared options ----------------------------------------------------------------------------


def _date(_ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    from geo.validate import parse_date

    return parse_date(value, what=f"--{param.name.replace('_', '-')}") if value else None


def _bbox(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[float, ...] | None:
    if not value:
        return None
    parts = [p.strip() for p in value.split(",")]
    try:
        nums = tuple(float(p) for p in parts)
    except ValueError:
        nums = ()
    if len(nums) != 4:
        raise InputError(f"--bbox: expected WEST,SOUTH,EAST,NORTH in degrees such as 35.5,35.8,37.5,37.0; got {value!r}")
    return nums


def _cc(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip().upper()
    if len(v) != 2 or not v.isalpha():
        raise InputError(f"--{param.name.replace('_', '-')}: expected an ISO 3166-1 alpha-2 code such as SY; got {value!r}")
    return v


def filter_options(fn: Callable) -> Callable:
    """``--bbox --from --to --country --event-type --min-fatalities --limit``."""
    opts = [
        click.option("--bbox", callback=_bbox, metavar="W,S,E,N", help="Only incidents inside this lon/lat box."),
        click.option("--from", "date_from", callback=_date, metavar="YYYY-MM-DD", help="Incidents on or after."),
        click.option("--to", "date_to", callback=_date, metavar="YYYY-MM-DD", help="Incidents on or before."),
        click.option("--country", callback=_cc, metavar="CC", help="Only incidents in this country (ISO alpha-2, e.g. SY)."),
        click.option("--event-type", metavar="TYPE", help="Only this event or sub-event type (case-insensitive)."),
        click.option("--min-fatalities", type=click.IntRange(min=0), metavar="N", help="Only incidents with ≥ N killed."),
        click.option("--limit", type=click.IntRange(min=0), metavar="N", help="At most N incidents."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _filters(kw: dict[str, Any]) -> dict[str, Any]:
    keys = ("bbox", "date_from", "date_to", "country", "event_type", "min_fatalities", "limit")
    return {k: kw[k] for k in keys if kw.get(k) is not None}


def _source(in_path: str | None, db: str | None, default_in: str = DEFAULT_IN) -> str:
    if in_path and db:
        raise InputError("give either --in FILE or --db STORE, not both")
    if db:
        from geo.store import is_store_url

        if not is_store_url(db) and not Path(db).is_file():
            raise InputError(f"--db {db}: no such store; create it with: conflictmap ingest PATH... --db {db}")
        return db
    path = Path(in_path or default_in)
    if not path.is_file():
        hint = "run `conflictmap map PATH...` first" if in_path is None else "check the path"
        raise InputError(f"{path}: no such file; {hint} (or query a store with --db)")
    return str(path)


def _cell(value: Any) -> Text:
    return Text("" if value is None else str(value))


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """One incident of ``near``'s output, from a flat row."""
    rec: dict[str, Any] = {"id": row["id"]}
    if row.get("distance_km") is not None:
        rec["distance_km"] = round(row["distance_km"], 3)
    for k in ("place", "admin1", "country", "country_code", "lat", "lon", "date", "time_precision", "event_type",
              "sub_event_type", "fatalities", "fatalities_low", "fatalities_high", "injured", "border_km",
              "border_neighbour"):
        rec[k] = row[k]
    rec["sources"] = [s for s in (row["sources"] or "").split(";") if s]
    return rec


def _fatal(rec: dict[str, Any]) -> str:
    lo, best, hi = rec["fatalities_low"], rec["fatalities"], rec["fatalities_high"]
    if best is None and lo is None:
        return ""
    if lo is not None and hi is not None and lo != hi:
        return f"{lo}–{hi} (best {best})" if best is not None else f"{lo}–{hi}"
    return str(best if best is not None else lo)


def _print_table(records: list[dict[str, Any]], with_distance: bool) -> None:
    table = Table(show_lines=False, header_style="bold")
    if with_distance:
        table.add_column("km", justify="right", no_wrap=True)
    for name in ("place", "country", "date", "event type", "killed", "sources", "id"):
        table.add_column(name, overflow="fold", no_wrap=name in ("date", "killed"),
                         min_width={"place": 12, "event type": 10, "country": 7}.get(name))
    for rec in records:
        place = rec["place"] + (f", {rec['admin1']}" if rec["admin1"] else "")
        cells = [
            _cell(place), _cell(rec["country"] or rec["country_code"]), _cell(rec["date"]),
            _cell(rec["event_type"]), _cell(_fatal(rec)), _cell(len(rec["sources"])), _cell(rec["id"]),
        ]
        if with_distance:
            cells.insert(0, _cell(f"{rec['distance_km']:.1f}"))
        table.add_row(*cells)
    out.print(table)


# ----- near ----------------------------------------------------------------------------------------


def resolve_place(name: str, country: str | None = None) -> tuple[float, float, str]:
    """``(lat, lon, label)`` of a place name via the gazetteer; ambiguous names raise InputError."""
    from gazetteer import Gazetteer

    cands = list(Gazetteer.open().candidates(name, country=country.upper() if country else None, limit=50))
    if country:
        cands = [c for c in cands if (getattr(c, "country_code", None) or "").upper() == country.upper()]
    exact = [c for c in cands if getattr(c, "match", "exact") in ("exact", "abbreviation")]
    variant = [c for c in cands if getattr(c, "match", "") == "variant"]
    # transliteration variants count when nothing matches exactly; fuzzy matches are only ever suggestions
    sure = exact or variant
    cands = sure or cands
    if not cands:
        where = f" in {country.upper()}" if country else ""
        raise InputError(f"no place called {name!r}{where} in the gazetteer; check the spelling or give LAT,LON")
    choices = distinct_places(cands)
    top = choices[0]
    if (len(choices) > 1 and not clearly_better(top, choices[1])) or not sure:
        table = Table(title=f"places called {name!r}", header_style="bold")
        for col in ("name", "admin1", "country", "lat,lon", "population"):
            table.add_column(col)
        for c in choices[:10]:
            table.add_row(
                _cell(c.name), _cell(getattr(c, "admin1_name", None)), _cell(c.country_code),
                _cell(f"{c.lat:.5f},{c.lon:.5f}"), _cell(getattr(c, "population", None)),
            )
        err.print(table)
        codes = sorted({(c.country_code or "?") for c in choices[:10]})
        if not sure:
            raise InputError(
                f"no place is called {name!r}; similar names are listed above — give the exact name, "
                "or give LAT,LON"
            )
        raise InputError(
            f"{name!r} matches {len(choices)} places ({', '.join(codes)}); not guessing: add --place-country CC "
            f"(or --country CC to also keep only that country's incidents) or give LAT,LON"
        )
    label = ", ".join(str(x) for x in (top.name, getattr(top, "admin1_name", None), top.country_code) if x)
    if not exact:
        err.print(Text(f"note: {name!r} read as the spelling variant {top.name!r} ({label})"))
    return float(top.lat), float(top.lon), label


def distinct_places(cands: list[Any], min_km: float = 50.0) -> list[Any]:
    """Candidates best first, dropping those within ``min_km`` of a better one (the same place twice)."""
    from geo.geodesy import distances_km

    ranked = sorted(cands, key=lambda c: (-(getattr(c, "score", 0) or 0), -(getattr(c, "population", 0) or 0)))
    kept: list[Any] = []
    for c in ranked:
        if kept and min(distances_km(c.lat, c.lon, [k.lat for k in kept], [k.lon for k in kept])) < min_km:
            continue
        kept.append(c)
    return kept


def clearly_better(a: Any, b: Any) -> bool:
    """A name's top place wins outright when its score is much higher or it is far more populous."""
    sa, sb = getattr(a, "score", 0) or 0, getattr(b, "score", 0) or 0
    pa, pb = getattr(a, "population", 0) or 0, getattr(b, "population", 0) or 0
    if sb <= 0 or sa >= 1.5 * sb:
        return True
    return pb > 0 and pa >= 20 * pb or (pb == 0 and pa >= 10_000)


@click.command("near")
@click.argument("where", metavar="PLACE|LAT,LON")
@click.option("--radius", default="25km", show_default=True, help="Geodesic radius: 25km, 500m, 10mi.")
@click.option("--in", "in_path", metavar="FILE", help=f"GeoJSON written by `conflictmap map` [default: {DEFAULT_IN}].")
@click.option("--db", metavar="STORE", help="Query a store (.gpkg or postgresql:// URL) instead of --in.")
@click.option("--place-country", callback=_cc, metavar="CC", help="Country of PLACE when the name is ambiguous (no filter).")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list (nearest first) instead of a table.")
def near_command(where: str, radius: str, in_path: str | None, db: str | None, place_country: str | None,
                 as_json: bool, **kw: Any) -> int:
    """Incidents within a geodesic RADIUS of a place or LAT,LON, nearest first, with their distance."""
    from geo.query import load_flat
    from geo.validate import looks_like_latlon, parse_latlon, parse_radius

    radius_km = parse_radius(radius)
    source = _source(in_path, db)
    if looks_like_latlon(where):
        lat, lon = parse_latlon(where)
        label = f"{lat:.5f},{lon:.5f}"
    else:
        lat, lon, label = resolve_place(where, place_country or kw.get("country"))
    records = [_record(row) for row in load_flat(source, near=(lat, lon), radius_km=radius_km, **_filters(kw))]
    err.print(Text(f"{len(records)} incident(s) within {radius_km:g} km of {label} ({lat:.5f}, {lon:.5f}) in {source}"))
    if as_json:  # one JSON document: the list of incidents, nearest first
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    if records:
        _print_table(records, with_distance=True)
    return 0


# ----- export --------------------------------------------------------------------------------------


_FORMATS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".gpkg": "gpkg"}


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["geojson", "csv", "gpkg"]), help="Default: from --out's suffix.")
@click.option("--out", "out_path", required=True, type=click.Path(path_type=Path), help="File to write.")
@click.option("--in", "in_path", metavar="FILE", help=f"GeoJSON written by `conflictmap map` [default: {DEFAULT_IN}].")
@click.option("--db", metavar="STORE", help="Export from a store (.gpkg or postgresql:// URL) instead of --in.")
@click.option("--near", "near_", metavar="LAT,LON", help="With --radius: only incidents within the radius.")
@click.option("--radius", help="Geodesic radius for --near (25km, 500m, 10mi).")
@filter_options
@click.option("--overwrite", is_flag=True, help="Replace FILE if it exists.")
def export_command(fmt: str | None, out_path: Path, in_path: str | None, db: str | None, near_: str | None,
                   radius: str | None, overwrite: bool, **kw: Any) -> int:
    """Write the (filtered) incidents as GeoJSON (RFC 7946), CSV or a GeoPackage layer."""
    from geo import export as ex
    from geo.query import load_incidents
    from geo.validate import parse_latlon, parse_radius

    fmt = fmt or _FORMATS.get(out_path.suffix.lower())
    if not fmt:
        raise InputError(f"--out {out_path}: cannot tell the format from the suffix; add --format geojson|csv|gpkg")
    if out_path.exists() and not overwrite:
        raise InputError(f"{out_path} already exists; add --overwrite to replace it")
    source = _source(in_path, db)
    if "://" not in source and Path(source).resolve() == out_path.resolve():
        raise InputError(f"--out {out_path} is the input itself; choose another file")
    filters = _filters(kw)
    if radius and not near_:
        raise InputError("--radius needs --near LAT,LON")
    if near_:
        filters["near"] = parse_latlon(near_)
        if radius:
            filters["radius_km"] = parse_radius(radius)
    incidents = [inc for inc, _ in load_incidents(source, **filters)]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    writer = {"geojson": ex.write_geojson, "csv": ex.write_csv, "gpkg": ex.write_gpkg}[fmt]
    writer(incidents, out_path)
    err.print(Text(f"wrote {len(incidents)} incident(s) to {out_path} ({fmt})"))
    return 0


# ----- ingest --------------------------------------------------------------------------------------


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Store: a .gpkg file or a postgresql:// URL.")
@click.option("--published", callback=_date, metavar="YYYY-MM-DD",
              help="Publication date for articles whose metadata gives none.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N", help="Extract on a Dask LocalCluster of N workers.")
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Extract on an existing Dask cluster.")
@click.option("--json", "as_json", is_flag=True, help="Print the ingest report as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def ingest_command(paths: tuple[Path, ...], db: str, published: dt.date | None, workers: int | None,
                   scheduler: str | None, as_json: bool, quiet: bool) -> int:
    """Extract incidents from articles and add them to a store, incrementally and in one transaction.

    Articles already stored with the same text are skipped; an article whose text
    changed replaces its incidents; reports of one event merge across runs.
    """
    from rich.progress import Progress

    from geo.articles import read_articles
    from geo.scale import extract
    from geo.store import open_store

    if workers and scheduler:
        raise InputError("give either --workers N or --scheduler tcp://HOST:PORT, not both")
    problems: list = []
    articles = list(read_articles(paths, published=published, problems=problems))
    for p in problems:
        err.print(Text.assemble(("skipped ", "yellow"), str(p)))
    if not articles:
        raise InputError("no readable articles in " + ", ".join(str(p) for p in paths))
    with open_store(db) as st:
        known = st.known_hashes(a.id for a in articles)
        todo = [a for a in articles if known.get(a.id) != a.content_hash]
        with Progress(transient=True, disable=quiet or not todo, console=err) as bar:
            task = bar.add_task(f"extracting {len(todo)} article(s)", total=len(todo))
            res = extract(todo, workers=workers, scheduler=scheduler, progress=lambda n: bar.advance(task, n))
        for aid, msg in sorted(res.failures.items()):
            err.print(Text.assemble(("failed ", "red"), f"article {aid}: {msg} (not stored; it is retried next run)"))
        keep = [a for a in articles if a.id not in res.failures]
        report = st.ingest(keep, res.by_article)
    doc = {"db": st.location, "engine": res.engine, "extract_seconds": round(res.seconds, 3),
           "articles_read": len(articles), "read_problems": len(problems), "articles_failed": len(res.failures),
           **report.to_dict()}
    if as_json:
        click.echo(json.dumps(doc, indent=2))
    elif not quiet:
        table = Table(title=f"ingest into {st.location}", header_style="bold", show_header=False)
        for k, v in doc.items():
            table.add_row(k, _cell(v))
        err.print(table)
    return 1 if problems or res.failures else 0


# ----- stats ---------------------------------------------------------------------------------------


@click.command("stats")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Store: a .gpkg file or a postgresql:// URL.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def stats_command(db: str, as_json: bool) -> int:
    """Summarise a store: articles, reports, incidents, dates, extent, countries, event types."""
    from geo.store import open_store

    _source(None, db)
    with open_store(db) as st:
        s = st.stats()
    if as_json:
        click.echo(json.dumps(s, indent=2, ensure_ascii=False))
        return 0
    t = Table(title=f"store {s['location']} ({s['backend']})", show_header=False)
    for k in ("articles", "reports", "incidents", "incidents_multi_source", "incidents_undated",
              "fatalities_total", "date_min", "date_max", "bbox", "ingest_runs"):
        t.add_row(k, _cell(s[k]))
    if s["last_ingest"]:
        t.add_row("last ingest", _cell(s["last_ingest"]["finished"]))
    out.print(t)
    for key, label in (("by_country", "country_code"), ("by_event_type", "event_type")):
        if s[key]:
            bt = Table(header_style="bold")
            for col in (label, "incidents", "fatalities"):
                bt.add_column(col)
            for row in s[key]:
                bt.add_row(_cell(row[label]), _cell(row["incidents"]), _cell(row["fatalities"]))
            out.print(bt)
    return 0

