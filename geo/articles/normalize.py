"""Text normalisation: the one place where article text is cleaned, so every offset refers to the result.

Rules, applied in this order (the result is a fixed point: normalising twice changes nothing):

1. line breaks: CRLF, CR, NEL (U+0085), LINE/PARAGRAPH SEPARATOR (U+2028/9), vertical tab and
   form feed become ``\\n``;
2. removed: byte-order marks and zero-width characters (U+200B ZWSP, U+200C ZWNJ, U+200D ZWJ,
   U+2060 WORD JOINER, U+FEFF), bidi *embedding/override/isolate* controls (U+202A–U+202E,
   U+2066–U+2069: they can reorder the displayed text deceptively and leak past their span),
   soft hyphens (U+00AD), lone surrogates, the non-characters U+FFFE/U+FFFF, and every other
   control character except ``\\n`` and ``\\t``;
3. kept: the bidi *marks* U+200E LRM, U+200F RLM and U+061C ALM — they are invisible, cannot leak,
   and mixed Arabic/Latin text needs them to display in the right order;
4. Unicode NFC (after the removals, so that a removed character between a letter and its
   combining accent cannot leave a decomposed pair behind);
5. trailing spaces and tabs at line ends are dropped, and leading/trailing blank space of the whole text.
"""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_REMOVE = re.compile(
    "["
    "\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f"  # C0/C1 controls except \t \n (and the breaks above)
    "\u00ad"  # soft hyphen
    "\u200b-\u200d\u2060\ufeff"  # zero-width characters and BOM
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides, isolates
    "\ud800-\udfff"  # lone surrogates (possible from JSON "\\ud800")
    "\ufffe\uffff"
    "]+"
)
_TRAILING = re.compile(r"[ \t]+(?=\n)")


def normalize_text(text: str) -> str:
    """Return the normalised form of ``text`` (see the module docstring); idempotent."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _REMOVE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING.sub("", text)
    return text.strip()
