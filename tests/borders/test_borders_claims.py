"""Claim verdicts: the text's figure against the computed geodesic figure, with an explanation.

Atmeh's reference point (36.31111 N, 36.68639 E) is about 1.5 km from the Turkish border in the
OSM-derived dataset; the seed reports say "less than a kilometer". Aleppo is GeoNames 170063
(36.20124 N, 37.16117 E).
"""

from __future__ import annotations

import pytest

from geo.borders import Borders
from geo.model import Claim, Evidence, Incident, Place
from geo.verify import check_claims, judge

ATMEH = Place(name="Atmeh", lat=36.31111, lon=36.68639, country_code="SY", feature_class="P",
              feature_code="PPL", population=None, source="issue 6 reference point")
ALEPPO = Place(name="Aleppo", lat=36.20124, lon=37.16117, country_code="SY", feature_class="P",
               feature_code="PPLA", population=1_602_264, geonameid=170063)


def ev(text: str = "less than a kilometer from the Turkish border") -> Evidence:
    return Evidence(article_id="a", kind="claim", start=0, end=len(text), text=text, sentence_start=0,
                    sentence_end=len(text))


def incident(place: Place, *claims: Claim, borders: Borders | None = None) -> Incident:
    inc = Incident(id="i1", place=place, claims=list(claims))
    if borders is not None:
        inc.border = borders.distance(place.lat, place.lon, own=place.country_code, place_uncertainty_km=0.5)
    return inc


@pytest.fixture(scope="module")
def osm() -> Borders:
    return Borders.open()


def test_judge_rules():
    # "< 1 km" with the point at 1.5 km, ± 0.2 km, town radius 0.5 km: only the town's edge can be < 1 km
    assert judge("<", 1.0, 1.5, 0.2, 0.5) == "plausible: reference point"
    assert judge("<", 1.0, 1.15, 0.2, 0.5) == "consistent"
    assert judge("<", 1.0, 30.0, 0.2, 0.5) == "inconsistent"
    assert judge(">", 10.0, 12.0, 0.2, 0.5) == "consistent"
    assert judge(">", 10.0, 9.5, 0.2, 0.5) == "plausible: reference point"
    assert judge(">", 10.0, 2.0, 0.2, 0.5) == "inconsistent"
    assert judge("~", 5.0, 5.9, 0.2, 0.5) == "consistent"  # about 5 km: ± 1 km
    assert judge("~", 5.0, 7.0, 0.2, 1.0) == "plausible: reference point"
    assert judge("~", 5.0, 9.0, 0.2, 1.0) == "inconsistent"


def test_atmeh_less_than_a_kilometre_is_plausible_for_the_town_not_its_point(osm):
    claim = Claim(kind="border_distance", relation="<", value_km=1.0, evidence=ev(), country="TR")
    inc = incident(ATMEH, claim, borders=osm)
    check_claims(inc, osm)
    assert claim.verdict == "plausible: reference point"
    assert 1.0 < claim.computed_km < 2.5
    text = claim.explanation
    assert "less than 1.0 km" in text and f"{claim.computed_km:.1f} km" in text  # both figures
    assert "reference point" in text and "edge" in text and "OpenStreetMap" in text


def test_a_far_point_makes_the_claim_inconsistent(osm):
    far = Place(name="Idlib", lat=35.93062, lon=36.63393, country_code="SY", feature_class="P",
                feature_code="PPLA", population=128_840)  # GeoNames 169389, about 30 km from Turkey
    claim = Claim(kind="border_distance", relation="<", value_km=1.0, evidence=ev(), country="TR")
    check_claims(incident(far, claim, borders=osm), osm)
    assert claim.verdict == "inconsistent"
    assert claim.computed_km > 15
    assert "wrong" in claim.explanation


def test_a_satisfied_claim_is_consistent_and_rechecking_is_idempotent(osm):
    claim = Claim(kind="border_distance", relation="<", value_km=3.0, evidence=ev(), country="TR")
    inc = incident(ATMEH, claim, borders=osm)
    check_claims(inc, osm)
    first = (claim.verdict, claim.explanation)
    check_claims(inc, osm)
    assert claim.verdict == "consistent" and (claim.verdict, claim.explanation) == first


def test_claim_about_another_border_measures_that_border(osm):
    # Atmeh's nearest border is Turkey's; a claim about the Iraqi border is checked against Iraq's line
    claim = Claim(kind="border_distance", relation="<", value_km=5.0, evidence=ev(), country="IQ")
    check_claims(incident(ATMEH, claim, borders=osm), osm)
    assert claim.verdict == "inconsistent" and claim.computed_km > 200
    assert "another one (TR" in claim.explanation


def test_claim_without_incident_border_computes_it(osm):
    claim = Claim(kind="border_distance", relation="<", value_km=1.0, evidence=ev(), country=None)
    check_claims(incident(ATMEH, claim), osm)  # no incident.border yet
    assert claim.verdict == "plausible: reference point"


def test_unknown_border_country_is_unchecked(osm):
    claim = Claim(kind="border_distance", relation="<", value_km=1.0, evidence=ev(), country="AU")
    check_claims(incident(ATMEH, claim, borders=osm), osm)
    assert claim.verdict == "unchecked" and "no land border with AU" in claim.explanation


def locate(name: str, near: tuple[float, float] | None = None) -> Place | None:
    return ALEPPO if name == "Aleppo" else None


@pytest.mark.parametrize(
    "relation,value,direction,verdict",
    [("~", 45.0, "west", "consistent"),  # Atmeh is ~43 km west-north-west of Aleppo
     ("~", 45.0, "east", "inconsistent"),  # wrong direction
     ("<", 10.0, None, "inconsistent"),
     (">", 30.0, "north-west", "consistent")],
)
def test_distance_from_place(osm, relation, value, direction, verdict):
    claim = Claim(kind="distance_from_place", relation=relation, value_km=value, evidence=ev("45 km west of Aleppo"),
                  reference="Aleppo", direction=direction)
    check_claims(incident(ATMEH, claim, borders=osm), osm, locate=locate)
    assert claim.verdict == verdict, claim.explanation
    assert 40 < claim.computed_km < 48
    assert "Aleppo" in claim.explanation and "bearing" in claim.explanation


def test_unresolved_reference_is_unchecked(osm):
    claim = Claim(kind="distance_from_place", relation="~", value_km=20.0, evidence=ev("20 km north of Nowhere"),
                  reference="Nowhere", direction="north")
    check_claims(incident(ATMEH, claim), osm, locate=locate)
    assert claim.verdict == "unchecked" and "Nowhere" in claim.explanation
    claim2 = Claim(kind="distance_from_place", relation="~", value_km=20.0, evidence=ev(), reference="Aleppo")
    check_claims(incident(ATMEH, claim2), osm, locate=None)
    assert claim2.verdict == "unchecked"
