"""The incident store's interface and the logic both backends share.

A store keeps three tables:

``articles``   one row per article (id, content hash, metadata, text) — what was ingested;
``reports``    the incidents each article reported, as extracted (the source of truth);
``incidents``  the merged incidents, *derived* from the reports with :mod:`geo.merge`
               and recomputed only for the neighbourhood an ingest touches.

Ingest is one transaction: articles whose content hash is already stored are
skipped, an article with a new hash replaces its reports, and the merged
incidents near every added or removed report are re-clustered, so reports of
one event merge across ingest runs exactly as they would within one run.
Backends (:mod:`geo.store.gpkg`, :mod:`geo.store.postgis`) supply the SQL
dialect, the geometry column and the spatial index.
"""

from __future__ import annotations

import abc
import dataclasses
import datetime as dt
import json
import math
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from geo.errors import ConflictmapError, InputError, StoreError
from geo.model import Article, Incident

SCHEMA_VERSION = 1

# Which stored incidents a new report could merge with follows :func:`geo.merge.same_event`:
# within BASE_KM (+ slack for coarse locations, by UCDP where_prec) and dates that overlap
# once widened by the date precision; undated reports never merge.

#: Flat columns of the ``incidents`` table / GeoDataFrames, in order (the JSON
#: ``properties`` column holds the full :meth:`Incident.to_properties`).
FLAT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "TEXT"),
    ("place", "TEXT"),
    ("admin1", "TEXT"),
    ("country_code", "TEXT"),
    ("country", "TEXT"),
    ("lon", "REAL"),
    ("lat", "REAL"),
    ("place_source", "TEXT"),
    ("where_prec", "INTEGER"),
    ("date", "DATE"),
    ("date_start", "DATE"),
    ("date_end", "DATE"),
    ("time_precision", "INTEGER"),
    ("event_type", "TEXT"),
    ("sub_event_type", "TEXT"),
    ("fatalities", "INTEGER"),
    ("fatalities_low", "INTEGER"),
    ("fatalities_high", "INTEGER"),
    ("injured", "INTEGER"),
    ("border_km", "REAL"),
    ("border_neighbour", "TEXT"),
    ("border_dataset", "TEXT"),
    ("n_sources", "INTEGER"),
    ("sources", "TEXT"),
    ("merge_reason", "TEXT"),
)
FLAT_NAMES = tuple(name for name, _ in FLAT_COLUMNS)


@dataclass
class IngestReport:
    """What one ingest changed (all counts refer to this run)."""

    articles_new: int = 0
    articles_unchanged: int = 0
    articles_replaced: int = 0
    reports_added: int = 0  # per-article incidents stored
    reports_removed: int = 0  # per-article incidents of replaced articles
    incidents_created: int = 0  # merged incidents that did not exist before
    incidents_updated: int = 0  # existing merged incidents that gained or lost a report
    incidents_removed: int = 0  # merged incidents no report supports any more
    incidents_merged: int = 0  # added reports that joined an incident with other sources
    incidents_total: int = 0  # merged incidents in the store after the run
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# ----- flat representation ----------------------------------------------------------------


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def incident_dates(inc: Incident) -> tuple[str | None, str | None, str | None]:
    """``(date, start, end)`` as ISO strings; start/end fall back to the date."""
    info = inc.date
    if info is None:
        return None, None, None
    day = _iso(info.date)
    start = _iso(info.start) or day
    end = _iso(info.end) or day or start
    return day, start, end


def flat_row(inc: Incident) -> dict[str, Any]:
    """The flat columns of one incident (store rows, CSV-like GeoDataFrame columns)."""
    p = inc.place
    day, start, end = incident_dates(inc)
    killed = inc.casualties.killed
    b = inc.border
    return {
        "id": inc.id,
        "place": p.name,
        "admin1": p.admin1,
        "country_code": (p.country_code or "").upper() or None,
        "country": p.country,
        "lon": float(p.lon),
        "lat": float(p.lat),
        "place_source": p.source,
        "where_prec": inc.where_prec,
        "date": day,
        "date_start": start,
        "date_end": end,
        "time_precision": inc.date.precision if inc.date else None,
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "fatalities": inc.fatalities,
        "fatalities_low": killed.low,
        "fatalities_high": killed.high,
        "injured": inc.casualties.injured.best,
        "border_km": round(b.distance_km, 3) if b else None,
        "border_neighbour": b.neighbour if b else None,
        "border_dataset": b.dataset if b else None,
        "n_sources": len(inc.sources),
        "sources": ";".join(s.article_id for s in inc.sources),
        "merge_reason": inc.merge_reason,
    }


def dumps(inc: Incident) -> str:
    """JSON of :meth:`Incident.to_properties`."""
    return json.dumps(inc.to_properties(), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | dict) -> Incident:
    """Inverse of :func:`dumps` (:meth:`Incident.from_properties` semantics)."""
    return Incident.from_properties(json.loads(text) if isinstance(text, str) else text)


def check_incident(inc: Incident, article_id: str) -> None:
    """Refuse an incident whose point cannot be stored (raises InputError naming the article)."""
    lat, lon = inc.place.lat, inc.place.lon
    try:
        ok = math.isfinite(float(lat)) and math.isfinite(float(lon))
    except (TypeError, ValueError):
        ok = False
    if not ok or not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180):
        raise InputError(
            f"article {article_id!r}: incident {inc.id!r} has an invalid point lat={lat!r}, lon={lon!r}; "
            "nothing was stored — fix the article or its extraction and ingest again"
        )


# ----- geodesy helpers ------------------------------------------------------------------


from geo.geodesy import distances_km, geod  # noqa: E402,F401  (re-exported for the backends)

_R_MIN_KM = 6335.0  # smallest radius of curvature of WGS84 (meridional, at the equator), rounded down


def circle_bboxes(lat: float, lon: float, radius_km: float) -> list[tuple[float, float, float, float]]:
    """Lon/lat boxes ``(w, s, e, n)`` that together contain the geodesic circle (a prefilter).

    Conservative: the angular radius uses the smallest radius of curvature of
    the ellipsoid plus 1 % margin; boxes are split at the antimeridian and
    widened to all longitudes when the circle reaches a pole.
    """
    ang = min(radius_km / _R_MIN_KM * 1.01, math.pi)
    dlat = math.degrees(ang)
    s, n = lat - dlat, lat + dlat
    if n >= 90 or s <= -90 or ang >= math.pi / 2:
        return [(-180.0, max(s, -90.0), 180.0, min(n, 90.0))]
    coslat = math.cos(math.radians(max(abs(s), abs(n))))
    dlon = math.degrees(math.asin(min(1.0, math.sin(ang) / coslat))) * 1.01 + 1e-9 if coslat > 0 else 180
    if dlon >= 180:
        return [(-180.0, s, 180.0, n)]
    w, e = lon - dlon, lon + dlon
    if w < -180:
        return [(w + 360, s, 180.0, n), (-180.0, s, e, n)]
    if e > 180:
        return [(w, s, 180.0, n), (-180.0, s, e - 360, n)]
    return [(w, s, e, n)]


def bbox_parts(bbox: Sequence[float]) -> list[tuple[float, float, float, float]]:
    """``(w, s, e, n)`` → one box, or two when it crosses the antimeridian (``w > e``)."""
    w, s, e, n = (float(v) for v in bbox)
    if s > n:
        raise InputError(f"bbox: south {s} is greater than north {n}; expected W,S,E,N")
    if w > e:
        return [(w, s, 180.0, n), (-180.0, s, e, n)]
    return [(w, s, e, n)]


# ----- filters ------------------------------------------------------------------------------


@dataclass
class Filters:
    """Query filters with the semantics shared by the stores and :func:`geo.query.filter_incidents`."""

    near: tuple[float, float] | None = None  # (lat, lon)
    radius_km: float | None = None
    bbox: tuple[float, float, float, float] | None = None  # (w, s, e, n) in degrees
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str | None = None
    event_type: str | None = None
    min_fatalities: int | None = None
    limit: int | None = None

    @classmethod
    def make(cls, **kw: Any) -> Filters:
        """Validate and normalise keyword filters (raises InputError)."""
        from geo.validate import check_latlon, parse_date

        unknown = set(kw) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise InputError(f"unknown filter(s) {sorted(unknown)}; known: {[f.name for f in dataclasses.fields(cls)]}")
        f = cls(**kw)
        if f.near is not None:
            lat, lon = f.near
            f.near = check_latlon(lat, lon, what="near")
        if f.radius_km is not None:
            r = float(f.radius_km)
            if not math.isfinite(r) or r <= 0:
                raise InputError(f"radius_km must be a positive number of kilometres; got {f.radius_km!r}")
            if f.near is None:
                raise InputError("radius_km needs a centre: give near=(lat, lon) as well")
            f.radius_km = r
        if f.bbox is not None:
            if len(f.bbox) != 4:
                raise InputError(f"bbox must be (west, south, east, north); got {f.bbox!r}")
            w, s, e, n = (float(v) for v in f.bbox)
            check_latlon(s, w, what="bbox south-west corner")
            check_latlon(n, e, what="bbox north-east corner")
            bbox_parts((w, s, e, n))
            f.bbox = (w, s, e, n)
        for name in ("date_from", "date_to"):
            v = getattr(f, name)
            if isinstance(v, str):
                setattr(f, name, parse_date(v, what=name))
            elif isinstance(v, dt.datetime):
                setattr(f, name, v.date())
        if f.date_from and f.date_to and f.date_from > f.date_to:
            raise InputError(f"date_from {f.date_from} is after date_to {f.date_to}")
        if f.country is not None:
            f.country = str(f.country).strip().upper()
        if f.event_type is not None:
            f.event_type = str(f.event_type).strip()
        if f.min_fatalities is not None:
            f.min_fatalities = int(f.min_fatalities)
        if f.limit is not None:
            f.limit = int(f.limit)
            if f.limit < 0:
                raise InputError(f"limit must be ≥ 0; got {f.limit}")
        return f

    def attribute_sql(self) -> tuple[list[str], list[Any]]:
        """SQL conditions (``?`` placeholders) on the flat columns for everything but geometry."""
        where: list[str] = []
        params: list[Any] = []
        if self.date_from:
            where.append("date_end >= ?")
            params.append(self.date_from.isoformat())
        if self.date_to:
            where.append("date_start <= ?")
            params.append(self.date_to.isoformat())
        if self.country:
            where.append("country_code = ?")
            params.append(self.country)
        if self.event_type:
            where.append("(lower(event_type) = ? OR lower(sub_event_type) = ?)")
            params += [self.event_type.lower()] * 2
        if self.min_fatalities is not None:
            where.append("fatalities >= ?")
            params.append(self.min_fatalities)
        if self.bbox:
            ors = []
            for w, s, e, n in bbox_parts(self.bbox):
                ors.append("(lon >= ? AND lon <= ? AND lat >= ? AND lat <= ?)")
                params += [w, e, s, n]
            where.append("(" + " OR ".join(ors) + ")")
        return where, params

    def matches(self, row: dict[str, Any]) -> bool:
        """The same conditions as :meth:`attribute_sql`, on one :func:`flat_row`."""
        if self.date_from and not (row["date_end"] and row["date_end"] >= self.date_from.isoformat()):
            return False
        if self.date_to and not (row["date_start"] and row["date_start"] <= self.date_to.isoformat()):
            return False
        if self.country and row["country_code"] != self.country:
            return False
        if self.event_type:
            want = self.event_type.lower()
            if want not in ((row["event_type"] or "").lower(), (row["sub_event_type"] or "").lower()):
                return False
        if self.min_fatalities is not None and not (
            row["fatalities"] is not None and row["fatalities"] >= self.min_fatalities
        ):
            return False
        if self.bbox:
            lon, lat = row["lon"], row["lat"]
            if not any(w <= lon <= e and s <= lat <= n for w, s, e, n in bbox_parts(self.bbox)):
                return False
        return True


def _tie_key(item: Any) -> str:
    """Equal distances are ordered by incident id (items are incidents, ids or ``(id, …)`` tuples)."""
    if isinstance(item, tuple):
        return str(item[0])
    return str(getattr(item, "id", item))


def finish_near(
    rows: Iterable[tuple[Any, float, float]], f: Filters
) -> list[tuple[Any, float | None]]:
    """Given ``(item, lat, lon)`` candidates, add geodesic distances, apply radius, sort, limit."""
    rows = list(rows)
    if f.near is None:
        out = [(item, None) for item, _, _ in rows]
        return out[: f.limit] if f.limit is not None else out
    lat0, lon0 = f.near
    dist = distances_km(lat0, lon0, [r[1] for r in rows], [r[2] for r in rows])
    out = [(item, d) for (item, _, _), d in zip(rows, dist) if f.radius_km is None or d <= f.radius_km]
    out.sort(key=lambda t: (t[1], _tie_key(t[0])))
    return out[: f.limit] if f.limit is not None else out


# ----- clustering reports into incidents ----------------------------------------------------------


def _sort_key(rid_inc: tuple[str, Incident]) -> tuple[str, str]:
    rid, inc = rid_inc
    return (incident_dates(inc)[0] or "9999", rid)


def cluster_reports(reports: Iterable[tuple[str, Incident]]) -> list[tuple[Incident, list[str]]]:
    """Group per-article reports of one event with :func:`geo.merge.same_event`/``merge_pair``.

    Deterministic: reports are taken in (date, report id) order; each joins the
    first group that ``same_event`` accepts. The merged incident's id is the
    smallest report id of its group, so it stays stable when sources are added.
    """
    import copy

    from geo.merge import merge_pair, same_event

    groups: list[tuple[Incident, list[str]]] = []
    for rid, inc in sorted(reports, key=_sort_key):
        for i, (merged, ids) in enumerate(groups):
            reason = same_event(merged, inc)
            if reason:
                groups[i] = (merge_pair(merged, inc, reason), ids + [rid])
                break
        else:
            groups.append((copy.deepcopy(inc), [rid]))
    out = []
    for merged, ids in groups:
        merged.id = min(ids)
        out.append((merged, sorted(ids)))
    return out


def report_id(article_id: str, index: int) -> str:
    """Id of the ``index``-th (0-based) incident an article reported."""
    return f"{article_id}#{index + 1}"


# ----- the interface -----------------------------------------------------------------------------


class IncidentStore(abc.ABC):
    """A place that keeps articles, their reports and the merged incidents.

    Use as a context manager: ``with open_store(db) as st: …``.
    """

    #: Human name of the backend and where it lives (for messages and stats).
    backend: str = "?"
    location: str = "?"

    # --- backend primitives (SQL with ``?`` placeholders) ---
    @abc.abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run one statement; return its rows (empty for statements without a result)."""

    @abc.abstractmethod
    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abc.abstractmethod
    def _begin_write(self) -> None:
        """Start the one write transaction of an ingest, waiting for other writers."""

    @abc.abstractmethod
    def _commit(self) -> None: ...

    @abc.abstractmethod
    def _rollback(self) -> None: ...

    @abc.abstractmethod
    def _insert_incidents(self, rows: list[tuple[Incident, str]]) -> None:
        """Insert merged incidents (with their JSON) and their geometry/index entries."""

    @abc.abstractmethod
    def _delete_incidents(self, ids: Sequence[str]) -> None: ...

    @abc.abstractmethod
    def _spatial_sql(self, f: Filters) -> tuple[str, list[Any]] | None:
        """The backend's spatial prefilter for ``f`` (R-tree boxes, ST_DWithin…), or None."""
        raise NotImplementedError

    def _query_rows(self, f: Filters, flat: bool = False) -> list[tuple[Any, float | None]]:
        """Rows matching ``f`` as (properties JSON | flat dict, distance km | None); nearest first with near."""
        where, params = f.attribute_sql()
        spatial = self._spatial_sql(f)
        if spatial:
            where.insert(0, spatial[0])
            params = spatial[1] + params
        cond = f"WHERE {' AND '.join(where)}" if where else ""
        cols = ", ".join(FLAT_NAMES) if flat else "properties"
        if f.near is None:
            lim = f" LIMIT {int(f.limit)}" if f.limit is not None else ""
            rows = self._execute(
                f"SELECT {cols} FROM incidents {cond} ORDER BY (date_start IS NULL), date_start DESC, id{lim}",
                params,
            )
            if flat:
                return [(dict(zip(FLAT_NAMES, r)), None) for r in rows]
            return [(r[0], None) for r in rows]
        rows = self._execute(f"SELECT id, lat, lon, {cols} FROM incidents {cond}", params)
        if flat:
            got = finish_near((((r[0], dict(zip(FLAT_NAMES, r[3:]))), r[1], r[2]) for r in rows), f)
        else:
            got = finish_near((((r[0], r[3]), r[1], r[2]) for r in rows), f)
        return [(item[1], d) for item, d in got]

    def close(self) -> None: ...

    def __enter__(self) -> IncidentStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ---
    def query(
        self,
        *,
        near: tuple[float, float] | None = None,
        radius_km: float | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        date_from: dt.date | str | None = None,
        date_to: dt.date | str | None = None,
        country: str | None = None,
        event_type: str | None = None,
        min_fatalities: int | None = None,
        limit: int | None = None,
    ) -> list[tuple[Incident, float | None]]:
        """Merged incidents matching every filter; nearest first (geodesic km) when ``near=(lat, lon)``."""
        f = Filters.make(
            near=near, radius_km=radius_km, bbox=bbox, date_from=date_from, date_to=date_to,
            country=country, event_type=event_type, min_fatalities=min_fatalities, limit=limit,
        )
        rows = self._query_rows(f)
        return [(loads(props), dist) for props, dist in rows]

    def query_flat(self, **filters: Any) -> list[dict[str, Any]]:
        """Like :meth:`query` but rows of the flat columns (+ ``distance_km`` with ``near``):
        no JSON decoding, for tables, GeoDataFrames and large results."""
        f = Filters.make(**filters)
        out = []
        for row, dist in self._query_rows(f, flat=True):
            if f.near is not None:
                row["distance_km"] = dist
            out.append(row)
        return out

    def articles(self, ids: Iterable[str] | None = None) -> dict[str, Article]:
        """Stored articles by id (all of them when ``ids`` is None)."""
        cols = "id, text, title, publisher, url, published, path"
        if ids is None:
            rows = self._execute(f"SELECT {cols} FROM articles ORDER BY id")
        else:
            wanted = sorted(set(ids))
            rows = []
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                rows += self._execute(
                    f"SELECT {cols} FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )
        out = {}
        for aid, text, title, publisher, url, published, path in rows:
            pub = dt.date.fromisoformat(str(published)[:10]) if published else None
            out[aid] = Article(id=aid, text=text, title=title, publisher=publisher, url=url, published=pub, path=path)
        return out

    def known_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        """``{article id: content hash}`` for the given ids already stored (lets callers skip extraction)."""
        wanted = sorted(set(ids))
        out: dict[str, str] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            for aid, h in self._execute(
                f"SELECT id, content_hash FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                out[aid] = h
        return out

    def stats(self) -> dict[str, Any]:
        """A summary: counts, date range, extent, fatalities, breakdowns, last ingest."""
        one = lambda sql: self._execute(sql)[0]
        n_inc, fat, d0, d1, w, s, e, n = one(
            "SELECT count(*), sum(fatalities), min(date_start), max(date_end), min(lon), min(lat), max(lon), max(lat) "
            "FROM incidents"
        )
        multi = one("SELECT count(*) FROM incidents WHERE n_sources > 1")[0]
        undated = one("SELECT count(*) FROM incidents WHERE date IS NULL")[0]
        by_country = self._execute(
            "SELECT country_code, count(*), coalesce(sum(fatalities), 0) FROM incidents "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 25"
        )
        by_type = self._execute(
            "SELECT event_type, count(*), coalesce(sum(fatalities), 0) FROM incidents "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 25"
        )
        runs = self._execute(
            "SELECT started, finished, report FROM ingest_runs ORDER BY run DESC LIMIT 1"
        )
        last = None
        if runs:
            last = {"started": str(runs[0][0]), "finished": str(runs[0][1]), **json.loads(runs[0][2])}
        return {
            "backend": self.backend,
            "location": self.location,
            "articles": one("SELECT count(*) FROM articles")[0],
            "reports": one("SELECT count(*) FROM reports")[0],
            "incidents": n_inc,
            "incidents_multi_source": multi,
            "incidents_undated": undated,
            "fatalities_total": int(fat or 0),
            "date_min": d0,
            "date_max": d1,
            "bbox": [w, s, e, n] if n_inc else None,
            "by_country": [{"country_code": c, "incidents": k, "fatalities": int(x)} for c, k, x in by_country],
            "by_event_type": [{"event_type": t, "incidents": k, "fatalities": int(x)} for t, k, x in by_type],
            "ingest_runs": one("SELECT count(*) FROM ingest_runs")[0],
            "last_ingest": last,
        }

    # --- writing ---
    def ingest(
        self, articles: Sequence[Article], incidents_by_article: dict[str, list[Incident]]
    ) -> IngestReport:
        """Store articles and their incidents in ONE transaction (see the module docstring).

        ``incidents_by_article[article.id]`` are the article's own (unmerged)
        incidents; an article missing from the dict is stored with none.
        Any failure rolls back everything and raises (nothing stored changes).
        """
        t0 = time.perf_counter()
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        report = IngestReport()
        seen: set[str] = set()
        for a in articles:
            if a.id in seen:
                raise InputError(f"article id {a.id!r} appears twice in one ingest; article ids must be unique")
            seen.add(a.id)
        self._begin_write()
        try:
            self._ingest_locked(sorted(articles, key=lambda a: a.id), incidents_by_article, report)
            report.incidents_total = self._execute("SELECT count(*) FROM incidents")[0][0]
            report.seconds = round(time.perf_counter() - t0, 3)
            finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            self._execute(
                "INSERT INTO ingest_runs (started, finished, report) VALUES (?, ?, ?)",
                (started, finished, json.dumps(report.to_dict())),
            )
            self._commit()
        except BaseException as exc:
            self._rollback()
            if isinstance(exc, ConflictmapError) or not isinstance(exc, Exception):
                raise
            raise StoreError(
                f"ingest into {self.location} failed and was rolled back, nothing was changed: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        return report

    def _ingest_locked(
        self, articles: list[Article], by_article: dict[str, list[Incident]], report: IngestReport
    ) -> None:
        known = self.known_hashes(a.id for a in articles)
        affected: set[str] = set()  # merged incident ids to recompute
        new_reports: list[tuple[str, Incident]] = []
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        article_rows = []
        for a in articles:
            h = a.content_hash
            if known.get(a.id) == h:
                report.articles_unchanged += 1
                continue
            if a.id in known:
                report.articles_replaced += 1
                old = self._execute("SELECT id, incident_id FROM reports WHERE article_id = ?", (a.id,))
                affected.update(iid for _, iid in old if iid)
                report.reports_removed += len(old)
                self._execute("DELETE FROM reports WHERE article_id = ?", (a.id,))
                self._execute("DELETE FROM articles WHERE id = ?", (a.id,))
            else:
                report.articles_new += 1
            incs = by_article.get(a.id, [])
            for inc in incs:
                check_incident(inc, a.id)  # raises → the whole ingest rolls back
            article_rows.append(
                (a.id, h, a.title, a.publisher, a.url, _iso(a.published), a.path, a.text, len(incs), now)
            )
            for i, inc in enumerate(incs):
                new_reports.append((report_id(a.id, i), inc))
        if article_rows:
            self._executemany(
                "INSERT INTO articles (id, content_hash, title, publisher, url, published, path, text, "
                "n_incidents, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                article_rows,
            )
        if new_reports:
            self._executemany(
                "INSERT INTO reports (id, article_id, incident_id, lon, lat, date, properties) "
                "VALUES (?, ?, NULL, ?, ?, ?, ?)",
                [
                    (rid, rid.rsplit("#", 1)[0], float(inc.place.lon), float(inc.place.lat),
                     incident_dates(inc)[0], dumps(inc))
                    for rid, inc in new_reports
                ],
            )
        report.reports_added = len(new_reports)
        if not new_reports and not affected:
            return
        for _, inc in new_reports:
            affected.update(self._neighbours(inc))
        # every report of the affected incidents, plus the new ones, is clustered again; when a
        # re-merged incident moved within reach of further stored incidents, those join too
        pool: dict[str, Incident] = dict(new_reports)
        loaded: set[str] = set()
        for _round in range(5):
            ids = sorted(affected - loaded)
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                for rid, props in self._execute(
                    f"SELECT id, properties FROM reports WHERE incident_id IN ({','.join('?' * len(chunk))})", chunk
                ):
                    pool[rid] = loads(props)
            loaded.update(ids)
            groups = cluster_reports(pool.items())
            more = {n for merged, rids in groups if len(rids) > 1 for n in self._neighbours(merged)} - affected
            if not more:
                break
            affected |= more
        ids = sorted(affected)
        self._delete_incidents(ids)
        self._insert_incidents([(merged, dumps(merged)) for merged, _ in groups])
        self._executemany(
            "UPDATE reports SET incident_id = ? WHERE id = ?",
            [(merged.id, rid) for merged, rids in groups for rid in rids],
        )
        new_ids = {merged.id for merged, _ in groups}
        report.incidents_created = len(new_ids - affected)
        report.incidents_updated = len(new_ids & affected)
        report.incidents_removed = len(affected - new_ids)
        added = {rid for rid, _ in new_reports}
        report.incidents_merged = sum(
            1 for _, rids in groups if len(rids) > 1 for rid in rids if rid in added
        )

    def _neighbours(self, inc: Incident) -> list[str]:
        """Ids of stored merged incidents that :func:`geo.merge.same_event` could join with ``inc``."""
        from geo import merge

        day = incident_dates(inc)
        if day[0] is None:
            return []  # same_event never merges an undated report
        slack = merge.SLACK_KM
        max_days = max(merge.DAY_SLACK.values())
        own_days = merge.DAY_SLACK.get((inc.date.precision if inc.date else None) or 1, 1)
        lo = (dt.date.fromisoformat(day[1]) - dt.timedelta(days=own_days + max_days)).isoformat()
        hi = (dt.date.fromisoformat(day[2]) + dt.timedelta(days=own_days + max_days)).isoformat()
        when = ["date IS NOT NULL", "date_end >= ?", "date_start <= ?"]
        own_km = merge.BASE_KM + slack.get(inc.where_prec or 1, 0.0)
        lat, lon = float(inc.place.lat), float(inc.place.lon)
        ids = set(self._neighbour_ids(lat, lon, own_km * 1.001, when, [lo, hi]))
        # stored incidents with coarse locations reach further
        far_km = merge.BASE_KM + max(slack.values())
        if far_km > own_km:
            coarse = self._neighbour_ids(lat, lon, far_km * 1.001, [*when, "where_prec >= 2"], [lo, hi], with_prec=True)
            for rid, dist, prec in coarse:
                if dist <= (merge.BASE_KM + max(slack.get(prec or 1, 0.0), slack.get(inc.where_prec or 1, 0.0))) * 1.001:
                    ids.add(rid)
        return sorted(ids)

    @abc.abstractmethod
    def _neighbour_ids(
        self, lat: float, lon: float, radius_km: float, where: list[str], params: list[Any], with_prec: bool = False
    ) -> list[Any]:
        """Ids of merged incidents within ``radius_km`` of the point that satisfy ``where``
        (``(id, distance km, where_prec)`` tuples when ``with_prec``)."""

    def bulk_load(self, incidents: Iterable[Incident], batch: int = 50_000) -> int:
        """Load already-merged incidents directly (benchmarks, imports): no articles, no clustering."""
        n = 0
        self._begin_write()
        try:
            buf: list[tuple[Incident, str]] = []
            for inc in incidents:
                buf.append((inc, dumps(inc)))
                if len(buf) >= batch:
                    self._insert_incidents(buf)
                    n += len(buf)
                    buf = []
            if buf:
                self._insert_incidents(buf)
                n += len(buf)
            self._commit()
        except BaseException:
            self._rollback()
            raise
        return n

    def iter_incidents(self) -> Iterator[Incident]:
        """Every merged incident (id order)."""
        for (props,) in self._execute("SELECT properties FROM incidents ORDER BY id"):
            yield loads(props)
