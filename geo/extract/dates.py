"""When the event happened: explicit dates and relative days resolved against the publication date.

ACLED time precision: 1 = the day is known, 2 = the week (or a few days), 3 = only the month.
UCDP ``date_start``/``date_end`` bound the event (a night raid spans two calendar days).
Dates more than a month before publication, or sentences naming an earlier year, are background
("the 2019 raid"), never the event date.
"""

from __future__ import annotations

import datetime as dt
import re

from geo.model import DateInfo, Evidence

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MON = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|" \
       r"Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
EXPLICIT = [
    re.compile(_MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b"),            # February 3, 2022
    re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r"(?:,?\s+(\d{4}))?\b"),  # 3 February 2022
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),                                       # 2022-02-03
]
MONTH_ONLY = re.compile(r"\b(?:in|during|since|early|late|mid-?)\s+" + _MON + r"(?:\s+(\d{4}))?\b")
RELATIVE_DAY = re.compile(
    r"\b(?:(?:in\s+)?the\s+early\s+hours\s+of\s+|early\s+|late\s+|on\s+|last\s+)?"
    r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(morning|night|evening|afternoon|overnight))?\b", re.I)
RELATIVE_WORD = re.compile(r"\b(yesterday|today|tonight|this morning|this evening|this afternoon|overnight|"
                           r"last night|last week|earlier this week|this week|last month|earlier this month|"
                           r"over the weekend|last weekend|the day before)\b", re.I)


def _ev(article_id: str, text: str, s: int, e: int, spans: list[tuple[int, int]]) -> Evidence:
    ss, se = next(((a, b) for a, b in spans if a <= s < b), (s, e))
    return Evidence(article_id=article_id, kind="date", start=s, end=e, text=text[s:e], sentence_start=ss,
                    sentence_end=se, sentence=text[ss:se])


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def names_earlier_year(sentence: str, published: dt.date | None) -> bool:
    """Does the sentence name a year before publication ("the 2019 raid")? Then it is about an earlier event."""
    if published is None:
        return False
    return any(int(y) < published.year for y in _YEAR.findall(sentence))


def find_dates(text: str, spans: list[tuple[int, int]], published: dt.date | None,
               article_id: str = "-") -> list[DateInfo]:
    """Every date expression that can be the event's date, in text order (background ones left out)."""
    out: list[tuple[int, DateInfo]] = []
    for rx_i, rx in enumerate(EXPLICIT):
        for m in rx.finditer(text):
            try:
                if rx_i == 0:
                    mon, day, year = MONTHS[m.group(1).lower().rstrip(".")], int(m.group(2)), m.group(3)
                elif rx_i == 1:
                    day, mon, year = int(m.group(1)), MONTHS[m.group(2).lower().rstrip(".")], m.group(3)
                else:
                    year, mon, day = m.group(1), int(m.group(2)), int(m.group(3))
                y = int(year) if year else (published.year if published else None)
                if y is None:
                    continue
                d = dt.date(y, mon, day)
                if not year and published and d > published:
                    d = dt.date(y - 1, mon, day)
            except (ValueError, KeyError):
                continue
            if published and not (published - dt.timedelta(days=31) <= d <= published + dt.timedelta(days=1)):
                continue  # a date in the past: background (e.g. a photo caption, an earlier attack)
            how = f'explicit date "{m.group(0)}"'
            out.append((m.start(), DateInfo(date=d, start=d, end=d, precision=1, how=how,
                                            evidence=_ev(article_id, text, m.start(), m.end(), spans))))
    if published is not None:
        for m in RELATIVE_DAY.finditer(text):
            ss, se = next(((a, b) for a, b in spans if a <= m.start() < b), (0, len(text)))
            if names_earlier_year(text[ss:se], published):
                continue
            wd = WEEKDAYS.index(m.group(1).lower())
            back = (published.weekday() - wd) % 7
            if m.group(0).lower().startswith("last "):
                back = back or 7
            d = published - dt.timedelta(days=back)
            start = d
            ctx = text[max(ss, m.start() - 80): m.end() + 10].lower()
            if re.search(r"early hours|midnight|overnight", ctx):
                start = d - dt.timedelta(days=1)  # a night event that began the evening before
            how = f'"{m.group(0).strip()}" resolved against publication date {published.isoformat()} ' \
                  f'({WEEKDAYS[published.weekday()].title()})'
            out.append((m.start(), DateInfo(date=d, start=start, end=d, precision=1, how=how,
                                            evidence=_ev(article_id, text, m.start(), m.end(), spans))))
        for m in RELATIVE_WORD.finditer(text):
            ss, se = next(((a, b) for a, b in spans if a <= m.start() < b), (0, len(text)))
            if names_earlier_year(text[ss:se], published):
                continue
            w = m.group(1).lower()
            how = f'"{m.group(1)}" resolved against publication date {published.isoformat()}'
            if w in ("yesterday", "last night", "the day before"):
                d = published - dt.timedelta(days=1)
                info = DateInfo(d, d, d if w != "last night" else published, 1, how)
            elif w in ("today", "tonight", "this morning", "this evening", "this afternoon", "overnight"):
                info = DateInfo(published, published - dt.timedelta(days=1) if w == "overnight" else published,
                                published, 1, how)
            elif w in ("last week",):
                s = published - dt.timedelta(days=published.weekday() + 7)
                info = DateInfo(s + dt.timedelta(days=3), s, s + dt.timedelta(days=6), 2, how)
            elif w in ("this week", "earlier this week"):
                s = published - dt.timedelta(days=published.weekday())
                info = DateInfo(s, s, published, 2, how)
            elif w in ("over the weekend", "last weekend"):
                back = (published.weekday() - 5) % 7 or 7
                s = published - dt.timedelta(days=back)
                info = DateInfo(s, s, s + dt.timedelta(days=1), 2, how)
            elif w in ("last month",):
                first = published.replace(day=1) - dt.timedelta(days=1)
                info = DateInfo(first.replace(day=15), first.replace(day=1), first, 3, how)
            else:  # earlier this month
                info = DateInfo(published.replace(day=1), published.replace(day=1), published, 3, how)
            info.evidence = _ev(article_id, text, m.start(), m.end(), spans)
            out.append((m.start(), info))
    out.sort(key=lambda x: x[0])
    return [d for _, d in out]


def resolve_date(text: str, spans: list[tuple[int, int]], published: dt.date | None, article_id: str = "-",
                 event_sentences: set[int] | None = None) -> DateInfo | None:
    """The event's date: the first day-precise date in an event sentence, else the first date found,
    else the publication date (precision 2: "reported by" that day)."""
    found = find_dates(text, spans, published, article_id)
    if event_sentences:
        in_event = [d for d in found if d.evidence and d.evidence.sentence_start in event_sentences]
        found = in_event + [d for d in found if d not in in_event]
    precise = [d for d in found if d.precision == 1]
    if precise:
        return precise[0]
    if found:
        return found[0]
    if published is not None:
        return DateInfo(date=published, start=published - dt.timedelta(days=6), end=published, precision=2,
                        how=f"no date in the text; within the week before publication {published.isoformat()}")
    return None
