"""Check a report's geographic statements against computed geometry, and explain each verdict.

A claim such as "less than a kilometer from the Turkish border" is compared with the geodesic
distance from the incident's gazetteer point to that border (:class:`geo.borders.Borders`).
Three things can separate the two figures, and the verdict says which:

* the border dataset's positional error (``Borders.uncertainty_km``);
* the place's extent: a gazetteer point is a town's *reference point* (its centre), while a
  report may speak of the town's edge or of a spot in it. The extent is the radius used by the
  pipeline (``place_extent_km``: a disc at urban density, 0.5–15 km);
* the vagueness of the statement: "about 5 km" is read as 5 km ± max(0.5 km, 20 %).

Verdicts: ``consistent`` (the statement holds within the dataset's error), ``plausible: reference
point`` (it holds for some point of the town, not for its reference point), ``inconsistent``
(no point of the town can satisfy it), ``unchecked`` (nothing to compare with).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from geo.model import Claim, Incident, Place

if TYPE_CHECKING:
    from geo.borders import Borders

#: "about X km" is taken as X ± max(ABOUT_MIN_KM, ABOUT_SHARE · X)
ABOUT_MIN_KM = 0.5
ABOUT_SHARE = 0.2

#: compass directions as azimuths (degrees clockwise from north)
AZIMUTH = {
    "north": 0, "north-east": 45, "northeast": 45, "east": 90, "south-east": 135, "southeast": 135,
    "south": 180, "south-west": 225, "southwest": 225, "west": 270, "north-west": 315, "northwest": 315,
}
#: an 8-point direction covers ±22.5°; a gazetteer point may shift the bearing, so ±67.5° is allowed
DIRECTION_TOLERANCE_DEG = 67.5


def _extent_km(place: Place) -> float:
    """Radius of the area a place's reference point stands for (the pipeline's model)."""
    try:
        from geo.pipeline import place_extent_km

        return float(place_extent_km(place))
    except ImportError:  # pragma: no cover - the pipeline is part of the package
        return 0.5 if (place.feature_class or "P") == "P" else 5.0


def _fmt(km: float) -> str:
    return f"{km:.1f} km" if km >= 1 else f"{km * 1000:.0f} m"


def _stated(claim: Claim) -> str:
    words = {"<": "less than", "<=": "at most", "~": "about", ">=": "at least", ">": "more than"}
    return f"{words[claim.relation]} {_fmt(claim.value_km)}"


def judge(relation: str, value_km: float, computed_km: float, error_km: float, extent_km: float) -> str:
    """Verdict of "distance ⟨relation⟩ value" for a point at ``computed_km`` ± ``error_km`` standing for a disc of ``extent_km``."""
    if relation in ("<", "<="):
        if computed_km <= value_km + error_km:
            return "consistent"
        if computed_km - extent_km - error_km <= value_km:
            return "plausible: reference point"
        return "inconsistent"
    if relation in (">", ">="):
        if computed_km >= value_km - error_km:
            return "consistent"
        if computed_km + extent_km + error_km >= value_km:
            return "plausible: reference point"
        return "inconsistent"
    slack = max(ABOUT_MIN_KM, ABOUT_SHARE * value_km)
    gap = abs(computed_km - value_km)
    if gap <= slack + error_km:
        return "consistent"
    if gap <= slack + error_km + extent_km:
        return "plausible: reference point"
    return "inconsistent"


def _border_claim(claim: Claim, incident: Incident, borders: Borders) -> None:
    place = incident.place
    extent = _extent_km(place)
    info = incident.border
    if info is None or (claim.country and info.neighbour != claim.country):
        other = None
        if claim.country:
            other = borders.distance_to_country(place.lat, place.lon, claim.country, own=place.country_code,
                                                place_uncertainty_km=extent)
        elif info is None:
            other = borders.distance(place.lat, place.lon, own=place.country_code, place_uncertainty_km=extent)
        if other is None:
            claim.verdict = "unchecked"
            claim.explanation = (f"the text says {_stated(claim)} from the {claim.country} border, but the dataset "
                                 f"{borders.name} has no land border with {claim.country}")
            return
        switched = info is not None and info.neighbour != claim.country
        info = other
    else:
        switched = False
    d = info.distance_km
    err = borders.uncertainty_km
    claim.computed_km = round(d, 3)
    claim.verdict = judge(claim.relation, claim.value_km, d, err, extent)
    country = claim.country or info.neighbour or "nearest"
    name = place.name
    ref = (f"the gazetteer's reference point for {name} ({place.lat:.5f} N, {place.lon:.5f} E"
           + (f", {place.source}" if place.source else "") + ")")
    base = (f"the text says {_stated(claim)} from the {country} border; {ref} is {_fmt(d)} from it "
            f"({borders.name}, ± {_fmt(err)})")
    if switched:
        base += f"; the nearest border of the point is another one ({incident.border.neighbour}, {_fmt(incident.border.distance_km)})"  # type: ignore[union-attr]
    if claim.verdict == "consistent":
        why = "the statement holds within the dataset's error"
    elif claim.verdict == "plausible: reference point":
        why = (f"the reference point is the town's centre and {name} extends about {_fmt(extent)} from it, "
               f"so the claim may refer to the town's edge or a spot in it rather than its centre")
    else:
        why = (f"the gap ({_fmt(abs(d - claim.value_km))}) is larger than the town's extent (~{_fmt(extent)}) "
               f"and the dataset's error together: either the place or the statement is wrong")
    if info.note:
        why += f" (note: {info.note})"
    claim.explanation = _join(claim.explanation, f"{base}: {why}")


def _bearing_gap(a: float, b: float) -> float:
    d = abs(a - b) % 360.0
    return min(d, 360.0 - d)


def _place_claim(claim: Claim, incident: Incident, locate: Callable[..., Place | None] | None) -> None:
    from pyproj import Geod

    if not claim.reference:
        claim.verdict = "unchecked"
        claim.explanation = _join(claim.explanation, "no reference place named")
        return
    ref = None
    if locate is not None:
        try:
            ref = locate(claim.reference, near=(incident.place.lat, incident.place.lon))
        except TypeError:
            ref = locate(claim.reference)
    if ref is None:
        claim.verdict = "unchecked"
        claim.explanation = _join(claim.explanation, f"the reference place {claim.reference!r} was not found in the gazetteer")
        return
    place = incident.place
    az, _, dist_m = Geod(ellps="WGS84").inv(ref.lon, ref.lat, place.lon, place.lat)
    d = dist_m / 1000.0
    extent = _extent_km(place) + _extent_km(ref)
    claim.computed_km = round(d, 3)
    verdict = judge(claim.relation, claim.value_km, d, 0.0, extent)
    bearing = az % 360.0
    text = (f"the text says {_stated(claim)}" + (f" {claim.direction}" if claim.direction else "")
            + f" of {claim.reference}; the gazetteer puts {place.name} {_fmt(d)} from {ref.name} "
            f"at a bearing of {bearing:.0f}° (geodesic, WGS84)")
    direction = (claim.direction or "").lower().replace(" ", "-")
    if direction in AZIMUTH:
        gap = _bearing_gap(bearing, AZIMUTH[direction])
        if gap > DIRECTION_TOLERANCE_DEG and d > extent:
            verdict = "inconsistent"
            text += f"; that is {gap:.0f}° away from {direction}"
    if verdict == "plausible: reference point":
        text += (f": both names stand for areas (about {_fmt(extent)} of extent together), so the statement "
                 "may measure between other points of them")
    elif verdict == "consistent":
        text += ": the statement holds"
    elif "away from" not in text:
        text += f": the gap is larger than both places' extent (~{_fmt(extent)})"
    claim.verdict = verdict
    claim.explanation = _join(claim.explanation, text)


def _join(old: str | None, new: str) -> str:
    return f"{old}; {new}" if old else new


def check_claims(
    incident: Incident,
    borders: Borders,
    locate: Callable[[str], Place | None] | None = None,
) -> None:
    """Fill ``computed_km``, ``verdict`` and ``explanation`` of every claim of ``incident`` (in place)."""
    for claim in incident.claims:
        if claim.verdict is not None:  # checked before: keep only the extractor's own remark
            old = claim.explanation or ""
            claim.explanation = old.split("; ")[0] if old.startswith("vague") else None
        if incident.place is None:
            claim.verdict = "unchecked"
            claim.explanation = _join(claim.explanation, "the incident has no resolved place")
            continue
        if claim.kind == "border_distance":
            _border_claim(claim, incident, borders)
        elif claim.kind == "distance_from_place":
            _place_claim(claim, incident, locate)
        else:
            claim.verdict = "unchecked"
            claim.explanation = _join(claim.explanation, f"unknown claim kind {claim.kind!r}")
