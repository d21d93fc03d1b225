"""Place-name normalisation, shared by the index build and by every query.

Two keys per name:

* :func:`name_key` — the *exact* key: Latin letters folded to ASCII (``Aţmah`` →
  ``atmah``), case folded, quote/ayn/hamza marks and dots dropped, other
  punctuation and hyphens turned into single spaces; Arabic script normalised
  (alef forms → ا, ة → ه, ى → ي, tashkeel and tatweel removed); other scripts
  (Cyrillic, Hebrew, CJK, …) kept as written (NFC, case folded).
* :func:`loose` — articles dropped and the alternations below unified, vowels kept
  (``al-Hol`` and ``Al Hawl`` → ``hol``).
* :func:`skeleton` — the *variant* key, a consonant skeleton that makes common
  English transliterations of the same name meet: Arabic definite articles dropped
  (``al-``, ``el-``, ``ad-``, ``ash-``, …), digraphs unified (``kh``/``gh``/``sh``/
  ``th``/``dh``/``ph``, ``q``→``k``, ``ou``/``oo``→``u``, ``ee``→``i``), a final
  ``-h`` after a vowel dropped (``-eh``/``-ah``), doubled letters collapsed, an
  initial vowel made ``a`` and the other vowels dropped. ``Atme``, ``Atmeh``, ``Atma``, ``Aţmah``
  and ``Atimah`` all give ``atm``.

:func:`variant_keys` returns all three (the exact key first).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

#: bump when the rules change: the index is rebuilt when it differs.
NORMALIZE_VERSION = 6

# quote, ayn and hamza marks, and dots: removed without leaving a space ("Ma`arrat" → "maarrat", "U.S." → "us")
_MARKS = "'`´‘’‛′ʹʻʼʽʾʿˈˊˋ˗ʺ\"“”„‟.·"
_MARKS_RE = re.compile("[" + re.escape(_MARKS) + "]")
# anything else that is not a letter or digit separates words
_SEP_RE = re.compile(r"[\W_]+", re.UNICODE)
# characters of scripts that must not be transliterated (everything beyond Latin, IPA and Latin Extended Additional)
_NON_LATIN_RE = re.compile(
    r"[\u0370-\u1dbf\u2c00-\u2dff\u2e80-\ua6ff\ua800-\uab2f\uac00-\ufb4f\ufb50-\ufdff\ufe70-\ufeff]"
)
_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")

# Arabic-script normalisation
_AR_TASHKEEL_RE = re.compile(
    r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
)  # harakat, Quranic marks, tatweel
_AR_TABLE = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ة": "ه",
        "ۀ": "ه",
        "ە": "ه",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ۍ": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ک": "ك",
        "ڪ": "ك",
        "ء": "",
    }
)

#: Arabic definite-article forms as they appear in Latin transliterations (separate words after folding).
ARTICLES = frozenset(
    {"al", "el", "il", "ul", "aal", "ad", "ed", "adh", "edh", "ag", "ar", "er", "as", "es", "ash", "esh"}
    | {"at", "et", "ath", "eth", "az", "ez", "an", "en"}
)

_DIGRAPHS = (
    ("sch", "$"),
    ("sh", "$"),
    ("ch", "$"),
    ("kh", "x"),
    ("gh", "g"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("zh", "j"),
    ("dj", "j"),
    ("ck", "k"),
    ("qu", "k"),
    ("q", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ie", "i"),
    ("c", "k"),
)
# diphthongs before a consonant or the end: "Dayr"/"Deir", "Zawr"/"Zor"
_DIPHTHONG_RE = ((re.compile(r"[ae]w(?![aeiouy])"), "o"), (re.compile(r"(?:ay|ey|ei)(?![aeiouy])"), "e"))
_DOUBLE_RE = re.compile(r"(.)\1+")
_VOWELS = frozenset("aeiouy")


_LATIN_RUN_RE = re.compile(_NON_LATIN_RE.pattern.replace("[", "[^", 1) + "+")


def _fold_latin(text: str) -> str:
    """Fold Latin letters to ASCII while keeping other scripts (Arabic, Cyrillic, …) intact."""
    if not _NON_LATIN_RE.search(text):
        return anyascii(text)
    return _LATIN_RUN_RE.sub(lambda m: anyascii(m.group()), text)


def normalize_arabic(text: str) -> str:
    """Arabic-script normalisation: alef forms, taa marbuta → haa, alef maqsura → yaa, no tashkeel/tatweel."""
    return _AR_TASHKEEL_RE.sub("", text).translate(_AR_TABLE)


# ASCII fast path: one translate() call lowers, drops marks, and turns other punctuation into spaces
_ASCII_TABLE = {c: " " for c in range(128) if not chr(c).isalnum()}
_ASCII_TABLE.update({ord(c): chr(ord(c) + 32) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
_ASCII_TABLE.update({ord(c): None for c in _MARKS if ord(c) < 128})


def name_key(name: str) -> str:
    """The exact lookup key of a place name (see the module docstring)."""
    if name.isascii():  # fast path; the same key as the general rules below (tested)
        return " ".join(name.translate(_ASCII_TABLE).split())
    return _name_key_general(name)


def _name_key_general(name: str) -> str:
    """:func:`name_key` by the general rules, for any script."""
    s = unicodedata.normalize("NFKC", name)
    s = _MARKS_RE.sub("", s)
    if _ARABIC_RE.search(s):
        s = normalize_arabic(s)
    s = _fold_latin(s)
    if s.isascii():
        return " ".join(s.translate(_ASCII_TABLE).split())
    # other scripts (Cyrillic, Greek, Hebrew, CJK, …) are kept as written: NFC, case folded
    s = unicodedata.normalize("NFC", _MARKS_RE.sub("", s)).casefold()
    return " ".join(_SEP_RE.sub(" ", s).split())


_DIGRAPH_MAP = dict(_DIGRAPHS)
_DIGRAPH_RE = re.compile("|".join(re.escape(a) for a, _ in sorted(_DIGRAPHS, key=lambda t: -len(t[0]))))
_VOWEL_DEL = str.maketrans("", "", "aeiouy")


@lru_cache(maxsize=262144)
def _loose_word(w: str) -> str:
    """A word with its transliteration alternations unified but its vowels kept (see :func:`loose`)."""
    if not w.isalpha():
        return w
    w = _DIGRAPH_RE.sub(lambda m: _DIGRAPH_MAP[m.group()], w)
    if "w" in w or "y" in w or "ei" in w:
        for rx, rep in _DIPHTHONG_RE:
            w = rx.sub(rep, w)
        w = w.replace("w", "v")
    if len(w) > 2 and w[-1] == "h" and w[-2] in _VOWELS:
        w = w[:-1]
    w = _DOUBLE_RE.sub(r"\1", w)
    if w[0] in "aeiou":  # an initial vowel is one class: "Ain"/"Ayn"/"Ein", "Idlib"/"Edleb"
        w = "a" + w[1:]
    return w


def _skeleton_word(w: str) -> str:
    w = _loose_word(w)
    return w[0] + w[1:].translate(_VOWEL_DEL) if w.isalpha() else w


def loose(key: str) -> str:
    """The loose key: articles dropped and transliteration alternations unified, vowels kept
    (``al-Hol`` and ``Al Hawl`` → ``hol``). Tighter than the skeleton; used to find and rank variants."""
    words = _strip_articles(key.split())
    return " ".join(_loose_word(w) if w.isascii() else w for w in words)


def variant_forms(key: str) -> tuple[str, str]:
    """``(loose, skeleton)`` of an exact key in one pass (both empty for keys shorter than 4)."""
    if len(key) < 4 or not key.strip():
        return "", ""
    words = _strip_articles(key.split())
    if key.isascii():  # the common case, word by word from a memo; the same as _variant_forms_general (tested)
        get = _WORD_FORMS.get
        if len(words) == 1:
            return get(words[0]) or _word_forms(words[0])
        pairs = [get(w) or _word_forms(w) for w in words]
        return " ".join([p[0] for p in pairs]), " ".join([p[1] for p in pairs])
    los: list[str] = []
    sks: list[str] = []
    for w in words:
        if w.isascii():
            lw, sw = _word_forms(w)
        else:  # other scripts: kept; Arabic script drops a final haa (taa marbuta already mapped to it)
            lw, sw = w, (w[:-1] if len(w) > 2 and w.endswith("ه") else w)
        los.append(lw)
        sks.append(sw)
    return " ".join(los), " ".join(sks)


def _variant_forms_general(key: str) -> tuple[str, str]:
    """:func:`variant_forms` from :func:`loose` and :func:`skeleton`, without the word memo."""
    if len(key) < 4 or not key.strip():
        return "", ""
    lo = loose(key)
    if lo.isascii():
        return lo, " ".join(w[0] + w[1:].translate(_VOWEL_DEL) if w.isalpha() else w for w in lo.split())
    return lo, skeleton(key)


_WORD_FORMS: dict[str, tuple[str, str]] = {}
_WORD_FORMS_MAX = 500_000  # bounded memo of ASCII words: names repeat their words heavily


def _word_forms(w: str) -> tuple[str, str]:
    """``(loose, skeleton)`` of one ASCII word of a key (memoised)."""
    got = _WORD_FORMS.get(w)
    if got is None:
        lw = _loose_word.__wrapped__(w)  # not through its lru_cache: this memo holds the result
        got = (lw, lw[0] + lw[1:].translate(_VOWEL_DEL) if lw.isalpha() else lw)
        if len(_WORD_FORMS) >= _WORD_FORMS_MAX:
            _WORD_FORMS.clear()
        _WORD_FORMS[w] = got
    return got


_GLUED_ARTICLE_RE = re.compile(r"^[ae]([dnrstz])\1(?=[a-z]{2})")


def _strip_articles(words: list[str]) -> list[str]:
    if len(words) == 1 and words[0].isascii():
        return words  # a lone word is never dropped, and glued articles only follow another word
    kept = [w for w in words if w not in ARTICLES]
    # an assimilated article glued to a later word: "Deir Ezzor" → "deir zor", "Ras Ennaqoura" → "ras naqoura"
    # (the regex needs at least 5 characters starting with a/e and a doubled consonant: checked first, cheaply)
    kept = kept[:1] + [
        _GLUED_ARTICLE_RE.sub(r"\1", w) if len(w) > 4 and w[1] == w[2] and w[0] in "ae" else w
        for w in kept[1:]
    ]
    # also the attached Arabic article "ال" and Latin "al" glued to a word ("Alhol" is left alone: too ambiguous)
    kept = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in kept]
    return kept or words


def skeleton(key: str) -> str:
    """The variant (transliteration-insensitive) key of an exact key made by :func:`name_key`."""
    words = key.split()
    if not words or len(key) < 4:
        return ""
    words = _strip_articles(words)
    if key.isascii():
        return " ".join([_skeleton_word(w) for w in words])
    out = []
    for w in words:
        if w.isascii():
            out.append(_skeleton_word(w))
        else:
            # Arabic script: drop a final haa (taa marbuta already mapped to it)
            out.append(w[:-1] if len(w) > 2 and w.endswith("ه") else w)
    return " ".join(out)


def variant_keys(name: str) -> list[str]:
    """Keys under which a name is indexed and queried: exact key, loose key, skeleton (duplicates left out)."""
    k = name_key(name)
    out = [k]
    for v in variant_forms(k):
        if v and v not in out:
            out.append(v)
    return out


def is_latin_key(key: str) -> bool:
    """True when a key is plain ASCII (fuzzy matching is restricted to those)."""
    return key.isascii()
