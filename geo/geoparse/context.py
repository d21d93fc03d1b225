"""Context words for recognising and ranking place mentions in English news.

Small, general word lists (not tuned to any document): cue words that announce
a place, titles that announce a person, words that name organisations, and the
calendar words that are also place names somewhere in GeoNames.
"""

from __future__ import annotations

import re
from functools import lru_cache

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
HOLIDAYS = {"christmas", "easter", "passover", "ramadan", "eid", "thanksgiving", "halloween", "hanukkah",
            "diwali", "lent", "advent", "pentecost", "yom", "kippur", "nowruz"}

# Words that introduce a person's name: "Mr. Lister", "Gov. Kirby", "spokesman John Kirby".
PERSON_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "president", "vice", "gov",
    "governor", "sen", "senator", "rep", "representative", "secretary", "minister", "judge",
    "justice", "gen", "general", "col", "colonel", "lt", "lieutenant", "sgt", "sergeant", "capt",
    "captain", "cmdr", "commander", "adm", "admiral", "maj", "major", "cpl", "pvt", "officer",
    "deputy", "sheriff", "chief", "mayor", "prince", "princess", "king", "queen", "pope", "rev",
    "reverend", "father", "coach", "professor", "prof", "spokesman", "spokeswoman", "spokesperson",
    "commissioner", "chairman", "chairwoman", "ceo", "director", "attorney", "det", "detective",
    "trooper", "superintendent", "principal", "councilman", "councilwoman", "supervisor",
    "sheikh", "imam", "ayatollah", "emir", "mullah", "bishop", "archbishop", "cardinal",
    "pastor", "chancellor", "premier", "speaker", "ambassador", "envoy", "dean", "manager",
    "fellow", "analyst", "researcher", "author", "writer", "reporter", "correspondent", "editor",
}

# Single capitalised words naming organisations or roles; never a place on their own.
ORG_WORDS = {
    "police", "department", "office", "court", "university", "college", "school", "church",
    "hospital", "army", "forces", "force", "navy", "council", "committee", "party", "company",
    "corporation", "inc", "ltd", "bank", "institute", "ministry", "agency", "administration",
    "government", "state", "city", "county", "republic", "union", "association", "society",
    "foundation", "center", "centre", "club", "league", "team", "group", "observatory",
    "command", "guard", "service", "services", "times", "post", "news", "press", "daily",
    "herald", "tribune", "journal", "gazette", "international", "national", "federal",
    "central", "general", "united", "royal", "democratic", "islamic", "islamist", "jihadist",
}

# Words allowed inside a multi-word place name in lower case ("Gulf of Mexico").
NAME_PARTICLES = {"of", "the", "de", "del", "la", "le", "du", "des", "al", "el", "an", "ad", "as",
                  "ash", "ar", "az", "at", "bin", "ibn", "and", "on", "upon", "da", "do", "dos",
                  "das", "van", "von", "y", "en", "sur", "am", "im", "i", "e"}

# Capitalised words that may directly precede a place without making it a person's name.
PLACE_PREFIXES = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
    "southeastern", "southwestern", "upper", "lower", "greater", "downtown", "mid", "sub",
    "in", "at", "near", "from", "to", "the", "of", "and", "or", "for", "by", "on", "into", "across",
    "outside", "inside", "around", "between", "via", "through", "with", "a", "an",
    "new", "old", "st", "saint", "fort", "port", "mount", "lake", "cape", "san", "santa",
    "when", "while", "as", "after", "before", "but", "if", "since", "both", "all", "our", "his",
    "her", "their", "its", "this", "that", "these", "those", "then", "so", "yet", "also",
    "where", "what", "why", "how", "who", "which", "says", "said", "tells", "told", "is", "was",
}

# Cue words before a mention that make it a place (location cues).
LOCATION_CUES_BEFORE = re.compile(
    r"(?:\b(?:town|village|city|province|governorate|district|region|county|state|suburb|"
    r"area|outskirts|capital|municipality|countryside|neighbourhood|neighborhood|camp|"
    r"countryside|island|port)\s+of|"
    r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest|"
    r"north-east|north-west|south-east|south-west)(?:ern)?\s+of|"
    r"\b(?:in|near|at|outside|inside|around|into|across|towards|toward|nearby|from|"
    r"to|through|throughout|within|entered|besieged|shelled|struck|hit|attacked|captured|"
    r"bombed|raided|targeted|stormed|seized)"
    r"(?:\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|central|north-?western|"
    r"north-?eastern|south-?western|south-?eastern|rural|besieged|rebel-held|"
    r"opposition-held|Syrian|Iraqi|Afghan|Yemeni|Libyan)\s+)?(?:(?:town|village|city|"
    r"province|district|area|region)\s+of\s+)?)?)\s*$",
    re.IGNORECASE,
)
# Every word a LOCATION_CUES_BEFORE match can end with: a cheap test before the regex.
_CUE_LAST_WORDS = frozenset(
    "of the in near at outside inside around into across towards toward nearby from to through throughout "
    "within entered besieged shelled struck hit attacked captured bombed raided targeted stormed seized "
    "northern southern eastern western central northwestern north-western northeastern north-eastern "
    "southwestern south-western southeastern south-eastern rural rebel-held opposition-held syrian iraqi "
    "afghan yemeni libyan".split()
)


def location_cue_before(before: str) -> re.Match[str] | None:
    """The location cue ("in", "the town of", "north of") that ``before`` ends with, or None."""
    tail = before.rstrip()
    i = len(tail)
    while i > 0 and (tail[i - 1].isalnum() or tail[i - 1] == "-"):
        i -= 1
    last = tail[i:].lower()
    if last not in _CUE_LAST_WORDS and last.rpartition("-")[2] not in _CUE_LAST_WORDS:
        return None
    return LOCATION_CUES_BEFORE.search(before)


# Cue words after a mention: "Idlib province", "Atmeh area".
LOCATION_CUES_AFTER = re.compile(
    r"^\s*(?:province|governorate|district|region|county|parish|city|town|village|area|"
    r"countryside|suburb|outskirts|camp|refugee camp|neighbourhood|neighborhood|border|"
    r"municipality|state)\b",
    re.IGNORECASE,
)
# "Washington-based", "Syrian-backed": the mention is a modifier, not the event's location.
MODIFIER_AFTER = re.compile(
    r"^[-‐‑–](?:based|backed|led|run|owned|funded|born|made|bound|held|linked|allied|"
    r"registered|headquartered|trained|controlled|supported|affiliated)\b",
    re.IGNORECASE,
)
# A year before the mention in the same clause: "the 2019 raid in X" (background events).
BACKGROUND_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
CAPTION_MARK = re.compile(
    r"\((?:AP|AFP|Reuters|Getty|EPA|[A-Z]{2,6})?\s*(?:File\s+)?Photo\b[^)]*\)|\bFile Photo\b|"
    r"\bphoto(?:graph)?\s+(?:by|courtesy)\b|\bPhoto:\s",
    re.IGNORECASE,
)
SAID_AFTER = re.compile(r"^\s*(?:said|says|told|added|wrote|stated|explained|noted)\b")
SAID_BEFORE = re.compile(r"\b(?:said|says|told|according to|added|wrote)\s*$")


@lru_cache(maxsize=200_000)
def word_frequency(word: str) -> float:
    """Zipf frequency of a lower-case English word (0 when wordfreq is not installed).

    Used only for single-word names of small places: a frequent English word
    ("Police", "Of", "Can") needs stronger evidence before it counts as a place.
    """
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - optional
        return 5.0 if word in _FALLBACK_COMMON else 0.0
    return zipf_frequency(word, "en")


_FALLBACK_COMMON = {"of", "can", "police", "mobile", "reading", "will", "may", "hope", "best", "orange"}


def is_calendar_word(word: str) -> bool:
    """Month and weekday names (and their abbreviations)."""
    w = word.lower().rstrip(".")
    return w in MONTHS or w in WEEKDAYS or w in HOLIDAYS

# Words that end organisation or facility names built on a place ("Cottonport Fire Station",
# "Minnesota Department of Transportation"): the place before them is still a mention.
FACILITY_WORDS = ORG_WORDS | {
    "station", "road", "street", "st", "avenue", "ave", "boulevard", "highway", "route", "drive",
    "lane", "school", "schools", "high", "elementary", "middle", "academy", "church", "park", "hall",
    "fire", "sheriff", "sheriff's", "airport", "bridge", "river", "lake", "mall", "library",
    "museum", "zoo", "stadium", "arena", "market", "square", "plaza", "tower", "building",
    "district", "parish", "township", "borough", "province", "governorate", "region", "area",
    "valley", "mountains", "hills", "county", "city", "town", "village", "island", "islands",
    "bay", "coast", "beach", "harbor", "harbour", "port", "border", "crossing", "camp",
    "mayor", "governor", "council", "board", "commission", "authority", "house", "senate",
    "assembly", "parliament", "cabinet", "embassy", "consulate", "airlines", "airways", "air",
    "railway", "railroad", "transit", "lottery", "fc", "united", "rovers", "state",
    "public", "works", "water", "power", "energy", "health", "medical", "regional", "community",
    "county's", "chamber", "commerce", "times", "post", "herald", "register", "star", "sun",
    "daily", "weekly", "review", "magazine", "radio", "tv", "television", "broadcasting",
    "blizzard", "pta", "historical", "memorial", "cemetery", "jail", "prison", "correctional",
    "hotel", "inn", "restaurant", "cafe", "store", "shop", "center", "centre", "club",
    "international", "national", "general", "federal", "metropolitan", "metro", "co", "corp", "alliance", "coalition", "project", "republican", "republicans", "democrat",
    "democrats", "gop", "suites", "riding", "rodeo", "fair", "festival", "courthouse", "circuit", "patrol", "turnpike", "chief", "officials", "residents", "native",
    "elks", "lodge", "mill", "quarry", "farm", "farms", "plant", "factory", "mine", "dam", "base",
}
# Lower-case name particles that join a given name to a family name ("Abu Bakr al-Baghdadi").
PERSON_PARTICLES = {"al", "el", "bin", "ibn", "abu", "bint", "van", "von", "de", "da", "di", "le", "la"}

DIRECTION_WORDS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
    "southeastern", "southwestern", "midwest", "midwestern", "upper", "lower", "mid",
}


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Given names that are not also common words or calendar words (see :func:`_census_first_names`)."""
    return frozenset(n for n in _census_first_names() if not is_calendar_word(n) and word_frequency(n) < 5.6)


@lru_cache(maxsize=1)
def _census_first_names() -> frozenset[str]:
    """US census given names (package ``names``, public-domain 1990 census lists), lower case.

    Used only to read "John Kirby" or "Abraham Lincoln" as a person; empty when not installed.
    """
    try:
        import names as _names_pkg
    except ImportError:  # pragma: no cover - optional
        return frozenset()
    from pathlib import Path

    base = Path(_names_pkg.__file__).resolve().parent
    out: set[str] = set()
    for fn in ("dist.male.first", "dist.female.first"):
        p = base / fn
        if p.exists():
            for line in p.read_text(encoding="ascii", errors="ignore").splitlines():
                parts = line.split()
                if parts:
                    out.add(parts[0].lower())
    return frozenset(out)

# Street-type words: "Commerce Dr.", "Monument Avenue" name a street, not the place.
STREET_WORDS = {
    "street", "st", "streets", "avenue", "ave", "avenues", "road", "rd", "roads", "drive", "dr",
    "boulevard", "blvd", "lane", "ln", "way", "parkway", "pkwy", "highway", "hwy", "pike", "terrace",
    "trail", "circle", "court", "ct", "place", "pl", "expressway", "freeway", "turnpike", "alley",
}
# Armed groups and organisations that share a name with some hamlet in GeoNames.
# Seats of government named for the government itself ("the White House said"): not the
# town of White House, Tennessee, nor any other place of that name.
INSTITUTIONS = frozenset({"white house", "kremlin", "pentagon", "downing street", "elysee", "élysée"})

ORGANISATIONS = {
    "hamas", "hezbollah", "hizbollah", "hizballah", "taliban", "fatah", "isis", "isil", "daesh",
    "nato", "hts", "pkk", "ypg", "sdf", "shabaab", "houthis", "houthi", "wagner", "interpol",
}
