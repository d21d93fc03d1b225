"""Property-based tests of the exports (geo.export): GeoJSON round-trip and RFC 7946 shape, safe CSV."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

export = pytest.importorskip("geo.export")

from geo.model import (
    Actor,
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
    Toponym,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE = ["<script>alert(1)</script>", "${alert(1)}", "`x`", "{{7*7}}", "=HYPERLINK(\"http://x\")", "+1", "-2",
           "@SUM(A1)", "\tx", "أطمة", "Atmeh", "\u200fRTL", "a\nb", '"quoted", comma', "", " "]
TEXT = st.one_of(st.text(st.characters(codec="utf-8"), max_size=30), st.sampled_from(HOSTILE))
NAME = TEXT.filter(lambda s: bool(s))
OPT = lambda s: st.one_of(st.none(), s)
COUNT = OPT(st.integers(0, 10**6))
KM = st.floats(0, 20_000)
DATES = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))

evidence = st.builds(
    Evidence, article_id=NAME, kind=st.sampled_from(["place", "killed", "injured", "date", "actor", "event", "claim"]),
    start=st.integers(0, 10**6), end=st.integers(0, 10**6), text=TEXT, sentence_start=st.integers(0, 10**6),
    sentence_end=st.integers(0, 10**6), sentence=TEXT,
)
place = st.builds(
    Place, name=NAME, lat=st.floats(-90, 90), lon=st.floats(-180, 180), country_code=OPT(st.sampled_from(["SY", "TR", "IQ"])),
    country=OPT(TEXT), admin1=OPT(TEXT), feature_class=OPT(st.sampled_from("PA")), feature_code=OPT(TEXT),
    population=COUNT, place_id=OPT(TEXT), geonameid=OPT(st.integers(1, 10**8)), source=OPT(TEXT),
)
rng = st.builds(Range, low=COUNT, best=COUNT, high=COUNT)
figure = st.builds(
    Figure, kind=st.sampled_from(["killed", "injured"]), low=COUNT, best=COUNT, high=COUNT, evidence=evidence,
    category=OPT(TEXT), side=OPT(TEXT), attribution=OPT(TEXT), qualifier=OPT(TEXT), is_subset=st.booleans(),
)
casualties = st.builds(
    Casualties, killed=rng, injured=rng, categories=st.dictionaries(st.sampled_from(["killed.children", "killed.women"]), rng, max_size=2),
    figures=st.lists(figure, max_size=2),
)
incident = st.builds(
    Incident,
    id=NAME,
    place=place,
    location_text=OPT(TEXT),
    geo_precision=OPT(st.integers(1, 3)),
    where_prec=OPT(st.integers(1, 7)),
    focus_reasons=st.lists(TEXT, max_size=2),
    date=OPT(st.builds(DateInfo, date=OPT(DATES), start=OPT(DATES), end=OPT(DATES), precision=OPT(st.integers(1, 3)),
                       how=OPT(TEXT), evidence=OPT(evidence))),
    event_type=OPT(TEXT),
    sub_event_type=OPT(TEXT),
    event_evidence=st.lists(evidence, max_size=2),
    actors=st.lists(st.builds(Actor, name=TEXT, alias=TEXT, role=OPT(st.sampled_from(["perpetrator", "target"])),
                              evidence=OPT(evidence)), max_size=2),
    casualties=casualties,
    border=OPT(st.builds(BorderInfo, distance_km=KM, neighbour=OPT(st.sampled_from(["TR", "IQ"])), own=OPT(st.just("SY")),
                         nearest_point=st.tuples(st.floats(-180, 180), st.floats(-90, 90)), dataset=TEXT,
                         uncertainty_km=st.floats(0, 100), disputed=st.booleans(), at_border=st.booleans(), note=OPT(TEXT))),
    claims=st.lists(st.builds(Claim, kind=st.sampled_from(["border_distance", "distance_from_place"]),
                              relation=st.sampled_from(["<", "<=", "~", ">=", ">"]), value_km=KM, evidence=evidence,
                              country=OPT(TEXT), reference=OPT(TEXT), direction=OPT(TEXT), verdict=OPT(TEXT),
                              explanation=OPT(TEXT), computed_km=OPT(KM)), max_size=2),
    sources=st.lists(st.builds(SourceRef, article_id=NAME, title=OPT(TEXT), publisher=OPT(TEXT), url=OPT(TEXT),
                               published=OPT(DATES), content_hash=OPT(TEXT)), max_size=2),
    evidence=st.lists(evidence, max_size=2),
    merge_reason=OPT(TEXT),
    mentioned_places=st.lists(st.builds(Toponym, start=st.integers(0, 999), end=st.integers(0, 999), name=TEXT,
                                        place=OPT(place), score=st.floats(0, 1), is_focus=st.booleans(),
                                        reasons=st.lists(TEXT, max_size=2)), max_size=2),
)


def _rounded(value):
    if isinstance(value, float):
        return round(value, export.DECIMALS)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _tmpdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="cm-export-"))


@pytest.mark.slow
@SETTINGS
@given(incidents=st.lists(incident, max_size=3))
def test_geojson_round_trip_and_rfc7946_shape(incidents):
    folder = _tmpdir()
    try:
        path = export.write_geojson(incidents, folder / "incidents.geojson")
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection" and "crs" not in doc
        assert [f["geometry"]["coordinates"] for f in doc["features"]] == [
            [round(i.place.lon, 7), round(i.place.lat, 7)] for i in incidents]  # [lon, lat] order
        back = export.read_geojson(path)
        assert [b.to_properties() for b in back] == [_rounded(i.to_properties()) for i in incidents]
        assert [p.name for p in folder.iterdir()] == ["incidents.geojson"]  # no temp file left behind
    finally:
        shutil.rmtree(folder)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.slow
@SETTINGS
@given(incidents=st.lists(incident, min_size=1, max_size=3))
def test_csv_cells_never_start_a_formula(incidents):
    folder = _tmpdir()
    try:
        path = export.write_csv(incidents, folder / "incidents.csv")
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert len(rows) == len(incidents)
        for row in rows:
            for col, cell in row.items():
                if col in ("latitude", "longitude"):
                    float(cell)  # numbers stay numbers (a negative coordinate is not a formula)
                    continue
                assert not cell.startswith(FORMULA_START) or _is_number(cell), (col, cell)
    finally:
        shutil.rmtree(folder)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_text_with_a_carriage_return_stays_one_row(tmp_path):
    """Found by hypothesis: csv.writer quotes only fields holding the *line terminator's* characters, so
    a lone ``\\r`` in a text field is written bare and readers split the row in two."""
    inc = Incident(id="x", place=Place(name="Atmeh", lat=36.31, lon=36.69, source="GeoNames\rinjected"))
    path = export.write_csv([inc], tmp_path / "i.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1 and rows[0]["place_source"] == "GeoNames\rinjected"
