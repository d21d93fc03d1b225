"""Sentence spans and number phrases."""

from __future__ import annotations

import pytest

from geo.extract.numbers import parse_number
from geo.extract.sentences import split_sentences


def _sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_abbreviations_and_initials_do_not_split() -> None:
    text = ("The U.S. Navy jet landed on Nov. 21, 2016. Gen. Smith said the U.S.-led coalition struck.\n"
            "A headline without a full stop\nDr. Jones left.")
    assert _sents(text) == ["The U.S. Navy jet landed on Nov. 21, 2016.",
                            "Gen. Smith said the U.S.-led coalition struck.",
                            "A headline without a full stop", "Dr. Jones left."]


def test_spans_are_offsets_into_the_text() -> None:
    text = "  First one.  Second “quoted.” Third!\n\nFourth?"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second “quoted.”", "Third!", "Fourth?"]
    assert all(text[s] != " " and text[e - 1] != " " for s, e in spans)


def test_missing_space_after_full_stop_splits() -> None:
    assert _sents("They were killed in 2003.Three days later bodies were found.") == [
        "They were killed in 2003.", "Three days later bodies were found."]


@pytest.mark.parametrize("words,expected", [
    ("thirteen", (13, 13, 13, None)),
    ("twenty-five", (25, 25, 25, None)),
    ("one hundred and twenty", (120, 120, 120, None)),
    ("2,500", (2500, 2500, 2500, None)),
    ("at least 12", (12, 12, None, "at least")),
    ("more than 20", (20, 20, None, "more than")),
    ("up to 15", (None, 15, 15, "up to")),
    ("about 30", (None, 30, None, "about")),
    ("12 to 15", (12, 12, 15, "range")),
    ("between 3 and 5", (3, 3, 5, "range")),
    ("a dozen", (12, 12, 12, None)),
    ("dozens of", (12, 12, None, "vague")),
    ("hundreds of", (100, 100, None, "vague")),
    ("several", (2, 3, None, "vague")),
    ("many", (2, 10, None, "vague")),
    ("a few", (2, 3, None, "vague")),
])
def test_number_phrases(words: str, expected: tuple) -> None:
    n = parse_number(words.split(), 0)
    assert n is not None and (n.low, n.best, n.high, n.qualifier) == expected


@pytest.mark.parametrize("words", ["2019 raid", "is", "IS", "the", "killed"])
def test_not_numbers(words: str) -> None:
    assert parse_number(words.split(), 0) is None
