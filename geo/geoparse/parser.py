"""The geoparser: recognise place mentions, resolve them, and choose the incident's location."""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from gazetteer.normalize import NORMALIZE_VERSION, name_key
from geo.geoparse.context import (
    DIRECTION_WORDS,
    FACILITY_WORDS,
    INSTITUTIONS,
    LOCATION_CUES_AFTER,
    ORG_WORDS,
    ORGANISATIONS,
    PERSON_PARTICLES,
    PERSON_TITLES,
    PLACE_PREFIXES,
    SAID_AFTER,
    SAID_BEFORE,
    STREET_WORDS,
    first_names,
    is_calendar_word,
    location_cue_before,
    word_frequency,
)
from geo.geoparse.focus import rank_focus, softmax_scores
from geo.geoparse.recognize import RECOGNIZER_VERSION, Recognizer, Span, Token, tokenize
from geo.geoparse.resolve import Mention, is_admin1, is_country, is_strong, locale_context, prior, resolve
from geo.model import GeoparseResult, Place, Toponym

MAX_CANDIDATES = 15
_QUAL_AFTER = re.compile(
    r"^(?:\s*,\s*|\s*\(\s*|,?\s+(?:in|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:(?:province|governorate|state|region|district|county)\s+of\s+)?)$"
)
_QUAL_BEFORE = re.compile(r"^['’]s\s+(?:[a-z][\w-]*\s+){0,2}$")
_ADMIN_AFTER = re.compile(r"^\s*(?:province|governorate|state|region|district|county|parish|oblast|prefecture)\b", re.I)
_CITY_AFTER = re.compile(r"^\s*(?:city|town|village)\b", re.I)
# Cue words right before a name: "town of X" (strong), "in X" (weak).
_STRONG_CUE_WORDS = frozenset(
    {"town", "village", "city", "province", "governorate", "district", "suburb", "outskirts", "neighbourhood",
     "neighborhood"}
)
_WEAK_CUE_WORDS = frozenset({"in", "near", "outside", "from", "to"})

_STREET_AFTER = re.compile(r"^\s([A-Z][a-z]*\.?)")
_AMPERSAND_AFTER = re.compile(r"^\s*&\s*[A-Z]")
_AMPERSAND_BEFORE = re.compile(r"[A-Z][\w.]*\s*&\s*$")
_DATELINE = re.compile(r"^\s*(?:,\s*[A-Z][\w.]*\s*)?(?:\([A-Z][\w ]{0,20}\)\s*)?(?:[—–]|--|-\s)")
_ARABIC_PARTICLES = {"al", "el", "an", "ash", "as", "ad", "ar", "at", "az", "ibn", "bin", "abu", "umm", "bani", "beni"}
_IN_PLACE_BEFORE = re.compile(r"\b(?:in|near|outside)\s+$")
_SAINT_BEFORE = re.compile(r"\b(?:St|Saint|Ste)\.?\s+$")

_RECOGNIZERS: dict[Any, Recognizer] = {}
_LOCK = threading.Lock()


def _cache_file(gz: Any) -> Path | None:
    """Per-user cache file of the automaton, named for the gazetteer's content (embedded + imports)."""
    try:
        info = gz.info()
    except Exception:  # a gazetteer without info(): build in memory only
        return None
    fp = info.get("fingerprint")
    if not fp or not info.get("path"):
        return None
    imp = Path(info.get("imports_path") or "")
    imp_sig = f"{imp.stat().st_size}:{imp.stat().st_mtime_ns}" if imp.is_file() else "-"
    h = hashlib.sha256(f"{fp}|{imp_sig}|{RECOGNIZER_VERSION}|{NORMALIZE_VERSION}".encode()).hexdigest()[:20]
    return Path(info["path"]).parent / f"geoparse-recognizer-{h}.pickle"


def _recognizer_for(gz: Any) -> Recognizer:
    """One recogniser per gazetteer content (by cache file name), else per gazetteer object."""
    path = _cache_file(gz)
    key: Any = str(path) if path is not None else id(gz)
    with _LOCK:
        rec = _RECOGNIZERS.get(key)
        if rec is None:
            rec = Recognizer.cached(gz.iter_keys, name_key, path)
            _RECOGNIZERS[key] = rec
        return rec


def to_place(c: Any) -> Place:
    """A model Place from a gazetteer Candidate (all provenance kept)."""
    return Place(
        name=c.name,
        lat=float(c.lat),
        lon=float(c.lon),
        country_code=c.country_code,
        country=c.country_name,
        admin1=c.admin1_name,
        feature_class=c.feature_class,
        feature_code=c.feature_code,
        population=c.population,
        place_id=c.id,
        geonameid=c.geonameid,
        source=c.source,
    )


class Geoparser:
    """Recognise and resolve place mentions in English news text; rank the incident's location.

    The recogniser (an Aho-Corasick automaton over every gazetteer key) is built
    once per gazetteer and reused for every document.
    """

    def __init__(self, gazetteer: Any | None = None) -> None:
        if gazetteer is None:
            from gazetteer import Gazetteer

            gazetteer = Gazetteer.open()
        self.gazetteer = gazetteer
        self.recognizer = _recognizer_for(gazetteer)
        first_names()  # load the word-frequency and given-name lists now, not inside the first parse
        self._cands: dict[tuple[str, ...], list[Any]] = {}
        self._fuzzy: dict[tuple[str, bool], list[Any]] = {}
        self._locales: dict[str, list[tuple]] = {}
        self.trace: list[tuple[int, int, str, str]] | None = None  # set to [] to record dropped spans

    # ----- candidates ---------------------------------------------------------------------------
    def _candidates(self, keys: list[str]) -> list[Any]:
        k = tuple(keys)
        got = self._cands.get(k)
        if got is None:
            seen: dict[Any, Any] = {}
            for key in keys:
                for c in self.gazetteer.lookup_key(key):
                    seen.setdefault(c.id, c)
            got = sorted(seen.values(), key=lambda c: -prior(c))[:MAX_CANDIDATES]
            if len(self._cands) > 100_000:
                self._cands.clear()
            self._cands[k] = got
        return list(got)

    def _prefetch(self, spans: list[Span]) -> None:
        """Fetch the candidates of every span not yet cached with one batched gazetteer query."""
        todo = list(dict.fromkeys(tuple(sp.keys) for sp in spans if sp.keys and tuple(sp.keys) not in self._cands))
        lookup_keys = getattr(self.gazetteer, "lookup_keys", None)
        if not todo or lookup_keys is None:
            return
        found = lookup_keys(k for keys in todo for k in keys)
        if len(self._cands) > 100_000:
            self._cands.clear()
        for keys in todo:
            seen: dict[Any, Any] = {}
            for key in keys:
                for c in found.get(key, ()):
                    seen.setdefault(c.id, c)
            self._cands[keys] = sorted(seen.values(), key=lambda c: -prior(c))[:MAX_CANDIDATES]

    def _fuzzy_candidates(self, name: str, fuzzy: bool = True) -> list[Any]:
        """Exact, variant and (with ``fuzzy``) fuzzy candidates of a name the automaton did not find."""
        got = self._fuzzy.get((name, fuzzy))
        if got is None:
            got = list(self.gazetteer.candidates(name, limit=10, fuzzy=fuzzy))
            if len(self._fuzzy) > 100_000:
                self._fuzzy.clear()
            self._fuzzy[(name, fuzzy)] = got
        return list(got)

    # ----- parse ---------------------------------------------------------------------------------
    def parse(self, text: str, article_id: str | None = None, title: str | None = None,
              focus: bool = True, locale: str | None = None) -> GeoparseResult:
        """All place mentions of ``text`` (offsets into it) and, with ``focus``, the ranked incident locations.

        ``locale``: where the publisher reports from ("Dublin, Ohio", "Kentucky", "Syria"); it
        counts as one more mention of that place when names are ambiguous (a local paper's
        "Dublin" is Dublin, Ohio), never as a mention of its own.
        """
        mentions = self._mentions(text, self._locale_entries(locale))
        return self._result(text, title, mentions, focus)

    def _locale_entries(self, locale: str | None) -> list[tuple]:
        if not locale or not locale.strip():
            return []
        got = self._locales.get(locale)
        if got is None:
            got = locale_context([m for m in self._mentions(locale.strip(), []) if m.chosen is not None])
            if len(self._locales) > 10_000:
                self._locales.clear()
            self._locales[locale] = got
        return got

    def _mentions(self, text: str, hints: list[tuple]) -> list[Mention]:
        """Recognised, filtered and resolved mentions of ``text`` (``hints``: context from a locale)."""
        toks = tokenize(text)
        spans = self.recognizer.spans(text, toks)
        self._prefetch(spans)
        extra = self._cue_spans(text, toks, spans)
        if extra:
            spans = [s for s in spans if not any(x.i <= s.i and s.j <= x.j for x in extra)] + extra
        spans.sort(key=lambda s: s.start)
        _UPPER_MEMO.clear()
        mentions = self._filter(text, toks, spans)
        self._link(text, mentions)
        resolve(mentions, hints)
        return mentions

    def _cue_spans(self, text: str, toks: list[Token], spans: list[Span]) -> list[Span]:
        """Capitalised names the gazetteer lacks under an exact key, found through its variant lookup.

        After a strong cue ("town of", "village of", "… province") any candidate counts, fuzzy
        ones included (the mention then stays unresolved, with its candidates). After a plain
        preposition ("in", "near", "at") only transliteration variants count ("Maarat al-Numan"
        for GeoNames' "Ma'arrat an Nu'man"). A found name replaces the shorter spans inside it.
        """
        span_of = {k: s for s in spans for k in range(s.i, s.j + 1)}
        out: list[Span] = []
        k = 0
        n = len(toks)
        while k < n:
            t = toks[k]
            if not (t.cap and t.word) or t.sent_start or t.upper or (k in span_of and span_of[k].i != k):
                k += 1
                continue
            ends = [k]
            j = k
            while j + 1 < n and len(ends) < 5:
                nx = toks[j + 1]
                gap = text[toks[j].end : nx.start]
                if gap not in ("", " "):
                    break
                if nx.text in "-‐" and gap == "" and j + 2 < n and toks[j + 2].word:
                    j += 1  # a hyphen inside the name: "al-Numan"
                    continue
                if not nx.word or is_calendar_word(nx.text) or nx.text.lower() in ORG_WORDS:
                    break
                if nx.cap:
                    j += 1
                    ends.append(j)
                elif nx.text.lower() in _ARABIC_PARTICLES:
                    j += 1
                else:
                    break
            strong_before, weak_before = _cue_before(text, toks, k)
            found = None
            for e in reversed(ends):
                name = text[t.start : toks[e].end]
                after = text[toks[e].end : toks[e].end + 20]
                strong_cue = strong_before or bool(_ADMIN_AFTER.match(after))
                low = name.lower()
                if not (strong_cue or weak_before) or low in ORG_WORDS or is_calendar_word(name) \
                        or word_frequency(low) >= 4.0 or len(name) < 4:
                    continue
                if k in span_of and e <= span_of[k].j:
                    continue  # the recogniser's own span is as long
                cands = self._fuzzy_candidates(name, fuzzy=strong_cue)
                if not strong_cue:  # a plain preposition: only a close transliteration variant
                    key = name_key(name)
                    cands = [c for c in cands if c.match == "variant"
                             and fuzz.ratio(key, name_key(c.matched or c.name)) >= 85]
                if cands:
                    found = (e, name, cands)
                    break
            if found is None:
                k += 1
                continue
            e, name, cands = found
            sp = Span(t.start, toks[e].end, name, [], k, e, {"cue-only"})
            sp.cands = cands  # type: ignore[attr-defined]
            out.append(sp)
            k = e + 1
        return out

    def _filter(self, text: str, toks: list[Token], spans: list[Span]) -> list[Mention]:
        """Keep spans that are place mentions in context; drop people, calendar and common words."""
        surnames: set[str] = set()
        title_lines: set[int] | None = None  # computed on first use
        location_use: dict[str, bool] = {}
        low_text = text.lower()

        def used_as_place(name: str) -> bool:
            got = location_use.get(name.lower())
            if got is None:
                got = location_use[name.lower()] = _has_location_use(text, name, low_text)
            return got

        span_at = {s.i: s for s in spans}
        given = first_names()
        kept: list[tuple[Span, list[Any]]] = []
        for sp in spans:
            cands = getattr(sp, "cands", None)
            if cands is None:
                cands = self._candidates(sp.keys)
            first = toks[sp.i]
            words = [t for t in toks[sp.i : sp.j + 1] if t.word]
            single = len(words) == 1
            w = first.text.lower().rstrip(".")
            # an all-caps token is an abbreviation or a shouted word: "US" is not the pronoun "us"
            freq = word_frequency(w) if single and not first.upper else 0.0
            if single:
                if w in DIRECTION_WORDS or w in PERSON_TITLES or w in ORGANISATIONS or freq >= 6.0:
                    self._drop(sp, "direction, title, organisation or function word")
                    continue
                if freq >= 4.5:
                    # an alternate name that is a common English word ("The" for Teresina) is not trusted,
                    # unless it names a country or first-level region ("Britain", "America", "Ill.")
                    dotted = text[sp.end : sp.end + 1] == "."
                    cands = [c for c in cands if name_key(c.name) == sp.keys[0] or c.match == "demonym"
                             or (c.match == "abbreviation" and (first.upper or dotted))
                             or (_is_major(c) and c.match != "abbreviation" and freq < 5.5)]
            if not cands:
                self._drop(sp, "no trusted candidate")
                continue
            if sp.text.lower() in INSTITUTIONS:
                self._drop(sp, "seat of government standing for the government ('the White House said')")
                continue
            strong = any(is_strong(c) for c in cands[:6])
            major = any(_is_major(c) for c in cands[:6])
            before = text[max(0, sp.start - 60) : sp.start]
            after = text[sp.end : sp.end + 30]
            nxt_word = _STREET_AFTER.match(after)
            if single and nxt_word and nxt_word.group(1).lower().rstrip(".") in STREET_WORDS and not major:
                self._drop(sp, f"street name ('{nxt_word.group(1)}')")
                continue
            if first.text == "The" and not any(c.name.startswith("The ") for c in cands[:6]):
                if not (strong and sp.j > sp.i):
                    self._drop(sp, "starts with 'The' but no place of that name does")
                    continue
                # "The United States said": the article is not part of the name
                nt = toks[sp.i + 1]
                sp = Span(nt.start, sp.end, text[nt.start : sp.end], sp.keys, sp.i + 1, sp.j, sp.flags)
                first = nt
                single = sp.i == sp.j
            if not major and (_AMPERSAND_AFTER.match(after) or _AMPERSAND_BEFORE.search(before)):
                self._drop(sp, "part of a firm name with '&'")
                continue
            if not strong and _hyphen_compound_with_name(
                text, toks, sp, span_at, lambda o: any(is_strong(c) for c in self._candidates(o.keys)[:6])
            ):
                self._drop(sp, "part of a hyphenated name ('Wal-Mart')")
                continue
            if _SAINT_BEFORE.search(before) and not major:
                self._drop(sp, "saint's name ('St. Patrick')")
                continue
            cue = bool(location_cue_before(before)) or bool(_ADMIN_AFTER.match(after))
            prev = _prev_word(toks, sp.i)
            nxt = _next_word(toks, sp.j)
            # all-caps acronyms (HTS, AFP, PKK) only count as their own abbreviation or a major place
            if single and first.upper and len(first.text.rstrip(".")) <= 5 and not _line_is_upper(text, first) \
                    and not (first.sent_start and _DATELINE.match(after)):
                cands = [c for c in cands if c.match == "abbreviation" or _is_major(c)
                         or (c.population or 0) >= 1_000_000]
                if not cands:
                    self._drop(sp, "all-caps acronym without a matching abbreviation")
                    continue
                strong = major = True
            person = self._person_reason(text, toks, sp, prev, nxt, strong, major, given, span_at) if single else None
            if person:
                if not strong or person.startswith(("after title", "after initial", "after given")):
                    surnames.add(sp.text.lower())
                self._drop(sp, "person: " + person)
                continue
            if sp.text.lower() in surnames and not (cue and major) and not used_as_place(sp.text):
                self._drop(sp, "surname of a person named earlier")
                continue
            if single and not major and not cue and freq >= 4.8 and not any((c.population or 0) >= 500_000 for c in cands[:6]):
                self._drop(sp, "frequent English word without a location cue")
                continue
            if single and not strong and not cue:
                if freq >= 4.5:
                    self._drop(sp, "common word, small place, no cue")
                    continue
                if freq >= 3.5 and title_lines is None:
                    title_lines = _title_case_lines(text, toks)
                if freq >= 3.5 and (first.sent_start or first.sent in title_lines):
                    self._drop(sp, "sentence-initial or headline word, small place, no cue")
                    continue
                if (SAID_AFTER.match(after) or SAID_BEFORE.search(before)) and not (
                    nxt is not None and nxt.cap and nxt.text.lower().rstrip(".") in (FACILITY_WORDS | PERSON_TITLES)
                ):
                    self._drop(sp, "subject/object of said, small place (read as a person)")
                    continue
            kept.append((sp, cands))
        for name in list(surnames):
            if used_as_place(name):
                surnames.discard(name)
        mentions: list[Mention] = []
        for sp, cands in kept:
            if sp.text.lower() in surnames and not any(_person_proof(c) for c in cands[:3]):
                self._drop(sp, "surname of a person named in the text")
                continue
            if text[sp.end : sp.end + 1] == "." and sp.i == sp.j and not sp.text.endswith(".") \
                    and cands and cands[0].match == "abbreviation" and toks[sp.i].text[:1].isupper():
                sp = Span(sp.start, sp.end + 1, text[sp.start : sp.end + 1], sp.keys, sp.i, sp.j, sp.flags)
            m = Mention(sp, cands)
            m.demonym = all(c.match == "demonym" for c in cands[:3])
            after = text[sp.end : sp.end + 30]
            m.admin_cue = bool(_ADMIN_AFTER.match(after))
            m.city_cue = bool(_CITY_AFTER.match(after))
            mentions.append(m)
        return mentions

    def _drop(self, sp: Span, reason: str) -> None:
        if self.trace is not None:
            self.trace.append((sp.start, sp.end, sp.text, reason))

    def _person_reason(self, text: str, toks: list[Token], sp: Span, prev: Token | None, nxt: Token | None,
                       strong: bool, major: bool, given: frozenset[str], span_at: dict[int, Span]) -> str | None:
        """Why the span reads as (part of) a person's name, or None.

        Only countries, continents and large capitals/regions (``_person_proof``) are immune:
        "President Vladimir Putin", "Stanley Uzoaru" and "Paul Francis Floyd" are people even
        though Vladimir, Stanley and Paul are also first-level regions or capitals somewhere.
        """
        first, last = toks[sp.i], toks[sp.j]
        cands = self._candidates(sp.keys)[:6]
        if prev is not None and prev.cap and prev.text.lower().rstrip(".") in PERSON_TITLES \
                and text[prev.end : first.start].strip(" .") == "" and not any(is_country(c) for c in cands):
            return f"after title '{prev.text}'"
        if any(_person_proof(c) for c in cands):
            return None
        if prev is not None:
            gap = text[prev.end : first.start]
            pw = prev.text.lower().rstrip(".")
            if len(prev.text) == 1 and prev.text.isupper() and gap == ". ":
                return f"after initial '{prev.text}.'"
            if gap == " " and prev.cap and pw in given and not _line_is_upper(text, prev):
                return f"after given name '{prev.text}'"
            if gap == " " and prev.cap and pw not in PLACE_PREFIXES and pw not in FACILITY_WORDS and not prev.upper \
                    and not (prev.sent_start and word_frequency(pw) >= 5.0):
                ps = span_at.get(_index_of(toks, prev))
                if ps is None and not strong:
                    return f"after capitalised '{prev.text}'"
                if ps is not None and ps.i == ps.j and not any(is_strong(c) for c in self._candidates(ps.keys)[:6]) \
                        and not strong:
                    return f"after name-like '{prev.text}'"
        # "Abu Bakr al-Baghdadi", "Tahrir al-Sham": a particle joins it to a preceding name
        k = sp.i - 1
        while k >= 0 and not toks[k].word and toks[k].text in "-‐‑":
            k -= 1
        if 0 <= k < sp.i and toks[k].word and toks[k].text.lower() in PERSON_PARTICLES and not major:
            pp = _prev_word(toks, k)
            if pp is not None and pp.cap and text[pp.end : toks[k].start] == " ":
                return f"after '{pp.text} {toks[k].text}-'"
        if nxt is not None and text[last.end : nxt.start] == " " and nxt.cap and not _line_is_upper(text, nxt):
            if _person_run_after(text, toks, sp.j) and (
                not strong or (sp.i == sp.j and first.text.lower() in given)
            ):
                return f"given name before '{nxt.text}'"
            ns = span_at.get(_index_of(toks, nxt))
            if ns is not None and ns.i == ns.j and sp.i == sp.j and not strong \
                    and nxt.text.lower() not in FACILITY_WORDS and not LOCATION_CUES_AFTER.match(
                " " + nxt.text
            ) and not any(_is_major(c) for c in self._candidates(ns.keys)[:6]):
                return f"name-like pair with '{nxt.text}'"
        return None

    @staticmethod
    def _link(text: str, mentions: list[Mention]) -> None:
        """Attach qualifiers: "Tripoli, Lebanon", "Atme, in Syria's Idlib province", "Syria's Idlib"."""
        for a, b in zip(mentions, mentions[1:]):
            gap = text[a.span.end : b.span.start]
            if len(gap) <= 60 and _QUAL_AFTER.match(gap):
                a.qualifiers.append(b)
            if _QUAL_BEFORE.match(gap):
                b.qualifiers.append(a)
        # "Atme, in Syria's Idlib province": Idlib also qualifies Atme
        for a, b, c in zip(mentions, mentions[1:], mentions[2:]):
            if b in a.qualifiers and a in c.qualifiers:
                pass
            if b in a.qualifiers and b in c.qualifiers and c not in a.qualifiers:
                a.qualifiers.append(c)

    def _result(self, text: str, title: str | None, mentions: list[Mention], focus: bool = True) -> GeoparseResult:
        toponyms: list[Toponym] = []
        by_mention: dict[int, Toponym] = {}
        for m in mentions:
            place = to_place(m.chosen) if m.chosen is not None else None
            reasons = list(m.reasons)
            if m.chosen is None:
                reasons.append(f"unresolved: {m.unresolved_reason}")
            elif m.demonym:
                reasons.append("demonym/adjective resolved to its country")
            if m.qualifiers and m.chosen is not None:
                reasons.append("qualified by " + ", ".join(q.span.text for q in m.qualifiers))
            cands = [to_place(c) for c in m.cands[:5]] if m.chosen is None else [to_place(c) for c in m.cands[1:4]]
            t = Toponym(m.span.start, m.span.end, m.span.text, place, m.score, cands, False, reasons)
            toponyms.append(t)
            by_mention[id(m)] = t
        if not focus:
            return GeoparseResult(toponyms=toponyms)
        ranked = rank_focus(mentions, text, title)
        probs = softmax_scores(ranked)
        ranked_toponyms = []
        for (m, _s, reasons), p in zip(ranked, probs):
            base = by_mention[id(m)]
            ranked_toponyms.append(Toponym(base.start, base.end, base.name, base.place, p, [], True, list(reasons)))
        return GeoparseResult(toponyms=toponyms, focus=ranked_toponyms)


def _cue_before(text: str, toks: list[Token], k: int) -> tuple[bool, bool]:
    """Is token ``k`` right after "town of"/"province of"/… (strong) or "in"/"near"/"from"/… (weak)?"""
    if k == 0 or not text[toks[k - 1].end : toks[k].start].isspace():
        return False, False
    prev = toks[k - 1].text
    low = prev.lower()
    if prev.islower() and low in _WEAK_CUE_WORDS:
        return False, True
    strong = (low == "of" and k >= 2 and toks[k - 2].text.lower() in _STRONG_CUE_WORDS
              and text[toks[k - 2].end : toks[k - 1].start].isspace())
    return strong, False


def _has_location_use(text: str, name: str, low: str | None = None) -> bool:
    """Does the name occur somewhere with a location cue ("in Maryville", "Alexandria, Va.")?

    ``low``: ``text.lower()`` when the caller has it (searched with ``str.find``, the same
    whole-word, case-blind matches as a regular expression with ``\\b``, much faster).
    """
    low = text.lower() if low is None else low
    if len(low) != len(text):  # lower-casing changed offsets (rare letters such as "İ"): use the regex
        starts = [(m.start(), m.end()) for m in re.finditer(r"\b" + re.escape(name) + r"\b", text, re.IGNORECASE)]
    else:
        needle = name.lower()
        starts = []
        i = low.find(needle)
        while i >= 0:
            j = i + len(needle)
            if _word_boundary(low, i) and _word_boundary(low, j):
                starts.append((i, j))
            i = low.find(needle, i + 1)
    for i, j in starts:
        before = text[max(0, i - 60) : i]
        after = text[j : j + 30]
        if _IN_PLACE_BEFORE.search(before) or _ADMIN_AFTER.match(after):
            return True
    return False


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _word_boundary(s: str, p: int) -> bool:
    """``\\b`` at offset ``p`` of ``s``."""
    a = p > 0 and _is_word_char(s[p - 1])
    b = p < len(s) and _is_word_char(s[p])
    return a != b


def _hyphen_compound_with_name(text: str, toks: list[Token], sp: Span, span_at: dict[int, Span],
                               strong_span: Any = None) -> bool:
    """Is the span glued by a hyphen to a capitalised word that is not a prominent place?

    "Wal-Mart" and "Chabad-Shadyside" are names; "Egypt-US relations" and "D-Beachwood"
    (a party and home town) are not dropped.
    """
    i, j = sp.i, sp.j
    ends = {s.j: s for s in span_at.values()}

    def other_is_name(k: int, other: Span | None) -> bool:
        if not toks[k].cap or len(toks[k].text) < 2:
            return False
        return other is None or (strong_span is not None and not strong_span(other))

    if j + 2 < len(toks) and toks[j + 1].text == "-" and toks[j + 1].start == toks[j].end \
            and toks[j + 2].start == toks[j + 1].end and other_is_name(j + 2, span_at.get(j + 2)):
        return True
    if i >= 2 and toks[i - 1].text == "-" and toks[i - 1].end == toks[i].start \
            and toks[i - 2].end == toks[i - 1].start and other_is_name(i - 2, ends.get(i - 2)):
        return True
    return False


def _person_proof(c: Any) -> bool:
    """Places too prominent to be read as a person's name: countries, continents, big capitals/regions."""
    code = c.feature_code or ""
    return is_country(c) or code == "CONT" or c.match in ("demonym", "abbreviation") or (
        code in ("PPLC", "ADM1", "RGN") and (c.population or 0) >= 1_000_000
    )


def _is_major(c: Any) -> bool:
    """Countries, first-level regions, continents, capitals, demonyms and abbreviations."""
    return is_country(c) or is_admin1(c) or (c.feature_code or "") in ("CONT", "PPLC", "RGN") \
        or c.match in ("demonym", "abbreviation")


def _person_run_after(text: str, toks: list[Token], j: int) -> bool:
    """Is the span followed by a capitalised run that reads as the rest of a person's name?

    True for "Rami [Abdel Rahman]", "Dwight [D. Eisenhower]"; false when the run holds an
    organisation or facility word ("Cottonport [Fire Station]", "Fargo [Mayor]").
    """
    run: list[Token] = []
    k = j + 1
    while k < len(toks) and len(run) < 4:
        t = toks[k]
        gap = text[toks[k - 1].end : t.start]
        if t.word and t.cap and gap in (" ", "") and not t.upper and not is_calendar_word(t.text):
            run.append(t)
            k += 1
        elif t.word and t.text.lower() in PERSON_PARTICLES and gap == " ":
            k += 1
            if k < len(toks) and toks[k].text in "-‐" and toks[k].start == t.end:
                k += 1  # "al-Assad"
        elif t.text == "." and run and len(run[-1].text) == 1:
            k += 1  # an initial: "D."
        else:
            break
    if not run:
        return False
    words = {t.text.lower().rstrip(".") for t in run}
    if words & (FACILITY_WORDS | PERSON_TITLES | PLACE_PREFIXES):
        return False
    if LOCATION_CUES_AFTER.match(" " + run[0].text):
        return False
    return True


def _prev_word(toks: list[Token], i: int) -> Token | None:
    k = i - 1
    while k >= 0 and not toks[k].word and toks[k].text == ".":
        k -= 1
    return toks[k] if k >= 0 and toks[k].word and toks[k].sent == toks[i].sent else None


def _next_word(toks: list[Token], j: int) -> Token | None:
    k = j + 1
    return toks[k] if k < len(toks) and toks[k].word and toks[k].sent == toks[j].sent else None


def _index_of(toks: list[Token], t: Token) -> int:
    # tokens are unique objects; binary search on start
    lo, hi = 0, len(toks) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if toks[mid].start < t.start:
            lo = mid + 1
        elif toks[mid].start > t.start:
            hi = mid - 1
        else:
            return mid
    return -1


_UPPER_MEMO: dict[tuple[int, int], bool] = {}


def _line_is_upper(text: str, t: Token) -> bool:
    """Is the token's line mostly upper case (a shouted headline, where caps mean nothing)?"""
    a = text.rfind("\n", 0, t.start) + 1
    b = text.find("\n", t.end)
    b = b if b >= 0 else len(text)
    memo_key = (id(text), a)
    got = _UPPER_MEMO.get(memo_key)
    if got is None:
        line = text[a:b]
        letters = sum(map(str.isalpha, line))
        upper = sum(map(str.isupper, line))
        got = letters > 12 and upper / letters > 0.8
        if len(_UPPER_MEMO) > 10_000:
            _UPPER_MEMO.clear()
        _UPPER_MEMO[memo_key] = got
    return got


def _title_case_lines(text: str, toks: list[Token]) -> set[int]:
    """Sentence numbers of headline-style sentences where most words are capitalised."""
    by_sent: dict[int, list[Token]] = {}
    for t in toks:
        if t.word:
            by_sent.setdefault(t.sent, []).append(t)
    out = set()
    for s, ws in by_sent.items():
        long = [t for t in ws if len(t.text) > 3]
        if len(long) >= 3 and sum(t.cap for t in long) / len(long) >= 0.8:
            out.add(s)
    return out
