"""The main job: articles → place mentions → incidents → border distance → merged incidents.

Each stage lives in its own module; this one only wires them together, in one
direction::

    geo.articles.read_articles      files → Article (normalised text, metadata)
    geo.geoparse.Geoparser.parse    Article.text → GeoparseResult (toponyms + focus)
    geo.extract.extract_incidents   Article + GeoparseResult → Incident per event
    geo.borders.Borders.distance    Incident.place → BorderInfo (geodesic, OSM-derived lines)
    geo.verify.check_claims         Claim verdicts against the computed geometry
    geo.merge.merge_incidents       reports of the same event → one incident, several sources
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.model import Article, Incident, Place

if TYPE_CHECKING:  # heavy modules are imported when first used
    from gazetteer import Gazetteer
    from geo.borders import Borders
    from geo.geoparse import Geoparser


@dataclass
class RunResult:
    """What a run over a set of input paths produced."""

    articles: dict[str, Article] = field(default_factory=dict)
    incidents: list[Incident] = field(default_factory=list)  # merged across articles
    problems: list[Any] = field(default_factory=list)  # geo.articles.ReadProblem items
    unlocated: list[str] = field(default_factory=list)  # article ids where no incident location was found


#: Reference radius of the area a place's point stands for, by GeoNames feature code (km).
_EXTENT_BY_CODE_KM = {"PPLX": 0.5, "PPLL": 0.5, "PPLF": 0.5, "PPLQ": 0.5}
_ADMIN_EXTENT_KM = {"ADM1": 50.0, "ADM2": 20.0, "ADM3": 8.0, "PCLI": 200.0, "PCLD": 100.0, "PCLS": 50.0}


def place_extent_km(place: Place) -> float:
    """Approximate radius (km) of the area that a place's reference point stands for.

    A populated place is modelled as a disc of the area its population would
    occupy at an urban density of 5,000 people/km², clamped to 0.5–15 km
    (a village is ~0.5 km across its centre, a town of 50,000 ~1.8 km, a city of
    5 million ~15 km). Admin areas and countries get coarse fixed radii. The
    figure is an explicit, documented approximation used only to widen the
    uncertainty of distances measured from the reference point.
    """
    code = (place.feature_code or "").upper()
    if code in _ADMIN_EXTENT_KM:
        return _ADMIN_EXTENT_KM[code]
    if code in _EXTENT_BY_CODE_KM:
        return _EXTENT_BY_CODE_KM[code]
    if (place.feature_class or "P").upper() != "P":
        return 5.0
    pop = max(place.population or 0, 0)
    radius = math.sqrt(pop / 5000.0 / math.pi) if pop else 0.5
    return round(min(max(radius, 0.5), 15.0), 2)


class Pipeline:
    """Per-process pipeline; the gazetteer, geoparser and borders open on first use."""

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        borders: Borders | None = None,
        geoparser: Geoparser | None = None,
    ) -> None:
        if gazetteer is not None:
            self.__dict__["gazetteer"] = gazetteer
        if borders is not None:
            self.__dict__["borders"] = borders
        if geoparser is not None:
            self.__dict__["geoparser"] = geoparser

    @cached_property
    def gazetteer(self) -> Gazetteer:
        from gazetteer import Gazetteer

        return Gazetteer.open()

    @cached_property
    def geoparser(self) -> Geoparser:
        from geo.geoparse import Geoparser

        return Geoparser(self.gazetteer)

    @cached_property
    def borders(self) -> Borders:
        from geo.borders import Borders

        return Borders.open()

    # ----- one article -------------------------------------------------------------------
    def process_article(self, article: Article) -> list[Incident]:
        """Geoparse, extract, measure the border distance and check claims for one article."""
        from geo.extract import extract_incidents
        from geo.verify import check_claims

        parsed = self.geoparser.parse(article.text, article_id=article.id, title=article.title, locale=article.locale)
        incidents = extract_incidents(article, parsed)
        for incident in incidents:
            place = incident.place
            incident.border = self.borders.distance(
                place.lat, place.lon, own=place.country_code, place_uncertainty_km=place_extent_km(place)
            )
            check_claims(incident, self.borders, locate=self.locate)
        return incidents

    def locate(self, name: str, near: tuple[float, float] | None = None) -> Place | None:
        """Resolve a reference place named in a claim ("20 km north of Aleppo")."""
        from geo.geoparse import to_place

        found = self.gazetteer.candidates(name, near=near, limit=1, fuzzy=False)
        return to_place(found[0]) if found else None

    # ----- many articles -----------------------------------------------------------------
    def run(
        self,
        paths: Iterable[str | Path],
        published: dt.date | None = None,
        progress: bool = True,
    ) -> RunResult:
        """Read every article under ``paths``, extract incidents and merge reports of one event."""
        from rich.progress import Progress

        from geo.articles import read_articles
        from geo.merge import merge_incidents

        result = RunResult()
        articles = list(read_articles(paths, published=published, problems=result.problems))
        per_article: list[Incident] = []
        with Progress(transient=True, disable=not progress) as bar:
            task = bar.add_task("extracting incidents", total=len(articles))
            for article in articles:
                result.articles[article.id] = article
                found = self.process_article(article)
                if not found:
                    result.unlocated.append(article.id)
                per_article.extend(found)
                bar.advance(task)
        result.incidents = merge_incidents(per_article)
        return result


_DEFAULT: Pipeline | None = None


def process_article_default(article: Article) -> list[Incident]:
    """Process one article with a per-process cached :class:`Pipeline` (used by Dask workers)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT.process_article(article)
