"""Casualty figures: who was killed or injured, how many, said by whom — each figure with its span.

The extractor works sentence by sentence on tokens:

* a **trigger** ("killed", "dead", "wounding", "injuries", "death toll" …) is linked to the number
  phrase of its object ("killing three policemen and four civilians") or of its subject
  ("13 people at least were killed"; "two soldiers and a civilian were injured");
* coordinated groups are summed into one total figure whose parts are kept as subset figures;
* "including / among them / of whom …" figures are subsets of the preceding total;
* explicit zeros ("no one was hurt", "there were no casualties") give 0; a zero that names a side
  or group ("no US casualties", "no reports of any militants being killed") is a category figure,
  not a total;
* sentences about another, earlier event (a past year named) are background and not counted.

Numbers and qualifiers follow :mod:`geo.extract.numbers`. See docs/extraction.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geo.extract.dates import names_earlier_year
from geo.extract.numbers import Num, parse_number, word_value
from geo.extract.sentences import split_sentences
from geo.model import Casualties, Evidence, Figure, Range

TOKEN = re.compile(r"\b(?:No|no|Nos|nos)\.(?=\s*\d)|\d+[-–]\d+(?![-\w])|\d{1,3}(?:,\d{3})+(?!\d)|\d+|[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+(?:['’][A-Za-z]+)*)*|[^\sA-Za-z\d]")

KILL_ACTIVE = {"killed", "kill", "kills", "killing", "murdered", "murdering", "slew", "massacred",
               "massacring", "assassinated", "assassinating", "executed", "executing", "beheaded", "lynched",
               "decapitated", "strangled", "slaughtered", "butchered"}
KILL_STATE = {"killed", "dead", "died", "die", "dies", "slain", "murdered", "assassinated", "executed",
              "perished", "beheaded", "lynched", "drowned", "decapitated", "strangled", "slaughtered"}
KILL_NOUN = {"deaths", "death", "fatalities", "fatality", "bodies", "corpses", "dead"}
#: "the killing of a judge", "claimed the lives of four officers", "resulted in the deaths of three soldiers"
KILL_OF = {"killing", "killings", "assassination", "assassinations", "murder", "murders", "execution",
           "executions", "deaths", "death", "lives", "massacre", "stabbing", "shooting", "beheading"}
KILL_VERBS_TO_DEATH = {"shot", "stabbed", "beaten", "beat", "burned", "burnt", "hacked", "bludgeoned", "stoned", "tortured",
                       "crushed", "clubbed", "hanged", "starved", "trampled", "kicked"}
INJ_ACTIVE = {"wounded", "wounding", "wounds", "wound", "injured", "injuring", "injures", "injure", "hurt",
              "hurting", "maimed", "maiming"}
INJ_STATE = {"wounded", "injured", "hurt", "hospitalized", "hospitalised", "maimed"}
INJ_NOUN = {"injuries", "injured", "wounded", "injury"}
TRIGGERS = KILL_ACTIVE | KILL_STATE | KILL_NOUN | INJ_ACTIVE | INJ_STATE | INJ_NOUN

NOT_PERSON = {
    "km", "kms", "kilometers", "kilometres", "kilometer", "kilometre", "miles", "mile", "meters", "metres",
    "meter", "metre", "feet", "foot", "yards", "kg", "kilograms", "kilos", "kilo", "pounds", "lbs", "tons",
    "tonnes", "hours", "hour", "minutes", "minute", "seconds", "days", "day", "weeks", "week", "months",
    "month", "years", "year", "decades", "percent", "per", "%", "am", "pm", "a.m", "p.m", "times", "rounds",
    "bullets", "shots", "rockets", "missiles", "shells", "mortars", "mortar", "bombs", "grenades", "houses",
    "homes", "buildings", "vehicles", "cars", "trucks", "buses", "shops", "stores", "dollars", "cents",
    "million", "billion", "o'clock", "mm", "cm", "inch", "inches", "sticks", "devices", "explosions",
    "attacks", "incidents", "aircraft", "planes", "helicopters", "tanks", "boats", "ships", "villages",
    "towns", "districts", "provinces", "camps", "offices", "churches", "mosques", "schools", "points",
    "rupees", "pesos", "euros", "yen", "liras", "lira", "francs", "marks", "degrees", "storeys", "stories",
    "floors", "blasts", "bombings", "gmt", "hrs", "ad", "bc", "legs", "arms", "hands", "eyes", "fingers",
    "ears", "kidneys", "limbs",
}
PERSON_SING = re.compile(
    r"^(man|woman|boy|girl|child|baby|infant|person|civilian|soldier|policeman|policewoman|officer|guard|"
    r"photographer|cameraman|mechanic|labou?rer|vendor|merchant|porter|janitor|cook|clerk|accountant|housewife|"
    r"peasant|technician|electrician|tailor|barber|butcher|baker|pastor|bishop|expert|specialist|consultant|"
    r"driver|passenger|student|teacher|worker|employee|official|leader|member|mayor|governor|judge|"
    r"journalist|reporter|priest|imam|villager|resident|farmer|trader|businessman|shopkeeper|bystander|"
    r"passerby|passer-by|pedestrian|tourist|diplomat|ambassador|consul|attach[eé]|militant|rebel|fighter|"
    r"gunman|attacker|bomber|assailant|terrorist|insurgent|commander|chief|colonel|general|captain|"
    r"sergeant|lieutenant|major|private|trooper|marine|agent|inspector|constable|candidate|politician|"
    r"activist|lawyer|doctor|nurse|engineer|contractor|guard|security|watchman|owner|son|daughter|wife|"
    r"husband|brother|sister|father|mother|relative|friend|bodyguard|dignitary|minister|legislator|"
    r"councillor|councilman|chairman|director|manager|headmaster|principal|pilot|sheikh|cleric|monk|nun|"
    r"missionary|volunteer|interpreter|translator|informer|collaborator|settler|herder|fisherman|"
    r"hunter|youth|teenager|girl|pupil|patient|prisoner|detainee|suspect|shepherd|cadet|recruit|"
    r"serviceman|paramilitary|militiaman|legislator|deputy|parliamentarian|senator|lawmaker|"
    r"spokesman|businesswoman|Israeli|American|Briton|Frenchman|Australian|German|Palestinian|Iraqi|"
    r"Afghan|Pakistani|Indian|Turk|Kurd|Israeli|foreigner|national|citizen|colleague|companion|"
    r"victim|occupant|customer|worshipper|pilgrim|guest|bystander|security guard)s?$", re.I)
CATEGORIES = [
    ("children", re.compile(r"^(children|child|kids|kid|boys|boy|girls|girl|infants|infant|babies|baby|"
                            r"toddlers|minors|schoolchildren|pupils|teenagers|juveniles)$", re.I)),
    ("women", re.compile(r"^(women|woman|mothers|wives|females)$", re.I)),
    ("security forces", re.compile(r"^(soldiers?|troops|servicemen|serviceman|policemen|policeman|police|"
                                   r"officers?|guards?|militiamen|personnel|marines?|gendarmes?|paramilitar"
                                   r"(y|ies)|commandos?|conscripts?|cadets?|recruits?|security)$", re.I)),
    ("militants", re.compile(r"^(militants?|rebels?|fighters?|insurgents?|gunmen|gunman|attackers?|killers?|"
                             r"raiders?|"
                             r"terrorists?|guerrillas?|guerillas?|jihadists?|assailants?|extremists?|perpetrators?|"
                             r"jihadis?|Islamists?)$", re.I)),
    ("perpetrator", re.compile(r"^(himself|herself|bomber|bombers|themselves)$", re.I)),
    ("civilians", re.compile(r"^(civilians?|villagers?|residents?|passers-by|passersby|bystanders?|"
                             r"worshippers?|pilgrims?|shoppers?|passengers?|tourists?|students?|workers?|"
                             r"farmers?|journalists?|teachers?)$", re.I)),
]
SIDES = re.compile(r"^(US|U\.S|American|Americans|Israeli|Turkish|Russian|Syrian|Iraqi|Afghan|Pakistani|"
                   r"Indian|British|French|Iranian|Ukrainian|Kurdish|Palestinian|coalition|NATO|government|"
                   r"regime|rebel|opposition)$")
ATTRIB_PERSON = re.compile(
    r"\b(?:one|a|an|another|the)\s+((?:local\s+|senior\s+|opposition\s+|security\s+|police\s+|military\s+|"
    r"hospital\s+|medical\s+|government\s+)?(?:resident|witness|official|source|doctor|medic|activist|"
    r"spokesman|spokeswoman|officer|journalist|villager|eyewitness))\b[^.]{0,60}?\b(?:said|says|told|"
    r"reported|confirmed|stated)", re.I)


@dataclass
class _Tok:
    text: str
    start: int
    end: int


def tokenize(text: str, offset: int = 0) -> list[_Tok]:
    """Word, number and punctuation tokens with absolute character offsets."""
    return [_Tok(m.group(0), offset + m.start(), offset + m.end()) for m in TOKEN.finditer(text)]


def _kind_of(word: str) -> str | None:
    w = word.lower()
    if w in KILL_ACTIVE or w in KILL_STATE or w in KILL_NOUN:
        return "killed"
    if w in INJ_ACTIVE or w in INJ_STATE or w in INJ_NOUN:
        return "injured"
    return None


def _category(words: list[str]) -> tuple[str | None, str | None]:
    """Category and side named by the words of a noun phrase."""
    cat = side = None
    for w in words:
        for name, rx in CATEGORIES:
            if rx.match(w):
                cat = name
    for w in words:
        if SIDES.match(w.rstrip(".")):
            side = w.rstrip(".")
            if side.upper() in ("US", "U.S", "AMERICAN", "AMERICANS"):
                side = "US forces"
            break
    return cat, side


def attribution(sentence: str) -> str | None:
    """Who the sentence attributes its figures to, if it says ("according to …", "one resident said")."""
    m = re.search(r"[Aa]ccording to (?:the )?((?:[A-Z][\w’'.-]*|for|of|the|and)(?:\s+(?:[A-Z][\w’'.-]*|for|of|"
                  r"the|and|in|the))*)", sentence)
    if m and m.group(1):
        return m.group(1).strip().rstrip(",.")
    m = re.search(r"(?:Chief|Director|head|spokesman|spokeswoman|official) of (?:the |The )?((?:[A-Z][\w’'-]*)"
                  r"(?:\s+(?:for|of|the|[A-Z][\w’'-]*))*)", sentence)
    if m and re.search(r"\b(said|confirmed|stated|told|reported)\b", sentence):
        return m.group(1).strip()
    m = ATTRIB_PERSON.search(sentence)
    if m:
        return "a " + re.sub(r"\s+", " ", m.group(1).lower())
    m = re.search(r"\b((?:local\s+)?(?:residents|witnesses|officials|activists|medics|doctors|police|"
                  r"sources))\s+(?:said|say|told|reported|confirmed)", sentence, re.I)
    if m:
        return m.group(1).lower()
    m = re.search(r"\b(?:said|told|confirmed)\s+((?:[A-Z][\w’'-]+\s*){1,5})", sentence)
    if m:
        return m.group(1).strip()
    return None


CUMULATIVE = re.compile(r"\b(?:since (?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|September|"
                        r"October|November|December|the (?:start|beginning)|\d{4})|so far|to date|(?:over|for) the (?:past|last)|"
                        r"in recent (?:years|months)|(?:has|have) been (?:killed|wounded|injured|murdered)[^.]{0,60}"
                        r"\bsince\b|(?:has|have) (?:claimed|killed|left|cost)|"
                        r"(?:a|the) total of [\d,]+ (?:people )?(?:have|has))\b", re.I)


def _is_year_background(sentence: str, published: dt.date | None) -> bool:
    if CUMULATIVE.search(sentence):
        return True  # a running total of a conflict, not this event's toll
    return names_earlier_year(sentence, published)


# ------------------------------------------------------------------ number phrases around triggers


def _np_after(toks: list[_Tok], lw: list[str], j: int, limit: int = 5) -> int:
    """End of the noun phrase that follows a number ending at ``j`` (adjectives and a head noun)."""
    k = j
    while k < len(toks) and k - j < limit:
        w = lw[k]
        if w in TRIGGERS or w in ("may", "might", "could", "would", "will", "have", "reportedly", "all",
                                  "also", "both", "later", "reported", "confirmed", "believed", "feared", "said",
                                  "shot", "found", "known", "thought", "initially", "subsequently") or \
                w in (",", ".", ";", ":", "(", ")", "and", "or", "in", "at", "on", "by", "with",
                                  "from", "when", "as", "after", "while", "during", "near", "were", "was",
                                  "are", "is", "had", "have", "has", "who", "which", "that", "to", "including",
                                  "among", "but", "the", "for", "–", "—", "\"", "“", "”", "since", "inside",
                                  "outside", "into", "before"):
            break
        if w == "of" and not (k + 1 < len(lw) and lw[k + 1] in ("them", "whom", "which")):
            # "four members of the family": the count's noun ends here
            break
        if k > j and w.endswith("ing") and w not in ("ceiling", "building", "offspring", "sibling", "viking"):
            break  # "two police guarding the site": a participle starts a modifier
        k += 1
    return k


def _is_count(toks: list[_Tok], lw: list[str], num: Num) -> bool:
    """Reject numbers that measure something other than people (units, ages, times, years)."""
    j = num.j
    if j < len(lw):
        nxt = lw[j]
        if nxt in NOT_PERSON or nxt in ("-", "–") and j + 1 < len(lw) and not lw[j + 1][0].isdigit():
            return False
        if re.match(r"^(year|month|week|day|hour|kilo|km|meter|metre|mile|kg|mm|pound|ton|story|storey|"
                    r"floor|man-|point)", nxt):
            return False
        if nxt == "of" and j + 1 < len(lw) and lw[j + 1] in NOT_PERSON:
            return False
    if num.i > 0 and lw[num.i - 1] in ("$", "£", "€", "no", "number", "#", "route", "highway", "km", "ages", "aged",
                                         "age", "between",
                                         "kilometer", "kilometre", "page", "article", "resolution",
                                         "flight", "bus", "gate", "room", "platform", "line"):
        return False
    if j < len(lw) and lw[j] in ("st", "nd", "rd", "th") and toks[j].start == toks[j - 1].end:
        return False  # "the 93rd journalist killed": an ordinal
    if num.i > 2 and lw[num.i - 1] == "and" and lw[num.i - 2].isdigit() and lw[num.i - 3] in ("aged", "ages", "age"):
        return False  # "two sons aged 15 and 18"
    if num.i > 0 and lw[num.i - 1] in ("no.", "nos."):
        return False  # "district No. 7"
    if num.i > 0 and toks[num.i - 1].text[:1].isupper() and toks[num.i - 1].text.lower() in (
            "january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
            "sept", "oct", "nov", "dec"):
        return False
    if j < len(lw) and lw[j].rstrip(".") in ("january", "february", "march", "april", "may", "june", "july",
                                              "august", "september", "october", "november", "december", "jan",
                                              "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                                              "dec") and toks[j].text[:1].isupper():
        return False  # "30 March"
    if j < len(lw) and lw[j] in (",",) and j + 1 < len(lw) and re.fullmatch(r"\d{4}", lw[j + 1]):
        return False  # "June 17, 2008"
    if num.i > 1 and lw[num.i - 1] == "," and toks[num.i].text.isdigit() and num.best <= 110 \
            and (j >= len(lw) or lw[j] in (",", ")", "and", "were", "was")) and \
            re.fullmatch(r"[A-Za-z][\w'’-]*", toks[num.i - 2].text):
        return False  # an age: "Amnon Rosenberg, 51, was killed"
    return True


@dataclass
class _Item:
    num: Num | None  # None for a singular noun phrase ("a policeman", "himself")
    value: int
    i: int
    j: int
    words: list[str]


#: person nouns that take an "of" phrase naming an institution or place, not more people
RELATIONAL = {"head", "chief", "member", "owner", "director", "leader", "president", "assistant", "deputy", "mayor",
              "governor", "commander", "secretary", "spokesman", "chairman", "employee", "official", "representative",
              "correspondent", "editor", "principal", "manager", "headmaster", "dean", "rector", "judge", "minister",
              "officer", "son", "daughter", "wife", "husband", "brother", "sister", "father", "mother", "nephew",
              "cousin", "relative", "guard", "driver", "worker", "resident", "elder", "founder", "imam", "preacher",
              "accountant", "councillor", "councilor", "candidate", "prosecutor", "advisor", "adviser", "aide",
              "inspector", "superintendent", "supervisor", "lecturer", "professor", "teacher", "student", "pastor",
              "priest", "sheikh", "chieftain", "administrator", "coordinator", "engineer", "partner", "nominee"}


def _of_phrase_end(toks: list[_Tok], lw: list[str], k: int) -> int:
    """End of "of the Biji municipality" (or "for the Congress of Islamabad District") starting at the
    preposition at ``k``; stops at a boundary word. Chained "of"/"for" phrases are followed."""
    e = k + 1
    while e < len(lw) and e - k <= 7 and lw[e] == "(" and ")" in lw[e:e + 5] or \
            e < len(lw) and e - k <= 7 and re.fullmatch(r"[\w'’.-]+", toks[e].text) and lw[e] not in TRIGGERS and \
            lw[e] not in ("and", "or", "in", "at", "on", "by", "with", "who", "which", "while", "as", "when", "after",
                          "near", "outside", "inside", "from", "to", "for", "that", "during", "but", "was", "were",
                          "is", "are", "has", "have", "had", "been", "along", "whose", "where"):
        e = lw.index(")", e) + 1 if lw[e] == "(" else e + 1  # "of the Pakistan Peoples Party (PPP)"
    if e > k + 1 and e + 1 < len(lw) and lw[e] in ("of", "for") and (toks[e + 1].text[:1].isupper() or
                                                                   lw[e + 1] == "the"):
        return _of_phrase_end(toks, lw, e)
    return e if e > k + 1 else k


def _singular_np(toks: list[_Tok], lw: list[str], i: int) -> _Item | None:
    """'a policeman', 'the driver', 'himself', 'him', 'an Israeli soldier' → one person."""
    if i >= len(lw):
        return None
    w = lw[i]
    if w in ("someone", "somebody") and (i + 1 >= len(lw) or lw[i + 1] not in ("else",)):
        return _Item(None, 1, i, i + 1, [toks[i].text])  # "shot both him and someone who was with him"
    if w in ("himself", "herself", "him", "her") and not (
            w == "her" and i + 1 < len(lw) and lw[i + 1] not in (",", ".", "and", "in", "at", "on", "with", "while",
                                                                "as", "when")):
        return _Item(None, 1, i, i + 1, [w])
    if w == "another" and (i + 1 >= len(lw) or lw[i + 1] in (",", ".", "and", "in", "at", "on", "with", "while",
                                                            "as", "when", "during", ";", "(", "by")):
        return _Item(None, 1, i, i + 1, [toks[i].text])  # "killing one policeman and wounding another"
    if w not in ("a", "an", "the", "one", "his", "her", "their", "its", "another"):
        return None
    # any singular noun phrase: only people are killed or wounded ("killing a professor", "the barber")
    k = i + 1
    while k < len(lw) and k - i <= 5 and re.fullmatch(r"[\w'’-]+", toks[k].text) and \
            lw[k] not in TRIGGERS and lw[k] not in ("and", "or", "of", "in", "at", "on", "by", "with", "who",
                                                    "which", "while", "as", "when", "after", "near", "outside",
                                                    "inside", "from", "to", "for", "that", "during", "but",
                                                    "was", "were", "is", "are", "has", "have", "had", "been",
                                                    "being", "be", "shot", "found", "reportedly", "also",
                                                    "later", "both", "all", "along", "whose", "where"):
        k += 1
    if k + 1 < len(lw) and lw[k - 1] == "family" and lw[k] == "of" and w in ("a", "an", "the"):
        n = parse_number([t.text for t in toks], k + 1)
        if n is not None and not n.vague and n.best > 1:
            return _Item(n, n.best, i, n.j, [t.text for t in toks[i:n.j]])  # "a family of five"
    if k > i + 1 and "couple" in lw[i + 1:k] and w in ("a", "an", "the"):
        return _Item(Num(i, k, 2, 2, 2), 2, i, k, [t.text for t in toks[i:k]])  # "an elderly Muslim couple"
    if k > i + 1 and w not in ("their", "its"):
        head = lw[k - 1]
        if head in RELATIONAL and k + 1 < len(lw) and (lw[k] == "of" or lw[k] == "for" and (
                toks[k + 1].text[:1].isupper() or lw[k + 1] == "the")):
            return _Item(None, 1, i, _of_phrase_end(toks, lw, k), [t.text for t in toks[i:k]])
        if head not in NOT_PERSON and not head.endswith(("ings", "ers", "ians", "ists", "ants", "men")) and \
                head not in ("police", "people", "troops", "personnel", "staff", "family", "crew", "children",
                             "bomb", "car", "vehicle", "building", "house", "home", "shop", "bus", "attack",
                             "blast", "explosion", "number", "total", "group", "few", "dozen", "shooting", "escape",
                             "plan", "plot", "operation", "raid", "ambush", "assault", "bombing", "strike", "mission",
                             "order", "campaign", "hijacking", "kidnapping", "robbery", "attempt", "environment",
                             "process", "deal", "agreement") and \
                (not head.endswith("s") or head.endswith(("ss", "us", "is"))):
            return _Item(None, 1, i, k, [t.text for t in toks[i:k]])
    k = i + 1
    while k < len(lw) and k - i <= 4:
        if PERSON_SING.match(toks[k].text) and not toks[k].text.lower().endswith("s") or \
                (PERSON_SING.match(toks[k].text) and toks[k].text.lower() in ("bus",)):
            end = k + 1
            while end < len(lw) and end - i <= 5 and (PERSON_SING.match(toks[end].text) or lw[end] in RELATIONAL) \
                    and not lw[end].endswith("s"):
                end += 1  # "their Afghan interpreter", "a police officer"
            k = end - 1
            # "the driver of the bus": stop at the head noun (a relational one takes its "of" phrase:
            # "the chief of Ragay village")
            if lw[k] in RELATIONAL and end + 1 < len(lw) and (lw[end] == "of" or lw[end] == "for" and (
                    toks[end + 1].text[:1].isupper() or lw[end + 1] == "the")):
                return _Item(None, 1, i, _of_phrase_end(toks, lw, end), [t.text for t in toks[i:end]])
            return _Item(None, 1, i, end, [t.text for t in toks[i:end]])
        if lw[k] in TRIGGERS or lw[k] in (",", ".", "and", "of", "in", "at", "by", "with", "who", "which"):
            return None
        k += 1
    return None


TITLES = {"police", "army", "captain", "general", "colonel", "major", "lieutenant", "sergeant", "officer", "official",
          "judge", "mayor", "councilman", "journalist", "former", "senior", "deputy", "tribal", "leader", "chief",
          "commander", "brigadier", "sheikh", "imam", "cleric", "lawmaker", "politician", "businessman",
          "professor", "dr", "doctor", "lt", "col", "gen", "capt", "maj", "brig", "sgt", "councilor",
          "councillor", "governor", "minister", "activist", "reporter", "engineer", "teacher", "student"}


def _proper_name(toks: list[_Tok], lw: list[str], i: int) -> _Item | None:
    """'killed Ivan Villamizar, the dean' → one person (a run of capitalised words ended by a boundary)."""
    k = i
    while k < len(lw) and k - i < 3 and lw[k] in TITLES:
        k += 1  # "police captain Hussein Abdullah"
    title_end = k
    while k < len(toks) and k - i < 8 and (re.fullmatch(r"(?:[A-Z]|(?:al|el|ad|as|ar|an|at|ash)-[A-Z])[\w'’.-]*",
                                                         toks[k].text) or (
            k > title_end and lw[k] in ("al", "bin", "ibn", "abu", "de", "da", "del", "van", "von", "el", "ul", "ud"))):
        k += 1
    if k == title_end:
        return None
    if k == i or lw[i] in ("the", "a", "an", "no", "nobody", "none", "noone", "everyone", "everybody", "all",
                           "some", "many", "several", "it", "they", "this", "that", "there", "these", "those",
                           "we", "i", "you", "one", "two", "three"):
        return None
    if k < len(lw) and lw[k] not in (",", ".", "and", "in", "on", "at", "the", "who", "with", "while", "as",
                                     "outside", "near", "inside", "during", "after", "when", ";", "(", "by",
                                     "was", "were", "is", "are", "had", "has", "have", "along"):
        return None
    return _Item(None, 1, i, k, [t.text for t in toks[i:k]])


def _items_forward(toks: list[_Tok], lw: list[str], start: int, used: set[int],
                   stop: int | None = None) -> list[_Item]:
    """Coordinated number phrases after an active trigger: 'killing three policemen and four civilians'."""
    items: list[_Item] = []
    texts = [t.text for t in toks]
    pending: int | None = None  # index of the first item joined by a comma only (a list not yet closed by "and")
    k = start
    if k < len(lw) and lw[k] == "a" and k + 2 < len(lw) and lw[k + 1] == "total" and lw[k + 2] == "of":
        k += 3
    if k + 1 < len(lw) and lw[k] in ("all", "another") and parse_number(texts, k + 1):
        k += 1
    while k < len(lw):
        if k + 1 < len(lw) and lw[k] in ("the", "his", "her", "their", "its"):
            pn = parse_number(texts, k + 1)
            if pn and _is_count(toks, lw, pn):
                k += 1
        num = parse_number(texts, k)
        if num and num.i not in used and _is_count(toks, lw, num):
            end = _np_after(toks, lw, num.j)
            nxt_trig = next((x for x in range(end, min(end + 4, len(lw))) if _kind_of(lw[x]) is not None), None)
            if items and nxt_trig is not None and (stop is None or nxt_trig < stop) and all(w in ("were", "was", "also", "later", "reportedly", "seriously",
                                                             "slightly", "critically", "badly", "lightly")
                                                      for w in lw[end:nxt_trig]) and \
                    k > 1 and lw[k - 1] == "and" and lw[k - 2] == ",":
                break  # "…, including a policeman, and seven wounded" / "…, and seven others were injured": a new clause
            if end < len(lw) and lw[end] == "of" and end + 1 < len(lw) and lw[end + 1] in ("them", "whom"):
                end += 2
            elif end + 2 < len(lw) and lw[end] == "of" and (lw[end + 1] in (
                    "the", "those", "these", "his", "her", "their", "its") or re.fullmatch(r"\w+['’]s", lw[end + 1])):
                end = _np_after(toks, lw, end + 2)  # "six of the attackers", "three of his bodyguards"
            items.append(_Item(num, num.best, k, end, [t.text for t in toks[num.j:end]]))
        else:
            sing = _singular_np(toks, lw, k)
            if sing is None and (k == start or (items and ("and" in lw[max(0, k - 2):k] or pending is not None))):
                sing = _proper_name(toks, lw, k)
            if sing is None and items and lw[k - 1] == "and":
                sing = _bare_kin(lw, k)
            if sing is None or not items and k != start:
                break
            items.append(sing)
            end = sing.j
            if _is_det_np(sing) and end + 3 < len(lw) and lw[end] in ("in", "from", "at", "of") and \
                    lw[end + 1] in ("the", "a") and _is_person(sing):
                # "a senior sergeant in the police force and a security volunteer"
                e2 = next((x for x in range(end + 2, min(end + 6, len(lw))) if not re.fullmatch(r"[a-z-]+", lw[x])
                           or lw[x] in ("and", "or") or _kind_of(lw[x])), None)
                if e2 is not None and lw[e2] == "and" and (stop is None or e2 < stop):
                    nxt_np = _singular_np(toks, lw, e2 + 1)
                    if nxt_np is not None and _is_person(nxt_np):
                        end = e2
            if _is_det_np(sing) and end + 2 < len(lw) and lw[end] in ("in", "from", "at") and \
                    toks[end + 1].text[:1].isupper():
                # "the anti-terrorism police chief in Kirkuk, Major Umar, and his wife": a place phrase
                e2 = end + 1
                while e2 < len(lw) and toks[e2].text[:1].isupper() and e2 - end <= 4:
                    e2 += 1
                if e2 < len(lw) and lw[e2] == "," and (stop is None or e2 < stop):
                    end = e2
        k = end
        # "and", ", and", ","
        if k < len(lw) and lw[k] in (",", "and"):
            k2 = k + 1 if lw[k] == "and" else (k + 2 if k + 1 < len(lw) and lw[k + 1] == "and" else k + 1)
            if k2 < len(lw) and lw[k2] in ("both", "all", "each", "most", "some"):
                break  # "two officers, both former Baathists" is an apposition
            if k2 + 1 < len(lw) and lw[k2] in ("the", "his", "her", "their", "its"):
                pn = parse_number(texts, k2 + 1)
                if pn and _is_count(toks, lw, pn):
                    k2 += 1  # "five police officers and the two bombers"
            nxt = parse_number(texts, k2) if k2 < len(lw) else None
            if stop is not None and k >= stop:
                break
            joined_by_and = "and" in lw[k:k2]
            if not joined_by_and and items[-1].num is None:
                k3 = _after_apposition(toks, lw, k2, items[-1], stop)
                if k3 is not None:
                    k = k3  # "killed Faden al-Shemary, a policeman, and his son": the apposition is the same person
                    pending = None
                    continue
                if _list_item(toks, lw, k2, items[-1]):
                    # "killing a policeman, a civilian and a child": kept only if an "and" closes the list
                    pending = len(items) if pending is None else pending
                    k = k2
                    continue
                break  # "Human Rights, 7 civilians": a comma after a name does not coordinate
            sing2 = _singular_np(toks, lw, k2) if joined_by_and else None
            if sing2 is not None and lw[k2] in ("a", "an", "the") and items[-1].num is None and any(
                    w.lower() in NONPERSON_HEADS for w in sing2.words[1:]) and not (
                    PERSON_SING.match(sing2.words[-1]) or sing2.words[-1].lower() in RELATIONAL):
                sing2 = None  # "killing himself and the animal", "a member of CORU and the Fourth Republic"
            if (nxt and _is_count(toks, lw, nxt)) or (joined_by_and and (
                    sing2 or _proper_name(toks, lw, k2) or _bare_kin(lw, k2))):
                k = k2
                if joined_by_and:
                    pending = None
                continue
            sing = None if joined_by_and else _singular_np(toks, lw, k2)
            if sing is not None and _is_det_np(sing) and _is_person(sing) and sing.j < len(lw) and \
                    lw[sing.j] in (",", "and"):
                # "Two American nationals, their Afghan interpreter and one policeman": kept if "and" closes it
                pending = len(items) if pending is None else pending
                k = k2
                continue
        break
    if pending is not None:
        del items[pending:]
    # "three Red Cross workers, two Swiss and an Italian": a breakdown of the first figure, not more people
    if len(items) > 2 and items[0].num and sum(it.value for it in items[1:]) == items[0].value and not any(
            it.words and it.words[0].lower() in ("his", "her", "their", "its", "the") for it in items[1:]):
        # (but "two engineers, their interpreter and one soldier" are four people)
        for it in items[1:]:
            it.value = -it.value  # marked as subset; see _mark_subsets
    return items


#: heads of noun phrases that are never people (institutions, animals, things)
NONPERSON_HEADS = {
    "republic", "front", "party", "movement", "council", "company", "organization", "organisation", "army", "brigade",
    "brigades", "union", "assembly", "ministry", "government", "authority", "agency", "office", "department",
    "committee", "corporation", "bank", "embassy", "university", "school", "college", "institute", "association",
    "federation", "league", "alliance", "coalition", "commission", "court", "parliament", "congress", "senate",
    "animal", "mule", "horse", "donkey", "camel", "dog", "cow", "cattle", "building", "vehicle", "car", "house",
    "station", "church", "mosque", "temple", "hotel", "restaurant", "market", "shop", "store", "village", "town",
    "city", "province", "district", "region", "area", "country", "state", "family", "group", "network", "cell",
}

KIN = {"son", "sons", "daughter", "wife", "husband", "brother", "sister", "father", "mother", "nephew", "niece",
       "cousin", "grandson", "granddaughter", "child"}


def _bare_kin(lw: list[str], k: int) -> _Item | None:
    """'the father and son', 'the two bodyguards and driver', 'one police officer and civilian': a bare
    singular person noun after "and" is one more person."""
    if k < len(lw) and lw[k] in KIN and lw[k] != "sons":
        return _Item(None, 1, k, k + 1, [lw[k]])
    if k < len(lw) and PERSON_SING.match(lw[k]) and not lw[k].endswith("s") and (
            k + 1 >= len(lw) or lw[k + 1] in (",", ".", ";", "and", "were", "was", "in", "at", "on", "by", "who",
                                              "when", "as", "while", "had", "have", "also", "all", "both") or
            PERSON_SING.match(lw[k + 1]) or lw[k + 1] in RELATIONAL):
        e = k + 1
        while e < len(lw) and e - k < 3 and (PERSON_SING.match(lw[e]) or lw[e] in RELATIONAL) and \
                not lw[e].endswith("s"):
            e += 1  # "body guard"
        return _Item(None, 1, k, e, lw[k:e])
    return None


def _is_person(it: _Item) -> bool:
    """Does a determiner noun phrase name a person ("their Afghan interpreter", "the head of X")?"""
    return any(PERSON_SING.match(w) or w.lower() in RELATIONAL or w.lower() in KIN for w in it.words[1:])


def _is_det_np(it: _Item) -> bool:
    return bool(it.words) and it.words[0].lower() in ("a", "an", "the", "his", "her", "their", "its", "one",
                                                       "another")


def _after_apposition(toks: list[_Tok], lw: list[str], k: int, prev: _Item, stop: int | None) -> int | None:
    """After "Name, " (or "the head of X, "): skip an apposition ("a policeman," / "Shahla Marei,") that is
    followed by "and" and another person; return the index of that person, else None."""
    if prev.words and prev.words[0].lower() in ("himself", "herself"):
        return None  # "killing himself, a policeman, and four civilians" is a list
    name_prev = not _is_det_np(prev)
    if name_prev:
        if k >= len(lw) or lw[k] not in ("a", "an", "the", "former", "senior") and lw[k] not in RELATIONAL:
            return None
    elif _proper_name(toks, lw, k) is None and not (
            prev.words[0].lower() == "the" and k < len(lw) and lw[k] in ("a", "an")):
        return None  # (after "the director of X", ", a French citizen," describes him)
    e = k
    while e < len(lw) and e - k <= 20 and (lw[e] not in (",", "and", ".", ";", ":", "(") or lw[e] == "and" and (
            toks[e - 1].text[:1].isupper() and e + 1 < len(lw) and toks[e + 1].text[:1].isupper() or
            name_prev and e + 1 < len(lw) and lw[e + 1] in ("a", "an", "the", "former")) or
            lw[e] == "(" and ")" in lw[e:e + 6]) and lw[e] not in TRIGGERS:
        # ("… Psychological and Educational Research Center": an "and" between capitalised words is in a name;
        # "Name, a tribal leader and a member of X, …" is one man with two descriptions)
        if parse_number([t.text for t in toks], e) is not None and re.fullmatch(r"\d+", lw[e]) is None and \
                lw[e] not in ("a", "an", "one"):
            return None
        e += 1
    if e == k or e >= len(lw) or (stop is not None and e >= stop):
        return None
    if lw[e] == "," and e + 1 < len(lw) and lw[e + 1] == "and":
        k3 = e + 2
    elif lw[e] == "and" and not (name_prev and e + 1 < len(lw) and lw[e + 1] in ("a", "an", "the")):
        k3 = e + 1  # "Name, a policeman and his son"; but "Name, a tribal leader and a member of X" is one man
    else:
        return None
    if stop is not None and k3 >= stop:
        return None
    texts = [t.text for t in toks]
    nxt = parse_number(texts, k3)
    if (nxt and _is_count(toks, lw, nxt)) or _singular_np(toks, lw, k3) or _proper_name(toks, lw, k3):
        return k3
    return None


def _list_item(toks: list[_Tok], lw: list[str], k: int, prev: _Item) -> bool:
    """Is there another person of the same form after "a policeman, " / "Ali Hassan, "?"""
    person = _is_person
    if _is_det_np(prev) or prev.words and prev.words[0].lower() in ("himself", "herself"):
        if prev.words[0].lower() not in ("himself", "herself") and not person(prev):
            return False
        nxt = _singular_np(toks, lw, k)
        if nxt is None or not _is_det_np(nxt) or lw[k] in ("him", "her", "himself", "herself") or not person(nxt):
            return False
    else:
        nxt = _proper_name(toks, lw, k)
        if nxt is None and k < len(lw) and lw[k] in ("his", "her", "their"):
            nxt = _singular_np(toks, lw, k)  # "killed Tueni, his driver, and a bodyguard"
            if nxt is not None and not person(nxt):
                return False
        if nxt is None:
            return False
    return nxt.j < len(lw) and lw[nxt.j] in (",", "and")


def _items_backward(toks: list[_Tok], lw: list[str], t: int, used: set[int]) -> tuple[list[_Item], str | None]:
    """Number phrases of the subject before a state trigger: 'two soldiers and a civilian were injured'."""
    words = [x.text for x in toks]
    k = t - 1
    post_qual = None
    aux_seen: list[str] = []
    while k >= 0 and lw[k] in ("was", "were", "is", "are", "been", "being", "be", "have", "has", "had",
                               "reportedly", "reported", "also", "later", "all", "allegedly", "critically",
                               "seriously", "severely", "slightly", "badly", "lightly", "mortally", "gravely",
                               "fatally",
                               "subsequently", "instantly", "immediately", "confirmed", "shot", "stabbed",
                               "beaten", "burned", "found", "then", "eventually", "apparently", "initially",
                               "and", "least", "at", "believed", "feared", "thought", "to", "others",
                               "more", "people", "persons", "further", "hacked", "gunned", "down", "left",
                               "leaving", "both", "either", "had", "gone", "were", "lost", "their", "lives",
                               "known", "feared", "likely", "may", "might", "have", "reported", "later",
                               "kidnapped", "abducted", "tortured", "taken", "ambushed", "attacked", "dragged",
                               "seized", "captured", "shot", "robbed", "raped", ","):
        if lw[k] in ("others", "people", "persons", "more"):
            break  # the head of the subject: "a dozen people were wounded"
        if lw[k] == "," and not (k > 0 and lw[k - 1] in ("kidnapped", "abducted", "tortured", "taken", "ambushed",
                                                         "attacked", "dragged", "seized", "captured", "shot",
                                                         "robbed", "raped", "beaten", "stabbed")):
            break
        if lw[k] == "least" and k > 0 and lw[k - 1] == "at":
            post_qual = "at least"
        aux_seen.append(lw[k])
        k -= 1
        if len(aux_seen) > 6:
            break
    end = k + 1  # subject ends before this index
    if end > 0 and lw[end - 1] == ")":
        # "two Iraqi policemen (his guards) were killed"
        for c in range(end - 2, max(end - 14, -1), -1):
            if lw[c] == "(":
                end = c
                break
    elif end > 0 and lw[end - 1] == ",":
        # "three others, including the governor, were injured" / "Deniz, a driver for X, was killed"
        cue = next((c for c in range(end - 2, max(end - 40, -1), -1) if lw[c] == "," and c + 1 < len(lw)
                    and lw[c + 1] in ("including", "among")), None)
        for c in ([cue] if cue is not None else range(end - 2, max(end - 16, -1), -1)):
            if lw[c] == ",":
                end = c
                break
            if lw[c] in (".", ";", ":") or lw[c] in TRIGGERS:
                end -= 1
                break
        else:
            end -= 1
    barrier = {".", ";", ":", "by", "when", "after", "that", "said", "while", "who", "which", "if", "because",
               "but", "as", "where", "with", "from"}
    best: list[_Item] | None = None
    for i in range(end - 1, max(end - 32, -1), -1):
        if lw[i] in TRIGGERS or lw[i] in barrier:
            break
        if i in used or (i > 0 and lw[i - 1] in ("by", "of", "for", "from", "against", "to", "near", "on",
                                                  "at", "than", "into", "toward", "towards")):
            continue
        if i > 0 and parse_number(words, i) is None and (
                lw[i - 1] in ("struck", "hit", "inside", "outside", "behind", "in", "under", "with") or
                lw[i - 1] in ("a", "an", "the") and toks[i].text[:1].isupper() or
                toks[i].text[:1].isupper() and toks[i - 1].text[:1].isupper() and toks[i - 1].text.isalpha()
                and lw[i - 1] not in ("and", "the", "a", "an")):
            # an object is not the subject ("their vehicle struck a roadside mine and two others were …",
            # "in Baghdad, Sardar Sa'id and …"), nor is a name inside a noun phrase ("the Oil Ministry")
            continue
        items = _items_forward(toks, lw, i, used, stop=end)
        if not items or items[0].num is None and items[0].value == 1 and lw[i] in ("him", "her"):
            continue
        last = items[-1].j
        if last < end:
            rest = lw[last:end]
            if rest[:2] in ([",", "including"], [",", "among"]) and all(
                    w not in TRIGGERS and w not in barrier and w not in ("were", "was", "are", "is", "have", "has")
                    for w in rest[2:]):
                # "Five people, including two civilians, were killed": the subset is part of the subject
                items[-1].j = end
                best = items
                continue
            if not (rest and (rest[0] in ("and", "of", "on", "aboard", "from", "in", "at", "near", "inside") or
                              rest[0].endswith("ing")) and all(w not in TRIGGERS and w not in barrier and
                                                       w != "," and
                                                       parse_number(words, last + x) is None
                                                       for x, w in enumerate(rest))):
                # "from ward 10 in Bandipore to become councillor, Ghulam Hassan, was killed": the 10 is
                # not the subject (a clause or an apposition lies between)
                continue
            items[-1].j = end
            items[-1].words = words[items[-1].i:end]
        if last > end:
            continue
        if len(items) == 1 and items[0].num is None and "was" not in aux_seen and "is" not in aux_seen and \
                "has" not in aux_seen and lw[t] not in ("died", "dies", "perished"):
            continue
        best = items
    if best is None:
        # "Three other people who were in the home at the time were also killed": the subject is before "who"
        rel = next((x for x in range(end - 1, max(end - 16, 0), -1) if lw[x] in ("who", "whom")
                    or lw[x] in TRIGGERS or lw[x] in (".", ";", ":")), None)
        if rel is not None and lw[rel] in ("who", "whom") and rel > 0 and lw[rel - 1] != ",":
            for i in range(rel - 1, max(rel - 8, -1), -1):
                if lw[i] in TRIGGERS or lw[i] in barrier:
                    break
                items = _items_forward(toks, lw, i, used, stop=rel)
                if items and items[0].num is not None and max(it.j for it in items) == rel:
                    best = items
            if best is not None:
                return best, post_qual
        sing = _singular_subject(toks, lw, end, aux_seen, lw[t] if t < len(lw) else "")
        return ([sing] if sing else []), post_qual
    if len(best) > 1 and all(it.num is None for it in best) and ("was" in aux_seen or "is" in aux_seen) and \
            not ({"were", "are", "both"} & set(aux_seen)):
        # a singular verb has a singular subject: "A policeman who served between Chechnya and Ingushetia was
        # found dead" is one person
        best = [best[-1]] if best[-1].i > best[0].i and best[0].words and best[0].words[0][:1].isupper() and \
            False else [best[0]]
    return best, post_qual


def _singular_subject(toks: list[_Tok], lw: list[str], end: int, aux: list[str],
                      trigger: str = "") -> _Item | None:
    """'The civilian was killed', 'He was injured', 'Mana Malasoh, the village chief, was shot and killed'."""
    if trigger in ("died", "dies", "perished") and all(a in ("later", "subsequently", "eventually", "then")
                                                       for a in aux) and end > 0:
        if lw[end - 1] in ("he", "she", "another"):
            return _Item(None, 1, end - 1, end, [toks[end - 1].text])
        if aux and re.fullmatch(r"(?:(?:al|el)-)?[A-Z][\w'’-]+", toks[end - 1].text) and \
                (end - 1 == 0 or lw[end - 2] in (".", ",", ";")):
            return _Item(None, 1, end - 1, end, [toks[end - 1].text])  # "Al-Obeidi later died of his injuries"
        for i in range(end - 1, max(end - 6, -1), -1):
            if lw[i] in ("a", "an", "the", "his", "her") and not lw[end - 1].endswith("s"):
                return _Item(None, 1, i, end, [t.text for t in toks[i:end]])
            if not re.fullmatch(r"[\w'’-]+", toks[i].text) or lw[i] in TRIGGERS:
                break
        return None
    if "was" not in aux and "is" not in aux and "has" not in aux and not (
            trigger in ("died", "dies", "perished") and end > 0 and lw[end - 1] in ("he", "she")):
        return None
    if end - 1 >= 0 and lw[end - 1] in ("he", "she"):
        return _Item(None, 1, end - 1, end, [toks[end - 1].text])
    for i in range(end - 1, max(end - 10, -1), -1):
        if lw[i] in ("no", "nobody", "none", "anyone", "noone"):
            return None
        if lw[i] in ("a", "an", "the", "one", "his", "her") and i + 1 < end:
            if any(PERSON_SING.match(toks[x].text) for x in range(i + 1, end)):
                return _Item(None, 1, i, end, [t.text for t in toks[i:end]])
        if lw[i] in (".", ";", ":") or lw[i] in TRIGGERS:
            break
    # a proper name or any other noun directly before: "Mana Malasoh … was shot and killed",
    # "Daud's bodyguard was also killed" (only people are killed or wounded)
    if end - 1 >= 0 and re.match(r"[A-Za-z]", toks[end - 1].text) and lw[end - 1] not in (
            "i", "it", "this", "that", "which", "who", "there", "what", "building", "car", "vehicle", "house",
            "home", "office", "bus", "property", "station", "embassy", "plane", "aircraft", "train", "area"):
        return _Item(None, 1, end - 1, end, [toks[end - 1].text])
    return None


# ------------------------------------------------------------------ zeros

ZERO_PATTERNS = [
    (re.compile(r"\b(?:no[- ]one|nobody|none)(?: else)?(?: of them| of the \w+)? (?:was|were|is|has been|had "
                r"been|got|appeared to be|appears to have been)?\s*(?:reported |immediately reported )?"
                r"(killed|hurt|injured|wounded|harmed|died)(?: or (killed|hurt|injured|wounded|harmed))?", re.I),
     None),
    (re.compile(r"\bno (?:immediate |official |initial |known |further |serious |other )?(?:reports? of |word of )?"
                r"(?:any )?(?:(?P<side>[A-Z][\w.]*|civilian|military|human) )?(?:or material )?"
                r"(casualties|injuries|deaths|fatalities|victims|loss of life|losses)", re.I), None),
    (re.compile(r"\bwithout (?:causing |inflicting |any |resulting in )*(casualties|injuries|deaths|loss of life|"
                r"injury|injuring anyone|hurting anyone|killing anyone)", re.I), None),
    (re.compile(r"\b(?:caused|causing|resulted in|resulting in|were|was) no (casualties|injuries|deaths|fatalities)",
                re.I), None),
]
ZERO_GROUP = re.compile(r"\bno (?:immediate |official )?reports? of (?:any )?(\w+(?: \w+)?) (?:being |having been )?"
                        r"(killed|injured|wounded|hurt)", re.I)


def _zero_kinds(word: str) -> list[str]:
    w = word.lower()
    if w.startswith(("kill", "death", "fatal", "loss of life", "die")):
        return ["killed"]
    if w.startswith(("injur", "wound", "hurt", "harm")):
        return ["injured"]
    return ["killed", "injured"]  # casualties, victims, losses


# ------------------------------------------------------------------ main entry


def _evidence(article_id: str, kind: str, text: str, s: int, e: int, ss: int, se: int) -> Evidence:
    return Evidence(article_id=article_id, kind=kind, start=s, end=e, text=text[s:e], sentence_start=ss,
                    sentence_end=se, sentence=text[ss:se])


def sentence_figures(text: str, ss: int, se: int, article_id: str = "-",
                     published: dt.date | None = None) -> list[Figure]:
    """All casualty figures stated in the sentence ``text[ss:se]``."""
    sent = text[ss:se]
    toks = tokenize(sent, ss)
    lw = [t.text.lower() for t in toks]
    words = [t.text for t in toks]
    who = attribution(sent)
    figures: list[Figure] = []
    used: set[int] = set()
    covered: list[tuple[int, int]] = []

    def add(kind: str, items: list[_Item], trig: int, qual_override: str | None = None) -> None:
        items = [it for it in items if it.value is not None]
        if items and all(it.value < 0 for it in items):
            return
        if not items:
            return
        for it in items:
            used.add(it.i)
        lo = min(it.i for it in items + [_Item(None, 0, trig, trig, [])])
        hi = max(max(it.j for it in items), trig + 1)
        covered.append((lo, hi))
        parts: list[Figure] = []
        for it in items:
            cat, side = _category(it.words)
            num = it.num
            low, best, high = (num.low, num.best, num.high) if num else (1, 1, 1)
            qual = num.qualifier if num else None
            if qual_override == "at least" and num and num.qualifier is None:
                low, best, high, qual = num.best, num.best, None, "at least"
            subset = _is_subset(lw, it.i) or it.value < 0 or [w.lower() for w in it.words[:2]] in (
                ["of", "them"], ["of", "whom"])
            s = toks[it.i].start
            e = toks[max(it.j - 1, it.i)].end
            if num is None and it.words and it.words[0].lower() in ("himself", "herself"):
                cat = "perpetrator"
            parts.append(Figure(kind=kind, low=low, best=best, high=high,  # type: ignore[arg-type]
                                evidence=_evidence(article_id, kind, text, min(s, toks[trig].start),
                                                   max(e, toks[trig].end), ss, se),
                                category=cat, side=side, attribution=who, qualifier=qual, is_subset=subset))
        last_item = max(it.j for it in items)
        # "was killed along with his son and a guest" / "killed a father along with his son"
        starts = [last_item, trig + 1]
        # "was killed in the attack, along with one of his bodyguards"
        aw = next((x for x in range(trig + 1, min(trig + 9, len(lw) - 1)) if lw[x] == "along" and lw[x + 1] == "with"),
                  None)
        if aw is not None and trig + 1 < len(lw) and lw[trig + 1] in ("in", "at", "on", "near", "outside", "inside") \
                and not any(_kind_of(w) or w in ("and", "when", "as", "while", "after", "who") for w in lw[trig + 1:aw]):
            starts.append(aw)
        if last_item < len(lw) and lw[last_item] == ",":
            # "killed Nadia Mohammed, a senior official at the Interior Ministry, along with her driver"
            app_end = next((x for x in range(last_item + 1, min(last_item + 16, len(lw)))
                            if lw[x] in (",", ".", ";") or _kind_of(lw[x])), None)
            if app_end is not None and lw[app_end] == ",":
                starts.append(app_end)
        for start_at in starts:
            if tuple(lw[start_at:start_at + 2]) == ("along", "with") or (
                    start_at < len(lw) and lw[start_at] == "," and tuple(lw[start_at + 1:start_at + 3]) == ("along", "with")):
                k0 = start_at + (3 if lw[start_at] == "," else 2)
                extra = _items_forward(toks, lw, k0, used)
                after = max((it.j for it in extra), default=k0)
                if lw[after:after + 1] == [","]:
                    after += 1
                if lw[after:after + 1] in (["who"], ["that"]) and any(_kind_of(w) not in (None, kind)
                                                                   for w in lw[after + 1:after + 5]):
                    extra = []  # "three were killed along with eight others who were wounded"
                for it in extra:
                    used.add(it.i)
                    cat, side = _category(it.words)
                    num = it.num
                    low, best, high = (num.low, num.best, num.high) if num else (1, 1, 1)
                    parts.append(Figure(kind=kind, low=low, best=best, high=high,  # type: ignore[arg-type]
                                        evidence=_evidence(article_id, kind, text, toks[it.i].start,
                                                           toks[max(it.j - 1, it.i)].end, ss, se),
                                        category=cat, side=side, attribution=who,
                                        qualifier=num.qualifier if num else None))
                break
        parts.extend(_trailing_subsets(last_item))
        if trig + 1 > last_item:
            parts.extend(_trailing_subsets(trig + 1))
        whole = [p for p in parts if not p.is_subset]
        if len(whole) > 1:
            def sm(vals: list[int | None]) -> int | None:
                return None if any(v is None for v in vals) else sum(v for v in vals if v is not None)
            s = min(p.evidence.start for p in whole)
            e = max(p.evidence.end for p in whole)
            total = Figure(kind=kind, low=sm([p.low for p in whole]), best=sum(p.best or 0 for p in whole),
                           high=sm([p.high for p in whole]), evidence=_evidence(article_id, kind, text, s, e, ss, se),
                           category=None, side=None, attribution=who, qualifier="sum")
            for p in whole:
                p.is_subset = True
            figures.append(total)
        figures.extend(parts)

    def _trailing_subsets(after: int) -> list[Figure]:
        """'…were killed, among them four children and three women' → subset figures."""
        k = after
        if k < len(lw) and lw[k] in (",", "("):
            k += 1
        cue = None
        for seq in (("among", "them"), ("among", "whom"), ("of", "whom"), ("including",), ("among", "the", "dead",
                    "were"), ("among", "the", "dead"), ("among", "the", "victims", "were"), ("among", "the",
                    "victims"), ("most", "of", "them"), ("all", "of", "them")):
            if tuple(lw[k:k + len(seq)]) == seq:
                cue = seq
                break
        if cue is None and not (after < len(lw) and lw[after] == "("):
            return []
        start = k + (len(cue) if cue else 0)
        out: list[Figure] = []
        for it in _items_forward(toks, lw, start, used):
            if it.num is None and not it.words:
                continue
            used.add(it.i)
            cat, side = _category(it.words)
            num = it.num
            low, best, high = (num.low, num.best, num.high) if num else (1, 1, 1)
            out.append(Figure(kind=kind_now[0], low=low, best=best, high=high,  # type: ignore[arg-type]
                              evidence=_evidence(article_id, kind_now[0], text, toks[it.i].start,
                                                 toks[max(it.j - 1, it.i)].end, ss, se),
                              category=cat, side=side, attribution=who, qualifier=num.qualifier if num else None,
                              is_subset=True))
        return out

    kind_now = ["killed"]
    uncertain = UNCERTAIN.search(sent)
    for t, w in enumerate(lw):
        kind = _kind_of(w)
        if kind is None and w not in KILL_OF and w != "down":
            continue  # not a trigger (the checks below only matter for triggers)
        prev = lw[t - 1] if t > 0 else ""
        if kind is None and w in KILL_OF and t + 1 < len(lw) and lw[t + 1] == "of":
            kind = "killed"
        if w == "death" and prev in ("escaped", "escape", "cheated", "avoided", "survived"):
            continue  # "narrowly escaped death"
        if w in KILL_OF and t + 1 < len(lw) and lw[t + 1] == "of" and any(
                re.fullmatch(r"(?:19|20)\d\d", x) for x in lw[max(0, t - 5):t]):
            continue  # "the 1972 Munich massacre of 11 athletes": an earlier event
        if w == "death" and (t + 1 < len(lw) and lw[t + 1] == "to" or t + 1 < len(lw) and lw[t + 1] == "of" and not
                             any(x in ("resulted", "caused", "causing", "led", "leading", "in") for x in
                                 lw[max(0, t - 4):t])):
            continue  # "Death to …", "to commemorate the death of …": not this event's toll
        if any(" ".join(lw[max(0, t - 3):t]).endswith(x) for x in ("accused of", "charged with", "convicted of",
                                                                   "sentenced for", "arrested for", "wanted for",
                                                                   "jailed for", "tried for")) or (
                w in KILL_OF and t > 1 and lw[t - 1] == "the" and lw[t - 2] == "for" and any(
                    x in ("arrested", "charged", "convicted", "accused", "sentenced", "jailed", "tried", "wanted")
                    for x in lw[max(0, t - 14):t])):
            continue  # an accusation about an earlier killing ("arrested … as well as for the assassination of …")
        if w == "death" and prev == "to" and any(x.startswith(("sentenc", "condemn")) for x in lw[max(0, t - 10):t]):
            continue  # "sentencing 143 residents to death": a court sentence, not a death toll
        if w in ("execution", "executions") and t > 0 and lw[t - 1] in ("scheduled", "planned", "impending",
                                                                         "threatened", "pending", "possible"):
            continue  # "the scheduled execution of X": not a death
        both_ways = False  # "shot dead X" / "X was shot dead": object or subject
        if (w == "dead" and prev == "shot") or (w == "down" and prev in ("gunned", "mowed", "cut")) or (
                w == "death" and prev == "to" and t > 1 and lw[t - 2] in (
                    "shot", "stabbed", "beaten", "burned", "burnt", "hacked", "bludgeoned", "stoned", "tortured",
                    "crushed", "clubbed", "hanged", "starved", "trampled")):
            kind, both_ways = "killed", True
        if kind:
            kind_now[0] = kind
        if kind is None:
            continue
        if any(lo <= t < hi for lo, hi in covered) and not (w in INJ_ACTIVE and t > 0 and lw[t - 1] == "and"):
            if _inside_item(t, figures, toks):
                continue
        if t > 0 and lw[t - 1] == "to" and w in ("kill", "injure", "wound", "hurt", "die", "murder") and not any(
                x in ("used", "utilized", "using", "employed", "detonated") for x in lw[max(0, t - 9):t]):
            continue  # intent: "tried to kill" (but "used a bomb to kill four policemen" reports a result)
        if w in ("wounded", "injured") and t > 1 and lw[t - 1] == "the" and lw[t - 2] == "of":
            continue  # "one of the wounded": a reference to people already counted, not a new figure
        if w in ("death", "dead") and t + 1 < len(lw) and lw[t + 1] in ("threat", "threats", "squad", "squads",
                                                                        "sentence", "sentences", "penalty",
                                                                        "row", "end", "march"):
            continue
        if w in ("wounded", "wounding", "injured", "injuring") and t > 0 and lw[t - 1] in ("fatally", "mortally"):
            kind = "killed"
        if w == "hurt" and t > 0 and lw[t - 1] in ("not", "n't"):
            continue
        if kind == "killed" and t > 0 and (lw[t - 1] in ("not", "n't", "never") or t > 1 and lw[t - 2] in (
                "not", "n't", "never") and lw[t - 1] in ("be", "been", "get")):
            continue  # "the shot did not kill Bali"
        if kind == "killed" and t + 2 < len(lw) and lw[t + 1] == "or" and lw[t + 2] in (
                "kidnapped", "abducted", "captured", "injured", "wounded", "missing", "hurt"):
            continue  # "two others appear to have been killed or kidnapped": not a count of the dead
        if uncertain is not None and uncertain.start() < toks[t].start - ss:
            continue  # "it is unclear if the victim was killed or only injured"
        if w in ("injured", "wounded", "dead") and t + 1 < len(lw) and lw[t + 1] in ("person", "man", "woman",
                                                                                    "soldier", "policeman"):
            continue
        items: list[_Item] = []
        qual = None
        if w in KILL_OF and t + 1 < len(lw) and lw[t + 1] == "of" and (w not in ("shooting", "stabbing") or (
                t > 0 and lw[t - 1] == "fatal")) and (w != "lives" or (t > 1 and lw[t - 2] in ("claimed", "took",
                                                                                                "cost"))):
            items = _items_forward(toks, lw, t + 2, used)
            if items:
                add("killed", items, t, None)
                continue
        if w == "dead" and prev != "shot" and not both_ways:
            # "shot him and his two sons dead"
            v = next((x for x in range(t - 2, max(t - 10, -1), -1) if lw[x] in ("shot", "gunned")), None)
            if v is not None and not any(_kind_of(x) for x in lw[v + 1:t]) and lw[v + 1] not in ("and", "at", "in"):
                items = _items_forward(toks, lw, v + 1, used, stop=t)
                if items and max(it.j for it in items) == t:
                    add("killed", items, t, None)
                    continue
        if w == "death" and prev == "to" and not both_ways:
            # "militants shot an alleged informer to death"
            v = next((x for x in range(t - 2, max(t - 9, -1), -1) if lw[x] in KILL_VERBS_TO_DEATH), None)
            if v is not None:
                items = _items_forward(toks, lw, v + 1, used, stop=t - 1)
                if items:
                    add("killed", items, t, None)
                    continue
        if w in KILL_ACTIVE or w in INJ_ACTIVE or both_ways:
            back = 3 if w == "death" else 2
            if not (t > 0 and lw[t - 1] in ("was", "were", "been", "being", "is", "are", "be")) and not (
                    both_ways and t >= back and lw[t - back] in ("was", "were", "been", "being", "be")):
                items = _items_forward(toks, lw, t + 1, used)
        object_follows = (w in ("murdered", "assassinated", "executed", "slaughtered", "massacred", "beheaded",
                                "lynched", "strangled") and t + 1 < len(lw) and t > 0 and
                          lw[t - 1] not in ("was", "were", "been", "being", "is", "are", "be", "and", ",", "found",
                                            "later", "also", "all", "both") and
                          lw[t + 1:t + 3] not in (["the", "following"], ["the", "next"], ["the", "same"]) and
                          (lw[t + 1] in ("a", "an", "the", "his", "her", "their", "two", "three", "four", "five")
                           or toks[t + 1].text[:1].isupper()))
        if both_ways and not items:
            items, qual = _items_backward(toks, lw, t - (2 if w == "death" else 1), used)
        elif object_follows and not items:
            pass  # "Six members of the FARC murdered the treasurer …": the subject is the killers, not the dead
        elif not items and (w in KILL_STATE or w in INJ_STATE or w in KILL_NOUN or w in INJ_NOUN
                          or w in ("killed", "wounded", "injured")):
            if w in ("bodies", "corpses", "remains") and t + 2 < len(lw) and lw[t + 1] == "of":
                items = _items_forward(toks, lw, t + 2, used)
                if len(items) < 2:  # "the bodies of a teacher, his wife and two daughters": all of them
                    items = [it for it in items if it.num]
            if items:
                pass
            elif w in (KILL_NOUN | INJ_NOUN) - {"injured", "wounded"} and not (
                    w == "dead" and prev in ("was", "were", "found", "is", "are", "been", "lay", "pronounced")):
                # "13 deaths", "five dead", "40 injuries"
                items, qual = _items_backward(toks, lw, t, used)
                if items and items[0].num is None:
                    items = []
            else:
                items, qual = _items_backward(toks, lw, t, used)
        if items:
            add(kind, items, t, qual)

    # "the engineer and a girl suffered gunshot wounds", "Ozdemir sustained an injury", "was stabbed"
    if not any(f.kind == "injured" for f in figures):
        m = re.search(r"\b(?:suffered|sustained|received)\s+(?:\w+\s+){0,2}?(?:wounds?|injur(?:y|ies)|burns)\b", sent,
                      re.I)
        m2 = None if m or re.search(r"\bstabbed (?:to death|and killed)|\bkill|\bdead\b|\bdied\b", sent, re.I) else \
            re.search(r"\b(?:was|were)\s+(?:\w+\s+)?stabbed\b", sent, re.I)
        hit = m or m2
        if hit:
            k = next((x for x, tk in enumerate(toks) if tk.start >= ss + hit.start()), None)
            if k is not None:
                items, _q = _items_backward(toks, lw, k + (1 if m2 else 0) if m2 else k, used)
                if m and not items:
                    items = []
                if items:
                    val = sum(it.value for it in items if it.value > 0)
                    figures.append(Figure(kind="injured", low=val, best=val, high=val,
                                          evidence=_evidence(article_id, "injured", text, toks[items[0].i].start,
                                                             ss + hit.end(), ss, se),
                                          attribution=who))
    # "one of the wounded later died": a death added to the toll
    for m in re.finditer(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|\d+|another)\s+(?:more\s+)?of\s+(?:the|"
                         r"those)\s+(?:wounded|injured)(?:\s+\w+){0,2}?\s+(?:later\s+|subsequently\s+|eventually\s+)?"
                         r"(?:died|succumbed|passed away)", sent, re.I):
        v = 1 if m.group(1).lower() == "another" else word_value(m.group(1))
        if v:
            figures.append(Figure(kind="killed", low=v, best=v, high=v,
                                  evidence=_evidence(article_id, "killed", text, ss + m.start(), ss + m.end(), ss, se),
                                  attribution=who, qualifier="died of wounds"))
    # "the body of a policeman was found", "his body was later found"
    if not any(f.kind == "killed" for f in figures):
        m = re.search(r"\b(?:(?:the|a)\s+(?:[\w-]+\s+){0,2}body\s+of\s+(?:a|an|the|his|her)\b|(?:his|her)\s+body\s+"
                      r"(?:was|had been)\s+(?:later\s+|subsequently\s+)?(?:found|recovered|discovered))", sent, re.I)
        if m:
            figures.append(Figure(kind="killed", low=1, best=1, high=1,
                                  evidence=_evidence(article_id, "killed", text, ss + m.start(), ss + m.end(), ss, se),
                                  attribution=who, qualifier="body found"))
    # "five civilians, all of whom were killed"
    for m in re.finditer(r"\b(all|both)(?: of (?:whom|them))? (?:were|had been) (?:later |subsequently )?"
                         r"(killed|wounded|injured|shot dead|executed)", sent, re.I):
        k = next((x for x, tk in enumerate(toks) if tk.start >= ss + m.start()), None)
        if k is None or any(f.evidence.start <= ss + m.start() < f.evidence.end for f in figures):
            continue
        kind = _kind_of(m.group(2).split()[-1]) or "killed"
        if m.group(1).lower() == "both":
            val: int | None = 2
        else:
            val = None
            for x in range(k - 1, max(k - 16, -1), -1):
                num = parse_number(words, x)
                if num and not num.vague and _is_count(toks, lw, num):
                    val = num.best
                    break
        if val:
            figures.append(Figure(kind=kind, low=val, best=val, high=val,  # type: ignore[arg-type]
                                  evidence=_evidence(article_id, kind, text, ss + m.start(), ss + m.end(), ss, se),
                                  attribution=who, qualifier="all of them"))
    # death toll
    for m in re.finditer(r"\b(death toll|toll|number of (?:dead|deaths|fatalities|victims))\b[^.;]{0,40}?\b"
                         r"(?:rose to|climbed to|reached|stood at|stands at|was|is|of|at|to|hit)\s+", sent, re.I):
        k = next((x for x, tk in enumerate(toks) if tk.start >= ss + m.end()), None)
        if k is None or k in used:
            continue
        num = parse_number(words, k)
        if num and _is_count(toks, lw, num):
            used.add(k)
            figures.append(Figure(kind="killed", low=num.low, best=num.best, high=num.high,
                                  evidence=_evidence(article_id, "killed", text, ss + m.start(), toks[num.j - 1].end,
                                                     ss, se),
                                  attribution=who, qualifier=num.qualifier))

    # zeros
    for rx, _ in ZERO_PATTERNS:
        for m in rx.finditer(sent):
            kinds: list[str] = []
            for g in m.groups():
                if g and g.lower() not in ("",) and not (rx.groupindex.get("side") and g == m.group("side")):
                    kinds += _zero_kinds(g)
            side = m.groupdict().get("side") if rx.groupindex.get("side") else None
            if side and side.lower() in ("human",):
                side = None
            for kind in dict.fromkeys(kinds):
                cat = None
                if side and side.lower() == "civilian":
                    cat, side = "civilians", None
                elif side:
                    side = "US forces" if side.upper().rstrip(".") in ("US", "U.S", "AMERICAN") else side
                figures.append(Figure(kind=kind, low=0, best=0, high=0,  # type: ignore[arg-type]
                                      evidence=_evidence(article_id, kind, text, ss + m.start(), ss + m.end(), ss, se),
                                      category=cat, side=side, attribution=who, qualifier="none"))
    for m in ZERO_GROUP.finditer(sent):
        grp = m.group(1)
        cat, side = _category(grp.split())
        kind = _zero_kinds(m.group(2))[0]
        figures = [f for f in figures if not (f.best == 0 and f.evidence.start == ss + m.start())]
        figures.append(Figure(kind=kind, low=0, best=0, high=None,  # type: ignore[arg-type]
                              evidence=_evidence(article_id, kind, text, ss + m.start(), ss + m.end(), ss, se),
                              category=cat or grp.lower(), side=side, attribution=who, qualifier="no reports"))
    seen: set[tuple] = set()
    dedup: list[Figure] = []
    for f in figures:
        key = (f.kind, f.category, f.side) if f.qualifier in ("none", "no reports") else (id(f),)
        if key in seen:
            continue
        seen.add(key)
        dedup.append(f)
    figures = dedup
    prior = re.search(r"\b(?:in )?(?:retaliation|revenge|reprisal|response) (?:for|to)\b|\bto avenge\b|"
                      r"\b(?:days|weeks|months|years) (?:after|before)\b|\b(?:recent|previous|earlier|past|prior) "
                      r"(?:attacks?|bombings?|incidents?|raids?|strikes?)\b", sent, re.I)
    if prior:
        for f in figures:
            if f.evidence.start >= ss + prior.end():
                _add_qualifier(f, "background (earlier event)")
    other = OTHER_EVENT_AFTER.search(sent)
    if other and re.match(r"(?:only |just )?(?:hours|days|weeks|months) ", other.group(0), re.I) and \
            len(re.findall(r"\w+", sent[:other.start()])) <= 4:
        other = None  # "Nine hours after the drama began, commandos stormed the plane, killing …": the main clause
    whole = OTHER_EVENT_SENTENCE.search(sent)
    if whole and re.search(r"\b(?:kidnapped|abducted|missing|taken hostage|seized)\b", sent, re.I):
        whole = None  # "the body of a man kidnapped two months earlier was found": the death is this event
    for f in figures:
        if f.best == 0:
            continue  # "the explosions, which came hours after the air strikes, caused no injuries"
        if (whole or other and f.evidence.start >= ss + other.start()) and not is_background(f):
            _add_qualifier(f, "background (another event)")
    boast = re.search(r"\b(?:Taliban|militants?|insurgents?|rebels?|guerrill?as?|the group|al-Shabaa?b|Hamas|"
                      r"Hezbollah|Houthis?|attackers?|kidnappers?|jihadists?)\b[^.;]{0,60}?\b(?:claimed|stated|boasted|"
                      r"alleged)\b(?! responsibility| credit)", sent, re.I)
    if boast:
        for f in figures:
            if f.evidence.start >= ss + boast.end():
                _add_qualifier(f, "perpetrator's claim (not counted)")
    if _is_year_background(sent, published):
        for f in figures:
            _add_qualifier(f, "background (earlier event)")
    return figures


UNCERTAIN = re.compile(r"\b(?:unclear|not (?:clear|known)|unknown|uncertain) (?:if|whether)\b", re.I)

#: A clause about another event: figures from the cue on are not this incident's ("The attack occurred on the
#: same day that two officials were shot dead", "has been targeted in the past: in June a bomber killed ten").
OTHER_EVENT_AFTER = re.compile(
    r"\b(?:on the same (?:day|night|morning|evening) (?:that|as|when)|(?:on|during) a day (?:when|that|in which)|"
    r"(?:in|during) the (?:same|previous) (?:day|week|month)|in the past\b|(?:in|during) separate (?:incidents|attacks)|"
    r"(?:comes|came|occurred|took place|happened) (?:only |just |a |one )?(?:few |several |\w+ )?(?:hours?|days?|"
    r"weeks?|months?) (?:after|before)|(?:only |just )?(?:hours|days|weeks|months) (?:after|before)\b|"
    r"(?:earlier|later) (?:that|this|the same) (?:day|night|week|month|year)|"
    r"(?:also|elsewhere) (?:in|on) [A-Z\d][\w-]* (?:on|this|that|the same)\b|"
    r"\bafter (?:[\w-]+ ){0,8}?had been (?:killed|murdered|shot|wounded|injured)|"
    r"\b(?:following|in protest (?:of|to|against)|to protest|to commemorate|in memory of|the anniversary of) the "
    r"(?:recent )?(?:assassination|killing|murder|death|execution)s?\b|\bfuneral (?:of|for)\b|"
    r"\bthe scene of the (?:murder|killing|assassination)\b|"
    r"\b(?:recent|previous|earlier) (?:killings?|murders?|assassinations?|deaths?|explosions?|blasts?)\b|"
    r"\b(?:killing|murder|assassination|death)s? of another\b|"
    r"\banniversary of (?:a|an|the) (?:[\w-]+ ){0,2}?(?:crackdown|massacre|attack|bombing|killing|raid|assault|"
    r"siege|shooting)s?\b|\bin (?:similar|other|related) (?:attacks|incidents)\b|"
    r"\bin a similar (?:manner|attack|fashion|way|incident)\b|^\s*(?:on |during )?the same (?:day|night|morning|"
    r"evening)\b|"
    r"\b(?:another|other)\b(?=[^.;]{0,60}\b(?:on (?:this|that|the same) day|at (?:roughly |about |around )?the same "
    r"time|elsewhere|in separate (?:incidents|attacks|ambushes)|in other (?:incidents|attacks))\b))", re.I)
#: Time cues that put a whole sentence on another day ("Seven hours earlier, …", "… a week earlier").
OTHER_EVENT_SENTENCE = re.compile(
    r"\b(?:(?:\w+ )?(?:hours|days|weeks|months|years) (?:earlier|ago)|the previous (?:month|year)|last (?:month|year)|"
    r"(?:a|one|two|three|four|five|several|few) (?:days?|weeks?|months?|years?) before(?=\s*(?:[.,;]|and\b|$))|"
    r"(?:on )?(?:this|that) day alone)\b",
    re.I)


def _inside_item(t: int, figures: list[Figure], toks: list[_Tok]) -> bool:
    pos = toks[t].start
    return any(f.evidence.start <= pos < f.evidence.end for f in figures)


def _is_subset(lw: list[str], i: int) -> bool:
    """'including four children', 'among them four children', 'four of them children'."""
    back = lw[max(0, i - 4):i]
    if "including" in back or "includes" in back or "included" in back:
        return True
    if "among" in back:
        return True
    if back[-2:] in (["of", "whom"], ["of", "them"]):
        return True
    if back and back[-1] == "(":
        return True
    return False


def _add_qualifier(f: Figure, note: str) -> None:
    """Append a note ("background (another event)", …) to the figure's qualifier."""
    f.qualifier = f"{f.qualifier}; {note}" if f.qualifier else note


def is_background(f: Figure) -> bool:
    """Figures that do not count towards this incident: another (earlier) event, a series total, or an
    unverified claim by the perpetrators ("the Taliban claimed eight were killed")."""
    return bool(f.qualifier and ("background" in f.qualifier or "series total" in f.qualifier
                                 or "perpetrator's claim" in f.qualifier))


def combine(figures: list[Figure]) -> Casualties:
    """Casualties from the figures of one report: totals as a range, categories, subsets kept apart."""
    cas = Casualties(figures=list(figures))
    for kind in ("killed", "injured"):
        figs = [f for f in figures if f.kind == kind and not is_background(f)]
        other = "injured" if kind == "killed" else "killed"
        rng = _total(figs, [f for f in figures if f.kind == other and (f.best or 0) > 0 and not is_background(f)])
        setattr(cas, kind, rng)
        # categories
        by_cat: dict[str, list[Figure]] = {}
        for f in figs:
            label = f.side if f.side and (f.category in (None, "security forces") or f.best == 0) else f.category
            if f.side and f.category and f.category not in ("security forces",) and f.best != 0:
                label = f.category
            if label and f.qualifier != "sum":
                by_cat.setdefault(label, []).append(f)
        for label, fs in by_cat.items():
            precise = [f for f in fs if f.qualifier != "vague"] or fs
            lows = [f.low for f in precise if f.low is not None]
            highs = [f.high for f in precise]
            cas.categories[f"{kind}.{label}"] = Range(
                low=min(lows) if lows else None,
                best=max(f.best for f in precise if f.best is not None),
                high=None if any(h is None for h in highs) else max(h for h in highs if h is not None))
        _floor_vague_civilians(cas, kind, by_cat)
    if cas.killed.best is None and cas.injured.best == 0 and any(
            f.kind == "injured" and f.best == 0 and f.category is None and f.side is None
            and re.search(r"\b(no[- ]one|nobody|none)\b", f.evidence.text, re.I) for f in figures):
        # "no one was hurt": nobody was killed either
        cas.killed = Range(0, 0, 0)
    return cas


#: categories that are civilians by convention (ACLED/UCDP count women and children among civilians)
_CIVILIAN_PARTS = ("children", "women", "elderly")


def _floor_vague_civilians(cas: Casualties, kind: str, by_cat: dict[str, list[Figure]]) -> None:
    """A vague "several civilians" never says fewer than the women and children counted precisely."""
    key = f"{kind}.civilians"
    if key not in cas.categories or any(f.qualifier != "vague" for f in by_cat.get("civilians", [])):
        return
    parts = [cas.categories[f"{kind}.{p}"] for p in _CIVILIAN_PARTS if f"{kind}.{p}" in cas.categories]
    floor = sum(r.low or 0 for r in parts)
    rng = cas.categories[key]
    if floor and (rng.low or 0) < floor:
        best = max(rng.best or 0, sum(r.best or 0 for r in parts))
        cas.categories[key] = Range(low=floor, best=best, high=rng.high if rng.high is None or rng.high >= best else best)


def _total(figs: list[Figure], others: list[Figure] | None = None) -> Range:
    """Combine a report's total figures: repeated or conflicting figures form a range, additive ones a sum."""
    tot = [f for f in figs if not f.is_subset and not (f.best == 0 and (f.category or f.side))]
    if not tot:
        # only categories stated ("no US casualties", "four children"): no total
        return Range()
    precise = [f for f in tot if f.qualifier != "vague"]
    vague = [f for f in tot if f.qualifier == "vague"]
    if not precise:
        v = vague[0]
        return Range(v.low, v.best, v.high)
    zeros = [f for f in precise if f.best == 0]
    pos = [f for f in precise if f.best and f.best > 0]
    if not pos:
        return Range(0, 0, 0)
    # additive groups: a figure whose sentence says "also/another/…" or a different specific group
    groups: list[list[Figure]] = []
    for f in pos:
        if groups and _additive(f, groups, figs, others):
            groups.append([f])
        elif groups:
            groups[0].append(f)
        else:
            groups.append([f])
    low: int | None = 0
    best = 0
    high: int | None = 0
    any_low = any(f.low is not None for g in groups for f in g)
    for g in groups:
        lows = [f.low for f in g if f.low is not None]
        highs = [f.high for f in g]
        # the first-stated figure is the report's headline; an open lower bound ("at least 12") is raised
        # by a larger lower bound stated later ("at least 13")
        # the first-stated figure is the report's headline; an open lower bound ("at least 12") is raised
        # by a larger lower bound stated later ("at least 13")
        gb = g[0].best or 0
        if gb == 1 and g[0].qualifier is None:
            # "A member of parliament was assassinated … X was killed along with his son and three bodyguards":
            # a later enumeration that includes more people is the fuller statement of the same toll
            gb = max([gb] + [f.best for f in g[1:] if f.qualifier == "sum" and f.best and f.best <= 10])
        if g[0].high is None:
            gb = max([gb] + [f.best for f in g if f.high is None and f.best is not None and f.qualifier in
                             ("at least", "more than")])
        low = (low or 0) + (min(lows + [gb]) if lows else gb)
        best += gb
        gh = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
        high = None if high is None or gh is None else high + gh
    del zeros
    return Range(low if any_low else None, best, high)


def _additive(f: Figure, groups: list[list[Figure]], allfigs: list[Figure] | None = None,
              others: list[Figure] | None = None) -> bool:
    prev = [g for grp in groups for g in grp]
    # parts of earlier sums count for "is this group already counted?" ("two policemen and three bombers were
    # killed … two bombers were shot dead")
    earlier = prev + [p for p in (allfigs or []) if p.is_subset and p.kind == f.kind and
                      (p.evidence.sentence_start, p.evidence.start) < (f.evidence.sentence_start, f.evidence.start)]
    if any(p.evidence.sentence_start == f.evidence.sentence_start and p.evidence.start == f.evidence.start
           for p in prev):
        return False
    if f.best == 1 and re.match(r"(?:he|she)\b", f.evidence.text, re.I) and any(
            p.kind == f.kind and (p.best or 0) >= 1 for p in prev) and not any(
            (o.evidence.sentence_start, o.evidence.start) < (f.evidence.sentence_start, f.evidence.start)
            for o in others or []):
        # "X was shot and killed … he later died of his wounds": the same person (but after "… and wounding
        # the driver. He died of his wounds" the wounded man is a further death)
        return False
    if f.qualifier == "died of wounds":
        return True  # "one of the wounded later died"
    name = re.match(r"((?:al-|el-)?[A-Z][\w'’-]+)\s+(?:later |subsequently |eventually )?died\b", f.evidence.text)
    if name and any(name.group(1).lower() in p.evidence.text.lower() for p in earlier if p.kind == f.kind):
        return False  # "Sergeant Chuenchana was shot and killed … Chuenchana later died": the same man
    before = f.evidence.sentence[: max(0, f.evidence.start - f.evidence.sentence_start)][-30:]
    own = f.evidence.text
    if f.qualifier == "sum" and any(p.kind == f.kind and p.best == f.best and not p.is_subset for p in prev):
        return False  # "Four people were killed when … killing a police inspector and three others": a restatement
    if re.search(r"\b(another|additional|further|other|also|second|third|fourth|fifth|plus)\s*$", before, re.I) or \
            re.search(r"\bin addition\b", before, re.I) or \
            re.search(r"\b(?i:more(?! than)|others?|also|as well|another|additional|further|later)\b|"
                      r"\b(?:second|third|fourth|fifth)\b", own):
        return True  # (a capitalised "Second Secretary" is a title, not a second victim)
    if f.category == "perpetrator" and not any(p.category == "perpetrator" for p in earlier):
        return True
    if f.category == "militants" and not any(p.category in ("militants", "perpetrator") for p in earlier) and \
            not f.is_subset:
        return True  # "killed three settlers … Both gunmen were killed": attackers' deaths add to the victims'"
    cats = {p.category for p in prev}
    if f.category and None not in cats and f.category not in cats and "civilians" not in {f.category} | cats \
            and all(c in ("security forces", "militants", "perpetrator") for c in cats | {f.category}):
        return True
    if re.match(r"(?:\w+(?:-\w+)?) of (?:his|her|their|its|[A-Z][\w-]*['’]s) ", f.evidence.text) and \
            all(p.best == 1 for p in prev):
        return True  # "Major Ahmad was killed … Five of his guards were killed"
    if f.category in ("security forces", "civilians") and cats == {None} and all(p.best == 1 for p in prev) and \
            re.match(r"(?:one|a|an|two|three|four|five|\d+)\s", f.evidence.text, re.I) and not f.is_subset:
        return True  # "X, a candidate, was killed … One policeman died in a gunfight with the attackers"
    return False


#: The report describes one attack of a series and says its figures cover the whole series.
SERIES = re.compile(r"\b(?:(?:a|the) series of (?:\w+ )?(?:attacks|bombings|blasts|explosions)|(?:this|it|the "
                    r"(?:attack|bombing|blast|explosion|incident)) (?:was|is) one of (?:more than |at least |over )?(?:two|three|four|five|six|seven|eight|nine|ten|several|\d+|"
                    r"many|a series of)\b[^.]{0,40}(?:attacks|bombings|blasts|explosions|incidents)|one of (?:two|three|"
                    r"four|five|six|seven|eight|nine|ten|\d+) (?:simultaneous|coordinated|separate)[^.]{0,30}(?:attacks|"
                    r"bombings|blasts|explosions)|\(\s*(?:\d+|one|two|three)(?:st|nd|rd|th)? of (?:\d+|two|three|four|"
                    r"five|six)\b|casualty (?:numbers|figures|totals?|counts?) (?:are|were|is) (?:for|obtained)|"
                    r"(?:numbers|figures|totals) (?:are )?for all (?:the |\w+ )?(?:attacks|blasts|bombings|incidents))",
                    re.I)
#: The report describes several attacks ("two bomb attacks", "three suicide bombers", "coordinated blasts").
MULTI = re.compile(r"\b(?:(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+|several|multiple|twin|"
                   r"a wave of|a string of|a spate of)\s+(?:[\w-]+\s+){0,2}?(?:attacks|bombings|blasts|explosions|bombs|"
                   r"car[- ]bombs|bombers|explosive devices|incidents|raids|ambushes)|(?:coordinated|simultaneous|"
                   r"separate)\s+(?:[\w-]+\s+)?(?:attacks|bombings|blasts|explosions))\b", re.I)
#: A sentence that states a figure for all of them together.
_MULTI_SCOPE = re.compile(r"\b(?:in total|in all|altogether|combined|(?:a|the) total of|in (?:both|all|all the|(?:the|"
                          r"these) (?:two|three|four|five|six|seven|eight|nine|ten|\d+)) (?:[\w-]+ )?"
                          r"(?:attacks|blasts|bombings|explosions|incidents))\b", re.I)
_SERIES_SCOPE = re.compile(r"\b(?:in total|in all|altogether|combined|across all|in (?:the|these|all) (?:\w+ )?"
                           r"(?:attacks|blasts|bombings|explosions|incidents)|in which|overall|total of)\b", re.I)


_YEAR_RX = re.compile(r"\b(?:19[4-9]\d|20[0-3]\d)\b")


def extract_figures(text: str, article_id: str = "-", published: dt.date | None = None,
                    spans: list[tuple[int, int]] | None = None) -> list[Figure]:
    """Every casualty figure in ``text``, sentence by sentence."""
    out: list[Figure] = []
    spans = spans if spans is not None else split_sentences(text)
    for ss, se in spans:
        out.extend(sentence_figures(text, ss, se, article_id, published))
    if published is None and spans:
        # no publication date: a later sentence that names a year while the opening sentence names none
        # tells of another, dated event ("Iraq's oil minister reported that 289 oil workers were killed in 2006")
        # the opening sentence (not a header such as "CYPRUS.")
        opening = next(((a, b) for a, b in spans if len(re.findall(r"\w+", text[a:b])) >= 4), spans[0])
        first_has_year = bool(_YEAR_RX.search(text[opening[0]:opening[1]]))
        kidnap = re.search(r"\b(?:kidnapp\w*|abduct\w*|hostages?|missing|diagnosed)\b", text, re.I)
        for f in out:
            years = [m for m in _YEAR_RX.finditer(f.evidence.sentence)
                     if not re.search(r"\bsince\b[^.;]{0,40}$", f.evidence.sentence[:m.start()], re.I)]
            if not first_has_year and not kidnap and f.evidence.sentence_start > opening[0] and f.best and \
                    years and not is_background(f):
                _add_qualifier(f, "background (dated earlier event)")
    out.extend(_attackers_killed(text, out, article_id, spans))
    out.extend(_suicide_bomber(text, out, article_id, spans))
    series, multi = SERIES.search(text), MULTI.search(text)
    if series or multi:
        # figures stated for the whole series are not this incident's toll
        for f in out:
            sent = f.evidence.sentence
            if f.best == 0 and not series:
                continue  # "no casualties in the blasts": none in any of them
            if series and (_SERIES_SCOPE.search(sent) or SERIES.search(sent)) or multi and _MULTI_SCOPE.search(sent):
                _add_qualifier(f, "series total (several attacks)")
    return out


_ATTACKERS = r"(?:perpetrators|attackers|gunmen|assailants|militants|terrorists|raiders|insurgents|guerrillas)"
_KILLED_THE_ATTACKERS = re.compile(r"\b(?:killed|killing|shot dead|shooting dead)\s+(?:all\s+)?(?:of\s+)?the\s+"
                                   + _ATTACKERS + r"\b(?!\s+(?:who|which|that)\b)", re.I)


def _attackers_killed(text: str, figures: list[Figure], article_id: str,
                      spans: list[tuple[int, int]]) -> list[Figure]:
    """"Four gunmen attacked a mosque … troops responded, killing the perpetrators": the attackers' number is
    taken from the earlier sentence that counts them (a figure of category ``militants``)."""
    out: list[Figure] = []
    for m in _KILLED_THE_ATTACKERS.finditer(text):
        if any(f.evidence.start <= m.start() < f.evidence.end or m.start() <= f.evidence.start < m.end()
               for f in figures if f.kind == "killed"):
            continue
        earlier = list(re.finditer(r"\b(two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w-]+\s+){0,2}?"
                                   + _ATTACKERS + r"\b", text[:m.start()], re.I))
        if not earlier:
            continue
        v = word_value(earlier[-1].group(1))
        if not v or v > 50:
            continue
        ss, se = next(((a, b) for a, b in spans if a <= m.start() < b), (m.start(), m.end()))
        out.append(Figure(kind="killed", low=v, best=v, high=v,
                          evidence=_evidence(article_id, "killed", text, m.start(), m.end(), ss, se),
                          category="militants", qualifier="attackers counted earlier in the report"))
    return out


SUICIDE = re.compile(r"\b(blew (?:him|her)self up|blew themselves up|detonated (?:his|her) (?:explosive|bomb|vest|belt)s?|"
                     r"suicide (?:bomber|attacker) (?:detonated|blew|exploded|rammed|drove)|"
                     r"(?:a|the) suicide (?:car )?bomb(?:er|ing)?\b[^.]{0,80}\b(?:exploded|detonated|blew))", re.I)
FAILED = re.compile(r"\b(would-be|failed|foiled|arrested|captured|defused|prematurely)\b", re.I)


def _suicide_bomber(text: str, figures: list[Figure], article_id: str,
                    spans: list[tuple[int, int]] | None) -> list[Figure]:
    """A suicide bomber who blew himself up died (RAND and ACLED count the attacker among the dead)."""
    if any(f.kind == "killed" and (f.category == "perpetrator" or (f.best or 0) > 0) and not is_background(f)
           for f in figures):
        return []  # the attacker is counted only when the report gives no other death toll
    m = SUICIDE.search(text)
    if m and re.search(r"\b(?:bomber|attacker) (?:was|were) (?:\w+ )?(?:injured|wounded|arrested|captured|detained)|"
                       r"\b(?:bomber|attacker) survived", text, re.I):
        return []
    if not m or FAILED.search(text[max(0, m.start() - 60): m.end() + 20]) and "prematurely" not in m.group(0):
        if not m:
            return []
    spans = spans if spans is not None else split_sentences(text)
    ss, se = next(((s, e) for s, e in spans if s <= m.start() < e), (m.start(), m.end()))
    return [Figure(kind="killed", low=1, best=1, high=1,
                   evidence=_evidence(article_id, "killed", text, m.start(), m.end(), ss, se),
                   category="perpetrator", qualifier="implied (suicide attack)")]


def extract_casualties(text: str, article_id: str = "-", published: dt.date | None = None) -> Casualties:
    """Killed and injured (low/best/high), categories and every figure with its evidence."""
    return combine(extract_figures(text, article_id, published))
