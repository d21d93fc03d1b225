"""Sentence boundaries as character spans (offsets stay valid for evidence)."""

from __future__ import annotations

import re

# Words after which a full stop does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "cpt", "sgt", "adm", "gov",
    "sen", "rep", "st", "jr", "sr", "no", "nos", "vs", "etc", "inc", "ltd", "co", "corp", "dept",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mt", "ft", "approx", "est", "fig", "al", "rev", "hon", "pres", "brig", "cmdr", "cdr",
}
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+)|(?<=[a-z0-9])[.!?](?=[A-Z][a-z])|\n\s*\n|\n")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; returns ``(start, end)`` spans with surrounding blanks trimmed.

    A line break always ends a sentence (headlines, captions); ``.``/``!``/``?`` end one unless
    they follow a known abbreviation ("Nov.", "Dr.") or an initial ("U.S.", "D.").
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if m.group(0)[0] == ".":
            before = re.search(r"([A-Za-z]+)\.?$", text[start : m.start()] + "")
            word = before.group(1) if before else ""
            nxt = re.match(r"\s+(\S)", text[end:])
            if word.lower() in _ABBREV or (len(word) == 1 and word.isupper()):
                # "U.S. forces" continues; "in the U.S. The next…" is rare enough to accept.
                if not (nxt and nxt.group(1).isupper() and word.lower() not in _ABBREV and len(word) > 1):
                    continue
            if nxt and nxt.group(1).islower():
                continue
        _add(text, start, end, spans)
        start = end
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg) - len(seg.rstrip())
    s, e = start + lead, end - trail
    if e > s:
        spans.append((s, e))


def sentence_at(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence span containing character ``pos`` (or the nearest one before it)."""
    best = spans[0] if spans else (0, 0)
    for s, e in spans:
        if s <= pos:
            best = (s, e)
        if s <= pos < e:
            return (s, e)
    return best
