"""Event type in ACLED's taxonomy from cue words, keeping the evidence spans of the cues.

Rules (ACLED Codebook 2024, "Event Types and Sub-Event Types"):

* a ground raid or clash between organised armed groups is *Battles / Armed clash* — including a
  helicopter-borne special-forces raid met with resistance (gunfire, a battle); ACLED codes raids as
  armed clashes when the other side fights back;
* bombs, shells, air or drone strikes where the attacker is not on the spot are
  *Explosions/Remote violence* (sub-types Air/drone strike, Shelling/artillery/missile attack,
  Remote explosive/landmine/IED, Suicide bomb, Grenade);
* armed attacks on unarmed people: *Violence against civilians / Attack*; kidnappings:
  *Abduction/forced disappearance*;
* protests, riots and arrests are *Protests*, *Riots*, *Strategic developments*.

Each sub-type scores the number of its cues in the report's non-background sentences; ties are
broken by the order below (more specific first).
"""

from __future__ import annotations

import re

from geo.model import Evidence

CUES: list[tuple[str, str, re.Pattern[str]]] = [
    ("Explosions/Remote violence", "Suicide bomb", re.compile(
        r"\bsuicide (?:bomb(?:er|ers|ing|ings)?|attack(?:er|ers)?|car bomb|vest|belt)\b|\bblew (?:him|her|them)sel(?:f|ves) up\b",
        re.I)),
    ("Explosions/Remote violence", "Air/drone strike", re.compile(
        r"\b(?:air ?strikes?|airstrikes?|air raids?|drone strikes?|drone attacks?|warplanes?|fighter jets? (?:struck|bombed)|"
        r"aerial (?:bombardment|attack)s?|bombed from the air|helicopter gunships?)\b", re.I)),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", re.compile(
        r"\b(?:shelling|shelled|artillery|mortars?|rockets?|missiles?|projectiles|barrel bombs?|katyusha)\b", re.I)),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", re.compile(
        r"\b(?:IEDs?|improvised explosive|roadside bombs?|car bombs?|landmines?|land mines?|explosive devices?|"
        r"booby[- ]trap(?:ped)?|bombs? (?:exploded|went off|blast)|bomb blast|bombing|bombed|detonated|explosion|"
        r"exploded|blast)\b", re.I)),
    ("Explosions/Remote violence", "Grenade", re.compile(r"\bgrenades?\b", re.I)),
    ("Violence against civilians", "Abduction/forced disappearance", re.compile(
        r"\b(?:kidnap(?:ped|ping|pers)?|abduct(?:ed|ion|s)?|taken hostage|hostages?|seized)\b", re.I)),
    ("Battles", "Armed clash", re.compile(
        r"\b(?:raids?|clash(?:es|ed)?|fighting|firefights?|gun ?fights?|gunfire|exchange of fire|exchanged fire|"
        r"battle|fought|ambush(?:ed)?|special (?:forces|operations?)|commandos?|helicopters? land(?:ed|ing)|"
        r"resistance|counterterrorism mission|ground operation|stormed|assault)\b", re.I)),
    ("Violence against civilians", "Attack", re.compile(
        r"\b(?:gunm[ae]n|shot dead|shot and (?:killed|wounded)|shot to death|massacre[ds]?|executed|beheaded|"
        r"lynched|opened fire|shooting|drive-by|sniper|stabbed|stabbing|hacked to death|assassinat(?:ed|ion|e)|"
        r"murder(?:ed)?|gunshot|shot)\b", re.I)),
    ("Protests", "Peaceful protest", re.compile(r"\b(?:protest(?:s|ers|ed)?|demonstrat(?:ion|ions|ors|ed)|rall(?:y|ies)|"
                                                 r"sit-in|march(?:ed|ers)?)\b", re.I)),
    ("Riots", "Violent demonstration", re.compile(r"\b(?:riot(?:s|ers|ing)?|mob|torched|set fire to)\b", re.I)),
    ("Strategic developments", "Arrests", re.compile(r"\b(?:arrested|detained|arrests?|rounded up)\b", re.I)),
]
ORDER = {sub: i for i, (_, sub, _) in enumerate(CUES)}


def classify_event(text: str, spans: list[tuple[int, int]], article_id: str = "-",
                   skip_sentences: set[int] | None = None) -> tuple[str | None, str | None, list[Evidence]]:
    """``(event_type, sub_event_type, cue evidence)`` of the report, or ``(None, None, [])``."""
    skip = skip_sentences or set()
    scores: dict[str, tuple[str, list[Evidence]]] = {}
    for etype, sub, rx in CUES:
        evs: list[Evidence] = []
        for ss, se in spans:
            if ss in skip:
                continue
            for m in rx.finditer(text, ss, se):
                evs.append(Evidence(article_id=article_id, kind="event", start=m.start(), end=m.end(),
                                    text=m.group(0), sentence_start=ss, sentence_end=se, sentence=text[ss:se]))
        if evs:
            scores[sub] = (etype, evs)
    if not scores:
        return None, None, []
    # a suicide bombing is also an explosion: its own cues decide
    # explosive means decide over generic shooting words; a raid or clash over both
    def weight(s: str) -> int:
        n = len(scores[s][1])
        return n + (100 if s == "Suicide bomb" else 0) - (0 if s != "Attack" or len(scores) == 1 else n // 2)
    sub = max(scores, key=lambda s: (weight(s), -ORDER[s]))
    etype, evs = scores[sub]
    if sub == "Attack":
        sents = " ".join({e.sentence for e in evs})
        if _SECURITY.search(sents) and not _CIVILIAN.search(sents):
            # ACLED: an armed attack on state forces (police, soldiers) is an armed clash, not violence
            # against civilians
            return "Battles", "Armed clash", evs
    return etype, sub, evs


_SECURITY = re.compile(r"\b(?:police(?:m[ae]n)?|soldiers?|troops|army|patrol|checkpoint|security forces|"
                       r"officers?|guards?|militiam[ae]n|convoy)\b", re.I)
_CIVILIAN = re.compile(r"\b(?:civilians?|villagers?|worshippers?|passengers?|students?|teachers?|journalists?|"
                       r"shoppers?|women|children|family|farmers?|workers?|residents?)\b", re.I)
