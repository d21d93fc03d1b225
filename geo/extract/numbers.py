"""Number phrases in English news text: digits, number words, vague quantities and qualifiers.

Conventions (documented in docs/extraction.md):

* exact "13" → low = best = high = 13;
* "at least 13" / "13 … at least" → low = best = 13, high = None (open upper bound);
* "more than / over 13" → low = best = 13, high = None (the stated, most conservative figure);
* "up to / as many as 13" → low = None, best = high = 13;
* "about / around / some / approximately 13" → best = 13, low = high = None;
* "nearly / almost 13" → best = high = 13, low = None;
* "12 to 15", "12-15", "between 12 and 15" → low = best = 12, high = 15 (ACLED: the most
  conservative figure is the estimate);
* vague words follow ACLED's coding rules: "tens" → 10, "dozens" → 12, "scores" → 20, "hundreds" → 100,
  "thousands" → 1000 (ACLED fatalities FAQ), "several"/"a few" → 3 and "many"/"numerous" → 10
  (ACLED notes such as "Several … militants (coded as three)"); they are flagged ``vague``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# vague quantity words → (ACLED default, plural lower bound)
VAGUE = {
    "several": 3, "few": 3, "many": 10, "numerous": 10, "tens": 10, "dozens": 12, "scores": 20,
    "hundreds": 100, "thousands": 1000,
}
PAIR = {"both": 2, "couple": 2, "pair": 2, "dozen": 12}

_PRE_QUAL = [
    (("at", "least"), "at least"), (("no", "fewer", "than"), "at least"), (("no", "less", "than"), "at least"),
    (("a", "minimum", "of"), "at least"),
    (("more", "than"), "more than"), (("over",), "more than"), (("upwards", "of"), "more than"),
    (("in", "excess", "of"), "more than"),
    (("up", "to"), "up to"), (("as", "many", "as"), "up to"), (("fewer", "than"), "fewer than"),
    (("less", "than"), "fewer than"), (("under",), "fewer than"),
    (("about",), "about"), (("around",), "about"), (("approximately",), "about"), (("roughly",), "about"),
    (("some",), "about"), (("an", "estimated"), "about"), (("estimated",), "about"), (("approx",), "about"),
    (("nearly",), "nearly"), (("almost",), "nearly"), (("close", "to"), "nearly"),
]


@dataclass
class Num:
    """A parsed number phrase over tokens ``[i, j)``."""

    i: int
    j: int
    low: int | None
    best: int
    high: int | None
    qualifier: str | None = None  # "at least", "more than", "range", "vague", …
    vague: bool = False


def word_value(word: str) -> int | None:
    """Value of a single number word or digit string ("13", "1,500", "thirteen", "twenty-five")."""
    w = word.lower()
    if re.fullmatch(r"\d{1,3}(,\d{3})+|\d+", w):
        return int(w.replace(",", ""))
    if w in UNITS:
        return UNITS[w]
    if w in TENS:
        return TENS[w]
    m = re.fullmatch(r"([a-z]+)[-‐–]([a-z]+)", w)
    if m and m.group(1) in TENS and m.group(2) in UNITS and 0 < UNITS[m.group(2)] < 10:
        return TENS[m.group(1)] + UNITS[m.group(2)]
    return None


def _cardinal(words: list[str], i: int) -> tuple[int, int] | None:
    """Parse a cardinal at ``i`` ("one hundred and twenty", "2,000", "a hundred"); returns (value, j)."""
    n = len(words)
    if i >= n:
        return None
    w = words[i].lower()
    total, current, j = 0, None, i
    if w in ("a", "one") and i + 1 < n and words[i + 1].lower() in SCALES:
        current, j = 1, i + 1
    else:
        v = word_value(w)
        if v is None:
            return None
        if re.fullmatch(r"\d{4}", w) and 1900 <= v <= 2100:
            return None  # a year, not a count
        current, j = v, i + 1
        if w[0].isdigit():
            if j < n and words[j].lower() in ("million", "thousand") :
                return v * SCALES[words[j].lower()], j + 1
            return v, j
    while j < n:
        wj = words[j].lower()
        if wj in SCALES:
            current = (current or 1) * SCALES[wj]
            if SCALES[wj] >= 1000:
                total += current
                current = 0
            j += 1
            continue
        if wj == "and" and j + 1 < n and word_value(words[j + 1]) is not None and not words[j + 1][0].isdigit() \
                and j > i and words[j - 1].lower() in SCALES:
            j += 1
            continue
        v = word_value(wj)
        if v is not None and not wj[0].isdigit() and current == 0 and total > 0 and v < 1000 and (
            words[j - 1].lower() in SCALES or words[j - 1].lower() == "and"
        ):
            current = v  # "two thousand five hundred": a new group after a thousand/million
            j += 1
            continue
        if v is not None and not wj[0].isdigit() and current is not None and (
            (current % 100 == 0 and current > 0 and v < 100) or (current % 10 == 0 and current >= 20 and v < 10)
        ) and j > i and (words[j - 1].lower() in SCALES or words[j - 1].lower() == "and" or words[j - 1].lower() in TENS):
            current += v
            j += 1
            continue
        break
    return total + (current or 0), j


#: a number phrase ("between one hundred and twenty and one hundred and fifty") never spans more tokens
_MAX_PHRASE = 16


def parse_number(words: list[str], i: int) -> Num | None:
    """Parse a (qualified) number phrase beginning at token ``i``; ``None`` if there is none.

    Only a bounded window of tokens is read, so scanning a long sentence stays linear.
    """
    num = _parse_number(words[i : i + _MAX_PHRASE], 0)
    if num is None:
        return None
    num.i += i
    num.j += i
    return num


def _parse_number(words: list[str], i: int) -> Num | None:
    n = len(words)
    low_words = [w.lower() for w in words]
    qual = None
    j = i
    for seq, q in _PRE_QUAL:
        if tuple(low_words[i : i + len(seq)]) == seq:
            if i + len(seq) < n and (_cardinal(words, i + len(seq)) or low_words[i + len(seq)] in VAGUE
                                     or low_words[i + len(seq)] in ("a", "an")):
                qual, j = q, i + len(seq)
                break
    if j >= n:
        return None
    w = low_words[j]
    # "between 12 and 15"
    if w == "between":
        a = _cardinal(words, j + 1)
        if a and a[1] + 1 < n and low_words[a[1]] == "and":
            b = _cardinal(words, a[1] + 1)
            if b and b[0] >= a[0]:
                return Num(i, b[1], a[0], a[0], b[0], "range")
        return None
    # vague words
    if w in VAGUE or (w == "a" and j + 1 < n and low_words[j + 1] == "few"):
        k = j + 2 if w == "a" else j + 1
        val = VAGUE["few" if w == "a" else w]
        if w in ("dozens", "scores", "hundreds", "thousands", "tens") and k < n and low_words[k] == "of":
            k += 1
        return Num(i, k, val if w in ("dozens", "hundreds", "thousands", "tens", "scores") else 2, val, None,
                   "vague", True)
    if w in ("a", "an") and j + 1 < n and low_words[j + 1] in PAIR:
        k = j + 2
        if k < n and low_words[k] == "of":
            k += 1
        val = PAIR[low_words[j + 1]]
        return _qualify(Num(i, k, val, val, val), qual)
    if w in ("both",):
        return Num(i, j + 1, 2, 2, 2)
    if w in ("a", "an") and qual:
        return _qualify(Num(i, j + 1, 1, 1, 1), qual)
    c = _cardinal(words, j)
    if not c:
        return None
    val, k = c
    # ranges "12 to 15", "12-15", "12 or 13"
    if k + 1 < n and low_words[k] in ("to", "or", "-", "–"):
        d = _cardinal(words, k + 1)
        if d and d[0] > val and d[0] < val * 10 + 10:
            return Num(i, d[1], val, val, d[0], "range")
    m = re.fullmatch(r"(\d+)[-–](\d+)", low_words[j]) if j < n else None
    if m:
        return Num(i, j + 1, int(m.group(1)), int(m.group(1)), int(m.group(2)), "range")
    # post-qualifier "13 people at least" is handled by the caller (it spans the noun)
    return _qualify(Num(i, k, val, val, val), qual)


def _qualify(num: Num, qual: str | None) -> Num:
    v = num.best
    if qual == "at least":
        num.low, num.best, num.high = v, v, None
    elif qual == "more than":
        # the stated number is the conservative figure (ACLED: "the most conservative estimate available";
        # RAND codes "more than 40" as 40); the qualifier keeps that the toll is open-ended
        num.low, num.best, num.high = v, v, None
    elif qual == "up to":
        num.low, num.best, num.high = None, v, v
    elif qual == "fewer than":
        num.low, num.best, num.high = None, max(v - 1, 0), max(v - 1, 0)
    elif qual == "about":
        num.low, num.best, num.high = None, v, None
    elif qual == "nearly":
        num.low, num.best, num.high = None, v, v
    num.qualifier = qual
    return num
