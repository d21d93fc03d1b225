"""Property-based HTML-safety tests of the source pages and render helpers (geo.render): hostile text stays text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

sources = pytest.importorskip("geo.render.sources")
safe = pytest.importorskip("geo.render.safe")

from geo.articles import normalize_text
from geo.model import Article, Evidence, Incident, Place
from geo.validate import sanitize_id

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "${alert(1)}", "`", "{{7*7}}", "</div>",
           "<!--", "-->", "]]>", "&lt;", "&amp;", "\"'><svg/onload=alert(1)>", "javascript:alert(1)", "أطمة",
           "\u200f", "Atmeh", " ", "\n", "\u2028"]
TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=10)), max_size=20).map("".join)
URLS = st.one_of(st.none(), st.sampled_from(["javascript:alert(1)", "https://example.org/a?b=<x>&c=\"", "data:text/html,x",
                                            "//evil.org", " https://ok.org ", "http://x.org/\u2028"]), st.text(max_size=20))
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "p", "a", "header", "h1", "h2", "code", "table",
                "thead", "tbody", "tr", "th", "td", "br", "span", "mark", "div", "main", "nav", "section", "footer"}


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text_parts: list[str] = []
        self._depth = 0  # inside <div class="text">

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if self._depth:
            self._depth += tag not in ("br",)
        elif tag == "div" and a.get("class") == "text":
            self._depth = 1

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.text_parts.append(data)


@st.composite
def article_and_incident(draw):
    text = normalize_text(draw(TEXT)) or "Atmeh"
    art = Article(id=sanitize_id(draw(TEXT)), text=text, title=draw(st.one_of(st.none(), TEXT)),
                  publisher=draw(st.one_of(st.none(), TEXT)), url=draw(URLS))
    evs = []
    for _ in range(draw(st.integers(0, 3))):
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, len(text)))
        ss = draw(st.integers(0, a))
        se = draw(st.integers(b, len(text)))
        evs.append(Evidence(article_id=art.id, kind=draw(st.sampled_from(["place", "killed", "date", "<x>"])),
                            start=a, end=b, text=text[a:b], sentence_start=ss, sentence_end=se, sentence=text[ss:se]))
    inc = Incident(id=draw(TEXT) or "i", place=Place(name=draw(TEXT) or "p", lat=36.3, lon=36.7, admin1=draw(TEXT)),
                   event_type=draw(st.one_of(st.none(), TEXT)), evidence=evs)
    return art, inc


@SETTINGS
@given(data=article_and_incident())
@example(data=(Article(id="a", text="<script>alert(1)</script>", title="</title><script>x</script>",
                       url="javascript:alert(1)"), Incident(id="\"><script>", place=Place(name="<b>", lat=0, lon=0))))
def test_source_page_keeps_hostile_text_as_text(data):
    article, incident = data
    page = sources.render_source_page(article, [incident])
    parser = _Collect()
    parser.feed(page)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        assert not any(k.startswith("on") for k in attrs), attrs
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("#", "../", "http://", "https://")) and "javascript:" not in href.lower(), href
            if href.startswith("http"):
                assert attrs.get("rel") == "noopener noreferrer"
    assert "".join(parser.text_parts) == article.text  # the page shows exactly Article.text


@SETTINGS
@given(data=st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
                         lambda c: st.one_of(st.lists(c, max_size=4), st.dictionaries(st.text(max_size=5), c, max_size=4)),
                         max_leaves=20))
@example(data={"x": "</script><script>alert(1)</script><!--\u2028\u2029"})
def test_json_for_script_cannot_close_the_script_element(data):
    out = safe.json_for_script(data)
    assert not re.search(r"[<>&\u2028\u2029]", out)
    assert json.loads(out) == data


@SETTINGS
@given(ident=st.text(max_size=120))
@example(ident="../../etc/passwd")
@example(ident="..")
def test_source_filename_is_a_plain_file_name(ident):
    name = safe.source_filename(ident)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.html", name), name
    assert "/" not in name and not name.startswith(".")


@SETTINGS
@given(url=st.one_of(st.text(max_size=40), st.sampled_from(["javascript:alert(1)", "JAVASCRIPT:x", "https://", "http://x.org"])))
def test_render_safe_url_only_links_http(url):
    got = safe.safe_url(url)
    assert got is None or re.match(r"(?i)https?://", got)
