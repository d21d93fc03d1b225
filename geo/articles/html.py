"""HTML article → main text and metadata, via trafilatura, with a plain fallback that never fails."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html.parser import HTMLParser

log = logging.getLogger("geo.articles")


@dataclass
class HtmlArticle:
    """What an HTML page gives: main text and, when the page states them, title/publisher/url/date."""

    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: str | None = None
    extractor: str = "trafilatura"


_SKIP = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "head"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "table", "td", "th", "tr", "ul", "body", "html",
}


class _TextParser(HTMLParser):
    """Collects visible text (block elements → line breaks) and the ``<title>``; tolerant of any markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP and tag != "head":
            self._skip_depth += 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP and tag != "head" and self._skip_depth:
            self._skip_depth -= 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str | None]:
    """Plain visible text of ``html`` (one line per block, spaces collapsed) and its ``<title>``."""
    parser = _TextParser()
    start = html.rfind("<!--")
    if start >= 0 and html.find("-->", start + 4) < 0:
        html = html[:start]  # as browsers do: an unterminated comment runs to the end of the document
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # noqa: BLE001 - html.parser is lenient; keep what was collected if it gives up
        log.warning("HTML parser stopped early (%s); keeping the text read so far", exc)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    title = " ".join("".join(parser.title_parts).split()) or None
    return text, title


def extract_html(html: str) -> HtmlArticle:
    """Main text and metadata of an HTML page: trafilatura first, the plain extractor if it finds nothing."""
    doc = None
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            # metadata only: no guessing a date from copyright lines or URLs
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # noqa: BLE001 - third-party parser on hostile markup: fall back, never crash
        log.warning("trafilatura could not parse this HTML (%s: %s); using plain text extraction",
                    type(exc).__name__, exc)
    if doc is not None and (getattr(doc, "text", None) or "").strip():
        title = _clean(getattr(doc, "title", None)) or html_to_text(html)[1]
        return HtmlArticle(
            text=doc.text,
            title=title,
            publisher=_clean(getattr(doc, "sitename", None)),
            url=_clean(getattr(doc, "url", None)),
            date=_clean(getattr(doc, "date", None)),
            extractor="trafilatura",
        )
    meta = doc
    plain_text, plain_title = html_to_text(html)
    return HtmlArticle(
        text=plain_text,
        title=_clean(getattr(meta, "title", None)) or plain_title,
        publisher=_clean(getattr(meta, "sitename", None)),
        url=_clean(getattr(meta, "url", None)),
        date=_clean(getattr(meta, "date", None)),
        extractor="plain",
    )


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
