"""Recogniser unit tests on a tiny hand-made key list (no gazetteer needed)."""

from __future__ import annotations

from gazetteer.normalize import name_key
from geo.geoparse.recognize import Recognizer, tokenize

NAMES = ["New York", "York", "Persian Gulf", "U.S.", "W.Va.", "Alexandria", "Rapides Parish", "Washington",
         "St. Louis", "Idlib", "Syria", "Gulf of Mexico", "Middle East"]
KEYS = [name_key(n) for n in NAMES]  # the gazetteer's own normalisation


def _rec() -> Recognizer:
    return Recognizer(KEYS, name_key)


def _spans(text: str) -> list[str]:
    toks = tokenize(text)
    return [text[s.start : s.end] for s in _rec().spans(text, toks)]


def test_longest_match_wins_and_offsets_are_exact() -> None:
    text = "Flights from New York and York landed; the Persian Gulf was calm."
    toks = tokenize(text)
    spans = _rec().spans(text, toks)
    assert [s.text for s in spans] == ["New York", "York", "Persian Gulf"]
    for s in spans:
        assert text[s.start : s.end] == s.text


def test_abbreviations_and_possessives() -> None:
    text = "The U.S. Navy said Syria’s Idlib province and Charleston, W.Va. were named."
    assert _spans(text) == ["U.S.", "Syria", "Idlib", "W.Va."]


def test_token_boundaries_only() -> None:
    # "york" inside "Yorkshire" or "syria" inside "Syrian" never match part of a word
    assert _spans("Yorkshire and Syrian forces") == []


def test_lower_case_and_cross_sentence_matches_are_rejected() -> None:
    assert _spans("the new york style; in washington") == []
    assert _spans("He went to New. York was closed.") == ["York"]


def test_particles_inside_names_and_hyphen_modifiers() -> None:
    text = "Storms in the Gulf of Mexico hit a Washington-based firm and St. Louis."
    assert _spans(text) == ["Gulf of Mexico", "Washington", "St. Louis"]


def test_sentence_starts() -> None:
    toks = tokenize("Alexandria woman charged.\nRapides Parish deputies said. Then York")
    starts = [t.text for t in toks if t.sent_start]
    assert starts == ["Alexandria", "Rapides", "Then"]
    assert tokenize("Mr. Kirby spoke")[2].sent_start is False
