"""The lookup side: :class:`Gazetteer` over the SQLite index, and ranked :class:`Candidate` places."""

from __future__ import annotations

import json
import math
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from pyproj import Geod
from rapidfuzz import fuzz

from gazetteer.build import build_embedded, file_lock, fingerprint, fuzzy_block
from gazetteer.errors import GazetteerDataError, GazetteerError, GazetteerInputError
from gazetteer.normalize import NORMALIZE_VERSION, loose, name_key, variant_forms
from gazetteer.sources import ABBR, DEMONYM

INDEX_NAME = "gazetteer.sqlite"
IMPORTS_NAME = "gazetteer-imports.sqlite"

#: score bands of the match kinds: an exact match always ranks above a variant, a variant above a fuzzy one
_BANDS = {
    "exact": (0.70, 1.0),
    "abbreviation": (0.68, 0.98),
    "demonym": (0.66, 0.96),
    "variant": (0.40, 0.68),
    "fuzzy": (0.05, 0.38),
}
_FEATURE_PRIOR = {
    "PCLI": 1.0,
    "CONT": 0.9,
    "PPLC": 0.6,
    "ADM1": 0.5,
    "PPLA": 0.5,
    "ADM2": 0.4,
    "PPLA2": 0.4,
    "TERR": 0.8,
    "RGN": 0.6,
    "SEA": 0.6,
    "GULF": 0.6,
    "PEN": 0.6,
    "CMPRF": 0.5,
    "PSTB": 0.5,
}
_KEY_CACHE_SIZE = 100_000  # cached lookup_key results per Gazetteer (exact keys of a corpus: ~10^4)
_MAX_ROWS = 2000  # name rows read per exact key (with a `near` hint, and for lookup_key)
_EXACT_ROWS = 200  # name rows read per exact key otherwise (the most populous places)
_MIN_VARIANT_SIMILARITY = 0.6
_MAX_VARIANTS = 100  # name rows read per variant key (the most populous, hinted country first)
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Candidate:
    """A place that may be meant by a name, with how it matched and where its data comes from."""

    id: str
    geonameid: int | None
    name: str
    matched: str
    match: str  # "exact" | "variant" | "fuzzy" | "abbreviation" | "demonym" | "nearest" | "id"
    score: float
    lat: float
    lon: float
    country_code: str
    country_name: str
    admin1_code: str
    admin1_name: str
    feature_class: str
    feature_code: str
    population: int
    source: str
    distance_m: float | None = None  # set by nearest() and when a ``near`` point was given

    def to_dict(self) -> dict:
        return asdict(self)


def cache_dir() -> Path:
    """Per-user cache directory (``CONFLICTMAP_CACHE_DIR`` overrides it)."""
    env = os.environ.get("CONFLICTMAP_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("conflictmap"))


def default_index_path() -> Path:
    return cache_dir() / INDEX_NAME


def imports_path_for(index: Path) -> Path:
    return index.with_name(IMPORTS_NAME)


def _read_meta(path: Path) -> dict[str, str]:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT k, v FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return {}


def is_stale(path: Path) -> bool:
    """True when the index at ``path`` is missing, unreadable or built from other sources."""
    return not path.exists() or _read_meta(path).get("fingerprint") != fingerprint()


def ensure_index(path: Path, rebuild: bool = False, progress=None, in_process: bool = False) -> bool:
    """Build the embedded index at ``path`` if missing, stale or asked to; True when it was built."""
    if not rebuild and not is_stale(path):
        return False
    with file_lock(path.with_name(path.name + ".lock")):
        if not rebuild and not is_stale(path):  # another process built it while we waited
            return False
        if in_process:
            build_embedded(path, progress=progress)
            return True
        # a child process: the build's peak memory (~0.6 GB) is not kept by the caller
        proc = subprocess.run(
            [sys.executable, "-m", "gazetteer.build", str(path)], capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise GazetteerDataError(f"{path}: building the gazetteer index failed: {tail}")
    return True


class Gazetteer:
    """Ranked place lookups over the local index (embedded default plus the user's imports)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.imports_path = imports_path_for(self.path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._dbs = ["main"]
        if self.imports_path.exists():
            self._conn.execute("ATTACH DATABASE ? AS imp", (f"file:{self.imports_path}?mode=ro",))
            self._dbs.append("imp")
        self._sources: dict[tuple[str, int], str] = {}
        for db in self._dbs:
            for sid, text in self._conn.execute(f"SELECT id, text FROM {db}.sources"):
                self._sources[(db, sid)] = text
        self._countries = dict(self._conn.execute("SELECT cc, name FROM main.places WHERE fcode = 'PCLI'"))
        self._admin1: dict[tuple[str, str], str] = {}
        self._key_cache: dict[str, tuple[Candidate, ...]] = {}

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: str | Path | None = None, rebuild: bool = False) -> Gazetteer:
        """Open the index (default: the per-user cache), building it first if missing or stale."""
        p = Path(path) if path is not None else default_index_path()
        try:
            ensure_index(p, rebuild=rebuild)
            imports = imports_path_for(p)
            if imports.exists() and _read_meta(imports).get("normalize") != str(NORMALIZE_VERSION):
                from gazetteer.imports import rekey_imports

                rekey_imports(imports)  # the rules changed since the import: recompute its keys
            return cls(p)
        except sqlite3.DatabaseError as exc:
            raise GazetteerDataError(
                f"{p}: the gazetteer index is unreadable ({exc}); rebuild it with "
                "`conflictmap gazetteer rebuild` or delete the file"
            ) from exc
        except GazetteerError:
            raise
        except OSError as exc:
            raise GazetteerDataError(
                f"{p}: cannot create or open the gazetteer index ({exc.strerror or exc}); "
                "set CONFLICTMAP_CACHE_DIR (or --index) to a writable folder"
            ) from exc

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Gazetteer:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ rows → candidates

    _PLACE_COLS = "id, geonameid, name, lat, lon, cc, a1, a1name, fclass, fcode, pop, src"

    def _place_rows(self, ids: list[str]) -> dict[str, tuple[str, tuple]]:
        out: dict[str, tuple[str, tuple]] = {}
        for db in self._dbs:  # imports last: an imported copy of a place replaces the embedded one
            for i in range(0, len(ids), 900):
                chunk = ids[i : i + 900]
                q = f"SELECT {self._PLACE_COLS} FROM {db}.places WHERE id IN ({','.join('?' * len(chunk))})"
                for row in self._conn.execute(q, chunk):
                    out[row[0]] = (db, row)
        return out

    def _admin1_name(self, cc: str, a1: str) -> str:
        key = (cc, a1)
        if key not in self._admin1:
            row = self._conn.execute(
                "SELECT name FROM main.places WHERE id = ?", (f"admin1:{cc}.{a1}",)
            ).fetchone()
            if row is None and cc == "US":
                row = self._conn.execute(
                    "SELECT name FROM main.places WHERE cc='US' AND a1=? AND fcode='ADM1'", (a1,)
                ).fetchone()
            self._admin1[key] = row[0] if row else ""
        return self._admin1[key]

    def _candidate(
        self, db: str, row: tuple, matched: str, match: str, score: float, distance_m: float | None = None
    ) -> Candidate:
        pid, gid, name, lat, lon, cc, a1, a1name, fcl, fcode, pop, src = row
        cc = cc or ""
        a1 = a1 or ""
        return Candidate(
            id=pid,
            geonameid=gid,
            name=name,
            matched=matched,
            match=match,
            score=round(score, 4),
            lat=lat,
            lon=lon,
            country_code=cc,
            country_name=self._countries.get(cc, ""),
            admin1_code=a1,
            admin1_name=a1name or (self._admin1_name(cc, a1) if cc and a1 else ""),
            feature_class=fcl or "",
            feature_code=fcode or "",
            population=int(pop or 0),
            source=self._sources.get((db, src), ""),
            distance_m=distance_m,
        )

    @staticmethod
    def _score(
        band: tuple[float, float],
        similarity: float | None,
        row: tuple,
        country: str | None,
        near: tuple[float, float] | None,
        dist_km: float | None,
    ) -> float:
        """Score in [0, 1]: the match kind sets a band (exact above variant above fuzzy); inside it
        the prior places a candidate (and, for variant/fuzzy matches, mostly the spelling similarity).

        With a country hint, places in that country rank above places elsewhere.
        """
        pop, fcode, cc = row[10] or 0, row[9] or "", row[5] or ""
        popp = min(1.0, math.log10(pop + 1) / 7.0)
        if fcode in ("ADM1", "ADM2"):
            popp *= 0.65  # an area's population is the sum of its places': a same-named city ranks first
        prior = 0.75 * popp + 0.25 * _FEATURE_PRIOR.get(fcode, 0.3)
        if near is not None and dist_km is not None:
            prior = 0.4 * prior + 0.6 * math.exp(-dist_km / 150.0)
        if similarity is not None:
            prior = 0.75 * similarity + 0.25 * prior
        lo, hi = band
        s = lo + (hi - lo) * prior
        if country:
            s = 0.5 + 0.5 * s if cc == country else 0.5 * s
        return s

    def _rank(
        self,
        hits: dict[str, tuple[str, str, float]],
        country: str | None,
        near: tuple[float, float] | None,
        limit: int,
        known: dict[str, tuple[str, tuple]] | None = None,
    ) -> list[Candidate]:
        """hits: place id → (matched name, match kind, quality in [0, 1] within the kind).

        ``known``: place rows already read with the names (id → (db, row)); the rest are read here.
        """
        rows = dict(known or {})
        missing = [pid for pid in hits if pid not in rows]
        if missing:
            rows.update(self._place_rows(missing))
        pids = [pid for pid in hits if pid in rows]
        dists: list[float | None] = [None] * len(pids)
        if near is not None and pids:  # geodesic distances on WGS84, in km
            lons = [rows[p][1][4] for p in pids]
            lats = [rows[p][1][3] for p in pids]
            dists = [
                d / 1000.0 for d in _GEOD.inv([near[1]] * len(pids), [near[0]] * len(pids), lons, lats)[2]
            ]
        scored = []
        for pid, dist in zip(pids, dists, strict=True):
            matched, match, q = hits[pid]
            db, row = rows[pid]
            s = self._score(
                _BANDS[match], q if match in ("variant", "fuzzy") else None, row, country, near, dist
            )
            scored.append((s, pid, db, row, matched, match, dist))
        scored.sort(key=lambda t: (-t[0], -(t[3][10] or 0), t[1]))
        return [
            self._candidate(db, row, matched, match, s, None if d is None else d * 1000.0)
            for s, _pid, db, row, matched, match, d in scored[:limit]
        ]

    _JOIN_COLS = (
        "n.place, n.name, n.kind, n.cc, p.id, p.geonameid, p.name, p.lat, p.lon, p.cc, p.a1, p.a1name, "
        "p.fclass, p.fcode, p.pop, p.src"
    )

    def _name_rows(
        self,
        col: str,
        key: str,
        country: str | None = None,
        limit: int = _MAX_ROWS,
        known: dict[str, tuple[str, tuple]] | None = None,
    ) -> list[tuple]:
        """(place, name, kind, cc) of the names with this key, the most populous first (hinted country first).

        The rows of their places are read in the same query and put into ``known`` (imports win).
        """
        out: list[tuple] = []
        for db in self._dbs:
            base = (
                f"SELECT {self._JOIN_COLS} FROM {db}.names n LEFT JOIN {db}.places p ON p.id = n.place "
                f"WHERE n.{col} = ?"
            )
            queries = [(base + f" ORDER BY n.pop DESC LIMIT {int(limit)}", (key,))]
            if country:
                queries.insert(
                    0, (base + f" AND n.cc = ? ORDER BY n.pop DESC LIMIT {int(limit)}", (key, country))
                )
            for q, args in queries:
                for r in self._conn.execute(q, args):
                    out.append(r[:4])
                    if known is not None and r[4] is not None and (db == "imp" or r[0] not in known):
                        known[r[0]] = (db, r[4:])
        return out

    @staticmethod
    def _kind_match(kind: int) -> tuple[str, float]:
        """Match kind and quality of an exact key hit (a place's main name is a little better than an alias)."""
        if kind == ABBR:
            return "abbreviation", 1.0
        if kind == DEMONYM:
            return "demonym", 1.0
        return "exact", 1.0 if kind == 0 else 0.97

    # ------------------------------------------------------------------ public API

    def candidates(
        self,
        name: str,
        country: str | None = None,
        near: tuple[float, float] | None = None,
        limit: int = 10,
        fuzzy: bool = True,
    ) -> list[Candidate]:
        """Places that ``name`` may refer to, best first (exact > variant > fuzzy, then priors).

        ``country`` (ISO2) and ``near`` ((lat, lon)) are hints that raise matching places.
        """
        if country is not None:
            country = country.strip().upper()
            if len(country) != 2:
                raise GazetteerInputError(
                    f"country must be an ISO 3166-1 alpha-2 code such as 'SY', got {country!r}"
                )
        if near is not None:
            lat, lon = float(near[0]), float(near[1])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise GazetteerInputError(f"near must be (lat, lon) in degrees, got {near!r}")
            near = (lat, lon)
        key = name_key(name)
        if not key:
            return []
        hits: dict[str, tuple[str, str, float]] = {}
        known: dict[str, tuple[str, tuple]] = {}
        # the most populous places of a name are enough to rank, unless a `near` point may favour a small one
        cap = _MAX_ROWS if near is not None else max(_EXACT_ROWS, 5 * limit)
        with self._lock:
            in_country = 0
            for pid, nm, kind, cc in self._name_rows("key", key, country, limit=cap, known=known):
                match, q = self._kind_match(kind)
                if pid not in hits or _BANDS[hits[pid][1]][0] < _BANDS[match][0]:
                    in_country += country is not None and cc == country and pid not in hits
                    hits[pid] = (nm, match, q)
            # variants rank below exact matches: look them up only when there is no exact match
            # (in the hinted country, when a country is given)
            enough = bool(hits) and (country is None or in_country > 0)
            lo, skel = ("", "") if enough else variant_forms(key)
            if lo:
                # the same loose form (articles, digraphs and diphthongs aside: "al-Hol" ~ "Al Hawl"),
                # then the same consonant skeleton ("Atimah" ~ "Atmeh"); quality = similarity of the
                # loose forms, and a shared skeleton with a very different spelling is a coincidence
                rows = self._name_rows("loose", lo, country, limit=_MAX_VARIANTS, known=known)
                if lo != key:
                    rows += self._name_rows("key", lo, country, limit=_MAX_VARIANTS, known=known)
                if skel and skel != key:
                    rows += self._name_rows("skel", skel, country, limit=_MAX_VARIANTS, known=known)
                for pid, nm, _kind, _cc in rows:
                    if pid not in hits:
                        q = fuzz.ratio(lo, loose(name_key(nm))) / 100.0
                        if q >= _MIN_VARIANT_SIMILARITY:
                            hits[pid] = (nm, "variant", q)
            if not hits and fuzzy:
                hits = self._fuzzy_hits(key, known)
            if not hits:
                return []
            return self._rank(hits, country, near, limit, known)

    def _fuzzy_hits(self, key: str, known: dict[str, tuple[str, tuple]]) -> dict[str, tuple[str, str, float]]:
        from rapidfuzz import process

        if not key.isascii() or len(key) < 4:
            return {}
        n = len(key)
        d = max(1, n // 5)
        keys: list[str] = []
        for db in self._dbs:
            keys += [
                r[0]
                for r in self._conn.execute(
                    f"SELECT key FROM {db}.fz WHERE block = ? AND n BETWEEN ? AND ?",
                    (fuzzy_block(key), n - d, n + d),
                )
            ]
        hits: dict[str, tuple[str, str, float]] = {}
        for k, sc, _ in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=80, limit=8):
            q = (sc - 80.0) / 20.0
            for pid, nm, _kind, _cc in self._name_rows("key", k, limit=_MAX_VARIANTS, known=known):
                if pid not in hits or hits[pid][2] < q:
                    hits[pid] = (nm, "fuzzy", q)
        return hits

    def lookup_key(self, key: str) -> list[Candidate]:
        """Exact lookup of an already-normalised key (from :func:`gazetteer.normalize.name_key`).

        Results are kept in an in-memory cache of this object (bounded; :meth:`clear_cache`).
        """
        with self._lock:
            got = self._key_cache.get(key)
            if got is None:
                got = self._lookup_keys_sql([key]).get(key, ())
                self._cache_put(key, got)
            return list(got)

    def lookup_keys(self, keys: Iterable[str]) -> dict[str, list[Candidate]]:
        """:meth:`lookup_key` for many keys at once (one SQL query per ~500 uncached keys).

        Returns every distinct key given, mapped to its candidates (``[]`` when unknown).
        """
        with self._lock:
            wanted = list(dict.fromkeys(keys))
            missing = [k for k in wanted if k not in self._key_cache]
            found = self._lookup_keys_sql(missing) if missing else {}
            out: dict[str, list[Candidate]] = {}
            for k in wanted:
                got = self._key_cache.get(k)
                if got is None:
                    got = found.get(k, ())
                    self._cache_put(k, got)
                out[k] = list(got)
            return out

    def clear_cache(self) -> None:
        """Forget the cached :meth:`lookup_key` results (e.g. after importing into the same index)."""
        with self._lock:
            self._key_cache.clear()

    def _cache_put(self, key: str, value: tuple[Candidate, ...]) -> None:
        if len(self._key_cache) >= _KEY_CACHE_SIZE:  # bounded: drop the oldest half
            for k in list(self._key_cache)[: _KEY_CACHE_SIZE // 2]:
                del self._key_cache[k]
        self._key_cache[key] = value

    def _lookup_keys_sql(self, keys: list[str]) -> dict[str, tuple[Candidate, ...]]:
        """Exact-key candidates of many keys; the same rows and ranking as one ``_name_rows`` per key."""
        rows: dict[str, list[tuple]] = {}
        known: dict[str, dict[str, tuple[str, tuple]]] = {}
        for db in self._dbs:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                q = (
                    f"SELECT n.key, {self._JOIN_COLS} FROM {db}.names n LEFT JOIN {db}.places p ON p.id = n.place "
                    f"WHERE n.key IN ({','.join('?' * len(chunk))}) ORDER BY n.key, n.pop DESC"
                )
                count: dict[str, int] = {}
                for r in self._conn.execute(q, chunk):
                    k = r[0]
                    c = count.get(k, 0)
                    if c >= _MAX_ROWS:
                        continue
                    count[k] = c + 1
                    rows.setdefault(k, []).append(r[1:5])
                    kn = known.setdefault(k, {})
                    if r[5] is not None and (db == "imp" or r[1] not in kn):
                        kn[r[1]] = (db, r[5:])
        out: dict[str, tuple[Candidate, ...]] = {}
        for k, name_rows in rows.items():
            hits: dict[str, tuple[str, str, float]] = {}
            for pid, nm, kind, _cc in name_rows:
                match, q = self._kind_match(kind)
                if pid not in hits or _BANDS[hits[pid][1]][0] < _BANDS[match][0]:
                    hits[pid] = (nm, match, q)
            out[k] = tuple(self._rank(hits, None, None, len(hits), known.get(k))) if hits else ()
        return out

    def iter_keys(self) -> Iterator[str]:
        """Every normalised name key in the index (distinct), e.g. to build an Aho-Corasick automaton."""
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            yield from (r[0] for r in conn.execute("SELECT DISTINCT key FROM names"))
            if "imp" in self._dbs:
                conn.execute("ATTACH DATABASE ? AS imp", (f"file:{self.imports_path}?mode=ro",))
                yield from (
                    r[0]
                    for r in conn.execute(
                        "SELECT DISTINCT key FROM imp.names WHERE key NOT IN (SELECT key FROM main.names)"
                    )
                )
        finally:
            conn.close()

    def get(self, place_id: str) -> Candidate | None:
        """The place with this id (e.g. ``geonames:163345``, ``curated:atmeh``), or None."""
        with self._lock:
            rows = self._place_rows([place_id])
        if place_id not in rows:
            return None
        db, row = rows[place_id]
        return self._candidate(db, row, row[2], "id", 1.0)

    def country(self, iso2: str) -> Candidate | None:
        """The country's reference point, or None for an unknown code."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {self._PLACE_COLS} FROM main.places WHERE cc = ? AND fcode = 'PCLI'", (iso2.upper(),)
            ).fetchone()
        return None if row is None else self._candidate("main", row, row[2], "id", 1.0)

    def nearest(self, lat: float, lon: float, limit: int = 1, country: str | None = None) -> list[Candidate]:
        """The ``limit`` places nearest to (lat, lon), by geodesic distance on WGS84."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GazetteerInputError(
                f"nearest needs lat in [-90, 90] and lon in [-180, 180], got ({lat}, {lon})"
            )
        cc = country.upper() if country else None
        geod = _GEOD
        with self._lock:
            # grow a box until it holds `limit` places, then search the box of the k-th distance:
            # every place nearer than that lies inside it
            w, pts = 0.1, []
            while w < 180:
                pts = self._box_points(lat, lon, w, cc)
                if len(pts) >= limit:
                    break
                w *= 2
            if len(pts) < limit:
                pts = self._box_points(lat, lon, 180.0, cc)
            if not pts:
                return []
            dist = geod.inv([lon] * len(pts), [lat] * len(pts), [p[2] for p in pts], [p[1] for p in pts])[2]
            kth = sorted(dist)[min(limit, len(dist)) - 1]
            reach = min(
                180.0, kth / 110_000.0 + 0.01
            )  # metres → degrees of latitude (≥ 110.57 km per degree)
            if reach > w:
                pts = self._box_points(lat, lon, reach, cc)
                dist = geod.inv([lon] * len(pts), [lat] * len(pts), [p[2] for p in pts], [p[1] for p in pts])[
                    2
                ]
            order = sorted(range(len(pts)), key=lambda i: dist[i])[:limit]
            rows = self._place_rows([pts[i][0] for i in order])
            out = []
            for i in order:
                db, row = rows[pts[i][0]]
                out.append(
                    self._candidate(
                        db, row, row[2], "nearest", 1.0 / (1.0 + dist[i] / 1000.0), float(dist[i])
                    )
                )
            return out

    def _box_points(self, lat: float, lon: float, w: float, cc: str | None) -> list[tuple[str, float, float]]:
        """(id, lat, lon) of the places within ±w degrees of latitude and the matching longitude span."""
        dlon = w / max(0.01, math.cos(math.radians(min(89.9, abs(lat) + w))))
        where, args = "lat BETWEEN ? AND ?", [lat - w, lat + w]
        if dlon < 180:
            lo, hi = lon - dlon, lon + dlon
            if lo < -180:
                where, args = where + " AND (lon >= ? OR lon <= ?)", args + [lo + 360, hi]
            elif hi > 180:
                where, args = where + " AND (lon >= ? OR lon <= ?)", args + [lo, hi - 360]
            else:
                where, args = where + " AND lon BETWEEN ? AND ?", args + [lo, hi]
        if cc:
            where, args = where + " AND cc = ?", args + [cc]
        pts: dict[str, tuple[str, float, float]] = {}
        for db in self._dbs:
            for r in self._conn.execute(f"SELECT id, lat, lon FROM {db}.places WHERE {where}", args):
                pts[r[0]] = r
        return list(pts.values())

    def info(self) -> dict:
        """Sources, counts, build date, size and paths of the index."""
        meta = dict(self._conn.execute("SELECT k, v FROM main.meta"))
        out: dict = {
            "path": str(self.path),
            "size_bytes": self.path.stat().st_size,
            "built": meta.get("built"),
            "build_seconds": float(meta.get("build_seconds", "nan")),
            "fingerprint": meta.get("fingerprint"),
            "places": int(self._conn.execute("SELECT count(*) FROM main.places").fetchone()[0]),
            "names": int(self._conn.execute("SELECT count(*) FROM main.names").fetchone()[0]),
            "embedded_versions": json.loads(meta.get("sources", "{}")),
            "imports_path": str(self.imports_path),
            "imports_size_bytes": self.imports_path.stat().st_size if self.imports_path.exists() else 0,
            "imported_places": 0,
            "imported_names": 0,
            "sources": [],
        }
        if "imp" in self._dbs:
            out["imported_places"] = int(self._conn.execute("SELECT count(*) FROM imp.places").fetchone()[0])
            out["imported_names"] = int(self._conn.execute("SELECT count(*) FROM imp.names").fetchone()[0])
        for db in self._dbs:
            for text, kind, file, rows, added in self._conn.execute(
                f"SELECT text, kind, file, rows, added FROM {db}.sources ORDER BY id"
            ):
                out["sources"].append(
                    {"source": text, "kind": kind, "file": file, "places": rows, "added": added}
                )
        return out
