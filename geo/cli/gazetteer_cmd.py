"""``conflictmap gazetteer …``: search, info, import, download and rebuild the local gazetteer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

_FIELDS = (
    "id",
    "name",
    "matched",
    "match",
    "score",
    "lat",
    "lon",
    "country_code",
    "admin1_name",
    "feature_class",
    "feature_code",
    "population",
    "source",
)


def _err(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@contextmanager
def _progress(label: str, quiet: bool) -> Iterator:
    """A rich progress bar on stderr; yields a callback (bytes done, bytes total)."""
    if quiet:
        yield None
        return
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as prog:
        task = prog.add_task(label, total=None)
        state = {"last": 0}

        def cb(done: int, total: int) -> None:
            if done - state["last"] >= (1 << 20) or done == total:
                state["last"] = done
                prog.update(task, completed=done, total=total or None)

        yield cb


def _open(index: str | None):
    from gazetteer import Gazetteer, GazetteerError

    try:
        return Gazetteer.open(index)
    except GazetteerError as exc:
        raise _err(exc) from None


def _parse_near(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        lat_s, lon_s = value.split(",")
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        raise click.BadParameter(
            f"expected LAT,LON in decimal degrees such as 36.31,36.69, got {value!r}"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise click.BadParameter(f"LAT must be in [-90, 90] and LON in [-180, 180], got {value!r}")
    return lat, lon


def _group_sources(sources: list[dict]) -> list[dict]:
    """Sources alike up to their first quoted name (one per admin polygon, per curated row) as one row."""
    groups: dict[tuple[str, str, str], dict] = {}
    for s in sources:
        text = s["source"]
        head = text[: text.index("'")] if "'" in text else text
        g = groups.get((s["kind"], head, s["file"]))
        if g is None:
            groups[(s["kind"], head, s["file"])] = {**s, "n": 1, "head": head}
        else:
            g["places"] += s["places"]
            g["n"] += 1
    return [
        {**g, "source": f"{g['n']:,} sources: {g['head']}'…' (conflictmap gazetteer info --all)"} if g["n"] > 1 else g
        for g in groups.values()
    ]


def register(app: click.Group) -> None:
    """Add the ``gazetteer`` verbs to the application."""

    @app.group("gazetteer")
    @click.option(
        "--index",
        "index",
        type=click.Path(dir_okay=False),
        default=None,
        help="Index file (default: gazetteer.sqlite in the per-user cache; CONFLICTMAP_CACHE_DIR overrides).",
    )
    @click.pass_context
    def gazetteer(ctx: click.Context, index: str | None) -> None:
        """The local gazetteer: search places, show sources, import GeoNames/CSV files."""
        ctx.obj = {"index": index}

    @gazetteer.command("search")
    @click.argument("name")
    @click.option("--country", "-c", help="ISO2 country hint, e.g. SY.")
    @click.option("--near", help="LAT,LON hint: nearer places rank higher.")
    @click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True)
    @click.option("--no-fuzzy", is_flag=True, help="Exact and variant matches only.")
    @click.option("--json", "as_json", is_flag=True, help="JSON lines on stdout.")
    @click.pass_context
    def search(
        ctx: click.Context,
        name: str,
        country: str | None,
        near: str | None,
        limit: int,
        no_fuzzy: bool,
        as_json: bool,
    ) -> None:
        """Ranked candidates for NAME (exact > variant > fuzzy; hints and population as priors)."""
        from gazetteer import GazetteerError

        gz = _open(ctx.obj["index"])
        try:
            cands = gz.candidates(
                name, country=country, near=_parse_near(near), limit=limit, fuzzy=not no_fuzzy
            )
        except GazetteerError as exc:
            raise _err(exc) from None
        if as_json:
            for c in cands:
                d = c.to_dict()
                click.echo(
                    json.dumps(
                        {k: d[k] for k in _FIELDS} | {"distance_m": d["distance_m"]}, ensure_ascii=False
                    )
                )
            return
        if not cands:
            Console(stderr=True).print(f"no place matches {name!r}")
            return
        table = Table(title=f"candidates for {name!r}")
        for col in (
            "score",
            "name",
            "matched",
            "match",
            "lat",
            "lon",
            "cc",
            "admin1",
            "feature",
            "population",
            "id",
        ):
            table.add_column(col, overflow="fold")
        for c in cands:
            table.add_row(
                f"{c.score:.3f}",
                c.name,
                c.matched,
                c.match,
                f"{c.lat:.5f}",
                f"{c.lon:.5f}",
                c.country_code,
                c.admin1_name,
                f"{c.feature_class}.{c.feature_code}",
                f"{c.population:,}",
                c.id,
            )
        out = Console()
        if not out.is_terminal:
            out = Console(width=200)
        out.print(table)

    @gazetteer.command("info")
    @click.option("--json", "as_json", is_flag=True)
    @click.option("--all", "show_all", is_flag=True, help="One row per source, not grouped.")
    @click.pass_context
    def info(ctx: click.Context, as_json: bool, show_all: bool) -> None:
        """Sources, counts, build date and size of the index."""
        d = _open(ctx.obj["index"]).info()
        if as_json:
            click.echo(json.dumps(d, ensure_ascii=False, indent=2))
            return
        con = Console()
        con.print(
            f"index   {d['path']} ({d['size_bytes'] / 1e6:.1f} MB, built {d['built']} in {d['build_seconds']} s)"
        )
        con.print(
            f"places  {d['places']:,} embedded, {d['imported_places']:,} imported; "
            f"names {d['names']:,} embedded, {d['imported_names']:,} imported"
        )
        con.print(f"imports {d['imports_path']} ({d['imports_size_bytes'] / 1e6:.1f} MB)")
        rows = d["sources"] if show_all else _group_sources(d["sources"])
        t = Table(title="sources" if show_all else "sources (alike ones grouped; --all lists each)")
        for col in ("places", "kind", "source"):
            t.add_column(col, overflow="fold")
        for s in rows:
            t.add_row(f"{s['places']:,}", s["kind"], s["source"] + (f" [{s['file']}]" if s["file"] else ""))
        con.print(t)

    @gazetteer.command("import")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--name-col", default="name", show_default=True, help="CSV: column of the place name.")
    @click.option("--alt-col", default=None, help="CSV: column of alternate names.")
    @click.option(
        "--alt-sep", default="|;", show_default=True, help="CSV: characters separating alternate names."
    )
    @click.option("--lat-col", default="lat", show_default=True)
    @click.option("--lon-col", default="lon", show_default=True)
    @click.option("--country-col", default=None, help="CSV: column of the ISO2 country code.")
    @click.option("--country", "default_country", default=None, help="CSV: ISO2 country of every row.")
    @click.option("--admin1-col", default=None)
    @click.option("--id-col", default=None, help="CSV: column of a stable id (e.g. a P-code).")
    @click.option("--feature-classes", default=None, help="GeoNames: keep only these classes, e.g. PAS.")
    @click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
    @click.pass_context
    def import_(
        ctx: click.Context,
        files: tuple[Path, ...],
        name_col: str,
        alt_col: str | None,
        alt_sep: str,
        lat_col: str,
        lon_col: str,
        country_col: str | None,
        default_country: str | None,
        admin1_col: str | None,
        id_col: str | None,
        feature_classes: str | None,
        quiet: bool,
    ) -> None:
        """Import GeoNames dumps (allCountries.zip, SY.zip, .txt), alternateNamesV2 (.zip/.txt) or CSV gazetteers.

        Imports persist across automatic rebuilds of the embedded index; re-importing a file replaces it.
        """
        from gazetteer import GazetteerError
        from gazetteer.imports import CsvColumns, Importer
        from gazetteer.index import default_index_path

        cols = CsvColumns(
            name=name_col,
            alt=alt_col,
            lat=lat_col,
            lon=lon_col,
            country=country_col,
            admin1=admin1_col,
            id=id_col,
            alt_sep=alt_sep,
            default_country=default_country.upper() if default_country else None,
        )
        try:
            imp = Importer(Path(ctx.obj["index"]) if ctx.obj["index"] else default_index_path())
            for f in files:
                with _progress(f"importing {f.name}", quiet) as cb:
                    st = imp.import_file(f, cols, cb, feature_classes)
                Console(stderr=True).print(
                    f"{f}: {st.kind}, {st.rows:,} rows → {st.places:,} places, {st.names:,} names "
                    f"({st.skipped:,} skipped) in {st.seconds:.1f} s"
                )
        except GazetteerError as exc:
            raise _err(exc) from None

    @gazetteer.command("download")
    @click.argument("country")
    @click.option("--url-base", default=None, help="Base URL (default: the official GeoNames dump folder).")
    @click.option(
        "--dest",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Folder for the downloaded file (default: the cache folder).",
    )
    @click.option("--no-import", is_flag=True, help="Only download.")
    @click.option("--quiet", "-q", is_flag=True)
    @click.pass_context
    def download(
        ctx: click.Context,
        country: str,
        url_base: str | None,
        dest: Path | None,
        no_import: bool,
        quiet: bool,
    ) -> None:
        """Download the GeoNames file of COUNTRY (e.g. SY → SY.zip) and import it."""
        from gazetteer import GazetteerError
        from gazetteer.imports import GEONAMES_URL_BASE, Importer
        from gazetteer.imports import download as fetch
        from gazetteer.index import default_index_path

        index = Path(ctx.obj["index"]) if ctx.obj["index"] else default_index_path()
        try:
            with _progress(f"downloading {country}", quiet) as cb:
                path = fetch(country, dest or index.parent / "downloads", url_base or GEONAMES_URL_BASE, cb)
            Console(stderr=True).print(f"downloaded {path}")
            if not no_import:
                with _progress(f"importing {path.name}", quiet) as cb:
                    st = Importer(index).import_file(path, progress=cb)
                Console(stderr=True).print(
                    f"{path.name}: {st.places:,} places, {st.names:,} names in {st.seconds:.1f} s"
                )
        except GazetteerError as exc:
            raise _err(exc) from None

    @gazetteer.command("rebuild")
    @click.pass_context
    def rebuild(ctx: click.Context) -> None:
        """Rebuild the embedded index now (imports are kept)."""
        from gazetteer import Gazetteer, GazetteerError

        try:
            gz = Gazetteer.open(ctx.obj["index"], rebuild=True)
        except GazetteerError as exc:
            raise _err(exc) from None
        d = gz.info()
        Console(stderr=True).print(f"rebuilt {d['path']}: {d['places']:,} places in {d['build_seconds']} s")

    @gazetteer.command("nearest")
    @click.argument("lat", type=float)
    @click.argument("lon", type=float)
    @click.option("--limit", "-n", type=click.IntRange(1, 1000), default=5, show_default=True)
    @click.option("--country", "-c", default=None)
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    def nearest(
        ctx: click.Context, lat: float, lon: float, limit: int, country: str | None, as_json: bool
    ) -> None:
        """Places nearest to LAT LON (geodesic distance)."""
        from gazetteer import GazetteerError

        try:
            cands = _open(ctx.obj["index"]).nearest(lat, lon, limit=limit, country=country)
        except GazetteerError as exc:
            raise _err(exc) from None
        for c in cands:
            if as_json:
                click.echo(json.dumps(c.to_dict(), ensure_ascii=False))
            else:
                click.echo(
                    f"{c.distance_m / 1000:8.2f} km  {c.name} ({c.country_code}, {c.admin1_name}) {c.id}"
                )
