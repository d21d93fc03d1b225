"""Fuzz targets and input strategies shared by ``bench/fuzz_pipeline.py`` and the crasher regression tests.

A *target* takes one JSON-able input (a dict) and raises on a bug: an unexpected exception or a
broken invariant. Expected refusals (``ReadProblem``s, :class:`geo.errors.ConflictmapError`) are
not bugs. Inputs are plain JSON so that a crasher can be saved in ``tests/robustness/crashers/``
and replayed exactly.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

CRASHERS = Path(__file__).resolve().parent / "crashers"

# ----- input strategies ----------------------------------------------------------------------------------

NEWS_WORDS = [
    "killed", "were", "was", "at", "least", "13", "people", "civilians", "children", "women", "injured",
    "wounded", "dead", "died", "dozens", "of", "thirteen", "four", "three", "among", "them", "including", "and",
    "the", "Syrian", "Observatory", "for", "Human", "Rights", "said", "a", "resident", "told", "AFP", ",", ".",
    ";", "\n", "\n\n", "1,500", "2022", "-", "–", "between", "to", "more", "than", "up", "no", "casualties",
    "US", "forces", "special", "helicopter", "raid", "strike", "airstrike", "on", "Thursday", "in", "near",
    "Atmeh", "Atme", "Idlib", "province", "Syria", "Turkey", "Turkish", "border", "less", "than", "a",
    "kilometre", "km", "kilometers", "north", "of", "Aleppo", "Damascus", "Baghdad", "Iraq", "Washington",
    "Persian", "Gulf", "Kabul", "Mosul", "Gaza", "Kyiv", "Paris", "Springfield", "Georgia", "Jordan",
    "أطمة", "اطمه", "إدلب", "قتل", "حلب", "(", ")", "“", "”", '"', "'", "HTS", "Huras", "al-Din", "al-Qaida",
    "suicide", "bomber", "blew", "himself", "up", "hundred", "thousand", "twenty-five", "1e9", "99999999999",
    "0", "-5", "½", "١٣", "\u200f", "<script>alert(1)</script>", "${alert(1)}", "`", "{{7*7}}", "&amp;",
    "January", "February", "3", "2019", "last", "week", "yesterday", "Monday", "2022-02-03", "36.31,36.69",
]

NEWS_TEXT = st.lists(st.sampled_from(NEWS_WORDS), min_size=1, max_size=80).map(" ".join)
ANY_TEXT = st.text(max_size=400)

# Casualty sentences built from parts, so that most inputs reach deep into the extractor.
_QUALS = ["", "at least", "more than", "up to", "about", "nearly", "some", "no fewer than", "as many as", "over"]
_NUM_WORDS = ["one", "two", "three", "four", "thirteen", "twenty-five", "a dozen", "dozens of", "several", "scores of",
              "hundreds of", "one hundred and three", "two thousand", "1,500", "13-15", "12 to 15", "between 12 and 15",
              "a", "no", "zero", "0", "½", "١٣", "13.5", "-4", "1e3", "99999999999999999999"]
_WHO = ["people", "civilians", "children", "women", "soldiers", "militants", "fighters", "members of one family",
        "US troops", "", "of them", "others", "residents"]
_VERB = ["were killed", "died", "were wounded", "were injured", "killed", "dead", "have been killed", "lost their lives",
         "were hurt", "injured", "were reported dead", "were executed", "wounded"]
_TAIL = ["in Atmeh", "in a US raid near the Turkish border", "on Thursday", "in 2019", "last year", "",
         ", among them four children and three women", ", the Syrian Observatory for Human Rights said",
         ", a resident told AFP", "according to the health ministry", "and dozens were injured", ", no US casualties"]
NUMBER = st.one_of(st.sampled_from(_NUM_WORDS), st.integers(0, 10**7).map(str), st.integers(0, 10**7).map("{:,}".format))
SENTENCE = st.one_of(
    st.builds("{} {} {} {} {}.".format, st.sampled_from(_QUALS), NUMBER, st.sampled_from(_WHO), st.sampled_from(_VERB),
              st.sampled_from(_TAIL)),
    st.builds("The death toll rose to {} {}.".format, NUMBER, st.sampled_from(_TAIL)),
    st.builds("{} killed, {} injured {}.".format, NUMBER, NUMBER, st.sampled_from(_TAIL)),
    st.builds("A suicide bomber blew himself up {}, killing {} {}.".format, st.sampled_from(_TAIL), NUMBER,
              st.sampled_from(_WHO)),
)
CASUALTY_TEXT = st.lists(st.one_of(SENTENCE, SENTENCE, NEWS_TEXT, st.text(max_size=30)), min_size=1, max_size=6).map(
    lambda parts: " ".join(parts))
TEXT = st.one_of(CASUALTY_TEXT, NEWS_TEXT, ANY_TEXT, st.tuples(CASUALTY_TEXT, ANY_TEXT).map("".join))
SUFFIXES = [".txt", ".html", ".htm", ".json", ".jsonl"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "cp1256", "latin-1"]


@st.composite
def reader_inputs(draw) -> dict[str, Any]:
    """A file: suffix + bytes (raw junk, or text/JSON/JSONL/HTML in some encoding)."""
    kind = draw(st.sampled_from(["raw", "text", "json", "jsonl", "html"]))
    if kind == "raw":
        data = draw(st.binary(max_size=600))
    else:
        text = draw(TEXT)
        if kind == "json":
            text = json.dumps(draw(st.one_of(
                st.fixed_dictionaries({"text": st.just(text)}, optional={
                    "id": st.one_of(st.text(max_size=20), st.integers(), st.none()),
                    "title": st.one_of(st.text(max_size=30), st.none()),
                    "url": st.one_of(st.text(max_size=30), st.just("javascript:alert(1)")),
                    "published": st.one_of(st.text(max_size=25), st.dates().map(str)),
                    "html": st.text(max_size=50),
                }),
                st.lists(st.fixed_dictionaries({"text": st.just(text)}), max_size=3),
                st.just(text),
            )), ensure_ascii=draw(st.booleans()))
        elif kind == "jsonl":
            lines = draw(st.lists(st.one_of(st.just(json.dumps({"text": text})), st.text(max_size=40)), max_size=5))
            text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
        elif kind == "html":
            text = f"<html><head><title>{text[:30]}</title></head><body><p>{text}</p>" + draw(
                st.sampled_from(["", "</body></html>", "<!--", "<script>", "<p", "&#x110000;", "&#0;", "<![CDATA["]))
        data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return {"suffix": draw(st.sampled_from(SUFFIXES)), "b64": base64.b64encode(data).decode("ascii")}


text_inputs = st.builds(lambda t: {"text": t}, TEXT)
article_inputs = st.builds(
    lambda t, title, pub: {"text": t, "title": title, "published": pub},
    TEXT, st.one_of(st.none(), NEWS_TEXT), st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)).map(str)),
)

# ----- targets ------------------------------------------------------------------------------------------------


def target_readers(inp: dict[str, Any]) -> int:
    """Any file → Articles or ReadProblems; articles are normalised, ids safe and unique."""
    import re

    from geo.articles import normalize_text, read_articles

    folder = Path(tempfile.mkdtemp(prefix="cm-fuzz-"))
    try:
        path = folder / f"in{inp['suffix']}"
        path.write_bytes(base64.b64decode(inp["b64"]))
        problems: list = []
        articles = list(read_articles([path], problems=problems))
        ids = [a.id for a in articles]
        assert len(set(ids)) == len(ids), f"duplicate ids {ids}"
        for a in articles:
            assert re.fullmatch(r"[A-Za-z0-9._-]+", a.id) and not a.id.startswith((".", "-")), a.id
            assert a.text and normalize_text(a.text) == a.text, "text not normalised"
            a.text.encode("utf-8")
            assert a.url is None or a.url.startswith(("http://", "https://")), a.url
        assert articles or problems, "nothing read and no problem reported"
        return len(articles)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def target_normalize(inp: dict[str, Any]) -> int:
    from geo.articles import normalize_text

    once = normalize_text(inp["text"])
    assert normalize_text(once) == once, "normalize_text is not idempotent"
    return len(once)


def _check_evidence(text: str, ev) -> None:
    assert 0 <= ev.start <= ev.end <= len(text), (ev.start, ev.end, len(text))
    assert text[ev.start:ev.end] == ev.text, (ev.text, text[ev.start:ev.end])
    assert 0 <= ev.sentence_start <= ev.start and ev.end <= ev.sentence_end <= len(text), ev


def _check_range(r) -> None:
    values = [v for v in (r.low, r.best, r.high) if v is not None]
    assert all(isinstance(v, int) and v >= 0 for v in values), r
    assert values == sorted(values), r


def target_extract(inp: dict[str, Any]) -> int:
    """Casualty extraction on any normalised text: no crash, ranges ordered, evidence spans exact."""
    from geo.articles import normalize_text

    try:
        from geo.extract import extract_casualties
    except ImportError:
        from geo.extract.casualties import extract_casualties
    text = normalize_text(inp["text"])
    c = extract_casualties(text, article_id="fuzz")
    for r in [c.killed, c.injured, *c.categories.values()]:
        _check_range(r)
    for f in c.figures:
        _check_evidence(text, f.evidence)
    return len(c.figures)


_PIPELINE = None


def pipeline():
    global _PIPELINE
    if _PIPELINE is None:
        from geo.pipeline import Pipeline

        _PIPELINE = Pipeline()
    return _PIPELINE


def target_pipeline(inp: dict[str, Any]) -> int:
    """Article → incidents: no crash; evidence exact; coordinates valid; properties JSON round-trip."""
    from geo.articles import normalize_text
    from geo.model import Article, Incident

    text = normalize_text(inp["text"])
    if not text:
        return 0
    published = dt.date.fromisoformat(inp["published"]) if inp.get("published") else None
    article = Article(id="fuzz", text=text, title=inp.get("title"), published=published)
    incidents = pipeline().process_article(article)
    for inc in incidents:
        p = inc.place
        assert math.isfinite(p.lat) and math.isfinite(p.lon) and -90 <= p.lat <= 90 and -180 <= p.lon <= 180, p
        for ev in inc.evidence + inc.event_evidence + [f.evidence for f in inc.casualties.figures]:
            if ev.article_id == article.id:
                _check_evidence(text, ev)
        _check_range(inc.casualties.killed)
        _check_range(inc.casualties.injured)
        if inc.border is not None:
            assert math.isfinite(inc.border.distance_km) and inc.border.distance_km >= 0, inc.border
        props = inc.to_properties()
        encoded = json.dumps(props, allow_nan=False)
        again = Incident.from_properties(json.loads(encoded))
        assert again.to_properties() == props, "Incident properties do not round-trip"
    return len(incidents)


def target_geojson(inp: dict[str, Any]) -> int:
    """Incidents from the pipeline → write_geojson → read_geojson gives the same properties."""
    from geo.articles import normalize_text
    from geo.export import read_geojson, write_geojson
    from geo.model import Article

    text = normalize_text(inp["text"])
    if not text:
        return 0
    incidents = pipeline().process_article(Article(id="fuzz", text=text))
    folder = Path(tempfile.mkdtemp(prefix="cm-fuzz-"))
    try:
        path = write_geojson(incidents, folder / "out.geojson")
        back = read_geojson(path)
        assert len(back) == len(incidents)
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        assert "crs" not in doc
        for f in doc["features"]:
            lon, lat = f["geometry"]["coordinates"][:2]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
        return len(back)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: name → (target function, input strategy)
TARGETS: dict[str, tuple[Callable[[dict[str, Any]], int], Any]] = {
    "readers": (target_readers, reader_inputs()),
    "normalize": (target_normalize, text_inputs),
    "extract": (target_extract, text_inputs),
    "pipeline": (target_pipeline, article_inputs),
    "geojson": (target_geojson, text_inputs),
}


def is_expected(exc: BaseException) -> bool:
    """Refusals with a clear message are behaviour, not crashes."""
    from geo.errors import ConflictmapError

    return isinstance(exc, ConflictmapError) and bool(str(exc)) and "\n" not in str(exc)


def run_target(name: str, inp: dict[str, Any]) -> int:
    """Run one input; expected refusals count as a pass; anything else propagates."""
    fn, _ = TARGETS[name]
    try:
        return fn(inp)
    except Exception as exc:
        if is_expected(exc):
            return 0
        raise


def load_crashers() -> list[tuple[Path, dict[str, Any]]]:
    return [(p, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(CRASHERS.glob("*.json"))]
