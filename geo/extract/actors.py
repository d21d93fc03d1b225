"""Actors named in a text, canonicalised through the maintained alias dictionary ``geo/data/actors.json``."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from geo.model import Actor, Evidence

_PERP_AFTER = re.compile(r"^\W{0,3}(?:\w+\s+){0,2}?(?:conducted|carried out|launched|targeted|attacked|raided|struck|"
                         r"killed|stormed|fired|bombed|shelled|opened fire|ambushed|kidnapped|abducted|executed|"
                         r"claimed responsibility|hit|enter(?:ed)?)\b", re.I)
_PERP_BEFORE = re.compile(r"\b(?:conducted|carried out|launched|raid|raids|strike|strikes|operation|attack|attacks|"
                          r"airstrike|airstrikes|killed|targeted|ambushed|shelling|bombing)\s+by\s+(?:the\s+)?$", re.I)
_TARGET_BEFORE = re.compile(r"(?:\b(?:against|targeted|targeting|attack on|attacks on|raid on|strikes? on|"
                            r"ambush on)\s+(?:the\s+|suspected\s+|a\s+)*(?:[\w-]+\s+){0,2}|\b(?:ambushed|killed|"
                            r"killing)\s+(?:the\s+|a\s+)?)$", re.I)

# "forces fighting against the government of …": the government is the other side of a war, not a target here
_OPPOSED_BEFORE = re.compile(r"\b(?:fight(?:s|ing)?|fought|war|wars|struggle|rebellion|uprising|insurgency|"
                             r"battl(?:e|es|ing)|protest(?:s|ing)?|campaign(?:s|ing)?)\s+against\s+"
                             r"(?:the\s+)?(?:[\w'’-]+\s+){0,4}$", re.I)


@lru_cache(maxsize=1)
def load_actors() -> list[dict]:
    """The alias dictionary (canonical name, aliases, type, country, note, source)."""
    data = json.loads(resources.files("geo").joinpath("data/actors.json").read_text(encoding="utf-8"))
    return data["actors"]


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, dict]]:
    by_alias: dict[str, dict] = {}
    strict, loose = [], []
    for entry in load_actors():
        for alias in entry["aliases"]:
            key = alias.lower().replace("’", "'")
            by_alias[key] = entry
            (strict if re.fullmatch(r"[A-Z]{2,5}", alias) else loose).append(alias)
    def alt(aliases: list[str]) -> str:
        parts = sorted({re.escape(a.replace("’", "'")).replace("'", "['’]") for a in aliases}, key=len, reverse=True)
        return r"(?<![\w.-])(?:" + "|".join(parts) + r")(?!\w)(?!-(?!linked|affiliated|aligned|backed|allied|inspired))"
    return re.compile(alt(strict)), re.compile(alt(loose), re.I), by_alias


def actor_entry(name: str) -> dict | None:
    """The dictionary entry of an alias or canonical name (case-insensitive), or ``None``."""
    return _pattern()[2].get(name.lower().replace("’", "'"))


def find_actors(text: str, spans: list[tuple[int, int]], article_id: str = "-",
                include_sources: bool = False) -> list[Actor]:
    """Every actor mention with its canonical name, role where the sentence says it, and evidence."""
    strict, loose, by_alias = _pattern()
    hits: list[tuple[int, int]] = []
    for rx in (loose, strict):
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in hits):
                continue
            if rx is strict and m.group(0) == "IS" and re.match(r"\s+(?:a|an|the|not|also|to|in|on|at|still)\b",
                                                                  text[m.end():]):
                continue  # an all-caps verb "IS", not the Islamic State
            hits.append((m.start(), m.end()))
    out: list[Actor] = []
    for s, e in sorted(hits):
        alias = text[s:e]
        entry = by_alias[alias.lower().replace("’", "'")]
        if entry["type"] == "source" and not include_sources:
            continue
        ss, se = next(((a, b) for a, b in spans if a <= s < b), (s, e))
        before, after = text[max(ss, s - 60):s], text[e:min(se, e + 60)]
        role = "mentioned"
        if _PERP_BEFORE.search(before) or _PERP_AFTER.match(after) or re.match(
                r"^\s+(?:air\s?strikes?|drone strikes?|strikes?|raids?|operations?|shelling|attacks?|offensive)\b",
                after, re.I) and not re.search(r"\b(?:target of|against)\s+$", before):
            role = "perpetrator"
        elif _OPPOSED_BEFORE.search(before):
            role = "mentioned"
        elif _TARGET_BEFORE.search(before) or re.match(r"^\W{0,2}(?:targets?|positions?|fighters?|militants?|"
                                                      r"leaders?|operatives?|members?)\b", after, re.I) and \
                re.search(r"\b(?:against|targeted|targeting|on|killed)\s+(?:the\s+)?(?:suspected\s+)?$", before, re.I):
            role = "target"
        out.append(Actor(name=entry["name"], alias=alias, role=role,
                         evidence=Evidence(article_id=article_id, kind="actor", start=s, end=e, text=alias,
                                           sentence_start=ss, sentence_end=se, sentence=text[ss:se])))
    return out
