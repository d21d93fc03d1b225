"""Small, real incidents and articles built by hand for the render/export tests.

Atmeh: 36.31111 N, 36.68639 E (Wikipedia) from the two seed articles in ``seeds/``,
with evidence spans located in their text. An asymmetric point (lon 10, lat 50)
catches axis swaps. A hostile article carries markup and template syntax.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from geo.model import (
    Actor,
    Article,
    BorderInfo,
    Casualties,
    Claim,
    DateInfo,
    Evidence,
    Figure,
    Incident,
    Place,
    Range,
    SourceRef,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HOSTILE = (
    "Breaking: <script>alert(1)</script> clashes near Testville.\n"
    "A witness wrote \"'><img src=x onerror=alert(1)>, then `rm -rf` and ${alert(1)} and {{7*7}}.\n"
    "At least 5 people were killed on Monday."
)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    s = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1 if text.rfind(". ", 0, start) >= 0 else -1)
    s = s + 1 if s >= 0 else 0
    while s < len(text) and text[s] == " ":
        s += 1
    cands = [i for i in (text.find("\n", end), text.find(". ", end)) if i >= 0]
    e = min(cands) + 1 if cands else len(text)
    return s, min(e, len(text))


def ev(article: Article, kind: str, needle: str, nth: int = 0) -> Evidence:
    """Evidence span for the ``nth`` occurrence of ``needle`` in the article."""
    pos = -1
    for _ in range(nth + 1):
        pos = article.text.index(needle, pos + 1)
    end = pos + len(needle)
    s, e = _sentence_bounds(article.text, pos, end)
    return Evidence(article.id, kind, pos, end, needle, s, e, article.text[s:e])


def seed_articles() -> dict[str, Article]:
    out = {}
    for p in sorted(SEEDS.glob("*.txt")):
        out[p.stem] = Article(id=p.stem, text=p.read_text(encoding="utf-8"), title=f"Seed {p.stem[:3]}",
                              publisher="Seed publisher", url=None, published=dt.date(2022, 2, 3), path=str(p))
    return out


def atmeh_incident(articles: dict[str, Article]) -> Incident:
    a0, a4 = articles["000_f18772d31dee92f8"], articles["004_23a385800a3f30d7"]
    place_ev = [ev(a0, "place", "Atme"), ev(a4, "place", "Atmeh")]
    k13 = Figure("killed", 13, 13, 13, ev(a0, "killed", "13 people at least were killed"), "total",
                 attribution="Syrian Observatory for Human Rights", qualifier="at least")
    k12 = Figure("killed", 12, 12, None, ev(a4, "killed", "at least 12 people were killed"), "total",
                 attribution="a resident", qualifier="at least")
    kids = Figure("killed", 4, 4, 4, ev(a0, "killed", "four children"), "children", is_subset=True)
    women = Figure("killed", 3, 3, 3, ev(a0, "killed", "three women"), "women", is_subset=True)
    date_ev = ev(a0, "date", "Thursday")
    actor_evs = [ev(a0, "actor", "US Special Forces"), ev(a4, "actor", "United States-led coalition forces")]
    event_ev = [ev(a0, "event", "helicopter landing")]
    claim_ev = ev(a4, "claim", "less than a kilometer away from Turkey's border")
    # overlapping span (place inside the claim's sentence, and a span nested in another)
    nested = ev(a4, "place", "Turkey", nth=1)
    return Incident(
        id="inc-atmeh-2022-02-03",
        place=Place("Atmeh", lat=36.31111, lon=36.68639, country_code="SY", country="Syria", admin1="Idlib",
                    feature_class="P", feature_code="PPL", population=None, place_id="curated:atmeh",
                    source="curated (Wikipedia: Atmeh)"),
        location_text="Atmeh",
        geo_precision=1,
        date=DateInfo(dt.date(2022, 2, 3), precision=1,
                      how='"Thursday" resolved against publication date 2022-02-03', evidence=date_ev),
        event_type="Battles",
        sub_event_type="Armed clash",
        event_evidence=event_ev,
        actors=[Actor("US forces", "US Special Forces", "perpetrator", actor_evs[0]),
                Actor("US-led coalition", "United States-led coalition forces", "perpetrator", actor_evs[1]),
                Actor("Huras al-Din", "Huras al-Din", "mentioned", None)],
        casualties=Casualties(killed=Range(12, 13, 13), injured=Range(),
                              categories={"killed.children": Range(4, 4, 4), "killed.women": Range(3, 3, 3)},
                              figures=[k13, k12, kids, women]),
        border=BorderInfo(0.98, "TR", "SY", (36.6801, 36.3193), "omim-data-borders 10.3.0rc2", 0.6),
        claims=[Claim("border_distance", "<", 1.0, claim_ev, country="TR", verdict="plausible (reference point)",
                      explanation="computed 0.98 km from the town centre; the town has extent",
                      computed_km=0.98)],
        sources=[SourceRef(a.id, a.title, a.publisher, a.url, a.published, a.content_hash) for a in (a0, a4)],
        evidence=[*place_ev, k13.evidence, k12.evidence, kids.evidence, women.evidence, date_ev, *actor_evs,
                  *event_ev, claim_ev, nested],
    )


def asymmetric_incident() -> tuple[Incident, Article]:
    art = Article(id="../etc/passwd x", text="Fighting near Somewhere (lon 10, lat 50) killed 2 people on 1 May 2023.",
                  title="Asymmetric point", publisher="Test wire", url="javascript:alert(1)",
                  published=dt.date(2023, 5, 2))
    e_place = ev(art, "place", "Somewhere")
    inc = Incident(
        id="inc-asym",
        place=Place("Somewhere", lat=50.0, lon=10.0, country_code="DE", country="Germany", admin1="Bavaria",
                    source="hand-made test point"),
        geo_precision=2,
        date=DateInfo(dt.date(2023, 5, 1), precision=1, evidence=ev(art, "date", "1 May 2023")),
        event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
        casualties=Casualties(killed=Range(2, 2, 2), figures=[Figure("killed", 2, 2, 2, ev(art, "killed", "killed 2 people"))]),
        sources=[SourceRef(art.id, art.title, art.publisher, art.url, art.published)],
        evidence=[e_place, ev(art, "killed", "killed 2 people"), ev(art, "date", "1 May 2023")],
    )
    return inc, art


def hostile_incident() -> tuple[Incident, Article]:
    art = Article(id="hostile<script>", text=HOSTILE, title="<script>alert('title')</script>",
                  publisher="=HYPERLINK(\"http://evil\")", url="https://example.org/a?b=<x>&c=\"d\"",
                  published=dt.date(2023, 1, 2))
    e_script = ev(art, "event", "<script>alert(1)</script>")
    e_place = ev(art, "place", "Testville")
    e_img = ev(art, "actor", "\"'><img src=x onerror=alert(1)>")
    e_tpl = ev(art, "claim", "${alert(1)}")
    e_k = ev(art, "killed", "At least 5 people were killed")
    inc = Incident(
        id="inc-<hostile>",
        place=Place("Testville <b>bold</b> ${alert(1)}", lat=33.5, lon=44.4, country_code="IQ",
                    country="Iraq {{7*7}}", admin1="`Baghdad` {{7*7}}", source="hand-made test point"),
        geo_precision=1,
        date=DateInfo(dt.date(2023, 1, 2), precision=1),
        event_type="Violence against civilians", sub_event_type="<img src=x onerror=alert(2)>",
        event_evidence=[e_script],
        actors=[Actor("\"'><img src=x onerror=alert(1)>", "\"'><img src=x onerror=alert(1)>", "perpetrator", e_img)],
        casualties=Casualties(killed=Range(5, 5, None), figures=[Figure("killed", 5, 5, None, e_k)]),
        claims=[Claim("distance_from_place", "~", 3.0, e_tpl, reference="{{7*7}}", verdict="unchecked",
                      explanation="<script>alert(3)</script>")],
        sources=[SourceRef(art.id, art.title, art.publisher, art.url, art.published)],
        evidence=[e_script, e_place, e_img, e_tpl, e_k],
    )
    return inc, art


def all_fixtures() -> tuple[list[Incident], dict[str, Article]]:
    arts = seed_articles()
    incs = [atmeh_incident(arts)]
    for inc, art in (asymmetric_incident(), hostile_incident()):
        incs.append(inc)
        arts[art.id] = art
    return incs, arts
