"""``conflictmap border LAT,LON`` and ``conflictmap borders import|info``: distance to the nearest border."""

from __future__ import annotations

import json
import math

import click
from rich.console import Console
from rich.table import Table

from geo.errors import InputError


def _border_json(info, borders) -> dict:  # type: ignore[no-untyped-def]
    return {
        "distance_km": round(info.distance_km, 3),
        "neighbour": info.neighbour,
        "own": info.own,
        "nearest_point": [info.nearest_point[0], info.nearest_point[1]],
        "dataset": info.dataset,
        "dataset_name": borders.key,
        "licence": borders.licence,
        "uncertainty_km": round(info.uncertainty_km, 3),
        "disputed": info.disputed,
        "at_border": info.at_border,
        "note": info.note,
    }


def _ns(lat: float) -> str:
    return f"{abs(lat):.6f}° {'N' if lat >= 0 else 'S'}"


def _ew(lon: float) -> str:
    return f"{abs(lon):.6f}° {'E' if lon >= 0 else 'W'}"


def _float_or_error(value: float, what: str) -> float:
    if not math.isfinite(value) or value < 0:
        raise InputError(f"{what} must be a finite number ≥ 0, got {value!r}")
    return value


def register(app: click.Group) -> None:
    """Add ``border`` and the ``borders`` group to the application."""

    @app.command("border", context_settings={"ignore_unknown_options": True})
    @click.argument("point", metavar="LAT,LON")
    @click.option("--own", metavar="CC", help="ISO2 code of the point's own country (e.g. SY); default: from the polygons.")
    @click.option("--dataset", metavar="NAME", help="Border dataset (default: the OSM-derived one; see `borders info`).")
    @click.option("--place-uncertainty-km", type=float, default=0.0, show_default=True,
                  help="Precision of the point itself (a town's extent), added to the dataset's uncertainty.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
    def border(point: str, own: str | None, dataset: str | None, place_uncertainty_km: float, as_json: bool) -> None:
        """Geodesic distance from LAT,LON to the nearest international land border.

        Prints the distance, the country across the line, the nearest border point (lon, lat),
        the dataset and its uncertainty. Negative latitudes work as is: border -1.67,29.22
        """
        from geo.borders import Borders
        from geo.validate import parse_latlon

        lat, lon = parse_latlon(point)
        _float_or_error(place_uncertainty_km, "--place-uncertainty-km")
        b = Borders.open(dataset)
        info = b.distance(lat, lon, own=own, place_uncertainty_km=place_uncertainty_km)
        data = _border_json(info, b)
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False))
            return
        table = Table(show_header=False, box=None)
        table.add_row("point", f"{_ns(lat)}, {_ew(lon)}")
        table.add_row("distance", f"{info.distance_km:.3f} km ± {info.uncertainty_km:.2f} km"
                      + ("  (at the border)" if info.at_border else ""))
        table.add_row("own country", str(info.own or "unknown"))
        table.add_row("across the line", str(info.neighbour or "unknown"))
        table.add_row("nearest border point", f"{_ns(info.nearest_point[1])}, {_ew(info.nearest_point[0])}")
        table.add_row("line", "disputed / line of control" if info.disputed else "international border")
        table.add_row("dataset", f"{info.dataset} ({b.licence})")
        if info.note:
            table.add_row("note", info.note)
        Console(soft_wrap=True).print(table)

    @app.group("borders")
    def borders() -> None:
        """Border datasets: list them, import your own."""

    @borders.command("info")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
    def info(as_json: bool) -> None:
        """List border datasets with source, licence and uncertainty."""
        from geo.borders import list_datasets

        rows = list_datasets()
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        table = Table("name", "title", "licence", "± km", "date", "pairs", "default")
        for r in rows:
            table.add_row(r["name"], str(r.get("title") or ""), str(r.get("licence") or ""),
                          f"{r.get('uncertainty_km')}", str(r.get("data_date") or r.get("built") or r.get("note") or ""),
                          str(r.get("pairs") or ""), "yes" if r.get("default") else "")
        Console(soft_wrap=True).print(table)

    @borders.command("import")
    @click.argument("file", type=click.Path(dir_okay=True))
    @click.option("--name", required=True, help="Name to select the dataset with (--dataset NAME).")
    @click.option("--uncertainty-km", type=float, required=True,
                  help="Positional uncertainty of these borders (e.g. 1.0 for Natural Earth 10m).")
    @click.option("--iso-column", help="Column with ISO 3166-1 alpha-2 (or alpha-3) codes (default: guessed).")
    @click.option("--a-column", help="For a file of lines: column of one side's ISO code.")
    @click.option("--b-column", help="For a file of lines: column of the other side's ISO code.")
    @click.option("--layer", help="Layer of a multi-layer file (GeoPackage).")
    @click.option("--licence", help="Licence/attribution of the data (recorded and shown on maps).")
    @click.option("--title", help="Human-readable title (default: the file name).")
    @click.option("--keep-sea", is_flag=True, help="Do not drop lines at sea (the data already has land borders only).")
    @click.option("--overwrite", is_flag=True, help="Replace an existing dataset of that name.")
    @click.option("--json", "as_json", is_flag=True, help="Print the imported dataset's metadata as JSON.")
    def import_(file: str, name: str, uncertainty_km: float, iso_column: str | None, a_column: str | None,
                b_column: str | None, layer: str | None, licence: str | None, title: str | None,
                keep_sea: bool, overwrite: bool, as_json: bool) -> None:
        """Import country polygons (with an ISO column) or border lines (two ISO columns) from FILE.

        GeoJSON, GeoPackage or shapefile, e.g. Natural Earth admin-0 countries, geoBoundaries
        ADM0, or a newer OSM extract.
        """
        from geo.borders import import_dataset

        _float_or_error(uncertainty_km, "--uncertainty-km")
        meta = import_dataset(file, name, uncertainty_km, iso_column=iso_column, a_column=a_column,
                              b_column=b_column, layer=layer, licence=licence, title=title,
                              drop_sea=not keep_sea, overwrite=overwrite)
        if as_json:
            click.echo(json.dumps(meta, ensure_ascii=False, indent=1))
        else:
            click.echo(f"imported {meta['name']}: {meta['counts']['pairs']} border lines "
                       f"({meta['counts']['pieces']} pieces), ± {meta['uncertainty_km']} km", err=True)


