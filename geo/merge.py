"""Merge reports of the same event into one incident with several sources.

Two incidents are the same event when they are close in space (the same place, or within
``BASE_KM`` scaled up for coarse locations), in time (same day, or overlapping date ranges widened
by the date precision) and of a compatible ACLED event type — and they come from different
articles: reports from one article are never merged with each other (an article that reports two
distinct events keeps them apart).

Casualties combine across sources: each source's own totals are computed from its figures; then
low = the lowest source low, high = the highest source high (unbounded if any source is), and
best = the largest source best that no source's stated upper bound excludes (reports of the same
toll are usually lower bounds — "at least 12", "at least 13" — so the largest consistent figure is
the best-attested one; ACLED's conservative figure survives as ``low``). Every figure is kept with
its evidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from geo.geodesy import km_between
from geo.model import Casualties, Figure, Incident, Range

BASE_KM = 10.0
#: Extra distance allowed for coarse locations, by UCDP where_prec (1 exact … 6 country).
SLACK_KM = {1: 0.0, 2: 15.0, 3: 40.0, 4: 150.0, 5: 300.0, 6: 1000.0, 7: 1000.0}
#: Days a date may be off, by ACLED time precision.
DAY_SLACK = {1: 1, 2: 7, 3: 31}
FAMILIES = [
    {"Battles", "Explosions/Remote violence", "Violence against civilians"},
    {"Protests", "Riots"},
    {"Strategic developments"},
]


def _articles(inc: Incident) -> set[str]:
    return {s.article_id for s in inc.sources}


def _interval(inc: Incident) -> tuple[dt.date, dt.date] | None:
    d = inc.date
    if d is None or d.date is None:
        return None
    slack = dt.timedelta(days=DAY_SLACK.get(d.precision or 1, 1))
    lo = (d.start or d.date) - slack
    hi = (d.end or d.date) + slack
    return lo, hi


def _types_compatible(a: Incident, b: Incident) -> str | None:
    ta, tb = a.event_type, b.event_type
    if ta is None or tb is None:
        return "type not stated in one report"
    if ta == tb:
        return f"same type ({ta})"
    if any(ta in fam and tb in fam for fam in FAMILIES):
        return f"compatible type ({ta} / {tb})"
    return None


def same_event(a: Incident, b: Incident) -> str | None:
    """Why ``a`` and ``b`` report the same event, or ``None`` when they do not (or share an article)."""
    if _articles(a) & _articles(b):
        return None
    km = km_between(a.place, b.place)
    limit = BASE_KM + max(SLACK_KM.get(a.where_prec or 1, 0.0), SLACK_KM.get(b.where_prec or 1, 0.0))
    if km > limit:
        return None
    ia, ib = _interval(a), _interval(b)
    if ia is None or ib is None:
        return None
    if ia[1] < ib[0] or ib[1] < ia[0]:
        return None
    types = _types_compatible(a, b)
    if types is None:
        return None
    corroboration = ""
    if km > BASE_KM:
        # a coarse location (admin area, country) only merges when the reports also agree on who or how many
        common = sorted({x.name for x in a.actors} & {x.name for x in b.actors})
        ka, kb = a.casualties.killed.best, b.casualties.killed.best
        close_toll = ka is not None and kb is not None and max(ka, kb) > 0 and \
            abs(ka - kb) <= 0.3 * max(ka, kb)
        if not common and not close_toll:
            return None
        corroboration = ", " + (f"common actors ({', '.join(common[:3])})" if common else
                                f"similar tolls ({ka} / {kb} killed)")
    da, db = a.date.date, b.date.date  # type: ignore[union-attr]
    when = f"same date {da.isoformat()}" if da == db else \
        f"overlapping dates {min(da, db).isoformat()}–{max(da, db).isoformat()}"  # type: ignore[union-attr]
    where = "same place" if a.place.name == b.place.name or km < 0.05 else "nearby places"
    return f"{where} ({km:.1f} km), {when}, {types}{corroboration}"


def _per_source_totals(figures: list[Figure]) -> dict[str, Casualties]:
    from geo.extract.casualties import combine

    by_article: dict[str, list[Figure]] = {}
    for f in figures:
        by_article.setdefault(f.evidence.article_id, []).append(f)
    return {aid: combine(fs) for aid, fs in by_article.items()}


def _combine_ranges(ranges: list[Range]) -> Range:
    stated = [r for r in ranges if r.best is not None]
    if not stated:
        return Range()
    lows = [r.low if r.low is not None else r.best for r in stated]
    highs = [r.high for r in stated]
    cap = min((h for h in highs if h is not None), default=None)
    bests = [r.best for r in stated if r.best is not None]
    fitting = [b for b in bests if cap is None or b <= cap]
    best = max(fitting) if fitting else min(bests)
    high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
    return Range(low=min(x for x in lows if x is not None), best=best, high=high)


def merge_casualties(figures: list[Figure]) -> Casualties:
    """Casualties of a merged incident from all sources' figures (see module docstring)."""
    per = _per_source_totals(figures)
    cas = Casualties(figures=list(figures))
    cas.killed = _combine_ranges([c.killed for c in per.values()])
    cas.injured = _combine_ranges([c.injured for c in per.values()])
    keys = {k for c in per.values() for k in c.categories}
    for k in sorted(keys):
        cas.categories[k] = _combine_ranges([c.categories[k] for c in per.values() if k in c.categories])
    return cas


def _dedupe(items: list, key) -> list:  # type: ignore[no-untyped-def]
    seen, out = set(), []
    for it in items:
        k = key(it)
        if k not in seen:
            seen.add(k)
            out.append(it)
    return out


def _ev_key(e):  # type: ignore[no-untyped-def]
    return (e.article_id, e.kind, e.start, e.end) if e is not None else None


def merge_pair(a: Incident, b: Incident, reason: str) -> Incident:
    """One incident from two reports of the same event: the more precise place and date, all the rest kept."""
    pa, pb = a.where_prec or 9, b.where_prec or 9
    loc = a if pa <= pb else b
    da = a.date.precision if a.date and a.date.precision else 9
    db = b.date.precision if b.date and b.date.precision else 9
    when = a if da <= db else b
    typ = a if len(a.event_evidence) >= len(b.event_evidence) or b.event_type is None else b
    if typ.event_type is None:
        typ = b if typ is a else a
    figures = _dedupe(a.casualties.figures + b.casualties.figures,
                      lambda f: (_ev_key(f.evidence), f.category, f.side, f.best))
    return replace(
        loc,
        id=min(a.id, b.id),
        focus_reasons=_dedupe(a.focus_reasons + b.focus_reasons, lambda r: r),
        date=when.date,
        event_type=typ.event_type,
        sub_event_type=typ.sub_event_type,
        event_evidence=_dedupe(a.event_evidence + b.event_evidence, _ev_key),
        actors=_dedupe(a.actors + b.actors, lambda x: (x.name, x.role, _ev_key(x.evidence))),
        casualties=merge_casualties(figures),
        border=loc.border or a.border or b.border,
        claims=_dedupe(a.claims + b.claims, lambda c: (c.kind, c.relation, c.value_km, c.country, c.reference,
                                                       _ev_key(c.evidence))),
        sources=_dedupe(a.sources + b.sources, lambda s: s.article_id),
        evidence=_dedupe(a.evidence + b.evidence, _ev_key),
        merge_reason="; ".join(r for r in (a.merge_reason, b.merge_reason, reason) if r),
        mentioned_places=_dedupe(a.mentioned_places + b.mentioned_places, lambda t: (t.name, t.start, t.end)),
    )


def merge_incidents(incidents: list[Incident]) -> list[Incident]:
    """Reports of the same event → one incident each; order follows the first report of each event."""
    merged: list[Incident] = []
    for inc in incidents:
        for i, have in enumerate(merged):
            reason = same_event(have, inc)
            if reason:
                merged[i] = merge_pair(have, inc, reason)
                break
        else:
            merged.append(inc)
    return merged
