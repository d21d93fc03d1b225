"""Source pages ``sources/<article>.html``: the article text, escaped, with every evidence span marked.

Each evidence span becomes ``<mark id="{Evidence.anchor}" class="ev ev-{kind}">``;
the sentences used as evidence are highlighted as ``<span class="sent">``.
Overlapping and nested spans are handled by cutting the text at every span
boundary and wrapping each piece in the spans that cover it (the ``id`` sits on
the first piece of its span), so the markup is always well nested. The pages
are static: inline CSS, no scripts, a Content-Security-Policy that forbids them.
"""

from __future__ import annotations

import html
import itertools
import os
import re
import secrets
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from geo.errors import InputError
from geo.model import Article, Evidence, Incident
from geo.render.safe import safe_url, source_filename

_KIND_CLASS = re.compile(r"[^a-z0-9_-]+")

CSS = """
body { font: 16px/1.55 Georgia, "Times New Roman", serif; max-width: 52em; margin: 1.5em auto; padding: 0 1em; color: #222; }
header p, .meta { font: 14px/1.4 system-ui, sans-serif; color: #555; }
h1 { font-size: 1.4em; line-height: 1.25; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; border-top: 1px solid #ddd; padding-top: 1em; }
.sent { background: #fff7d6; }
mark.ev { background: #ffe08a; color: inherit; border-bottom: 2px solid #e0a800; padding: 0 1px; }
mark.ev mark.ev { background: #ffd04d; }
mark.ev-place { background: #c8e6c9; border-color: #2e7d32; }
mark.ev-killed, mark.ev-injured { background: #ffcdd2; border-color: #c62828; }
mark.ev-date { background: #bbdefb; border-color: #1565c0; }
mark.ev-actor { background: #e1bee7; border-color: #6a1b9a; }
mark.ev-event { background: #ffe0b2; border-color: #ef6c00; }
mark.ev-claim { background: #fff59d; border-color: #f9a825; }
mark.ev:target { outline: 3px solid #d50000; outline-offset: 1px; }
.kind { font: 11px system-ui, sans-serif; color: #555; vertical-align: super; }
table { border-collapse: collapse; font: 14px/1.4 system-ui, sans-serif; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
.legend span, .legend mark { padding: 0 4px; margin-right: 6px; }
.note { color: #8a4b00; font: 13px system-ui, sans-serif; }
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
{body}
</body>
</html>
"""


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str  # evidence kind, or "sentence"
    anchor: str
    label: str


def _class(kind: str) -> str:
    return "ev-" + (_KIND_CLASS.sub("-", kind.lower()) or "other")


def _spans(article: Article, incidents: list[Incident]) -> tuple[list[_Span], list[str]]:
    """Evidence spans and evidence sentences of this article, deduplicated, with problems found."""
    n = len(article.text)
    spans: dict[tuple[int, int, str], _Span] = {}
    problems: list[str] = []
    for inc in incidents:
        evs: list[Evidence] = list(inc.evidence) + list(inc.event_evidence)
        evs += [f.evidence for f in inc.casualties.figures]
        evs += [a.evidence for a in inc.actors if a.evidence] + [c.evidence for c in inc.claims]
        if inc.date and inc.date.evidence:
            evs.append(inc.date.evidence)
        for e in evs:
            if e.article_id != article.id:
                continue
            if not (0 <= e.start < e.end <= n):
                problems.append(f"span {e.kind} {e.start}–{e.end} lies outside the text ({n} characters)")
                continue
            spans.setdefault((e.start, e.end, e.kind), _Span(e.start, e.end, e.kind, e.anchor, e.kind))
            ss, se = max(0, e.sentence_start), min(n, e.sentence_end)
            if 0 <= ss < se and ss <= e.start and e.end <= se:
                spans.setdefault((ss, se, "sentence"), _Span(ss, se, "sentence", f"sent-{ss}-{se}", "sentence"))
    return sorted(spans.values(), key=lambda s: (s.start, -s.end, s.kind != "sentence")), problems


def highlight(text: str, spans: list[_Span]) -> str:
    """Escaped ``text`` with the spans wrapped; well nested however the spans overlap."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    # sentences outermost, then longer spans outside shorter ones
    order = sorted(spans, key=lambda s: (s.kind != "sentence", s.start, -(s.end - s.start)))
    starts: dict[int, list[_Span]] = defaultdict(list)
    for s in order:
        starts[s.start].append(s)
    active: list[_Span] = []
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        active = [s for s in active if s.end > a] + starts.get(a, [])
        active.sort(key=lambda s: (s.kind != "sentence", s.start, -(s.end - s.start)))
        piece = html.escape(text[a:b])
        opens, closes = [], []
        for s in active:
            if s.kind == "sentence":
                attrs = f' id="{html.escape(s.anchor)}"' if s.start == a else ""
                opens.append(f'<span class="sent"{attrs}>')
                closes.append("</span>")
            else:
                attrs = f' id="{html.escape(s.anchor)}"' if s.start == a else ""
                opens.append(f'<mark class="ev {_class(s.kind)}"{attrs} title="{html.escape(s.label)}">')
                closes.append("</mark>")
        out.append("".join(opens) + piece + "".join(reversed(closes)))
    return "".join(out)


def _fmt_range(r) -> str:
    vals = (r.low, r.best, r.high)
    if all(v is None for v in vals):
        return "–"
    if r.low == r.best == r.high:
        return str(r.best)
    return "–".join("?" if v is None else str(v) for v in vals)


def render_source_page(article: Article, incidents: list[Incident], *, map_href: str = "../map.html") -> str:
    """One article's page: metadata, incident table with links to spans, highlighted text."""
    e = html.escape
    spans, problems = _spans(article, incidents)
    title = article.title or article.id
    meta = []
    if article.publisher:
        meta.append(f"Publisher: {e(article.publisher)}")
    if article.published:
        meta.append(f"Published: {e(article.published.isoformat())}")
    url = safe_url(article.url)
    if url:
        meta.append(f'Original: <a href="{e(url)}" rel="noopener noreferrer">{e(url)}</a>')
    elif article.url:
        meta.append(f"Original (not a web link): {e(article.url)}")
    meta.append(f"Article id: <code>{e(article.id)}</code>")
    body = [
        f'<p class="meta"><a href="{e(map_href)}">← back to the map</a></p>',
        f"<header><h1>{e(title)}</h1><p>{' · '.join(meta)}</p></header>",
    ]
    rows = []
    for inc in incidents:
        d = inc.date.date.isoformat() if inc.date and inc.date.date else "?"
        b = inc.border
        border = (f"{b.distance_km:.2f} km to {e(b.neighbour or '?')} (±{b.uncertainty_km:.2f} km, {e(b.dataset)})"
                  if b else "–")
        links = []
        mine = sorted(
            {(x.start, x.end, x.kind): x for x in _all_evidence(inc) if x.article_id == article.id
             and 0 <= x.start < x.end <= len(article.text)}.values(),
            key=lambda x: x.start,
        )
        for x in mine:
            links.append(f'<a href="#{e(x.anchor)}">{e(x.kind)}: “{e(_short(x.text))}”</a>')
        where = ", ".join(v for v in (inc.place.name, inc.place.admin1, inc.place.country) if v)
        rows.append(
            "<tr>"
            f'<td><a href="{e(map_href)}#incident={e(_frag(inc.id))}">{e(inc.id)}</a></td>'
            f"<td>{e(where)}</td><td>{e(d)}</td>"
            f"<td>{e(' — '.join(v for v in (inc.event_type, inc.sub_event_type) if v) or '–')}</td>"
            f"<td>{e(_fmt_range(inc.casualties.killed))}</td><td>{border}</td>"
            f"<td>{'<br>'.join(links) or '–'}</td></tr>"
        )
    body.append(f"<h2>Incidents reported in this article ({len(incidents)})</h2>")
    if rows:
        body.append(
            "<table><thead><tr><th>incident</th><th>place</th><th>date</th><th>event</th>"
            "<th>killed (low–best–high)</th><th>border</th><th>evidence in this text</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>"
        )
    else:
        body.append("<p>No incident was located from this article.</p>")
    kinds = sorted({s.kind for s in spans if s.kind != "sentence"})
    if kinds:
        body.append(
            '<p class="legend meta">Highlighted: <span class="sent">sentence used as evidence</span>'
            + "".join(f'<mark class="ev {_class(k)}">{e(k)}</mark>' for k in kinds) + "</p>"
        )
    for p in problems:
        body.append(f'<p class="note">Not highlighted: {e(p)}</p>')
    body.append(f'<div class="text">{highlight(article.text, spans)}</div>')
    return PAGE.format(title=e(title), css=CSS, body="\n".join(body))


def _all_evidence(inc: Incident) -> list[Evidence]:
    evs = list(inc.evidence) + list(inc.event_evidence) + [f.evidence for f in inc.casualties.figures]
    evs += [a.evidence for a in inc.actors if a.evidence] + [c.evidence for c in inc.claims]
    if inc.date and inc.date.evidence:
        evs.append(inc.date.evidence)
    return evs


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _frag(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def incidents_by_article(incidents: list[Incident]) -> dict[str, list[Incident]]:
    """Article id → the incidents that cite it (as a source or through evidence)."""
    out: dict[str, list[Incident]] = defaultdict(list)
    for inc in incidents:
        ids = dict.fromkeys([s.article_id for s in inc.sources] + [x.article_id for x in inc.evidence])
        for aid in ids:
            out[aid].append(inc)
    return out


def write_source_pages(
    incidents: list[Incident], articles: dict[str, Article], out_dir: Path, *, map_href: str = "../map.html"
) -> list[Path]:
    """Write one page per article; returns the paths written.

    The pages are written into a fresh sibling folder which then replaces ``out_dir`` as a
    whole (two renames), so readers never see a half-written page or a mix of two runs.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    by_article = incidents_by_article(incidents)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    names = []
    try:
        for aid, article in articles.items():
            name = source_filename(aid)
            with open(tmp / name, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(render_source_page(article, by_article.get(aid, []), map_href=map_href))
            names.append(name)
        os.chmod(tmp, 0o755)
        old = None
        if out_dir.exists():
            _check_replaceable(out_dir)
            old = out_dir.with_name(f".{out_dir.name}-old-{secrets.token_hex(4)}")
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return [out_dir / n for n in names]


def _check_replaceable(folder: Path) -> None:
    """Refuse to replace a ``sources/`` folder holding anything but pages this tool writes."""
    if not folder.is_dir():
        raise InputError(f"{folder} exists and is not a folder; choose another --out folder")
    foreign = sorted(p.name for p in folder.iterdir() if not (p.is_file() and p.suffix == ".html"))
    if foreign:
        shown = ", ".join(foreign[:3]) + (" …" if len(foreign) > 3 else "")
        raise InputError(
            f"refusing to replace {folder}: it holds files conflictmap did not write ({shown}); "
            "choose another --out folder or move them away"
        )
