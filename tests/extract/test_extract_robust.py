"""Extraction never crashes on odd text, and every evidence span points into the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.extract import extract_casualties
from geo.extract.actors import find_actors
from geo.extract.claims import find_claims
from geo.extract.sentences import split_sentences

WORDS = ["killed", "wounded", "at", "least", "13", "thirteen", "people", "and", "a", "dozen", "were", "no", "one",
         "was", "hurt", ",", ".", "including", "children", "IS", "is", "Daesh", "km", "from", "Turkey's", "border",
         "2019", "(", ")", "the", "bodies", "of", "several", "more", "than", "shot", "dead", "he", "died", "\n"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_random_word_salad(words: list[str]) -> None:
    text = " ".join(words)
    cas = extract_casualties(text, article_id="h")
    for f in cas.figures:
        ev = f.evidence
        assert 0 <= ev.sentence_start <= ev.start <= ev.end <= ev.sentence_end <= len(text)
        assert text[ev.start:ev.end] == ev.text
        assert f.best is None or f.best >= 0
    for rng in (cas.killed, cas.injured):
        if rng.low is not None and rng.best is not None:
            assert rng.low <= rng.best
        if rng.high is not None and rng.best is not None:
            assert rng.best <= rng.high
    spans = split_sentences(text)
    find_actors(text, spans)
    find_claims(text, spans)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode(text: str) -> None:
    extract_casualties(text)
    spans = split_sentences(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
