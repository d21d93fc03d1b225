"""Country reference points: one conventional point per country, each with its stated source.

A country mentioned in text is mapped to one point. Gazetteers agree on a convention:
GeoNames places most countries at the CIA World Factbook's "geographic coordinates"
(Russia 60 N 100 E, China 35 N 105 E, Brazil 10 S 55 W), which ``countryinfo`` (MIT) ships as
``latlng``. We use, in this order:

1. a curated point from ``gazetteer/data/country_points.csv`` (each row cites its source;
   e.g. the United States: the geographic centre of the contiguous states);
2. the Factbook point, when it lies in the country itself (its nearest GeoNames place is in
   that country; Kuwait's Factbook longitude 45.75 E, for one, lies in Iraq);
3. the centroid of the country's largest OSM land area (:mod:`gazetteer.landpoints`);
4. the population-weighted centroid of its GeoNames places (the caller's fallback).
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from gazetteer.versions import package_version

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRY_POINTS_VERSION = 2  # part of the index's derivation version: bump when the order above changes

Point = tuple[float, float]


def curated_points() -> dict[str, tuple[Point, str]]:
    """ISO2 → ((lat, lon), source) from ``gazetteer/data/country_points.csv``."""
    out: dict[str, tuple[Point, str]] = {}
    with (DATA_DIR / "country_points.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out[r["iso2"].strip().upper()] = ((float(r["lat"]), float(r["lon"])), r["source"].strip())
    return out


def factbook_points() -> dict[str, Point]:
    """ISO2 → (lat, lon): the CIA World Factbook coordinates shipped by ``countryinfo`` (``latlng``)."""
    spec = importlib.util.find_spec("countryinfo")
    if spec is None or spec.origin is None:
        return {}
    out: dict[str, Point] = {}
    for f in sorted((Path(spec.origin).parent / "data").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        iso2 = (d.get("ISO") or {}).get("alpha2")
        ll = d.get("latlng")
        if iso2 and ll and len(ll) == 2:
            out[iso2] = (float(ll[0]), float(ll[1]))
    return out


def factbook_label() -> str:
    ver = package_version("countryinfo", "?")
    return f"CIA World Factbook geographic coordinates as shipped by countryinfo {ver} (MIT; its latlng field)"


def nearest_country(lats: np.ndarray, lons: np.ndarray, ccs: list[str]) -> Callable[[float, float], str]:
    """A function (lat, lon) → country code of the nearest of the given places (a k-d tree on the sphere)."""
    from scipy.spatial import cKDTree

    tree = cKDTree(_unit(np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)))

    def nearest(lat: float, lon: float) -> str:
        _d, i = tree.query(_unit(np.array([lat]), np.array([lon]))[0])
        return ccs[int(i)]

    return nearest


def choose(
    iso2: str,
    curated: dict[str, tuple[Point, str]],
    factbook: dict[str, Point],
    land: dict[str, Point],
    land_label: str,
    country_of: Callable[[float, float], str] | None,
) -> tuple[Point, str] | None:
    """The country's point and a label of where it comes from (None: the caller's own fallback)."""
    if iso2 in curated:
        return curated[iso2]
    fb = factbook.get(iso2)
    if fb is not None and (country_of is None or country_of(*fb) == iso2):
        return fb, factbook_label()
    if iso2 in land:
        return land[iso2], land_label
    if fb is not None:  # off the country's land, and nothing better: still the conventional point
        return fb, factbook_label() + " (not on the country's own land)"
    return None


def _unit(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lats), np.radians(lons)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))
