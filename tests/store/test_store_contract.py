"""The store contract, run on both backends (GeoPackage file and a real PostGIS server)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from pyproj import Geod

from geo.errors import InputError
from geo.merge import merge_pair, same_event
from geo.query import filter_incidents
from geo.store import open_store

from .conftest import make_article, make_incident

GEOD = Geod(ellps="WGS84")

# Real coordinates (GeoNames / Wikipedia), (lat, lon): asymmetric so that a swap fails.
PLACES = {
    "Atmeh": (36.31111, 36.68639, "SY"),
    "Sarmada": (36.17883, 36.71926, "SY"),
    "Idlib": (35.93062, 36.63393, "SY"),
    "Aleppo": (36.20124, 37.16117, "SY"),
    "Reyhanli": (36.26917, 36.56722, "TR"),
    "Damascus": (33.51020, 36.29128, "SY"),
    "Tripoli": (34.43667, 35.84972, "LB"),
}


def _corpus() -> tuple[list, dict]:
    """One article per place, each reporting one incident on a different day."""
    arts, by = [], {}
    for i, (name, (lat, lon, cc)) in enumerate(PLACES.items()):
        aid = f"art-{name.lower()}"
        arts.append(make_article(aid))
        by[aid] = [make_incident(
            aid, place=name, lat=lat, lon=lon, country=cc, day=f"2022-02-{i + 1:02d}", killed=i * 2,
            event_type="Battles" if i % 2 else "Explosions/Remote violence",
            sub_event_type="Armed clash" if i % 2 else "Air/drone strike",
        )]
    return arts, by


def _table_count(st, table: str) -> int:
    return st._execute(f"SELECT count(*) FROM {table}")[0][0]


def test_ingest_then_query_and_articles(store_db: str) -> None:
    arts, by = _corpus()
    with open_store(store_db) as st:
        rep = st.ingest(arts, by)
        assert (rep.articles_new, rep.reports_added, rep.incidents_created) == (7, 7, 7)
        assert rep.incidents_total == 7
        got = st.query()
        assert len(got) == 7 and all(d is None for _, d in got)
        # newest first
        assert [inc.place.name for inc, _ in got][:2] == ["Tripoli", "Damascus"]
        stored = st.articles(["art-atmeh", "art-idlib", "nope"])
        assert set(stored) == {"art-atmeh", "art-idlib"}
        a = stored["art-atmeh"]
        assert a.text == arts[0].text and a.published == dt.date(2022, 2, 3) and a.url == "https://example.org/art-atmeh"
        assert len(st.articles()) == 7
        inc = next(i for i, _ in got if i.place.name == "Atmeh")
        assert (inc.place.lat, inc.place.lon) == PLACES["Atmeh"][:2]
        assert inc.evidence[0].text == "Atmeh" and inc.actors[0].name == "US forces"
        assert [s.article_id for s in inc.sources] == ["art-atmeh"]


def test_reingest_same_articles_adds_nothing(store_db: str) -> None:
    arts, by = _corpus()
    with open_store(store_db) as st:
        st.ingest(arts, by)
        before = [(t, _table_count(st, t)) for t in ("articles", "reports", "incidents")]
        ids_before = sorted(i.id for i, _ in st.query())
        rep = st.ingest(arts, by)
        assert rep.articles_unchanged == 7
        assert (rep.articles_new, rep.articles_replaced, rep.reports_added, rep.incidents_created) == (0, 0, 0, 0)
        assert [(t, _table_count(st, t)) for t in ("articles", "reports", "incidents")] == before
        assert sorted(i.id for i, _ in st.query()) == ids_before


def test_updated_article_replaces_its_incidents(store_db: str) -> None:
    with open_store(store_db) as st:
        st.ingest([make_article("a1", "first version")], {"a1": [make_incident("a1", "Atmeh")]})
        lat, lon, _ = PLACES["Aleppo"]
        rep = st.ingest([make_article("a1", "corrected version")],
                        {"a1": [make_incident("a1", "Aleppo", lat, lon, killed=4)]})
        assert (rep.articles_replaced, rep.reports_removed, rep.reports_added) == (1, 1, 1)
        got = st.query()
        assert [i.place.name for i, _ in got] == ["Aleppo"]
        assert got[0][0].fatalities == 4
        assert st.articles(["a1"])["a1"].text == "corrected version"
        assert _table_count(st, "reports") == 1


def test_merging_across_ingest_runs_equals_one_run(store_db: str, tmp_path) -> None:
    # two sources on the same raid (1 km apart, same day), and an unrelated incident
    a1 = make_incident("src-a", "Atmeh", 36.31111, 36.68639, killed=12)
    a2 = make_incident("src-b", "Atmeh", 36.3170, 36.6900, killed=13)
    other = make_incident("src-c", "Damascus", *PLACES["Damascus"][:2], day="2022-03-01")
    arts = [make_article("src-a"), make_article("src-b"), make_article("src-c")]
    by = {"src-a": [a1], "src-b": [a2], "src-c": [other]}
    with open_store(store_db) as st:
        st.ingest([arts[0]], {"src-a": [a1]})
        rep = st.ingest(arts[1:], {"src-b": [a2], "src-c": [other]})
        assert rep.incidents_merged == 1 and rep.incidents_updated == 1 and rep.incidents_created == 1
        split = sorted((i.id, sorted(s.article_id for s in i.sources)) for i, _ in st.query())
    with open_store(tmp_path / "one-run.gpkg") as one:
        one.ingest(arts, by)
        together = sorted((i.id, sorted(s.article_id for s in i.sources)) for i, _ in one.query())
    assert split == together
    assert ("src-a#1", ["src-a", "src-b"]) in split and len(split) == 2
    with open_store(store_db) as st:
        raid = next(i for i, _ in st.query(country="SY") if i.place.name == "Atmeh")
    # the store's merged incident is exactly what geo.merge makes of the two reports
    expected = merge_pair(a1, a2, same_event(a1, a2))
    expected.id = "src-a#1"
    assert raid == expected
    assert raid.casualties.killed.high == 13 and len(raid.casualties.figures) == 2 and raid.merge_reason


@pytest.mark.parametrize("order", ["precise-first", "coarse-first"])
def test_coarse_location_merges_across_runs(store_db: str, order: str) -> None:
    """A report located only to the province (where_prec 4) reaches further (geo.merge slack)."""
    precise = make_incident("p", "Atmeh", *PLACES["Atmeh"][:2])
    coarse = make_incident("c", "Idlib", *PLACES["Idlib"][:2], killed=10)  # ≈ 43 km away
    precise.where_prec, coarse.where_prec = 1, 4
    runs = [("p", precise), ("c", coarse)]
    if order == "coarse-first":
        runs.reverse()
    with open_store(store_db) as st:
        for aid, inc in runs:
            st.ingest([make_article(aid)], {aid: [inc]})
        got = st.query()
    assert len(got) == 1
    merged = got[0][0]
    assert sorted(s.article_id for s in merged.sources) == ["c", "p"]
    assert merged.place.name == "Atmeh"  # the more precise location wins


def test_updated_article_leaves_merged_incident(store_db: str) -> None:
    a1 = make_incident("src-a", "Atmeh")
    a2 = make_incident("src-b", "Atmeh", 36.3170, 36.6900)
    with open_store(store_db) as st:
        st.ingest([make_article("src-a"), make_article("src-b")], {"src-a": [a1], "src-b": [a2]})
        assert len(st.query()) == 1
        moved = make_incident("src-b", "Damascus", *PLACES["Damascus"][:2])
        rep = st.ingest([make_article("src-b", "src-b now reports Damascus")], {"src-b": [moved]})
        assert rep.articles_replaced == 1
        got = {i.place.name: sorted(s.article_id for s in i.sources) for i, _ in st.query()}
        assert got == {"Atmeh": ["src-a"], "Damascus": ["src-b"]}


def test_radius_nearest_first_with_geodesic_distances(store_db: str) -> None:
    arts, by = _corpus()
    lat0, lon0 = 36.30, 36.70  # near Atmeh
    with open_store(store_db) as st:
        st.ingest(arts, by)
        got = st.query(near=(lat0, lon0), radius_km=60)
    names = [i.place.name for i, _ in got]
    expected = {}
    for name, (lat, lon, _) in PLACES.items():
        _, _, m = GEOD.inv(lon0, lat0, lon, lat)
        expected[name] = m / 1000
    within = sorted((d, n) for n, d in expected.items() if d <= 60)
    assert names == [n for _, n in within]
    assert "Damascus" not in names and "Aleppo" in names  # Aleppo ≈ 42 km
    for inc, d in got:
        assert d == pytest.approx(expected[inc.place.name], abs=1e-6)
    dists = [d for _, d in got]
    assert dists == sorted(dists)


def test_radius_edges_and_limit(store_db: str) -> None:
    arts, by = _corpus()
    with open_store(store_db) as st:
        st.ingest(arts, by)
        assert st.query(near=(0.0, 0.0), radius_km=10) == []
        # swapped lat/lon must not find Atmeh
        assert st.query(near=(36.68639, 36.31111), radius_km=5) == []
        exact = st.query(near=PLACES["Atmeh"][:2], radius_km=0.001)
        assert [i.place.name for i, _ in exact] == ["Atmeh"] and exact[0][1] == pytest.approx(0, abs=1e-9)
        # a radius just short of / beyond Idlib's geodesic distance from Atmeh
        _, _, m = GEOD.inv(PLACES["Atmeh"][1], PLACES["Atmeh"][0], PLACES["Idlib"][1], PLACES["Idlib"][0])
        names = lambda r: {i.place.name for i, _ in st.query(near=PLACES["Atmeh"][:2], radius_km=r)}
        assert "Idlib" not in names(m / 1000 - 0.01) and "Idlib" in names(m / 1000 + 0.01)
        assert len(st.query(near=PLACES["Atmeh"][:2], radius_km=1000, limit=3)) == 3
        # everything with distances when no radius is given
        assert len(st.query(near=PLACES["Atmeh"][:2])) == 7
        with pytest.raises(InputError):
            st.query(near=(95.0, 10.0), radius_km=5)
        with pytest.raises(InputError):
            st.query(near=(36.0, 36.0), radius_km=-1)


def test_radius_across_the_antimeridian(store_db: str) -> None:
    fiji = make_incident("fiji-e", "Labasa", -16.4167, 179.3833, country="FJ")
    west = make_incident("fiji-w", "Rabi", -16.45, -179.98, country="FJ")
    with open_store(store_db) as st:
        st.ingest([make_article("fiji-e"), make_article("fiji-w")], {"fiji-e": [fiji], "fiji-w": [west]})
        got = st.query(near=(-16.43, 179.99), radius_km=80)
        assert {i.place.name for i, _ in got} == {"Labasa", "Rabi"}
        got = st.query(bbox=(179.0, -17.0, -179.5, -16.0))
        assert {i.place.name for i, _ in got} == {"Labasa", "Rabi"}


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"bbox": (36.0, 35.5, 37.0, 36.5)}, {"Atmeh", "Sarmada", "Idlib", "Reyhanli"}),
        ({"date_from": dt.date(2022, 2, 5)}, {"Reyhanli", "Damascus", "Tripoli"}),
        ({"date_from": "2022-02-02", "date_to": "2022-02-03"}, {"Sarmada", "Idlib"}),
        ({"country": "tr"}, {"Reyhanli"}),
        ({"event_type": "battles"}, {"Sarmada", "Aleppo", "Damascus"}),
        ({"event_type": "air/drone strike"}, {"Atmeh", "Idlib", "Reyhanli", "Tripoli"}),
        ({"min_fatalities": 8}, {"Reyhanli", "Damascus", "Tripoli"}),
        ({"country": "SY", "min_fatalities": 4, "date_to": "2022-02-05"}, {"Idlib", "Aleppo"}),
        ({"near": (36.31, 36.69), "radius_km": 30, "country": "SY"}, {"Atmeh", "Sarmada"}),
    ],
)
def test_filters_match_expected_and_in_memory(store_db: str, filters: dict, expected: set) -> None:
    arts, by = _corpus()
    with open_store(store_db) as st:
        st.ingest(arts, by)
        got = st.query(**filters)
    assert {i.place.name for i, _ in got} == expected
    mem = filter_incidents([i for incs in by.values() for i in incs], **filters)
    assert {i.place.name for i, _ in mem} == expected
    # same order as the in-memory reference (ids differ: the store names merged incidents by report)
    assert [i.place.name for i, _ in got] == [i.place.name for i, _ in mem]


def test_stats(store_db: str) -> None:
    arts, by = _corpus()
    with open_store(store_db) as st:
        st.ingest(arts, by)
        st.ingest(arts, by)
        s = st.stats()
    assert (s["articles"], s["reports"], s["incidents"]) == (7, 7, 7)
    assert s["fatalities_total"] == sum(range(0, 14, 2))
    assert (s["date_min"], s["date_max"]) == ("2022-02-01", "2022-02-07")
    assert {r["country_code"]: r["incidents"] for r in s["by_country"]} == {"SY": 5, "TR": 1, "LB": 1}
    w, south, e, n = s["bbox"]
    assert (w, south, e, n) == (35.84972, 33.5102, 37.16117, 36.31111)
    assert s["ingest_runs"] == 2 and s["last_ingest"]["articles_unchanged"] == 7


def test_failed_ingest_rolls_back_everything(store_db: str) -> None:
    arts, by = _corpus()
    with open_store(store_db) as st:
        st.ingest(arts[:2], {k: by[k] for k in ("art-atmeh", "art-sarmada")})
        before = st.stats()
        bad = make_incident("zz-bad", "Nowhere", lat=math.nan, lon=36.0)
        # the good articles sort before the bad one, so their rows are written before the failure
        with pytest.raises(InputError, match="zz-bad"):
            st.ingest(arts[2:] + [make_article("zz-bad")], {**by, "zz-bad": [bad]})
        after = st.stats()
        assert (after["articles"], after["reports"], after["incidents"]) == (2, 2, 2)
        assert after["ingest_runs"] == before["ingest_runs"]
        # the store is usable afterwards
        rep = st.ingest(arts, by)
        assert rep.articles_new == 5 and rep.incidents_total == 7


def test_duplicate_article_ids_refused(store_db: str) -> None:
    with open_store(store_db) as st, pytest.raises(InputError, match="twice"):
        st.ingest([make_article("x"), make_article("x")], {})


def test_query_flat_equals_flat_rows_of_query(store_db: str) -> None:
    from geo.store.base import flat_row

    arts, by = _corpus()
    with open_store(store_db) as st:
        st.ingest(arts, by)
        for filters in ({}, {"near": (36.3, 36.7), "radius_km": 100}, {"country": "SY", "limit": 2}):
            full = st.query(**filters)
            flat = st.query_flat(**filters)
            expected = []
            for inc, d in full:
                row = flat_row(inc)
                if d is not None:
                    row["distance_km"] = d
                expected.append(row)
            assert flat == expected


def test_radius_at_the_pole_and_half_the_earth(store_db: str) -> None:
    a = make_incident("pole-a", "Camp A", 89.9, 0.0, country="NO")
    b = make_incident("pole-b", "Camp B", 89.9, 180.0, country="NO")
    c = make_incident("far", "Antipode", -36.31111, -143.31361, country="NZ", day="2022-05-01")
    arts = [make_article(x) for x in ("pole-a", "pole-b", "far")]
    with open_store(store_db) as st:
        st.ingest(arts, {"pole-a": [a], "pole-b": [b], "far": [c]})
        got = st.query(near=(90.0, 45.0), radius_km=15)
        assert {i.place.name for i, _ in got} == {"Camp A", "Camp B"}
        _, _, m = GEOD.inv(45.0, 90.0, 0.0, 89.9)
        assert got[0][1] == pytest.approx(m / 1000, abs=1e-6)
        # the antipode of Atmeh is ~20,000 km away: inside a 19,999 km radius only if geodesic
        _, _, m = GEOD.inv(36.68639, 36.31111, -143.31361, -36.31111)
        names = lambda r: {i.place.name for i, _ in st.query(near=(36.31111, 36.68639), radius_km=r)}
        assert "Antipode" in names(m / 1000 + 0.01) and "Antipode" not in names(m / 1000 - 0.01)
