"""Read articles from files and folders: .txt, .html/.htm, .json, .jsonl, with sidecar metadata.

Metadata precedence, highest first:

1. the sidecar ``NAME.meta.json`` next to ``NAME.txt``/``NAME.html``/``NAME.htm``;
2. what the article itself states: the fields of a JSON/JSONL record, or an HTML page's metadata
   (``<title>``, ``og:site_name``, canonical URL, ``<meta>`` publication date; never a date guessed
   from body text or a copyright line);
3. the ``published`` argument of :func:`read_articles` (``--published`` on the command line), a
   fallback for articles that state no publication date.

Every problem is reported as a :class:`ReadProblem` and the item (file, JSON item or JSONL line)
is skipped; the rest is read. A malformed sidecar skips its article: reading it without its
metadata would resolve relative dates ("on Thursday") against the wrong day.

Size policy: a single article file (.txt, .json) larger than the limit (20 MB by default,
``CONFLICTMAP_MAX_ARTICLE_MB`` to change) is refused with a message — no news article is that
large, and refusing keeps memory bounded. HTML (a file, or the ``html`` field of a record) is
limited to a quarter of that (5 MB by default): main-text extraction takes about a second and
some 30 times the page's size in memory per megabyte. ``.jsonl`` files are streamed line by line,
so they may be of any size; each line is subject to the article limit.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import logging
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.articles.decode import DecodeError, decode_bytes
from geo.articles.html import extract_html
from geo.articles.normalize import normalize_text
from geo.errors import InputError
from geo.model import Article
from geo.validate import parse_published, safe_url, sanitize_id

log = logging.getLogger("geo.articles")

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl")
SIDECAR_SUFFIX = ".meta.json"
DEFAULT_MAX_ARTICLE_MB = 20
MAX_SIDECAR_BYTES = 1_000_000
_MB = 1024 * 1024


def max_article_bytes() -> int:
    """The size limit for one article file or JSONL line (``CONFLICTMAP_MAX_ARTICLE_MB``, default 20)."""
    raw = os.environ.get("CONFLICTMAP_MAX_ARTICLE_MB", "")
    try:
        mb = float(raw) if raw.strip() else DEFAULT_MAX_ARTICLE_MB
    except ValueError:
        raise InputError(
            f"CONFLICTMAP_MAX_ARTICLE_MB must be a number of megabytes such as 20; got {raw!r}"
        ) from None
    if not mb > 0:
        raise InputError(f"CONFLICTMAP_MAX_ARTICLE_MB must be greater than zero; got {raw!r}")
    return int(mb * _MB)


@dataclass(frozen=True)
class ReadProblem:
    """One input item that could not be read: where, and what to do about it."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


class _Problem(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def article_id_for(path: str | Path, line: int | None = None) -> str:
    """The id of the article in ``path``: its file stem (``"<stem>-<line>"`` for a JSONL/JSON item), sanitised."""
    p = Path(path)
    name = p.name
    for suffix in ARTICLE_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    else:
        name = p.stem or name
    return sanitize_id(f"{name}-{line}" if line is not None else name)


def read_articles(
    paths: Iterable[str | Path] | str | Path,
    published: dt.date | None = None,
    problems: list[ReadProblem] | None = None,
    *,
    max_bytes: int | None = None,
) -> Iterator[Article]:
    """Yield the articles in ``paths`` (files, or folders read recursively in sorted order).

    Problems are appended to ``problems`` and the item skipped; when ``problems`` is ``None`` the
    first problem raises :class:`geo.errors.InputError` instead. Ids are unique within one call.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if isinstance(published, dt.datetime):
        published = published.date()
    elif published is not None and not isinstance(published, dt.date):
        published = parse_published(published, what="--published")
    reader = _Reader(published, problems, max_bytes if max_bytes is not None else max_article_bytes())
    for path in paths:
        yield from reader.read_path(Path(path))


def read_article(path: str | Path, published: dt.date | None = None) -> Article:
    """Read the one article in ``path``; raise :class:`InputError` if it is unreadable or holds several."""
    found: list[Article] = []
    for article in read_articles([path], published=published, problems=None):
        found.append(article)
        if len(found) > 1:
            raise InputError(f"{path}: holds several articles; read it with read_articles() instead")
    if not found:
        raise InputError(f"{path}: holds no article")
    return found[0]


class _Reader:
    def __init__(self, published: dt.date | None, problems: list[ReadProblem] | None, max_bytes: int) -> None:
        self.published = published
        self.problems = problems
        self.max_bytes = max_bytes
        self.used_ids: set[str] = set()

    # ----- problems and ids ----------------------------------------------------------------------------
    def report(self, path: Path, line: int | None, message: str) -> None:
        problem = ReadProblem(str(path), line, message)
        if self.problems is None:
            raise InputError(str(problem))
        self.problems.append(problem)  # the caller reports it (once)

    def unique_id(self, ident: str) -> str:
        if ident in self.used_ids:
            n = 2
            while f"{ident}-{n}" in self.used_ids:
                n += 1
            log.warning("article id %r is used twice; the second is %r", ident, f"{ident}-{n}")
            ident = f"{ident}-{n}"
        self.used_ids.add(ident)
        return ident

    # ----- paths -----------------------------------------------------------------------------------------
    def read_path(self, path: Path) -> Iterator[Article]:
        if not path.exists():
            if path.is_symlink():
                self.report(path, None, f"is a broken symbolic link (to {os.readlink(path)!r}); fix or remove it")
            else:
                self.report(path, None, "no such file or folder; check the path")
            return
        if path.is_dir():
            yield from self.read_folder(path)
            return
        name = path.name.lower()
        if name.endswith(SIDECAR_SUFFIX):
            self.report(path, None, "is sidecar metadata, not an article; give the article file next to it instead")
            return
        if not name.endswith(ARTICLE_SUFFIXES):
            self.report(
                path, None,
                f"unsupported file type {path.suffix or '(no extension)'!r}; give .txt, .html/.htm, .json or "
                ".jsonl articles (rename a plain-text file to .txt)",
            )
            return
        yield from self.read_file(path)

    def read_folder(self, folder: Path) -> Iterator[Article]:
        def on_error(exc: OSError) -> None:
            self.report(Path(exc.filename or folder), None, f"cannot list this folder ({exc.strerror}); check its permissions")

        found = False
        for root, dirs, files in os.walk(folder, onerror=on_error):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                lower = name.lower()
                if name.startswith(".") or lower.endswith(SIDECAR_SUFFIX) or not lower.endswith(ARTICLE_SUFFIXES):
                    continue
                found = True
                path = Path(root) / name
                if not path.exists():
                    self.report(path, None, f"is a broken symbolic link (to {os.readlink(path)!r}); fix or remove it")
                    continue
                yield from self.read_file(path)
        if not found:
            log.warning("%s: no .txt, .html, .htm, .json or .jsonl files in this folder", folder)

    def read_file(self, path: Path) -> Iterator[Article]:
        try:
            if path.name.lower().endswith(".jsonl"):
                yield from self.read_jsonl(path)
            elif path.name.lower().endswith(".json"):
                yield from self.read_json(path)
            else:
                yield self.read_document(path)
        except _Problem as exc:
            self.report(path, exc.line, exc.message)
        except OSError as exc:
            self.report(path, None, f"cannot read this file ({exc.strerror or exc}); check that it exists and is readable")

    # ----- bytes -----------------------------------------------------------------------------------------
    def read_bytes(self, path: Path, html: bool = False) -> bytes:
        limit = self.max_html_bytes if html else self.max_bytes
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise _Problem("is not a regular file (a device, pipe or socket); give an article file")
        if st.st_size > limit:
            raise _Problem(self._too_big(st.st_size, html))
        with open(path, "rb") as f:
            data = f.read(limit + 1)
        if len(data) > limit:
            raise _Problem(self._too_big(len(data), html))
        if not data:
            raise _Problem("is empty (0 bytes); add the article text or remove the file")
        return data

    @property
    def max_html_bytes(self) -> int:
        return self.max_bytes // 4

    def _too_big(self, size: int, html: bool = False) -> str:
        if html:
            return (
                f"is {size / _MB:,.1f} MB of HTML, more than the {self.max_html_bytes / _MB:,.1f} MB limit for one "
                "page (a quarter of CONFLICTMAP_MAX_ARTICLE_MB); save the article's text as .txt, or raise the limit"
            )
        return (
            f"is {size / _MB:,.1f} MB, more than the {self.max_bytes / _MB:,.1f} MB limit for one article; "
            "split it into one file per article, or into a .jsonl file (one article per line, streamed), "
            "or raise the limit with CONFLICTMAP_MAX_ARTICLE_MB"
        )

    def decode(self, data: bytes, name: str, html: bool = False, line: int | None = None) -> str:
        try:
            return decode_bytes(data, name=name, html=html)[0]
        except DecodeError as exc:
            raise _Problem(str(exc), line) from None

    # ----- .txt / .html ----------------------------------------------------------------------------------
    def read_document(self, path: Path) -> Article:
        is_html = path.suffix.lower() in (".html", ".htm")
        text = self.decode(self.read_bytes(path, html=is_html), str(path), html=is_html)
        meta: dict[str, Any] = {}
        if is_html:
            page = extract_html(text)
            text = page.text
            meta = self.page_meta(path, page.title, page.publisher, page.url, page.date)
        text = normalize_text(text)
        if not text:
            raise _Problem(
                "has no visible text in its HTML; give the article's text" if is_html
                else "contains no text (only spaces or invisible characters); add the article text or remove the file"
            )
        sidecar = self.read_sidecar(path)
        meta.update({k: v for k, v in sidecar.items() if v is not None})
        return self.make_article(article_id_for(path), text, meta, path)

    def page_meta(self, path: Path, title: str | None, publisher: str | None, url: str | None, date: str | None) -> dict:
        meta: dict[str, Any] = {"title": _one_line(title), "publisher": _one_line(publisher), "url": safe_url(url)}
        if date:
            try:
                meta["published"] = parse_published(date, what=f"{path}: <meta> publication date")
            except InputError as exc:
                log.warning("%s; ignored", exc)
        return {k: v for k, v in meta.items() if v is not None}

    def read_sidecar(self, path: Path) -> dict[str, Any]:
        name = path.name
        stem = name[: -len(path.suffix)] if path.suffix else name
        sidecar = path.with_name(stem + SIDECAR_SUFFIX)
        if not sidecar.exists():
            return {}
        where = f"its sidecar {sidecar.name}"
        try:
            data = None
            if sidecar.is_file():
                with open(sidecar, "rb") as f:
                    data = f.read(MAX_SIDECAR_BYTES + 1)
        except OSError as exc:
            raise _Problem(f"cannot read {where} ({exc.strerror}); fix its permissions or remove it") from None
        if data is None or len(data) > MAX_SIDECAR_BYTES:
            raise _Problem(f"{where} is not a small JSON file; fix it or remove it")
        try:
            obj = json.loads(self.decode(data, str(sidecar)))
        except json.JSONDecodeError as exc:
            raise _Problem(
                f"{where} is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
                "fix it or remove it (the article is skipped until then)"
            ) from None
        except _Problem as exc:
            raise _Problem(f"{where} {exc.message}") from None
        except RecursionError:
            raise _Problem(f"{where} is nested too deeply; fix it or remove it") from None
        if not isinstance(obj, dict):
            raise _Problem(
                f"{where} must be a JSON object with title, publisher, url, published; got {_json_type(obj)}; "
                "fix it or remove it"
            )
        return self.record_meta(obj, where)

    # ----- .json / .jsonl --------------------------------------------------------------------------------
    def read_json(self, path: Path) -> Iterator[Article]:
        text = self.decode(self.read_bytes(path), str(path))
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _Problem(f"is not valid JSON ({exc.msg} at column {exc.colno}); fix the file", exc.lineno) from None
        except RecursionError:
            raise _Problem("is nested too deeply to be an article record") from None
        if isinstance(obj, dict):
            yield self.record_article(obj, path, article_id_for(path), where="")
        elif isinstance(obj, list):
            if not obj:
                raise _Problem("is an empty JSON list: it holds no article")
            for n, item in enumerate(obj, start=1):
                try:
                    if not isinstance(item, dict):
                        raise _Problem(f"item {n} must be a JSON object; got {_json_type(item)}")
                    yield self.record_article(item, path, article_id_for(path, n), where=f"item {n}: ")
                except _Problem as exc:
                    self.report(path, exc.line, exc.message)
        else:
            raise _Problem(f"must hold a JSON object or a list of objects; got {_json_type(obj)}")

    def read_jsonl(self, path: Path) -> Iterator[Article]:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise _Problem("is not a regular file (a device, pipe or socket); give an article file")
        if st.st_size == 0:
            raise _Problem("is empty (0 bytes); add articles (one JSON object per line) or remove the file")
        any_line = False
        for lineno, line in self.jsonl_lines(path):
            try:
                if isinstance(line, _Problem):
                    raise line
                if not line.strip():
                    continue
                any_line = True
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise _Problem(
                        f"not valid JSON ({exc.msg} at column {exc.colno}); fix or delete this line", lineno
                    ) from None
                except RecursionError:
                    raise _Problem("nested too deeply to be an article record; fix or delete this line", lineno) from None
                if not isinstance(obj, dict):
                    raise _Problem(f"each line must be one JSON object; got {_json_type(obj)}", lineno)
                yield self.record_article(obj, path, article_id_for(path, lineno), where="", line=lineno)
            except _Problem as exc:
                self.report(path, exc.line if exc.line is not None else lineno, exc.message)
        if not any_line:
            raise _Problem("contains no article lines; add one JSON object per line or remove the file")

    def jsonl_lines(self, path: Path) -> Iterator[tuple[int, str | _Problem]]:
        """``(line number, text)`` for each line, read with bounded memory; over-long lines give a problem."""
        limit = self.max_bytes
        with open(path, "rb") as raw:
            head = raw.read(4)
            raw.seek(0)
            wide = next((enc for bom, enc in (
                (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
            ) if head.startswith(bom)), None)
            if wide:
                text_stream = io.TextIOWrapper(raw, encoding=wide, errors="strict", newline="\n")
                lineno = 0
                try:
                    while True:
                        line = text_stream.readline(limit + 1)
                        if not line:
                            return
                        lineno += 1
                        if len(line) > limit and not line.endswith("\n"):
                            while (more := text_stream.readline(_MB)) and not more.endswith("\n"):
                                pass
                            yield lineno, _Problem(self._too_big_line(), lineno)
                            continue
                        yield lineno, line
                except UnicodeDecodeError:
                    yield lineno + 1, _Problem(f"is not valid {wide} from here on; re-save the file as UTF-8", lineno + 1)
                return
            lineno = 0
            while True:
                data = raw.readline(limit + 1)
                if not data:
                    return
                lineno += 1
                if len(data) > limit and not data.endswith(b"\n"):
                    while (more := raw.readline(_MB)) and not more.endswith(b"\n"):
                        pass
                    yield lineno, _Problem(self._too_big_line(), lineno)
                    continue
                if lineno == 1 and data.startswith(codecs.BOM_UTF8):
                    data = data[len(codecs.BOM_UTF8):]
                if not data.strip():
                    yield lineno, ""
                    continue
                try:
                    yield lineno, data.decode("utf-8")
                except UnicodeDecodeError:
                    try:
                        yield lineno, self.decode(data, f"{path}:{lineno}", line=lineno)
                    except _Problem as exc:
                        yield lineno, exc

    def _too_big_line(self) -> str:
        return (
            f"this line is longer than the {self.max_bytes / _MB:,.1f} MB limit for one article; it is skipped "
            "(raise the limit with CONFLICTMAP_MAX_ARTICLE_MB if it really is one article)"
        )

    # ----- records ---------------------------------------------------------------------------------------
    def record_meta(self, obj: dict[str, Any], where: str) -> dict[str, Any]:
        """Validated title/publisher/url/locale/published of a JSON object (``where`` prefixes messages)."""
        meta: dict[str, Any] = {}
        for key in ("title", "publisher", "url", "locale"):
            value = obj.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                raise _Problem(f"{where}: field {key!r} must be a string or null; got {_json_type(value)} {_short(value)}")
            if key == "url":
                url = safe_url(value)
                if url is None and value.strip():
                    log.warning("%s: url %s is not an http(s) link; it is left out", where, _short(value))
                meta["url"] = url
            else:
                meta[key] = _one_line(value)
        value = obj.get("published")
        if value is not None:
            try:
                meta["published"] = parse_published(value, what=f"{where}: field 'published'")
            except InputError as exc:
                raise _Problem(f"{exc}; fix it or remove the field") from None
        return meta

    def record_article(
        self, obj: dict[str, Any], path: Path, default_id: str, where: str, line: int | None = None
    ) -> Article:
        label = where.rstrip(": ") or ("this record" if line is None else "this line")
        try:
            text = obj.get("text")
            html = obj.get("html")
            if text is None and html is None:
                raise _Problem(f'{where}has no "text" or "html" field (a string holding the article); add one')
            if text is not None and not isinstance(text, str):
                raise _Problem(f'{where}field "text" must be a string; got {_json_type(text)}')
            meta: dict[str, Any] = {}
            if text is None:
                if not isinstance(html, str):
                    raise _Problem(f'{where}field "html" must be a string; got {_json_type(html)}')
                if len(html) > self.max_html_bytes:
                    raise _Problem(f'{where}field "html" {self._too_big(len(html.encode("utf-8", "replace")), True)}')
                page = extract_html(html)
                text = page.text
                meta.update(self.page_meta(path, page.title, page.publisher, page.url, page.date))
            text = normalize_text(text)
            if not text:
                raise _Problem(f"{where}the article text is empty; add the text or remove the record")
            meta.update({k: v for k, v in self.record_meta(obj, label).items() if v is not None})
            ident = default_id
            raw_id = obj.get("id")
            if raw_id is not None:
                if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
                    raise _Problem(f'{where}field "id" must be a string or an integer; got {_json_type(raw_id)}')
                ident = sanitize_id(raw_id)
        except _Problem as exc:
            raise _Problem(exc.message, line) from None
        return self.make_article(ident, text, meta, path)

    def make_article(self, ident: str, text: str, meta: dict[str, Any], path: Path) -> Article:
        return Article(
            id=self.unique_id(ident),
            text=text,
            title=meta.get("title"),
            publisher=meta.get("publisher"),
            url=meta.get("url"),
            published=meta.get("published") or self.published,
            path=str(path),
            locale=meta.get("locale"),
        )


def _one_line(value: str | None) -> str | None:
    """Metadata text: normalised, whitespace collapsed to single spaces, ``None`` if empty."""
    if value is None:
        return None
    value = " ".join(normalize_text(value).split())
    return value or None


def _json_type(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def _short(value: object, n: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= n else text[: n - 1] + "…"
