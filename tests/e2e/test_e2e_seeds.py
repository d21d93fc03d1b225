"""End to end: the two seed reports of the Atmeh raid become one mapped, sourced incident."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from pyproj import Geod

from tests.e2e.conftest import SEEDS, run_cli

GEOD = Geod(ellps="WGS84")
ATMEH_WIKIPEDIA = (36.31111, 36.68639)  # (lat, lon), Wikipedia "Atmeh"
SEED_IDS = {p.stem for p in SEEDS.glob("*.txt")}


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def test_one_incident_at_atmeh_idlib_syria(seed_incident: dict) -> None:
    lon, lat = seed_incident["geometry"]["coordinates"]
    assert geodesic_km(lat, lon, *ATMEH_WIKIPEDIA) < 3.0, (lat, lon)
    place = seed_incident["properties"]["place"]
    assert place["country_code"] == "SY"
    assert "idlib" in (place["admin1"] or "").lower()
    assert place["source"], "every coordinate states its source"


def test_both_sources_attached_and_merge_explained(seed_incident: dict) -> None:
    props = seed_incident["properties"]
    assert {s["article_id"] for s in props["sources"]} == SEED_IDS
    assert props["merge_reason"]


def test_date_thursday_resolved_against_publication(seed_incident: dict) -> None:
    date = seed_incident["properties"]["date"]
    assert date["date"] == "2022-02-03"
    assert date["precision"] == 1
    assert date["evidence"]["text"]


def test_fatalities_range_and_categories_with_evidence(seed_incident: dict) -> None:
    cas = seed_incident["properties"]["casualties"]
    assert cas["killed"]["low"] == 12
    assert cas["killed"]["best"] == 13
    assert cas["categories"]["killed.children"]["best"] == 4
    assert cas["categories"]["killed.women"]["best"] == 3
    values = {(f["kind"], f["best"], f["evidence"]["article_id"]) for f in cas["figures"]}
    assert ("killed", 13, "000_f18772d31dee92f8") in values
    assert ("killed", 12, "004_23a385800a3f30d7") in values
    for fig in cas["figures"]:
        ev = fig["evidence"]
        text = (SEEDS / f"{ev['article_id']}.txt").read_text(encoding="utf-8")
        assert ev["sentence"] and ev["sentence"] in text
        assert ev["start"] >= ev["sentence_start"] and ev["end"] <= ev["sentence_end"]
    # "There were no US casualties" is a zero for the US side, never a civilian toll.
    for fig in cas["figures"]:
        if "no US casualties" in fig["evidence"]["sentence"]:
            assert fig["category"] != "civilians" and (fig["best"] in (0, None))


def test_event_type_and_actors(seed_incident: dict) -> None:
    props = seed_incident["properties"]
    assert props["event_type"] == "Battles"
    actors = {a["name"].lower() for a in props["actors"]}
    assert any("us" in a or "united states" in a or "coalition" in a for a in actors), actors
    assert any("tahrir" in a or a == "hts" for a in actors), actors
    assert any("huras" in a for a in actors), actors


def test_border_distance_to_turkey_with_dataset_and_uncertainty(seed_incident: dict) -> None:
    border = seed_incident["properties"]["border"]
    assert border["neighbour"] == "TR"
    assert border["own"] == "SY"
    assert 1.0 < border["distance_km"] < 3.5
    assert "openstreetmap" in border["dataset"].lower()
    assert border["uncertainty_km"] > 0
    blon, blat = border["nearest_point"]
    lon, lat = seed_incident["geometry"]["coordinates"]
    assert abs(geodesic_km(lat, lon, blat, blon) - border["distance_km"]) < 0.05


def test_border_claim_extracted_and_judged(seed_incident: dict) -> None:
    claims = [c for c in seed_incident["properties"]["claims"] if c["kind"] == "border_distance"]
    assert claims, "the text's '< 1 km from Turkey's border' claim must be extracted"
    claim = next(c for c in claims if c["value_km"] == 1.0)
    assert claim["relation"] == "<" and claim["country"] == "TR"
    assert claim["verdict"] and claim["explanation"]
    assert claim["computed_km"] > 1.0
    assert "reference" in claim["verdict"] + claim["explanation"]


def test_geojson_is_rfc7946(seeds_geojson: dict) -> None:
    assert seeds_geojson["type"] == "FeatureCollection"
    assert "crs" not in seeds_geojson
    lon, lat = seeds_geojson["features"][0]["geometry"]["coordinates"]
    assert 36.6 < lon < 36.8 and 36.2 < lat < 36.4  # lon first
    text = json.dumps(seeds_geojson)
    assert not re.search(r"\d\.\d{8,}", text.split('"properties"')[0])


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.refs.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.refs.append(a["href"] or "")
        if tag in ("img", "iframe") and a.get("src"):
            self.refs.append(a["src"] or "")


def test_map_is_self_contained_and_links_sources(seeds_out: Path) -> None:
    html = (seeds_out / "map.html").read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(html)
    external = [r for r in parser.refs if re.match(r"^(https?:)?//", r)]
    assert not external, external
    assert "L.map" in html or "Leaflet" in html  # Leaflet is inlined
    for sid in SEED_IDS:
        page = seeds_out / "sources" / f"{sid}.html"
        assert page.exists()
        assert sid in html  # popups build their links to sources/<id>.html from the data (browser test follows one)


def test_source_pages_highlight_evidence(seeds_out: Path, seed_incident: dict) -> None:
    for ev in seed_incident["properties"]["evidence"]:
        page = (seeds_out / "sources" / f"{ev['article_id']}.html").read_text(encoding="utf-8")
        assert f'id="ev-{ev["kind"]}-{ev["start"]}-{ev["end"]}"' in page


def test_near_atmeh_lists_the_incident(seeds_out: Path) -> None:
    proc = run_cli("near", "Atmeh", "--radius", "25km", "--in", str(seeds_out / "incidents.geojson"), "--json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert len(rows) == 1 and rows[0]["distance_km"] < 3.0


def test_near_null_island_lists_none(seeds_out: Path) -> None:
    proc = run_cli("near", "0,0", "--radius", "10km", "--in", str(seeds_out / "incidents.geojson"), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_roles_only_where_the_text_gives_them(seed_incident: dict) -> None:
    roles = {(a["name"], a["role"]) for a in seed_incident["properties"]["actors"]}
    assert ("US forces", "perpetrator") in roles
    # "forces fighting against the government of Bashar al-Assad": the government is not this raid's target
    assert not any(name == "Syrian government forces" and role != "mentioned" for name, role in roles)


def test_vague_civilian_count_never_below_its_counted_parts(seed_incident: dict) -> None:
    cats = seed_incident["properties"]["casualties"]["categories"]
    parts = cats["killed.children"]["low"] + cats["killed.women"]["low"]
    assert cats["killed.civilians"]["low"] >= parts
