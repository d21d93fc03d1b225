"""The one reader of the scorers' JSONL line format ``{"id": …, "text": …, "published"?, "title"?, "locale"?}``.

Used by ``conflictmap geoparse`` and ``conflictmap extract``; article folders go through
:mod:`geo.articles` instead (which also invents ids for lines without one).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from geo.errors import InputError
from geo.validate import parse_published


@dataclass(frozen=True)
class Record:
    """One input line. ``id`` is kept as given (string or integer) so outputs echo it unchanged."""

    id: str | int
    text: str
    published: dt.date | None = None
    title: str | None = None
    locale: str | None = None  # the publisher's place ("Dublin, Ohio"): a hint for ambiguous names


def parse_record(line: str, where: str) -> Record:
    """Parse one line; raises InputError naming ``where`` (``FILE:LINE``) and what to fix."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); each line must be one "
                         "JSON object — fix or remove the line") from None
    if not isinstance(obj, dict):
        raise InputError(f"{where}: got a JSON {type(obj).__name__}; each line must be an object with \"id\" and \"text\"")
    if "id" not in obj:
        raise InputError(f"{where}: the object has no 'id'; add one")
    rid, text = obj.get("id"), obj.get("text")
    if isinstance(rid, bool) or not isinstance(rid, (str, int)) or rid == "":
        raise InputError(f"{where}: \"id\" must be a non-empty string or integer, got {rid!r}")
    if not isinstance(text, str):
        raise InputError(f"{where}: 'text' must be a string, got {type(text).__name__}")
    pub = obj.get("published")
    published = parse_published(pub, what=f'{where}: "published"') if pub not in (None, "") else None
    title = obj.get("title") if isinstance(obj.get("title"), str) else None
    locale = obj.get("locale")
    if locale is not None and not isinstance(locale, str):
        raise InputError(f"{where}: \"locale\" must be a place name (a string) or null, got {type(locale).__name__}")
    return Record(rid, text, published, title, locale.strip() or None if locale else None)


def records(src: IO[str], name: str, report: Callable[[InputError], None]) -> Iterator[Record]:
    """The records of ``src``'s non-blank lines; a bad line goes to ``report`` (named ``NAME:LINE``) and is skipped."""
    for lineno, line in enumerate(src, 1):
        if not line.strip():
            continue
        try:
            yield parse_record(line, f"{name}:{lineno}")
        except InputError as exc:
            report(exc)
