"""Geoparser behaviour on the seed articles and small hand-written texts, with the real embedded gazetteer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyproj import Geod

from geo.geoparse import Geoparser

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
ATMEH = (36.31111, 36.68639)  # lat, lon (Wikipedia 'Atmeh')
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def gp() -> Geoparser:
    return Geoparser()


def _seed(stem: str) -> tuple[str, str | None]:
    text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
    meta = json.loads((SEEDS / f"{stem}.meta.json").read_text(encoding="utf-8"))
    return text, meta.get("title")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def _names(res) -> list[str]:
    return [t.name for t in res.toponyms]


@pytest.mark.parametrize("stem", ["000_f18772d31dee92f8", "004_23a385800a3f30d7"])
def test_seed_focus_is_atmeh_in_idlib(gp: Geoparser, stem: str) -> None:
    text, title = _seed(stem)
    res = gp.parse(text, article_id=stem, title=title)
    best = res.focus[0]
    assert best.is_focus and best.name in ("Atme", "Atmeh")
    assert _km(best.place.lat, best.place.lon, *ATMEH) < 3.0
    assert best.place.country_code == "SY" and best.place.admin1 == "Idlib"
    assert any(r.startswith("cue ") for r in best.reasons)
    assert any("nested in named province Idlib" in r for r in best.reasons)
    assert best.place.source  # provenance of the coordinate


def test_seed_mentions_that_are_not_the_focus(gp: Geoparser) -> None:
    text, title = _seed("004_23a385800a3f30d7")
    res = gp.parse(text, title=title)
    names = _names(res)
    for name in ("Persian Gulf", "Washington", "Iraq", "Turkey", "Syria"):
        assert name in names, name
    focus_rank = {t.name: i for i, t in enumerate(res.focus)}
    for name in ("Persian Gulf", "Washington", "Iraq", "Middle East"):
        assert focus_rank.get(name, 99) > 0
    gulf = next(t for t in res.toponyms if t.name == "Persian Gulf")
    assert 20 < gulf.place.lat < 31 and 47 < gulf.place.lon < 57
    washington = next(t for t in res.toponyms if t.name == "Washington")
    assert washington.place is not None and text[washington.end : washington.end + 6] == "-based"
    assert "Washington" not in [t.name for t in res.focus]  # an organisation modifier never votes


def test_people_are_not_places(gp: Geoparser) -> None:
    for stem in ("000_f18772d31dee92f8", "004_23a385800a3f30d7"):
        text, title = _seed(stem)
        names = _names(gp.parse(text, title=title))
        for person in ("Kirby", "Lister", "John", "Charles", "Rami", "Bashar", "Baghdadi"):
            assert person not in names, (stem, person)
    res = gp.parse("Mr. Kirby met Gov. Lister in Aleppo. Lister said the talks in Aleppo went well.")
    assert _names(res) == ["Aleppo", "Aleppo"]


def test_calendar_and_common_words(gp: Geoparser) -> None:
    res = gp.parse("Police said on Monday in May that Reading the report can wait until March.")
    assert _names(res) == []


def test_demonyms_resolve_to_their_country(gp: Geoparser) -> None:
    res = gp.parse("Syrian and Turkish officials met at the border.")
    got = {t.name: t.place.country_code for t in res.toponyms}
    assert got == {"Syrian": "SY", "Turkish": "TR"}
    assert all(any("demonym" in r for r in t.reasons) for t in res.toponyms)
    assert res.focus == [] or all(f.name not in ("Syrian", "Turkish") for f in res.focus)


def test_ambiguous_name_follows_its_context(gp: Geoparser) -> None:
    lebanon = gp.parse("Clashes broke out in Tripoli, Lebanon, on Sunday.")
    trip = next(t for t in lebanon.toponyms if t.name == "Tripoli")
    assert trip.place.country_code == "LB"
    assert any("qualified by Lebanon" in r for r in trip.reasons)
    libya = gp.parse(
        "Fighting near Tripoli forced families to flee. Libya's unity government said forces "
        "from Misrata and Zawiya had moved towards the capital."
    )
    trip = next(t for t in libya.toponyms if t.name == "Tripoli")
    assert trip.place.country_code == "LY"
    assert _km(trip.place.lat, trip.place.lon, 32.89, 13.19) < 50


def test_us_local_context_beats_population(gp: Geoparser) -> None:
    res = gp.parse(
        "Paris police arrested a man on Friday. The Edgar County sheriff said the suspect was taken "
        "from Paris to the county jail; Edgar County deputies had searched a home near Paris."
    )
    paris = [t for t in res.toponyms if t.name == "Paris"]
    assert paris and all(t.place.country_code == "US" for t in paris)


def test_unresolved_mention_keeps_its_candidates(gp: Geoparser) -> None:
    # a misspelt village after a strong cue: recognised, its (fuzzy) candidates listed, not forced
    res = gp.parse("Shelling hit the village of Binnishh on Tuesday, residents said.")
    assert [t.name for t in res.toponyms] == ["Binnishh"]
    t = res.toponyms[0]
    assert t.place is None and t.score == 0.0
    assert "Binnish" in [c.name for c in t.candidates]
    assert any(r.startswith("unresolved") for r in t.reasons)
    assert res.focus == []  # nothing resolved, nothing to map


def test_transliteration_variants_are_one_mention(gp: Geoparser) -> None:
    text = "An airstrike hit a market in Maarat al-Numan in Idlib province; clashes near Khan Shaykhunn."
    res = gp.parse(text)
    got = {t.name: t.place for t in res.toponyms}
    assert set(got) == {"Maarat al-Numan", "Idlib", "Khan Shaykhunn"}
    assert got["Maarat al-Numan"].country_code == "SY" and got["Maarat al-Numan"].admin1 == "Idlib"
    assert got["Khan Shaykhunn"].country_code == "SY"
    assert res.focus[0].name == "Maarat al-Numan"


def test_offsets_are_exact_and_sorted(gp: Geoparser) -> None:
    text, title = _seed("004_23a385800a3f30d7")
    text = "“Quoted”: é " + text  # non-ASCII before every span shifts code points, not bytes
    res = gp.parse(text, title=title)
    assert res.toponyms
    starts = [t.start for t in res.toponyms]
    assert starts == sorted(starts)
    for t in res.toponyms + res.focus:
        assert text[t.start : t.end] == t.name


def test_abbreviations_and_multiword_names(gp: Geoparser) -> None:
    res = gp.parse("A Charleston, W.Va., firm opened offices in New York and the U.S. Middle East desk.")
    got = {t.name: t.place for t in res.toponyms}
    assert got["W.Va."].admin1 == "West Virginia"
    assert got["Charleston"].admin1 == "West Virginia"
    assert "New York" in got and "York" not in got
    assert got["U.S."].country_code == "US"


def test_names_of_streets_firms_and_people_with_initials(gp: Geoparser) -> None:
    gp.trace = []
    res = gp.parse(
        "The fire started on Commerce Dr. near the offices of Stevens & Wilkinson in Decatur, Georgia. "
        "Police arrested Matthew D. Flores. Flores said he lived in Decatur."
    )
    gp.trace = None
    names = _names(res)
    assert "Commerce" not in names and "Stevens" not in names and "Wilkinson" not in names
    assert "Flores" not in names
    assert names.count("Decatur") == 2
    decatur = [t for t in res.toponyms if t.name == "Decatur"]
    assert all(t.place.admin1 == "Georgia" for t in decatur)  # qualified by "Georgia" and by each other


def test_place_names_inside_organisation_names_still_count(gp: Geoparser) -> None:
    res = gp.parse("The Minnesota Department of Transportation and Alexandria Police said roads were closed.")
    assert _names(res) == ["Minnesota", "Alexandria"]


def test_dropped_spans_are_explained(gp: Geoparser) -> None:
    gp.trace = []
    gp.parse("Press Secretary John Kirby said so on Monday.")
    reasons = {name: why for _s, _e, name, why in gp.trace}
    gp.trace = None
    assert reasons.get("Kirby", "").startswith("person")


def test_ap_state_abbreviation_keeps_its_full_stop(gp: Geoparser) -> None:
    text = "He rented apartments in Chicago and Bolingbrook, Ill., last year."
    res = gp.parse(text)
    ill = next(t for t in res.toponyms if t.name.startswith("Ill"))
    assert ill.name == "Ill." and text[ill.start : ill.end] == "Ill."
    assert ill.place.admin1 == "Illinois"
    bolingbrook = next(t for t in res.toponyms if t.name == "Bolingbrook")
    assert bolingbrook.place.admin1 == "Illinois"


def test_dateline_city_is_not_preferred_over_the_incident_town(gp: Geoparser) -> None:
    text = ("KABUL (Reuters) - A suicide bomber killed 12 people at a mosque in the eastern city of "
            "Jalalabad on Friday, officials said. Washington condemned the attack.")
    res = gp.parse(text)
    assert res.focus[0].name == "Jalalabad"
    assert res.focus[0].place.country_code == "AF"
    kabul = next(f for f in res.focus if f.name == "KABUL")
    assert "in dateline" in kabul.reasons


def test_state_named_later_pulls_the_town_into_it(gp: Geoparser) -> None:
    # "Georgia" first reads as the country; once it settles as the US state (next to Hall County),
    # the ambiguous "Gainesville" must follow it rather than the larger Gainesville, Florida.
    res = gp.parse(
        "A sewer spill in Gainesville sent 5,400 gallons into Flat Creek. Gainesville utilities "
        "staff said Hall County and Georgia officials were told on Monday."
    )
    towns = [t for t in res.toponyms if t.name == "Gainesville"]
    assert len(towns) == 2
    assert all((t.place.country_code, t.place.admin1) == ("US", "Georgia") for t in towns)
    assert all(_km(t.place.lat, t.place.lon, 34.30, -83.82) < 30 for t in towns)


def test_demonym_beats_a_small_town_of_the_same_spelling(gp: Geoparser) -> None:
    # Texas context would otherwise pull "Canadian" to Canadian, Texas (population ~2,600)
    res = gp.parse("Canadian police said the suspect drove from Amarillo to Dallas before he was arrested.")
    got = {t.name: t.place.country_code for t in res.toponyms}
    assert got == {"Canadian": "CA", "Amarillo": "US", "Dallas": "US"}


def test_a_place_of_that_name_beats_one_known_by_it_only_as_an_alternate_name(gp: Geoparser) -> None:
    # GeoNames lists "Maryville" as an alternate name of Beeville, Texas; in a Texas story a
    # bare "Maryville" must still resolve to a place actually called Maryville
    res = gp.parse("Maryville police said a Fort Worth man was arrested in Maryville on Tuesday.")
    towns = [t for t in res.toponyms if t.name == "Maryville"]
    assert len(towns) == 2
    assert all(t.place.name == "Maryville" and t.place.country_code == "US" for t in towns)


@pytest.mark.parametrize(
    ("text", "cc", "code", "lat", "lon"),
    [
        # the city, not the first-level area of the same name, unless the text says "province"
        ("Shelling hit Aleppo, Syria's second city, killing three.", "SY", "P", 36.20, 37.16),
        ("A missile struck Kharkiv overnight, killing two people, Ukrainian officials said.", "UA", "P", 49.98, 36.25),
        ("Clashes in Idlib province killed four.", "SY", "ADM1", None, None),
        # "Israeli … Gaza": Palestine neighbours the named country; Mozambique's Gaza province does not
        ("An Israeli airstrike killed five people in Gaza on Tuesday, health officials said.", "PS", "P", 31.50, 34.47),
    ],
)
def test_city_over_same_named_region_and_neighbour_context(gp, text, cc, code, lat, lon) -> None:
    top = gp.parse(text).focus[0].place
    assert top is not None and top.country_code == cc
    if code == "P":
        assert top.feature_class == "P" and abs(top.lat - lat) < 0.2 and abs(top.lon - lon) < 0.2
    else:
        assert top.feature_code == code


def test_sentence_initial_article_is_not_part_of_the_name(gp: Geoparser) -> None:
    text = "The United States said on Monday that it would send aid to Syria."
    tops = {t.name: t for t in gp.parse(text).toponyms}
    assert "United States" in tops and tops["United States"].start == 4
    assert tops["United States"].place.country_code == "US"
    assert "The United States" not in tops


def test_seat_of_government_is_not_a_place(gp: Geoparser) -> None:
    text = "The White House said the strike near Atmeh killed the leader of Islamic State."
    names = [t.name for t in gp.parse(text).toponyms]
    assert "White House" not in names
    assert "Atmeh" in names


def test_locale_is_context_not_a_mention(gp: Geoparser) -> None:
    text = "Paris police arrested two men on Main Street. Paris officials praised the arrest."
    plain = gp.parse(text)
    local = gp.parse(text, locale="Paris, Kentucky")
    assert {t.place.country_code for t in plain.toponyms} == {"FR"}
    assert {(t.place.country_code, t.place.admin1) for t in local.toponyms} == {("US", "Kentucky")}
    assert [t.name for t in local.toponyms] == ["Paris", "Paris"]  # the locale adds no mention
    assert gp.parse(text, locale="  ").toponyms[0].place.country_code == "FR"
    # a hint of the wrong kind is harmless: unknown words give no context
    assert gp.parse(text, locale="zzqx").toponyms[0].place.country_code == "FR"


def test_country_name_beats_namesake_towns_unless_qualified(gp: Geoparser) -> None:
    us_story = "Officials in Texas, Ohio and California said exports to China fell. Houston and Dallas ports were quiet."
    china = next(t for t in gp.parse(us_story).toponyms if t.name == "China")
    assert china.place.feature_code.startswith("PCL") and china.place.country_code == "CN"
    qualified = next(t for t in gp.parse("A fire destroyed a barn near China, Texas, on Sunday.").toponyms
                     if t.name == "China")
    assert qualified.place.country_code == "US"
    state = next(t for t in gp.parse("Atlanta and Savannah voters went to the polls across Georgia.").toponyms
                 if t.name == "Georgia")
    assert state.place.country_code == "US" and state.place.feature_code == "ADM1"
