"""Location precision codes from what the place is (GeoNames feature class/code) and how it is named.

ACLED ``geo_precision`` (ACLED Codebook 2024, "Spatial precision codes"): 1 = the town or village
itself is named; 2 = the event is near / in the area of a named town, or only a district-sized part
of a region is known; 3 = only a large region (province, state) is known.

UCDP GED ``where_prec`` (UCDP GED Codebook, variable ``where_prec``): 1 = exact location; 2 = within
about 25 km of a known point ("near", "outskirts of"); 3 = second-order administrative division (ADM2);
4 = first-order administrative division (ADM1); 5 = a part of a country larger than ADM1
("northwest Syria"); 6 = the whole country; 7 = international waters or airspace.
"""

from __future__ import annotations

import re

from geo.model import Place

_NEAR = re.compile(r"\b(?:near|nearby|outside|outskirts of|close to|around|vicinity of|km (?:north|south|east|west)"
                   r"\w* of|kilometers? (?:from|of)|miles? (?:from|of)|not far from|area of)\s+(?:the\s+)?"
                   r"(?:town\s+of\s+|city\s+of\s+|village\s+of\s+)?$", re.I)


def precision_codes(place: Place, context_before: str = "") -> tuple[int, int]:
    """``(acled_geo_precision, ucdp_where_prec)`` for a place, given the text just before its mention."""
    fclass = (place.feature_class or "").upper()
    code = (place.feature_code or "").upper()
    near = bool(_NEAR.search(context_before[-40:]))
    if fclass == "H" and code in ("SEA", "OCN", "GULF", "BAY", "STRT"):
        return 3, 7
    if code.startswith("PCL") or code == "TERR":
        return 3, 6
    if code in ("RGN", "RGNE", "AREA", "ZN", "PRSH"):
        return 3, 5
    if code == "ADM1" or code == "ADM1H":
        return 3, 4
    if code in ("ADM2", "ADM2H"):
        return 2, 3
    if code in ("ADM3", "ADM4", "ADM5", "ADMD"):
        return 2, 3
    if fclass in ("P", "S", "L", "T", "V", "R", "U", "H") or code.startswith("PPL"):
        return (2, 2) if near else (1, 1)
    if fclass == "A":
        return 3, 4
    return (2, 2) if near else (1, 1)
