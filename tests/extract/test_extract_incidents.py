"""Incidents from the seed articles, merging, dates, actors, claims, precision codes and the CLI.

The geoparser is not needed here: a GeoparseResult is built by hand with Atmeh at its published
coordinates (36.31111 N, 36.68639 E; Wikipedia "Atmeh"), so these tests isolate extraction.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from geo.extract import extract_incidents
from geo.extract.actors import find_actors
from geo.extract.claims import find_claims
from geo.extract.dates import resolve_date
from geo.extract.precision import precision_codes
from geo.extract.sentences import split_sentences
from geo.merge import merge_incidents, same_event
from geo.model import Article, DateInfo, GeoparseResult, Incident, Place, Toponym

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
S000, S004 = "000_f18772d31dee92f8", "004_23a385800a3f30d7"
PUB = dt.date(2022, 2, 3)
ATMEH = Place(name="Atmeh", lat=36.31111, lon=36.68639, country_code="SY", country="Syria", admin1="Idlib",
              feature_class="P", feature_code="PPL", place_id="test:atmeh", source="test fixture (Wikipedia)")
ALEPPO = Place(name="Aleppo", lat=36.20124, lon=37.16117, country_code="SY", admin1="Aleppo",
               feature_class="P", feature_code="PPLA", source="test fixture (GeoNames 170063)")


def _article(stem: str) -> Article:
    return Article(id=stem, text=(SEEDS / f"{stem}.txt").read_text(encoding="utf-8"), published=PUB,
                   title=json.loads((SEEDS / f"{stem}.meta.json").read_text())["title"])


def _focus(text: str, name: str, place: Place) -> GeoparseResult:
    i = text.index(name)
    top = Toponym(start=i, end=i + len(name), name=place.name, place=place, is_focus=True,
                  reasons=["test: given focus"])
    return GeoparseResult(toponyms=[top], focus=[top])


@pytest.fixture(scope="module")
def seed_incidents() -> dict[str, Incident]:
    out = {}
    for stem, name in ((S000, "Atme"), (S004, "Atmeh")):
        art = _article(stem)
        found = extract_incidents(art, _focus(art.text, name, ATMEH))
        assert len(found) == 1
        out[stem] = found[0]
    return out


def test_seed_000_fields(seed_incidents: dict[str, Incident]) -> None:
    inc = seed_incidents[S000]
    assert inc.place is ATMEH and inc.location_text == "Atme"
    assert (inc.geo_precision, inc.where_prec) == (1, 1)
    assert inc.focus_reasons == ["test: given focus"]
    assert (inc.event_type, inc.sub_event_type) == ("Battles", "Armed clash")
    assert inc.date and inc.date.date == PUB and inc.date.precision == 1
    assert inc.date.start == PUB - dt.timedelta(days=1) and inc.date.end == PUB  # midnight into Thursday
    cas = inc.casualties
    assert (cas.killed.low, cas.killed.best, cas.killed.high) == (13, 13, None)
    assert cas.categories["killed.children"].best == 4 and cas.categories["killed.women"].best == 3
    assert cas.categories["killed.US forces"].best == 0
    obs = next(f for f in cas.figures if f.best == 13)
    assert obs.attribution == "Syrian Observatory for Human Rights" and obs.qualifier == "at least"
    assert [s.article_id for s in inc.sources] == [S000]
    kinds = {e.kind for e in inc.evidence}
    assert {"place", "killed", "date", "actor", "event"} <= kinds
    assert all(e.article_id == S000 for e in inc.evidence)


def test_seed_004_fields(seed_incidents: dict[str, Incident]) -> None:
    inc = seed_incidents[S004]
    cas = inc.casualties
    assert (cas.killed.low, cas.killed.best) == (12, 12)
    assert cas.categories["killed.militants"].best == 0  # "no immediate reports of any militants being killed"
    assert not any(f.best == 0 and f.category is None and f.side is None for f in cas.figures if f.kind == "killed")
    assert inc.event_type == "Battles"
    border = [c for c in inc.claims if c.kind == "border_distance"]
    assert any(c.relation == "<" and c.value_km == 1.0 and c.country == "TR" for c in border)
    assert all(c.verdict is None for c in inc.claims)
    # the 2019 Baghdadi raid is background, never a figure of this event
    assert not any("Baghdadi" in f.evidence.sentence and not "background" in (f.qualifier or "")
                   for f in cas.figures)


def test_seed_actors(seed_incidents: dict[str, Incident]) -> None:
    names = {a.name for inc in seed_incidents.values() for a in inc.actors}
    assert {"US forces", "Hayat Tahrir al-Sham", "Huras al-Din"} <= names
    assert "Syrian Observatory for Human Rights" not in names  # a source, not an actor
    perps = {a.name for a in seed_incidents[S000].actors if a.role == "perpetrator"}
    assert "US forces" in perps  # "a raid conducted by US Special Forces"


def test_seeds_merge_into_one_incident(seed_incidents: dict[str, Incident]) -> None:
    merged = merge_incidents([seed_incidents[S000], seed_incidents[S004]])
    assert len(merged) == 1
    inc = merged[0]
    cas = inc.casualties
    assert (cas.killed.low, cas.killed.best) == (12, 13)
    assert cas.categories["killed.children"].best == 4 and cas.categories["killed.women"].best == 3
    assert {s.article_id for s in inc.sources} == {S000, S004}
    assert inc.date and inc.date.date == PUB and inc.date.precision == 1
    assert inc.merge_reason and inc.merge_reason.startswith("same place (0.0 km), same date 2022-02-03")
    figs = {(f.best, f.evidence.article_id) for f in cas.figures if f.kind == "killed"}
    assert (13, S000) in figs and (12, S004) in figs
    assert {e.article_id for e in inc.evidence} == {S000, S004}
    # to_properties round-trips
    again = Incident.from_properties(json.loads(json.dumps(inc.to_properties())))
    assert again.casualties.killed.best == 13 and again.date.date == PUB


def test_same_article_never_merges_with_itself(seed_incidents: dict[str, Incident]) -> None:
    a = seed_incidents[S000]
    assert same_event(a, replace(a, id="other")) is None


def test_far_apart_or_different_days_stay_separate(seed_incidents: dict[str, Incident]) -> None:
    a, b = seed_incidents[S000], seed_incidents[S004]
    far = replace(b, place=ALEPPO)  # ~45 km from Atmeh
    assert same_event(a, far) is None
    later = replace(b, date=DateInfo(date=PUB + dt.timedelta(days=5), start=PUB + dt.timedelta(days=5),
                                     end=PUB + dt.timedelta(days=5), precision=1))
    assert same_event(a, later) is None
    protest = replace(b, event_type="Protests")
    assert same_event(a, protest) is None
    assert len(merge_incidents([a, far, later])) == 3


def test_two_distinct_events_in_one_article_stay_separate() -> None:
    text = ("Five people were killed in an air strike on Atmeh on Monday. "
            "In a separate attack, a car bomb killed nine people in Aleppo on Monday.")
    art = Article(id="two-events", text=text, published=dt.date(2022, 2, 8))
    t1 = Toponym(start=text.index("Atmeh"), end=text.index("Atmeh") + 5, name="Atmeh", place=ATMEH, is_focus=True)
    i2 = text.index("Aleppo")
    t2 = Toponym(start=i2, end=i2 + 6, name="Aleppo", place=ALEPPO, is_focus=True)
    incs = extract_incidents(art, GeoparseResult(toponyms=[t1, t2], focus=[t1, t2]))
    assert [i.place.name for i in incs] == ["Atmeh", "Aleppo"]
    assert [i.casualties.killed.best for i in incs] == [5, 9]
    assert len({i.id for i in incs}) == 2
    assert len(merge_incidents(incs)) == 2  # same article: never merged


def test_no_focus_means_no_incident() -> None:
    art = Article(id="x", text="Five people were killed.", published=PUB)
    assert extract_incidents(art, GeoparseResult()) == []
    unresolved = Toponym(start=0, end=4, name="Five", place=None, is_focus=True)
    assert extract_incidents(art, GeoparseResult(toponyms=[unresolved], focus=[unresolved])) == []


@pytest.mark.parametrize("text,expected,precision", [
    ("The raid happened in the early hours of Thursday.", dt.date(2022, 2, 3), 1),
    ("Gunmen attacked the checkpoint on Wednesday night.", dt.date(2022, 2, 2), 1),
    ("The strike hit the village on Monday.", dt.date(2022, 1, 31), 1),
    ("Yesterday a bomb exploded in the market.", dt.date(2022, 2, 2), 1),
    ("The attack took place on February 1, 2022.", dt.date(2022, 2, 1), 1),
    ("The attack took place on 1 February.", dt.date(2022, 2, 1), 1),
    ("Clashes broke out last week near the town.", dt.date(2022, 1, 27), 2),
    ("Since the 2019 raid on Sunday, the group has regrouped.", PUB, 2),
])
def test_dates_resolve_against_publication(text: str, expected: dt.date, precision: int) -> None:
    d = resolve_date(text, split_sentences(text), PUB)
    assert d is not None and d.date == expected and d.precision == precision
    assert d.how


def test_date_without_publication_or_text_is_unknown() -> None:
    assert resolve_date("Five people were killed.", split_sentences("Five people were killed."), None) is None


def test_actor_aliases_and_roles() -> None:
    text = ("ISIS fighters attacked a checkpoint. This IS not the group. Daesh is weak. "
            "The raid was conducted by the U.S.-led coalition against Hay'at Tahrir al-Sham. "
            "Houthis fired missiles. Al-Shabaab and JNIM were named; ISWAP too.")
    actors = find_actors(text, split_sentences(text))
    names = [a.name for a in actors]
    assert names.count("Islamic State") == 2  # ISIS and Daesh, not the verb "IS"
    assert {"US forces", "Hayat Tahrir al-Sham", "Houthis", "al-Shabaab", "JNIM", "ISWAP"} <= set(names)
    roles = {(a.name, a.role) for a in actors}
    assert ("US forces", "perpetrator") in roles and ("Hayat Tahrir al-Sham", "target") in roles
    assert ("Islamic State", "perpetrator") in roles


def test_claims() -> None:
    text = ("The town is located less than a kilometer away from Turkey's border. "
            "The village lies 20 km north of Aleppo. It is near the border with Turkey. "
            "The camp is about 3 miles from the Iraqi border.")
    claims = find_claims(text, split_sentences(text))
    got = {(c.kind, c.relation, c.value_km, c.country, c.reference, c.direction) for c in claims}
    assert ("border_distance", "<", 1.0, "TR", None, None) in got
    assert ("distance_from_place", "~", 20.0, None, "Aleppo", "north") in got
    assert ("border_distance", "<", 10.0, "TR", None, None) in got  # vague "near the border": < 10 km
    assert ("border_distance", "~", 4.828, "IQ", None, None) in got  # miles → km
    for c in claims:
        assert text[c.evidence.start:c.evidence.end] == c.evidence.text and c.evidence.kind == "claim"


@pytest.mark.parametrize("code,before,expected", [
    ("PPL", "in the town of ", (1, 1)),
    ("PPL", "clashes near ", (2, 2)),
    ("ADM2", "in ", (2, 3)),
    ("ADM1", "in Syria's ", (3, 4)),
    ("PCLI", "in ", (3, 6)),
])
def test_precision_codes(code: str, before: str, expected: tuple[int, int]) -> None:
    place = Place(name="X", lat=0.0, lon=0.0, feature_class="A" if code.startswith(("ADM", "PCL")) else "P",
                  feature_code=code)
    assert precision_codes(place, before) == expected


def test_cli_extract_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "A bomb killed two people and wounded eight."}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "b", "text": "The office was damaged.", "published": "2022-02-03"}) + "\n"
        + json.dumps({"id": "c", "text": "x", "published": "yesterday"}) + "\n",
        encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "geo", "extract", str(src), "--out", str(out), "--no-geoparse"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr  # the good lines are written; the exit code says two were skipped
    assert f"{src}:2" in proc.stderr and f"{src}:4" in proc.stderr and "Traceback" not in proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows == [{"id": "a", "killed": 2, "injured": 8, "incidents": []},
                    {"id": "b", "killed": None, "injured": None, "incidents": []}]
    again = subprocess.run([sys.executable, "-m", "geo", "extract", str(src), "--out", str(out), "--no-geoparse"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert again.returncode != 0 and "--overwrite" in again.stderr and "Traceback" not in again.stderr


def test_country_level_report_merges_only_with_corroboration(seed_incidents: dict[str, Incident]) -> None:
    syria = Place(name="Syria", lat=35.0, lon=38.0, country_code="SY", feature_class="A", feature_code="PCLI")
    coarse = replace(seed_incidents[S004], place=syria, geo_precision=3, where_prec=6)
    merged = merge_incidents([seed_incidents[S000], coarse])
    assert len(merged) == 1 and merged[0].place.name == "Atmeh"  # the more precise place wins
    assert "common actors" in (merged[0].merge_reason or "")
    stranger = replace(coarse, actors=[], casualties=replace(coarse.casualties, killed=replace(
        coarse.casualties.killed, best=40, low=40)))
    assert same_event(seed_incidents[S000], stranger) is None


@pytest.mark.parametrize("text,etype,sub", [
    ("Gunmen opened fire on worshippers leaving a mosque, killing five civilians.",
     "Violence against civilians", "Attack"),
    ("Gunmen opened fire on a police checkpoint, killing two policemen.", "Battles", "Armed clash"),
    ("A roadside bomb exploded near a market, wounding three people.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("An air strike hit the village on Monday; warplanes returned later.",
     "Explosions/Remote violence", "Air/drone strike"),
    ("A suicide bomber blew himself up at the checkpoint; the explosion killed four.",
     "Explosions/Remote violence", "Suicide bomb"),
    ("Militants kidnapped two engineers on the highway.", "Violence against civilians",
     "Abduction/forced disappearance"),
    ("Artillery shelling hit the town overnight.", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Thousands of protesters marched peacefully in the capital.", "Protests", "Peaceful protest"),
])
def test_event_types(text: str, etype: str, sub: str) -> None:
    from geo.extract.events import classify_event

    got = classify_event(text, split_sentences(text))
    assert got[:2] == (etype, sub)
    assert got[2] and all(text[e.start:e.end] == e.text and e.kind == "event" for e in got[2])
