"""Readers: every file kind, encoding and broken input named in issue 9, on files made in tmp_path."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

import pytest

from geo.articles import ReadProblem, article_id_for, read_article, read_articles
from geo.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
D = dt.date


def read_all(*paths, **kw):
    problems: list[ReadProblem] = []
    articles = list(read_articles(list(paths), problems=problems, **kw))
    return articles, problems


# ----- the seeds --------------------------------------------------------------------------------------


def test_seeds_folder_reads_both_articles_with_sidecar_metadata():
    articles, problems = read_all(ROOT / "seeds")
    assert problems == []
    assert [a.id for a in articles] == ["000_f18772d31dee92f8", "004_23a385800a3f30d7"]
    assert all(a.published == D(2022, 2, 3) for a in articles)
    assert articles[1].title == "Civilians killed after US-led coalition strikes in Syria near Turkey"
    assert articles[0].text.startswith("Several civilians have been killed")
    assert "Atme" in articles[0].text
    assert articles[0].path.endswith("000_f18772d31dee92f8.txt")
    for a in articles:  # clean UTF-8 text is kept as is: offsets into the seed files stay valid
        assert a.text == Path(a.path).read_text(encoding="utf-8").strip()


def test_article_id_for_examples():
    assert article_id_for("seeds/000_f18772d31dee92f8.txt") == "000_f18772d31dee92f8"
    assert article_id_for("x/feed.jsonl", 7) == "feed-7"
    assert article_id_for("x/report (copy).HTML") == "report_copy"
    assert article_id_for("x/../..txt") != ".."


# ----- plain text and encodings ----------------------------------------------------------------------


def test_txt_with_sidecar_and_published_precedence(tmp_path):
    (tmp_path / "a.txt").write_text("Raid in Atmeh.\n", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(
        json.dumps({"title": " A  title ", "publisher": "AFP", "url": "https://example.org/a",
                    "published": "2022-02-03T08:15:00Z", "note": "ignored", "locale": " Idlib,  Syria "}),
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text("Second.", encoding="utf-8")
    articles, problems = read_all(tmp_path, published=D(2021, 1, 1))
    assert problems == []
    a, b = articles
    assert (a.id, a.title, a.publisher, a.url, a.published) == ("a", "A title", "AFP", "https://example.org/a", D(2022, 2, 3))
    assert a.text == "Raid in Atmeh."
    assert a.locale == "Idlib, Syria"  # the publisher's place, a hint for the geoparser
    assert (b.id, b.published, b.title, b.locale) == ("b", D(2021, 1, 1), None, None)  # the argument is only a fallback


def test_sidecar_javascript_url_is_dropped(tmp_path):
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"url": "javascript:alert(1)"}), encoding="utf-8")
    [a], problems = read_all(tmp_path)
    assert a.url is None and problems == []


@pytest.mark.parametrize(
    "content, why",
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (json.dumps({"published": "03/02/2022"}).encode(), "field 'published'"),
        (json.dumps({"published": "2099-01-01"}).encode(), "in the future"),
        (json.dumps({"title": ["x"]}).encode(), "field 'title' must be a string"),
    ],
)
def test_malformed_sidecar_skips_the_article_with_a_clear_problem(tmp_path, content, why):
    (tmp_path / "a.txt").write_text("text a", encoding="utf-8")
    (tmp_path / "a.meta.json").write_bytes(content)
    (tmp_path / "b.txt").write_text("text b", encoding="utf-8")
    articles, problems = read_all(tmp_path)
    assert [a.id for a in articles] == ["b"]
    [p] = problems
    assert p.path.endswith("a.txt") and "a.meta.json" in p.message and why in p.message


def test_missing_sidecar_is_fine(tmp_path):
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    [a], problems = read_all(tmp_path / "a.txt", published=D(2022, 2, 3))
    assert problems == [] and a.published == D(2022, 2, 3) and a.title is None


def test_empty_and_whitespace_only_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \r\n\t\xe2\x80\x8b\n")
    articles, problems = read_all(tmp_path)
    assert articles == []
    assert [(Path(p.path).name, "empty" in p.message or "no text" in p.message) for p in problems] == [
        ("blank.txt", True), ("empty.txt", True)]


@pytest.mark.parametrize(
    "data, expect",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"hello\x00world\x00\x00\x01\x02binary", "NUL bytes"),
        (bytes(range(1, 32)) * 20, "binary data"),
    ],
)
def test_binary_files_are_refused(tmp_path, data, expect):
    (tmp_path / "x.txt").write_bytes(data)
    articles, [p] = read_all(tmp_path / "x.txt")
    assert articles == [] and expect in p.message and p.path.endswith("x.txt")


def test_utf8_bom_and_crlf(tmp_path):
    (tmp_path / "a.txt").write_bytes("\ufeffLine one\r\nLine two\rLine three\r\n".encode("utf-8"))
    [a], _ = read_all(tmp_path)
    assert a.text == "Line one\nLine two\nLine three"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32(tmp_path, encoding):
    text = "Atmeh — أطمة, 13 killed"
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        pass  # no BOM: recognised by the NUL-byte pattern
    (tmp_path / "a.txt").write_bytes(data)
    [a], problems = read_all(tmp_path)
    assert problems == [] and a.text == text


def test_cp1252_smart_quotes_fall_back_with_a_warning(tmp_path, caplog):
    text = "The “Observatory” said the café in Atmeh was hit — 13 killed, naïve résumé."
    (tmp_path / "a.txt").write_bytes(text.encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="geo.articles"):
        [a], problems = read_all(tmp_path)
    assert problems == [] and a.text == text
    assert "cp1252" in caplog.text and "a.txt" in caplog.text


@pytest.mark.parametrize("text", ["اطمه", "قتل 13 شخصا في بلدة اطمه في محافظة ادلب قرب الحدود التركية"])
def test_cp1256_arabic_falls_back(tmp_path, caplog, text):
    (tmp_path / "a.txt").write_bytes(text.encode("cp1256"))
    with caplog.at_level(logging.WARNING, logger="geo.articles"):
        [a], problems = read_all(tmp_path)
    assert problems == [] and a.text == text
    assert "cp1256" in caplog.text


def test_invalid_utf8_does_not_crash_and_is_decoded_explicitly(tmp_path, caplog):
    (tmp_path / "a.txt").write_bytes(b"Atmeh \xff\xfe\xc3( raid \x81\x8d")
    with caplog.at_level(logging.WARNING, logger="geo.articles"):
        articles, problems = read_all(tmp_path)
    assert len(articles) + len(problems) == 1
    if articles:
        assert articles[0].text.startswith("Atmeh ") and "not valid UTF-8" in caplog.text


def test_rtl_and_mixed_text_survive_and_bidi_marks_are_kept(tmp_path):
    text = "قُتل 13 شخصاً في أطمة \u200f(Atmeh)\u200e near the border، وفق المرصد."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    [a], _ = read_all(tmp_path)
    assert a.text == text


def test_zero_width_and_bidi_overrides_are_removed(tmp_path):
    (tmp_path / "a.txt").write_text("At\u200bmeh\u2060 raid\u202e evil\u202c\u00ad, \x07bell\x1b[0m", encoding="utf-8")
    [a], _ = read_all(tmp_path)
    assert a.text == "Atmeh raid evil, bell[0m"


def test_one_megabyte_single_line(tmp_path):
    line = ("Atmeh raid. " * 90_000)[:1_000_000]
    (tmp_path / "long.txt").write_text(line, encoding="utf-8")
    [a], _ = read_all(tmp_path)
    assert len(a.text) == len(line.strip())


def test_oversized_txt_is_refused_with_the_limit_and_what_to_do(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 3000)
    articles, [p] = read_all(tmp_path, max_bytes=2000)
    assert articles == [] and "limit" in p.message and ".jsonl" in p.message


def test_max_size_from_environment(tmp_path, monkeypatch):
    (tmp_path / "big.txt").write_bytes(b"x" * (2 * 1024 * 1024))
    monkeypatch.setenv("CONFLICTMAP_MAX_ARTICLE_MB", "1")
    _, [p] = read_all(tmp_path)
    assert "2.0 MB" in p.message and "1.0 MB limit" in p.message
    monkeypatch.setenv("CONFLICTMAP_MAX_ARTICLE_MB", "lots")
    with pytest.raises(InputError, match="CONFLICTMAP_MAX_ARTICLE_MB"):
        read_all(tmp_path)


# ----- HTML ----------------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Raid in Atmeh | Example News</title>
<meta property="og:site_name" content="Example News"><meta name="date" content="2022-02-03">
<link rel="canonical" href="https://news.example.org/atmeh"></head><body><nav>Home | World | Sport</nav>
<article><h1>Raid in Atmeh</h1><p>Thirteen people were killed in Atmeh, Idlib, on Thursday, the Syrian
Observatory for Human Rights said.</p><p>Residents said the raid lasted two hours &amp; a helicopter landed
near the border with Turkey.</p><script>alert("x")</script></article><footer>(c) 2022 Example</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    (tmp_path / "p.html").write_text(PAGE, encoding="utf-8")
    [a], problems = read_all(tmp_path, published=D(2020, 1, 1))
    assert problems == []
    assert "Thirteen people were killed in Atmeh" in a.text and "two hours & a helicopter" in a.text
    assert "alert" not in a.text and "Home | World" not in a.text
    assert a.title == "Raid in Atmeh" and a.publisher == "Example News"
    assert a.published == D(2022, 2, 3)  # the page's own date beats the fallback argument
    assert a.url == "https://news.example.org/atmeh"


def test_html_sidecar_beats_page_metadata(tmp_path):
    (tmp_path / "p.htm").write_text(PAGE, encoding="utf-8")
    (tmp_path / "p.meta.json").write_text(json.dumps({"published": "2022-02-04", "title": "T"}), encoding="utf-8")
    [a], _ = read_all(tmp_path)
    assert (a.published, a.title, a.publisher) == (D(2022, 2, 4), "T", "Example News")


@pytest.mark.parametrize(
    "html, needle",
    [
        ("<p>Short <b>unclosed <i>text in Atmeh", "unclosed text in Atmeh"),
        ("<html><body><div><p>Atmeh raid</div></span></table><<<>>>&&&#xZZ;", "Atmeh raid"),
        ("<!-- unterminated comment <p>hidden", None),
        ("<p>" * 5000 + "deep Atmeh", "deep Atmeh"),
        ("<svg><script>x</script></svg><p>Atmeh &lt;script&gt;</p>", "Atmeh <script>"),
    ],
)
def test_malformed_html_does_not_crash(tmp_path, html, needle):
    (tmp_path / "m.html").write_text(html, encoding="utf-8")
    articles, problems = read_all(tmp_path)
    assert len(articles) + len(problems) == 1
    if needle:
        assert needle in articles[0].text
    else:
        assert "no visible text" in problems[0].message


def test_html_declared_legacy_charset(tmp_path):
    html = '<html><head><meta charset="windows-1256"></head><body><p>قتل 13 في اطمه</p></body></html>'
    (tmp_path / "ar.html").write_bytes(html.encode("cp1256"))
    [a], _ = read_all(tmp_path)
    assert "قتل 13 في اطمه" in a.text


# ----- JSON and JSONL ------------------------------------------------------------------------------------


def test_json_object_and_list(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"text": "One", "published": "2022-02-03", "title": "T1"}))
    (tmp_path / "many.json").write_text(json.dumps([
        {"id": "r/1", "text": "First"}, {"text": "Second", "url": "ftp://x"}, "oops", {"html": "<p>Third page</p>"},
    ]))
    articles, problems = read_all(tmp_path)
    assert [(a.id, a.text) for a in articles] == [
        ("r_1", "First"), ("many-2", "Second"), ("many-4", "Third page"), ("one", "One")]
    assert articles[1].url is None and articles[3].published == D(2022, 2, 3)
    [p] = problems
    assert p.path.endswith("many.json") and "item 3" in p.message


def test_jsonl_bad_line_in_the_middle_is_reported_by_number(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "Atmeh one", "published": "2022-02-03"}),
        "",
        '{"id": "b", "text": "broken',
        json.dumps({"text": "no id"}),
        json.dumps([1, 2]),
        json.dumps({"id": "e", "title": "no text"}),
        json.dumps({"id": "f", "text": 5}),
        json.dumps({"id": "g", "text": "bad date", "published": "yesterday"}),
        json.dumps({"id": "a", "text": "duplicate id"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, problems = read_all(tmp_path / "feed.jsonl")
    assert [(a.id, a.text) for a in articles] == [("a", "Atmeh one"), ("feed-4", "no id"), ("a-2", "duplicate id")]
    assert [p.line for p in problems] == [3, 5, 6, 7, 8]
    assert all(p.path.endswith("feed.jsonl") for p in problems)
    assert "not valid JSON" in problems[0].message and "fix or delete this line" in problems[0].message
    assert str(problems[0]).startswith(f"{tmp_path / 'feed.jsonl'}:3: ")


def test_jsonl_crlf_bom_and_legacy_line(tmp_path):
    data = (
        b"\xef\xbb\xbf" + json.dumps({"text": "first"}).encode() + b"\r\n"
        + '{"text": "caf\u00e9 \u201cquoted\u201d"}'.encode("cp1252") + b"\r\n"
    )
    (tmp_path / "f.jsonl").write_bytes(data)
    articles, problems = read_all(tmp_path)
    assert problems == [] and [a.text for a in articles] == ["first", "café “quoted”"]


def test_jsonl_utf16(tmp_path):
    text = "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in ["أطمة", "Atmeh"]) + "\n"
    (tmp_path / "f.jsonl").write_bytes(text.encode("utf-16"))
    articles, problems = read_all(tmp_path)
    assert problems == [] and [a.text for a in articles] == ["أطمة", "Atmeh"]


def test_jsonl_overlong_line_is_skipped_and_the_rest_read(tmp_path):
    lines = [json.dumps({"text": "x" * 5000}), json.dumps({"text": "short"})]
    (tmp_path / "f.jsonl").write_text("\n".join(lines), encoding="utf-8")
    articles, [p] = read_all(tmp_path, max_bytes=1000)
    assert [a.text for a in articles] == ["short"] and p.line == 1 and "limit" in p.message


def test_json_lone_surrogates_and_controls_are_cleaned(tmp_path):
    (tmp_path / "f.jsonl").write_text('{"text": "Atmeh \\ud800 raid \\u0000 \\u001b ok"}\n', encoding="utf-8")
    [a], _ = read_all(tmp_path)
    assert a.text == "Atmeh  raid   ok"
    assert len(a.content_hash) == 64  # encodable as UTF-8


def test_deeply_nested_json_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "deep.jsonl").write_text('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    articles, problems = read_all(tmp_path)
    assert articles == [] and len(problems) == 2


# ----- paths ---------------------------------------------------------------------------------------------


def test_unreadable_paths_are_problems(tmp_path):
    (tmp_path / "dir.txt").mkdir()  # a folder named like a file: read as a folder, holds nothing
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "broken.txt")
    articles, problems = read_all(tmp_path / "missing.txt", tmp_path / "broken.txt", tmp_path / "dir.txt")
    assert articles == []
    assert [Path(p.path).name for p in problems] == ["missing.txt", "broken.txt"]
    assert "no such file" in problems[0].message and "broken symbolic link" in problems[1].message


def test_broken_symlink_inside_a_folder_is_reported(tmp_path):
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "broken.txt")
    (tmp_path / "ok.txt").write_text("fine")
    articles, [p] = read_all(tmp_path)
    assert [a.id for a in articles] == ["ok"] and "broken symbolic link" in p.message


def test_device_file_is_refused(tmp_path):
    articles, [p] = read_all("/dev/zero")
    assert "unsupported file type" in p.message
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    articles, [p] = read_all(tmp_path / "zero.txt")
    assert articles == [] and "not a regular file" in p.message


def test_folder_walk_is_recursive_sorted_and_skips_unknown_and_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z")
    (tmp_path / "a.TXT").write_text("a")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / "orphan.meta.json").write_text("{}")
    articles, problems = read_all(tmp_path)
    assert [a.id for a in articles] == ["a", "z"] and problems == []


def test_explicit_unknown_extension_and_sidecar_are_problems(tmp_path):
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "a.meta.json").write_text("{}")
    articles, problems = read_all(tmp_path / "c.pdf", tmp_path / "a.meta.json")
    assert articles == [] and "unsupported file type '.pdf'" in problems[0].message
    assert "sidecar metadata" in problems[1].message


def test_without_a_problems_list_the_first_problem_raises(tmp_path):
    (tmp_path / "a.txt").write_text("fine")
    (tmp_path / "b.txt").write_bytes(b"")
    it = read_articles([tmp_path])
    assert next(it).id == "a"
    with pytest.raises(InputError, match=r"b\.txt: is empty"):
        next(it)


def test_read_article(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    assert read_article(tmp_path / "a.txt").text == "one"
    (tmp_path / "two.jsonl").write_text('{"text": "1"}\n{"text": "2"}\n')
    with pytest.raises(InputError, match="several"):
        read_article(tmp_path / "two.jsonl")
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")


def test_same_stem_in_two_folders_gets_unique_ids(tmp_path):
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "r.txt").write_text(d)
    articles, _ = read_all(tmp_path)
    assert [a.id for a in articles] == ["r", "r-2"]


def test_published_argument_as_string_is_validated():
    with pytest.raises(InputError, match="--published"):
        list(read_articles([], published="03/02/2022"))


def test_html_has_a_quarter_of_the_size_limit(tmp_path):
    page = "<html><body><p>" + "Atmeh raid. " * 200 + "</p></body></html>"
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    (tmp_path / "p.txt").write_text(page, encoding="utf-8")
    (tmp_path / "r.jsonl").write_text(json.dumps({"html": page}) + "\n", encoding="utf-8")
    articles, problems = read_all(tmp_path, max_bytes=4 * len(page) - 100)
    assert [a.id for a in articles] == ["p"] and articles[0].path.endswith("p.txt")
    assert sorted(Path(p.path).name for p in problems) == ["p.html", "r.jsonl"]
    assert all("MB of HTML" in p.message for p in problems)


def test_published_argument_as_datetime_becomes_a_date(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    [a], _ = read_all(tmp_path, published=dt.datetime(2022, 2, 3, 23, 59))
    assert a.published == D(2022, 2, 3) and type(a.published) is dt.date


def test_oversized_or_special_sidecar_is_a_problem(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.meta.json").write_bytes(b'{"title": "' + b"t" * 1_100_000 + b'"}')
    (tmp_path / "b.txt").write_text("y")
    os.mkfifo(tmp_path / "b.meta.json")  # would block a naive reader
    articles, problems = read_all(tmp_path)
    assert articles == [] and len(problems) == 2
    assert all("not a small JSON file" in p.message for p in problems)


def test_fifo_article_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    articles, problems = read_all(tmp_path)
    assert articles == [] and len(problems) == 2
    assert all("not a regular file" in p.message for p in problems)


def test_utf8_with_a_few_corrupt_bytes_stays_utf8(tmp_path, caplog):
    text = "قتل 13 شخصا في أطمة — “Atmeh”"
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8") + b" \xff end")
    with caplog.at_level(logging.WARNING, logger="geo.articles"):
        [a], _ = read_all(tmp_path)
    assert a.text == text + " \ufffd end"  # not mojibake: the corruption stays visible
    assert "replaced with U+FFFD" in caplog.text


def test_long_whitespace_runs_are_collapsed_ordinary_spacing_kept(tmp_path):
    text = ("Atmeh.  Two spaces kept.\n   Indented line kept.\n\n\nTwo blank lines kept.\n\n\n\n\n\n\nToo many."
            + " " * 10_000 + "x\t\t\t\ty")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    [a], _ = read_all(tmp_path)
    assert a.text == "Atmeh.  Two spaces kept.\n   Indented line kept.\n\n\nTwo blank lines kept.\n\n\n\nToo many. x y"
