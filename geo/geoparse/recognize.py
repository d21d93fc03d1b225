"""Find candidate place-name spans: Aho-Corasick over the gazetteer's normalised keys.

The text is cut into tokens (words, abbreviations such as ``U.S.``/``W.Va.``, and
punctuation), each word is normalised with the gazetteer's own ``name_key`` and the
normalised words are joined by single spaces into one search string. Every
gazetteer key is turned into the same token form, so a key can only match whole
tokens, and each match maps back to exact offsets into the original text.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

from geo.atomic import atomic_write_with
from geo.geoparse.context import FACILITY_WORDS, NAME_PARTICLES, is_calendar_word

# Abbreviations with inner dots (U.S., U.K., W.Va., D.C.), words (with inner apostrophes
# but not a possessive 's), numbers, then any other single non-space character.
TOKEN_RE = re.compile(
    r"(?:[A-Z][a-z]{0,2}\.){2,}"
    r"|[^\W\d_]+(?:['’](?![sS]\b)[^\W\d_]+)*"
    r"|\d+(?:[.,:]\d+)*"
    r"|\S"
)
# Words after which a full stop does not end a sentence.
_NO_STOP_AFTER = {
    "mr", "mrs", "ms", "dr", "st", "gen", "gov", "sen", "rep", "lt", "col", "sgt", "capt", "jr",
    "sr", "no", "mt", "ft", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec",
    "prof", "rev", "vs", "etc", "inc", "co", "corp", "maj", "adm", "cmdr", "det", "pvt", "cpl",
}
_OPENERS = set("\"'“‘([«")


class Token:
    """One token of the text with its exact offsets.

    ``cap`` (a word starting with a capital) and ``upper`` (an all-caps word of two or more
    letters) are computed once here: the recogniser and the filters ask them for every token.
    """

    __slots__ = ("start", "end", "text", "word", "cap", "upper", "sent", "sent_start", "line_start")

    def __init__(self, start: int, end: int, text: str, word: bool) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.word = word
        self.cap = word and text[0].isupper()
        self.upper = word and len(text) > 1 and text.isupper()
        self.sent = 0  # sentence number
        self.sent_start = False  # first word of its sentence (or of a line)
        self.line_start = False

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r})"


@dataclass
class Span:
    """A gazetteer key found in the text: tokens ``i..j`` (inclusive) and their offsets."""

    start: int
    end: int
    text: str
    keys: list[str]
    i: int
    j: int
    flags: set[str] = field(default_factory=set)


def tokenize(text: str) -> list[Token]:
    """Tokens with offsets, sentence numbers and sentence-start flags."""
    toks = [Token(m.start(), m.end(), g, g[0].isalpha()) for m in TOKEN_RE.finditer(text) for g in (m.group(),)]
    sent = 0
    new_sentence = True
    new_line = True
    prev_word = ""
    for k, t in enumerate(toks):
        gap = text[toks[k - 1].end : t.start] if k else ""
        if "\n" in gap:
            if not new_sentence:
                sent += 1
            new_sentence = new_line = True
        t.sent = sent
        if t.word:
            t.sent_start = new_sentence
            t.line_start = new_line
            new_sentence = new_line = False
            prev_word = t.text
        elif t.text in ".!?" and not new_sentence:
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            abbrev = prev_word.lower() in _NO_STOP_AFTER or (len(prev_word) == 1 and prev_word.isupper())
            if t.text != "." or not abbrev or (nxt is not None and "\n" in text[t.end : nxt.start]):
                if nxt is None or nxt.start > t.end or nxt.text in _OPENERS or nxt.text in "”’\")":
                    sent += 1
                    new_sentence = True
        elif t.text in _OPENERS and new_sentence:
            pass  # an opening quote keeps the next word sentence-initial
    return toks


def _joinable(text: str, a: Token, b: Token) -> bool:
    """May two word tokens belong to one name? (space or hyphen between, or ``St. Louis``)."""
    gap = text[a.end : b.start]
    if gap in (" ", "-", "‐", "‑", "–") or (gap.isspace() and "\n" not in gap and len(gap) <= 2):
        return True
    return gap.startswith(".") and gap[1:] in (" ", "") and a.text in _DOTTED_NAME_PARTS


_DOTTED_NAME_PARTS = {"St", "Ste", "Ft", "Mt", "Pt", "Sta", "ST", "FT", "MT"}  # "St. Louis", "Ft. Worth", "Mt. Hood"


RECOGNIZER_VERSION = 2  # bump when key forms or the automaton layout change (invalidates caches)


class Recognizer:
    """Aho-Corasick automaton over gazetteer keys in token form; built once, reused."""

    @classmethod
    def cached(cls, keys: Callable[[], Iterable[str]], name_key: Callable[[str], str], path: Path | None) -> Recognizer:
        """Load the automaton from ``path`` (a per-user cache file) or build it and save it there."""
        if path is not None and path.exists():
            try:
                with path.open("rb") as fh:
                    state = pickle.load(fh)
                rec = cls.__new__(cls)
                rec._name_key = name_key
                rec._norm_cache = {}
                rec.automaton, rec._alias, rec.size = state["automaton"], state["alias"], state["size"]
                return rec
            except Exception:  # a corrupt or foreign cache file is rebuilt, never trusted
                pass
        rec = cls(keys(), name_key)
        if path is not None:
            try:
                state = {"automaton": rec.automaton, "alias": rec._alias, "size": rec.size}
                atomic_write_with(path, lambda tmp: tmp.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)))
                for old in path.parent.glob("geoparse-recognizer-*.pickle"):
                    if old != path:
                        old.unlink(missing_ok=True)  # caches of earlier gazetteer versions
            except OSError:
                pass  # a read-only cache only costs the build time
        return rec

    def __init__(self, keys: Iterable[str], name_key: Callable[[str], str]) -> None:
        self._name_key = name_key
        self._norm_cache: dict[str, str] = {}
        auto = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
        self._alias: dict[str, tuple[str, ...]] = {}  # token form -> keys, where they differ
        n = 0
        for key in keys:
            if not key.isascii():
                continue  # English text: keys in other scripts can never match
            form = self.key_form(key)
            if len(form) < 2:
                continue
            if form != key:
                self._alias[form] = self._alias.get(form, ()) + (key,)
            # keys are wrapped in spaces, like the tokens of the search string: matches are token-aligned
            if auto.add_word(f" {form} "):
                n += 1
        auto.make_automaton()
        self._norm_cache.clear()  # key words are not text words: start the text cache empty
        self.automaton = auto
        self.size = n

    def norm(self, word: str) -> str:
        """The normalised form of one word token (cached)."""
        v = self._norm_cache.get(word)
        if v is None:
            v = " ".join(self._name_key(word).split())
            if len(self._norm_cache) < 500_000:
                self._norm_cache[word] = v
        return v

    def key_form(self, key: str) -> str:
        """A gazetteer key in the same token form as the search string."""
        nk = self._name_key
        return " ".join(
            p for p in (" ".join(nk(m.group()).split()) for m in TOKEN_RE.finditer(key) if m.group()[0].isalnum()) if p
        )

    def spans(self, text: str, toks: list[Token]) -> list[Span]:
        """All token-aligned key matches, leftmost-longest, filtered by capitalisation."""
        parts: list[str] = [" "]
        starts: dict[int, int] = {}  # search-string offset of a token's start -> token index
        ends: dict[int, int] = {}
        pos = 1
        prev: Token | None = None
        norm = self.norm
        for idx, t in enumerate(toks):
            if not t.word:
                continue
            if not t.text[0].isupper() and (prev is None or t.text.lower() not in NAME_PARTICLES):
                prev = None  # names start and end with a capital: other lower-case words only separate
                continue
            nt = norm(t.text)
            if not nt:
                prev = None
                continue
            if pos > 1:
                sep = " " if prev is not None and _joinable(text, prev, t) else " \x00 "
                parts.append(sep)
                pos += len(sep)
            starts[pos] = idx
            parts.append(nt)
            pos += len(nt)
            ends[pos] = idx
            prev = t
        parts.append(" ")
        hay = "".join(parts)
        found: list[tuple[int, int, tuple[str, ...]]] = []
        for end_pos, length in self.automaton.iter(hay):
            s, e = end_pos - length + 2, end_pos  # without the wrapping spaces
            i, j = starts.get(s), ends.get(e)
            if i is not None and j is not None and self._shape_ok(toks, i, j):
                form = hay[s:e]
                found.append((i, j, (form,) + self._alias.get(form, ())))
        found.sort(key=lambda f: (-(toks[f[1]].end - toks[f[0]].start), f[0]))
        taken: set[int] = set()
        out: list[Span] = []
        for i, j, keys in found:
            if any(k in taken for k in range(i, j + 1)):
                continue
            taken.update(range(i, j + 1))
            s, e = toks[i].start, toks[j].end
            out.append(Span(s, e, text[s:e], list(keys), i, j))
        out.sort(key=lambda sp: sp.start)
        return out

    @staticmethod
    def _shape_ok(toks: list[Token], i: int, j: int) -> bool:
        """Does the span look like a proper name? (capitalised ends, particles inside)."""
        first, last = toks[i], toks[j]
        if not (first.cap and (last.cap or last.text[:1].isdigit())):
            return False
        words = [t for t in toks[i : j + 1] if t.word]
        for t in words[1:-1]:
            if not t.cap and t.text.lower() not in NAME_PARTICLES:
                return False
        if len(words) == 1:
            w = first.text
            if len(w.rstrip(".")) < 2 or is_calendar_word(w) or w.lower().rstrip(".") in FACILITY_WORDS:
                return False
        return True
