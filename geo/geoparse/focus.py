"""Choose the incident's own location among the resolved mentions, and say why.

Each mention earns points for being specific (a town beats a province beats a
country), for location cues ("town of", "near", "in"), for the headline, dateline
and lead, and for being repeated; it loses points in photo captions, as an
organisation modifier ("Washington-based"), as a demonym, and in background
clauses that carry another year ("the 2019 raid"). Places that contain a more
specific candidate (the country or province around the town) rank below it.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geo.extract.sentences import split_sentences
from geo.geoparse.context import (
    BACKGROUND_YEAR,
    CAPTION_MARK,
    LOCATION_CUES_AFTER,
    MODIFIER_AFTER,
    location_cue_before,
)
from geo.geoparse.resolve import Mention, is_admin1, is_country, is_region

_NEAR_CUE = re.compile(r"\b(?:near|outside|nearby|around)\b", re.IGNORECASE)
_STRONG_CUE = re.compile(
    r"\b(?:of|besieged|shelled|struck|hit|attacked|captured|bombed|raided|targeted|"
    r"stormed|seized|entered)\b", re.IGNORECASE
)
_DATELINE_AFTER = re.compile(r"^\s*(?:,\s*[A-Z][\w.]*\s*)?(?:\([A-Z][\w ]{0,20}\)\s*)?(?:[—–-]{1,2}|:)")


@dataclass
class _PlaceVote:
    key: str
    mentions: list[Mention] = field(default_factory=list)
    positive: list[float] = field(default_factory=list)
    bonus: float = 0.0
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def specificity(c: Any) -> tuple[float, str]:
    """Points for how precise a place is, and its kind in words."""
    code = c.feature_code or ""
    if is_country(c):
        return 0.5, "country"
    if code == "CONT" or (is_region(c) and not code.startswith("ADM")):
        return 0.0, "region or water body"
    if is_admin1(c):
        return 1.2, "province"
    if code.startswith("ADM"):
        return 1.8, "district"
    if c.feature_class == "P":
        return 3.0, "town"
    return 1.5, "site"


@lru_cache(maxsize=8)
def _sentences(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    spans = split_sentences(text) or [(0, len(text))]
    return [a for a, _ in spans], spans


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """``(start, end)`` of the sentence holding ``pos`` (the extraction's sentence splitter)."""
    starts, spans = _sentences(text)
    return spans[max(bisect_right(starts, pos) - 1, 0)]


def _lead(text: str, skip_first_line: bool) -> tuple[int, int]:
    """Offsets of the lead: the first paragraph that is neither the headline nor a photo caption."""
    pos = 0
    paras = []
    for para in text.split("\n"):
        if para.strip():
            paras.append((pos, pos + len(para)))
        pos += len(para) + 1
    for k, (a, b) in enumerate(paras):
        if k == 0 and skip_first_line:
            continue
        if CAPTION_MARK.search(text[a:b]):
            continue
        return a, min(b, a + 600)
    return 0, min(len(text), 600)


def mention_votes(m: Mention, text: str, headline: str, lead_start: int, lead_end: int) -> tuple[float, list[str]]:
    """Points and reasons of one mention as the incident's location."""
    c = m.chosen
    pts, kind = specificity(c)
    reasons: list[str] = []
    s, e = m.span.start, m.span.end
    before = text[max(0, s - 60) : s]
    after = text[e : e + 40]
    if m.demonym:
        return -5.0, ["demonym/adjective"]
    if MODIFIER_AFTER.match(after):
        return -5.0, [f"modifier '{text[s:e]}{after.split()[0] if after.split() else ''}'"]
    ss, se = _sentence_bounds(text, s)
    sentence = text[ss:se]
    if CAPTION_MARK.search(sentence) or CAPTION_MARK.search(text[se : se + 80].split("\n")[0]):
        return -4.0, ["photo caption"]
    cue = location_cue_before(before)
    if cue:
        words = " ".join(cue.group(0).split())
        pts += 2.0 if _STRONG_CUE.search(words) else 1.5 if _NEAR_CUE.search(words) else 1.0
        reasons.append(f"cue '{words}'")
    if LOCATION_CUES_AFTER.match(after):
        pts += 0.3
    if lead_start <= s < lead_end:
        pts += 1.0
        reasons.append("in lead")
    line_start = text.rfind("\n", 0, s) + 1
    if s - line_start <= 2 and text[s:e].isupper() and _DATELINE_AFTER.match(after):
        pts += 1.0
        reasons.append("in dateline")
    if headline and re.search(r"\b" + re.escape(text[s:e]) + r"\b", headline):
        pts += 1.5
        reasons.append("in headline")
    clause = text[max(ss, s - 80) : min(se, e + 60)]
    if BACKGROUND_YEAR.search(clause):
        pts -= 1.5
        reasons.append("background clause with a year")
    return pts, reasons


def _contains(outer: Any, inner: Any) -> bool:
    if outer is inner or outer.id == inner.id:
        return False
    if is_country(outer):
        return bool(inner.country_code) and inner.country_code == outer.country_code and not is_country(inner)
    if is_admin1(outer):
        return (
            inner.country_code == outer.country_code
            and bool(inner.admin1_code)
            and str(inner.admin1_code) == str(outer.admin1_code)
            and not is_admin1(inner)
            and not is_country(inner)
        )
    return False


def rank_focus(mentions: list[Mention], text: str, title: str | None) -> list[tuple[Mention, float, list[str]]]:
    """Ranked (representative mention, score, reasons) for the incident's location, best first."""
    headline = title or ""
    first_line = text.split("\n", 1)[0]
    if not headline and len(first_line) < 200 and not first_line.rstrip().endswith("."):
        headline = first_line
    lead_start, lead_end = _lead(text, headline == first_line)
    votes: dict[str, _PlaceVote] = {}
    pts_of: dict[int, float] = {}
    for m in mentions:
        if m.chosen is None:
            continue
        key = m.chosen.id
        v = votes.setdefault(key, _PlaceVote(key))
        pts, reasons = mention_votes(m, text, headline, lead_start, lead_end)
        pts_of[id(m)] = pts
        v.mentions.append(m)
        if pts > 0:
            v.positive.append(pts)
            v.reasons.extend(r for r in reasons if r not in v.reasons)
        elif not v.reasons:
            v.reasons.extend(reasons)
    first = next((m for m in mentions if m.chosen is not None and pts_of.get(id(m), 0) > 0
                  and lead_start <= m.span.start < lead_end and specificity(m.chosen)[0] >= 1.8
                  and any(r.startswith("cue ") for r in mention_votes(m, text, headline, lead_start, lead_end)[1])),
                 None)
    if first is not None:
        v = votes[first.chosen.id]
        v.bonus += 0.5
        v.reasons.append("first place named in the lead")
    for v in votes.values():
        # the best mention counts in full; repetition adds slowly (log2 of the number of mentions)
        v.score = max(v.positive) + 0.6 * math.log2(len(v.positive)) + v.bonus if v.positive else 0.0
    ranked = []
    specific = [v for v in votes.values() if v.score > 0 and specificity(v.mentions[0].chosen)[0] >= 1.0]
    admin_names = {
        (m.chosen.country_code, str(m.chosen.admin1_code)): m.chosen.name
        for m in mentions
        if m.chosen is not None and is_admin1(m.chosen)
    }
    for v in votes.values():
        c = v.mentions[0].chosen
        n = sum(1 for m in v.mentions if not m.demonym)
        if v.score <= 0:
            continue
        if n > 1:
            v.reasons.append(f"{n} mentions")
        name = admin_names.get((c.country_code, str(c.admin1_code)))
        if name and not is_admin1(c) and not is_country(c):
            v.score += 1.0
            v.reasons.append(f"nested in named province {name} ({c.country_code})")
        inner = [w for w in specific if w is not v and _contains(c, w.mentions[0].chosen)]
        if inner:
            v.score -= 2.5
            v.reasons.append(f"contains the more specific {inner[0].mentions[0].chosen.name}")
        rep = next((m for m in v.mentions if pts_of[id(m)] > 0), v.mentions[0])
        ranked.append((rep, round(v.score, 3), v.reasons))
    ranked.sort(key=lambda r: -r[1])
    if ranked and len(ranked) > 1:
        counts = {id(r[0]): sum(1 for m in mentions if m.chosen is not None and m.chosen.id == r[0].chosen.id) for r in ranked}
        top = max(counts.values())
        for rep, _s, reasons in ranked:
            if counts[id(rep)] == top and top > 1 and specificity(rep.chosen)[0] >= 3.0:
                reasons.append(f"most frequent specific place ({top} mentions)")
                break
    return ranked


def softmax_scores(ranked: list[tuple[Mention, float, list[str]]]) -> list[float]:
    if not ranked:
        return []
    mx = max(r[1] for r in ranked)
    ex = [math.exp(r[1] - mx) for r in ranked]
    tot = sum(ex)
    return [round(x / tot, 3) for x in ex]
