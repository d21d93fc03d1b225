"""map.html and source pages without a browser: no external references, escaping, span markup."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

from conftest import TinyBorders
from render_fixtures import hostile_incident

from geo.model import Article, Evidence
from geo.render.basemap import Basemap, border_layer, build_basemap
from geo.render.map import map_data, render_map_html
from geo.render.safe import json_for_script, safe_url, source_filename
from geo.render.sources import _Span, highlight, render_source_page

VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "area", "base", "col", "embed", "source", "track"}


class Refs(HTMLParser):
    """Collects resource references, ids, element nesting problems and script contents."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs, self.ids, self.stack, self.errors = [], {}, [], []
        self.scripts, self.in_script, self.text = [], None, []
        self.links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for attr in ("src", "srcset", "poster", "data"):
            if a.get(attr):
                self.refs.append((tag, attr, a[attr]))
        if tag == "link" and a.get("href"):
            self.refs.append((tag, "href", a["href"]))
        if tag == "a":
            self.links.append(a)
        if a.get("style") and "url(" in a["style"]:
            self.refs.append((tag, "style", a["style"]))
        if "id" in a:
            self.ids[a["id"]] = (tag, a)
        if tag == "script":
            self.in_script = a
            self.scripts.append([a, ""])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = None
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.in_script is not None:
            self.scripts[-1][1] += data
        elif "body" in self.stack and "style" not in self.stack and "title" not in self.stack:
            self.text.append(data)


def parse(text: str) -> Refs:
    p = Refs()
    p.feed(text)
    p.close()
    return p


def test_source_filename_is_safe_and_unique():
    assert source_filename("000_f18772d31dee92f8") == "000_f18772d31dee92f8.html"
    names = {source_filename(x) for x in ("../etc/passwd x", "..-etc-passwd_x", "a/b", "a_b", "", "<script>")}
    assert len(names) == 6
    for n in names:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.html", n), n


def test_safe_url_allows_only_http():
    assert safe_url("https://example.org/x?y=1") == "https://example.org/x?y=1"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.org", "file:///etc/passwd",
                "http://", " java\tscript:alert(1)", None, ""):
        assert safe_url(bad) is None, bad


def test_json_for_script_cannot_break_out():
    data = {"t": "</script><script>alert(1)</script><!-- & \u2028 ${x} `y` {{7*7}}"}
    out = json_for_script(data)
    assert "<" not in out and ">" not in out and "&" not in out and "\u2028" not in out
    assert json.loads(out) == data


def test_map_data_is_one_compact_blob(fixtures):
    incs, arts = fixtures
    data = map_data(incs, arts)
    F = data["f"]
    assert len(data["i"]) == 3
    rec = next(r for r in data["i"] if r[F["id"]] == "inc-atmeh-2022-02-03")
    assert (rec[F["lon"]], rec[F["lat"]]) == (36.68639, 36.31111)
    assert data["s"][rec[F["place"]]] == "Atmeh"
    assert rec[F["killed"]] == [12, 13, 13]
    def page(a):  # file name, stored only when it differs from "<id>.html"
        row = data["a"][a]
        return data["s"][row[0]] if row[0] is not None else data["s"][row[5]] + ".html"

    links = [(page(a), data["s"][anchor]) for a, anchor in rec[F["sources"]]]
    hostile = next(r for r in data["i"] if r[F["id"]] == "inc-<hostile>")
    assert page(hostile[F["sources"]][0][0]) == source_filename("hostile<script>")
    assert links == [("000_f18772d31dee92f8.html", incs[0].first_evidence("000_f18772d31dee92f8").anchor),
                     ("004_23a385800a3f30d7.html", incs[0].first_evidence("004_23a385800a3f30d7").anchor)]
    hostile_art = data["a"][next(r for r in data["i"] if r[F["id"]] == "inc-<hostile>")[F["sources"]][0][0]]
    assert hostile_art[4] == "https://example.org/a?b=<x>&c=\"d\""
    asym_art = data["a"][next(r for r in data["i"] if r[F["id"]] == "inc-asym")[F["sources"]][0][0]]
    assert asym_art[4] is None  # javascript: URL dropped
    assert data["bbox"] == [10.0, 33.5, 44.4, 50.0] and data["dates"] == ["2022-02-03", "2023-05-01"]


def test_map_html_has_no_external_references_and_escapes_the_blob(fixtures):
    incs, arts = fixtures
    text = render_map_html(incs, arts, title="T <b>x</b>", basemap=Basemap())
    p = parse(text)
    assert p.refs == []  # no src/href to anything: Leaflet and CSS are inline
    css = "\n".join(re.findall(r"<style>(.*?)</style>", text, flags=re.DOTALL))
    for url in re.findall(r"url\(\s*['\"]?([^)'\"]*)", css):
        assert url.startswith(("data:", "#")), url
    assert "sourceMappingURL" not in text
    assert "<b>x</b>" not in text and "T &lt;b&gt;x&lt;/b&gt;" in text
    kinds = [(a.get("type"), a.get("id")) for a, _ in p.scripts]
    assert kinds == [("application/json", "cm-data"), ("application/json", "cm-basemap"), (None, None), (None, None)]
    data = json.loads(p.scripts[0][1])
    assert "<img src=x onerror=alert(2)>" in data["s"]  # kept as data, literally …
    assert "<img src=x" not in p.scripts[0][1]  # … but never as markup in the page
    assert text.count("</script>") == 4
    nonce = re.search(r"'nonce-([^']+)'", text).group(1)
    assert all(a.get("nonce") == nonce for a, _ in p.scripts[2:])


def test_article_text_with_template_tokens_is_not_substituted():
    inc, art = hostile_incident()
    art.title = "__CM_MAP_JS__ __CM_NONCE__"
    text = render_map_html([inc], {art.id: art}, basemap=Basemap())
    assert text.count("'use strict'") == 1  # the map script appears once, not inside the data
    assert "__CM_MAP_JS__ __CM_NONCE__" in text


def test_highlight_overlapping_and_nested_spans_stay_well_formed():
    text = "abcdefghijklmnopqrstuvwxyz <&>"
    spans = [_Span(0, 26, "sentence", "sent-0-26", "sentence"), _Span(2, 10, "place", "a1", "place"),
             _Span(5, 15, "killed", "a2", "killed"), _Span(5, 8, "date", "a3", "date"),
             _Span(2, 10, "actor", "a4", "actor"), _Span(27, 30, "claim", "a5", "claim")]
    out = highlight(text, spans)
    p = parse(f"<body>{out}</body>")
    assert p.errors == [] and p.stack == []
    assert {k for k, (tag, _) in p.ids.items() if tag == "mark"} == {"a1", "a2", "a3", "a4", "a5"}
    assert p.ids["sent-0-26"][0] == "span"
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text  # the text is intact, in order
    assert "&lt;&amp;&gt;" in out


def test_source_page_marks_every_span_and_lists_incidents(fixtures):
    incs, arts = fixtures
    atmeh = incs[0]
    art = arts["004_23a385800a3f30d7"]
    page = render_source_page(art, [atmeh])
    p = parse(page)
    assert p.errors == []
    spans = [e for e in atmeh.evidence if e.article_id == art.id]
    assert len(spans) >= 5
    for e in spans:
        tag, attrs = p.ids[e.anchor]
        assert tag == "mark" and f"ev-{e.kind}" in attrs["class"]
        assert p.ids[f"sent-{e.sentence_start}-{e.sentence_end}"][0] == "span"
    body_text = html.unescape(re.search(r'<div class="text">(.*)</div>', page, re.DOTALL).group(1))
    assert re.sub(r"<[^>]+>", "", body_text) == art.text
    assert "less than a kilometer away from Turkey" in page and "inc-atmeh-2022-02-03" in page
    hrefs = [a.get("href") for a in p.links]
    assert "../map.html" in hrefs and f"#{atmeh.first_evidence(art.id).anchor}" in hrefs
    assert "<script" not in page and "script-src" not in page


def test_hostile_source_page_is_plain_text(fixtures):
    inc, art = hostile_incident()
    page = render_source_page(art, [inc])
    p = parse(page)
    assert [s for s in p.scripts] == [] and p.refs == []
    assert "<script>alert" not in page and "<img" not in page
    text = html.unescape("".join(p.text))
    for needle in ("<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>", "${alert(1)}", "{{7*7}}", "`rm -rf`"):
        assert needle in text
    assert "javascript:" not in page
    assert 'href="https://example.org/a?b=&lt;x&gt;&amp;c=&quot;d&quot;"' in page


def test_out_of_range_spans_are_reported_not_fatal():
    art = Article(id="a", text="short text")
    from geo.model import Incident, Place

    bad = Evidence("a", "place", 5, 500, "xx", 0, 10)
    inc = Incident(id="i", place=Place("X", lat=1.0, lon=2.0), evidence=[bad])
    page = render_source_page(art, [inc])
    assert "lies outside the text" in page and "short text" in page


def test_border_layer_keeps_detail_near_incidents(fixtures):
    incs, _ = fixtures
    fc = border_layer(TinyBorders(), incs)
    near = [f for f in fc["features"] if f["properties"]["a"] == "SY"]
    coords = [c for f in near for line in f["geometry"]["coordinates"] for c in line]
    assert len(coords) >= 55  # the 100 m zig-zag survives within ~1° of Atmeh
    far = [f for f in fc["features"] if f["properties"]["d"]]
    assert far and all(len(line) <= 4 for f in far for line in f["geometry"]["coordinates"])


def test_basemap_without_borders_says_so(fixtures, real_basemap):
    class Broken:
        def lines(self):
            raise OSError("border file corrupt")

    incs, _ = fixtures
    bm = build_basemap(incs, Broken())
    assert any("border lines unavailable" in n and "border file corrupt" in n for n in bm.notes)
    assert bm.countries["features"]  # the rest still renders


def test_real_basemap_layers(real_basemap):
    bm = real_basemap
    codes = {f["properties"]["c"] for f in bm.countries["features"]}
    assert {"SY", "TR", "DE", "IQ", "FR"} <= codes and len(codes) > 180
    assert {f["properties"]["c"] for f in bm.regions["features"]} <= {"SY", "DE", "IQ"}
    # MAPS.ME regions: Syria is one region (no admin-1 split); Iraq and Germany are split
    assert {"Syria", "Iraq – North", "Iraq – South"} <= {f["properties"]["n"] for f in bm.regions["features"]}
    names = {(lbl[2], lbl[3]) for lbl in bm.labels}
    assert ("Damascus", 0) in names and ("Berlin", 0) in names and ("Aleppo", 1) in names
    assert any("OpenStreetMap" in s for s in bm.sources) and any("GeoNames" in s for s in bm.sources)
    assert any("test-borders" in s and "±0.5 km" in s for s in bm.sources)


def test_write_map_writes_map_and_source_pages(written_map):
    out = written_map.parent
    pages = sorted(x.name for x in (out / "sources").iterdir())
    assert pages == sorted([source_filename(i) for i in ("000_f18772d31dee92f8", "004_23a385800a3f30d7",
                                                          "../etc/passwd x", "hostile<script>")])
    assert not list(out.rglob("*.tmp"))
    text = written_map.read_text(encoding="utf-8")
    assert parse(text).refs == [] and "Test &lt;map&gt; &amp; ${x}" in text


def test_large_blobs_are_gzip_base64_and_round_trip(fixtures):
    import base64
    import gzip

    from geo.render.map import encode_blob

    data = {"t": "</script>" * 10, "n": list(range(1000))}
    enc, text = encode_blob(data, compress_over=100)
    assert enc == "gzip+base64" and re.fullmatch(r"[A-Za-z0-9+/=]+", text)
    assert json.loads(gzip.decompress(base64.b64decode(text))) == data
    enc, text = encode_blob({"a": 1}, compress_over=100)
    assert (enc, text) == ("json", '{"a":1}')


def test_source_pages_replace_the_folder_as_a_whole(fixtures, tmp_path):
    from geo.render.sources import write_source_pages

    incs, arts = fixtures
    out = tmp_path / "sources"
    out.mkdir()
    (out / "stale.html").write_text("old run")
    paths = write_source_pages(incs, arts, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert [p.name for p in tmp_path.iterdir()] == ["sources"]  # no temporary folders left
