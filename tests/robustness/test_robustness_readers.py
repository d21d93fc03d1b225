"""Property-based tests: any bytes in any article file give Articles or ReadProblems, never a crash."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from geo.articles import ReadProblem, normalize_text, read_articles

SUFFIXES = [".txt", ".html", ".htm", ".json", ".jsonl"]
ID_RE = re.compile(r"[A-Za-z0-9._-]+")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Bytes that look like what arrives in practice: text in several encodings, markup, JSON, junk.
TEXTY = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=()), max_size=300
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "cp1256", "latin-1"])


@st.composite
def article_bytes(draw) -> bytes:
    kind = draw(st.sampled_from(["raw", "text", "json", "jsonl", "html"]))
    if kind == "raw":
        return draw(st.binary(max_size=400))
    text = draw(TEXTY)
    if kind == "json":
        text = json.dumps(draw(st.one_of(
            st.fixed_dictionaries({"text": st.just(text)}, optional={
                "id": st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none()),
                "title": st.one_of(st.text(max_size=30), st.none(), st.integers()),
                "url": st.one_of(st.text(max_size=30), st.just("javascript:alert(1)"), st.just("https://x.org/a")),
                "published": st.one_of(st.text(max_size=25), st.dates().map(str), st.none()),
            }),
            st.lists(st.fixed_dictionaries({"text": st.just(text)}), max_size=3),
            st.just(text),
        )), ensure_ascii=draw(st.booleans()))
    elif kind == "jsonl":
        lines = draw(st.lists(st.one_of(
            st.just(json.dumps({"text": text})), st.text(max_size=40), st.just(""),
        ), max_size=5))
        text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    elif kind == "html":
        text = f"<html><head><title>{text[:20]}</title></head><body><p>{text}</p>" + draw(
            st.sampled_from(["", "</body></html>", "<!--", "<script>", "<p", "&#x110000;", "&#0;"]))
    encoding = draw(ENCODINGS)
    return text.encode(encoding, errors="replace")


def _check(articles, problems, path: Path) -> None:
    ids = [a.id for a in articles]
    assert len(ids) == len(set(ids))
    for a in articles:
        assert ID_RE.fullmatch(a.id) and not a.id.startswith((".", "-"))
        assert a.text and a.text == normalize_text(a.text)  # already normalised: offsets are final
        assert len(a.content_hash) == 64
        assert a.url is None or a.url.startswith(("http://", "https://"))
        for meta in (a.title, a.publisher):
            assert meta is None or ("\n" not in meta and meta == meta.strip())
    for p in problems:
        assert isinstance(p, ReadProblem) and p.path == str(path) and p.message
        assert "Traceback" not in p.message


@SETTINGS
@given(data=article_bytes(), suffix=st.sampled_from(SUFFIXES))
@example(data=b"\xff\xfe\x00", suffix=".txt")
@example(data=b"\xef\xbb\xbf", suffix=".jsonl")
@example(data=b'{"text": "\\udc00"}', suffix=".json")
@example(data=b"\r\r\r", suffix=".jsonl")
@example(data=b"\xfe\xff\xd8\x00", suffix=".jsonl")
def test_any_bytes_give_articles_or_problems(data: bytes, suffix: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="cm-fuzz-"))
    try:
        path = folder / f"in{suffix}"
        path.write_bytes(data)
        problems: list[ReadProblem] = []
        articles = list(read_articles([path], problems=problems))
        _check(articles, problems, path)
        if not articles:
            assert problems, "an unreadable file must say why"
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(text=st.text(max_size=400))
@example(text="e\u200b\u0301")  # a removed character between a letter and its accent
@example(text="a \u200b\nb")
@example(text="\u0958")  # NFC expands this one (composition exclusion)
@example(text="\r\u200b\n")
@example(text="a \u3000\xa0\t b\n \n\xa0\n\n\nc")
def test_normalisation_is_idempotent_and_clean(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once and "\ufeff" not in once and "\u200b" not in once
    assert not any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in once)
    assert once == once.strip()
    assert not re.search(r"[^\S\n]{4,}|\n{5,}|[^\S\n]\n", once)  # no long whitespace runs, no trailing spaces


@SETTINGS
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), max_size=200))
def test_clean_single_line_text_is_unchanged_up_to_nfc(text: str) -> None:
    """Text with nothing to remove keeps every character: normalisation loses nothing else."""
    assume(text == text.strip() and "\u00ad" not in text and not re.search(r"\s{4,}", text))
    assert normalize_text(text) == unicodedata.normalize("NFC", text)


@SETTINGS
@given(body=st.text(max_size=200), nl=st.sampled_from(["\n", "\r\n", "\r"]), bom=st.booleans(),
       encoding=st.sampled_from(["utf-8", "utf-16", "utf-32"]))
@example(body="\x000", nl="\n", bom=False, encoding="utf-16")  # FF FE 00 00 looks like a UTF-32 BOM
def test_utf_text_round_trips_through_a_txt_file(body: str, nl: str, bom: bool, encoding: str) -> None:
    """Whatever the UTF encoding and line endings, the article text is normalize_text(original)."""
    expected = normalize_text(body)
    assume(expected)
    folder = Path(tempfile.mkdtemp(prefix="cm-fuzz-"))
    try:
        path = folder / "a.txt"
        data = body.replace("\n", nl).encode(encoding, errors="surrogatepass")
        if bom and encoding == "utf-8":
            data = b"\xef\xbb\xbf" + data
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            assume(False)  # lone surrogates are not encodable text
        path.write_bytes(data)
        problems: list[ReadProblem] = []
        articles = list(read_articles([path], problems=problems))
        if problems:  # only binary-looking text (many control characters) may be refused
            assert "binary" in problems[0].message or "NUL" in problems[0].message
        else:
            assert articles[0].text == expected
    finally:
        shutil.rmtree(folder)
