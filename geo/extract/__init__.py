"""Incident extraction: what happened, where, when, to whom, how many — every value with its evidence.

    from geo.extract import extract_incidents, extract_casualties
    incidents = extract_incidents(article, geoparse_result)   # list[Incident], usually one
    cas = extract_casualties(text)                            # Casualties (killed/injured ranges, figures)

Modules: :mod:`.sentences` (spans), :mod:`.numbers` (number phrases), :mod:`.casualties`,
:mod:`.events` (ACLED types), :mod:`.actors` (alias dictionary), :mod:`.dates`, :mod:`.claims`,
:mod:`.precision` (ACLED/UCDP location precision).
"""

from __future__ import annotations

import hashlib

from geo.extract.actors import find_actors
from geo.extract.casualties import combine, extract_casualties, extract_figures, is_background
from geo.extract.claims import find_claims
from geo.extract.dates import names_earlier_year, resolve_date
from geo.extract.events import classify_event
from geo.extract.precision import precision_codes
from geo.extract.sentences import split_sentences
from geo.geodesy import km_between
from geo.model import Article, Evidence, GeoparseResult, Incident, SourceRef, Toponym

__all__ = ["extract_incidents", "extract_casualties", "split_sentences"]

#: Two focus places this far apart, each with its own casualty figures, are reported as separate events.
SEPARATE_EVENTS_KM = 25.0


def _place_evidence(article: Article, top: Toponym, spans: list[tuple[int, int]]) -> Evidence:
    ss, se = next(((a, b) for a, b in spans if a <= top.start < b), (top.start, top.end))
    return Evidence(article_id=article.id, kind="place", start=top.start, end=top.end,
                    text=article.text[top.start:top.end], sentence_start=ss, sentence_end=se,
                    sentence=article.text[ss:se])


def _place_key(t: Toponym) -> tuple:
    """Identity of a resolved place (gazetteer id, else rounded coordinates), or of the mention text."""
    p = t.place
    if p is None:
        return ("name", t.name.lower())
    return ("place", p.place_id or p.geonameid or (round(p.lat, 4), round(p.lon, 4)))


def _background_sentences(article: Article, spans: list[tuple[int, int]]) -> set[int]:
    """Sentence starts of sentences about earlier events (they name a year before publication)."""
    return {ss for ss, se in spans if names_earlier_year(article.text[ss:se], article.published)}


def _event_groups(article: Article, geoparse: GeoparseResult, spans: list[tuple[int, int]],
                  figures: list) -> list[tuple[Toponym, list]]:
    """One (focus toponym, figures) group per distinct event; normally a single group.

    A second focus place becomes a separate event only when it is more than ``SEPARATE_EVENTS_KM``
    from the first AND some sentences naming only it carry their own positive casualty figures.
    """
    focus = [t for t in geoparse.focus if t.place is not None]
    main = focus[0]
    groups: list[tuple[Toponym, list]] = [(main, [])]
    if len(focus) > 1:
        def names_in(ss: int, se: int) -> set[str]:
            return {t.name for t in geoparse.toponyms if ss <= t.start < se and t.place is not None}
        for other in focus[1:]:
            if any(_place_key(other) == _place_key(g[0]) for g in groups):
                continue
            if km_between(main.place, other.place) <= SEPARATE_EVENTS_KM:
                continue
            own = [f for f in figures if (f.best or 0) > 0 and not f.is_subset
                   and other.name in names_in(f.evidence.sentence_start, f.evidence.sentence_end)
                   and not any(g[0].name in names_in(f.evidence.sentence_start, f.evidence.sentence_end)
                               for g in groups)]
            if own:
                groups.append((other, own))
    taken = {id(f) for _, fs in groups[1:] for f in fs}
    groups[0] = (main, [f for f in figures if id(f) not in taken])
    return groups


def extract_incidents(article: Article, geoparse: GeoparseResult) -> list[Incident]:
    """Incidents reported by ``article``, located at the geoparser's focus place.

    Returns ``[]`` when no focus place is resolved (the caller reports "no locatable incident").
    """
    if not geoparse.focus or all(t.place is None for t in geoparse.focus):
        return []
    text = article.text
    spans = split_sentences(text)
    background = _background_sentences(article, spans)
    figures = extract_figures(text, article.id, article.published, spans)
    etype, sub, event_ev = classify_event(text, spans, article.id, skip_sentences=background)
    actors = find_actors(text, spans, article.id)
    for a in actors:
        if a.evidence and a.evidence.sentence_start in background and a.role != "mentioned":
            a.role = "mentioned"  # a role in an earlier event ("the 2019 raid that killed IS leader …")
    claims = find_claims(text, spans, article.id)
    event_sents = {e.sentence_start for e in event_ev} | {f.evidence.sentence_start for f in figures
                                                         if not is_background(f)}
    date = resolve_date(text, spans, article.published, article.id, event_sentences=event_sents)
    for a in actors:
        if a.evidence and a.role != "mentioned" and a.evidence.sentence_start not in event_sents:
            a.role = "mentioned"  # perpetrator/target only where the sentence reports this event
    source = SourceRef(article_id=article.id, title=article.title, publisher=article.publisher, url=article.url,
                       published=article.published, content_hash=article.content_hash)
    groups = _event_groups(article, geoparse, spans, figures)
    incidents: list[Incident] = []
    for n, (top, figs) in enumerate(groups):
        assert top.place is not None
        acled, ucdp = precision_codes(top.place, text[max(0, top.start - 60):top.start])
        key = _place_key(top)
        mentions = [t for t in geoparse.toponyms if t.place is not None and _place_key(t) == key] or [top]
        place_ev = [_place_evidence(article, t, spans) for t in mentions]
        cas = combine(figs)
        if n > 0:  # a separate event: only its own sentences' cues
            own_sents = {f.evidence.sentence_start for f in figs}
            ev_ev = [e for e in event_ev if e.sentence_start in own_sents] or event_ev
            inc_claims = [c for c in claims if c.evidence.sentence_start in own_sents]
            inc_actors = [a for a in actors if a.evidence and a.evidence.sentence_start in own_sents]
        else:
            ev_ev, inc_claims, inc_actors = event_ev, claims, actors
        id_key = f"{article.id}:{top.start}:{top.end}"
        evidence = place_ev + [f.evidence for f in cas.figures] + ([date.evidence] if date and date.evidence else []) \
            + [a.evidence for a in inc_actors if a.evidence] + ev_ev + [c.evidence for c in inc_claims]
        seen: set[tuple] = set()
        uniq = []
        for e in evidence:
            k = (e.article_id, e.kind, e.start, e.end)
            if k not in seen:
                seen.add(k)
                uniq.append(e)
        incidents.append(Incident(
            id=hashlib.sha1(id_key.encode()).hexdigest()[:16],
            place=top.place,
            location_text=text[top.start:top.end],
            geo_precision=acled,
            where_prec=ucdp,
            focus_reasons=list(top.reasons),
            date=date,
            event_type=etype,
            sub_event_type=sub,
            event_evidence=ev_ev,
            actors=inc_actors,
            casualties=cas,
            claims=inc_claims,
            sources=[source],
            evidence=uniq,
            mentioned_places=[t for t in geoparse.toponyms if _place_key(t) != key],
        ))
    return incidents
