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
5. whitespace at line ends is dropped; a run of four or more spaces/tabs (any Unicode space) within a
   line becomes one space, and five or more line breaks become four (three blank lines); leading
   and trailing blank space of the whole text is dropped. Ordinary spacing (a double space after
   a full stop, an indented line) is kept. Long whitespace runs carry no meaning in a news report,
   and they made regular expressions of the form ``\\s*X`` take quadratic time (10,000 spaces:
   minutes), so no downstream stage ever sees one.
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
_SPACE_RUN = re.compile(r"[^\S\n]{4,}")
_BLANK_LINES = re.compile(r"\n{5,}")


def normalize_text(text: str) -> str:
    """Return the normalised form of ``text`` (see the module docstring); idempotent."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _REMOVE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))  # (a regex with a lookahead is quadratic here)
    text = _SPACE_RUN.sub(" ", text)
    text = _BLANK_LINES.sub("\n\n\n\n", text)
    return text.strip()
