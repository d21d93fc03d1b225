"""Bytes → str for article files: byte-order marks, UTF-8, then an explicit legacy fallback.

Order: a BOM (UTF-32, UTF-8, UTF-16) decides; otherwise strict UTF-8; otherwise, when the bytes
are mostly valid UTF-8 (at least twice as many valid non-ASCII characters as invalid sequences),
UTF-8 with the corrupt bytes replaced by U+FFFD; otherwise (for HTML) a
``<meta charset>`` declaration; otherwise the bytes are tried as the two legacy code pages that
news text actually arrives in — cp1252 (Western European, "smart quotes") and cp1256 (Arabic) —
and ``charset-normalizer`` picks the one that reads as coherent text. The fallback used is logged
as a warning on the ``geo.articles`` logger. Binary data (image/archive signatures, NUL bytes,
many control characters) is refused with a clear message rather than decoded into garbage.
"""

from __future__ import annotations

import codecs
import logging
import re

log = logging.getLogger("geo.articles")

LEGACY_ENCODINGS = ("cp1252", "cp1256")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF-", "a PDF document (extract its text first, e.g. with pdftotext)"),
    (b"PK\x03\x04", "a ZIP archive or Office document (save it as .txt or .html first)"),
    (b"\x1f\x8b", "a gzip-compressed file (decompress it first)"),
    (b"BZh", "a bzip2-compressed file (decompress it first)"),
    (b"\xfd7zXZ\x00", "an xz-compressed file (decompress it first)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable program"),
    (b"MZ", None),  # checked together with NUL bytes below: Windows executables
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (save it as .txt or .html first)"),
    (b"RIFF", "a RIFF media file (audio/video/WebP)"),
    (b"\x00\x00\x00", "binary data"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


class DecodeError(ValueError):
    """The bytes are not text this reader can decode; the message says what they look like."""


def sniff_binary(data: bytes) -> str | None:
    """Describe ``data`` if it looks like a known binary format (``"a PNG image"``), else ``None``."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            if what is None:  # "MZ" alone is also plain text ("MZ said..."): require NUL bytes too
                if b"\x00" in data[:1024]:
                    return "a Windows executable"
                continue
            return what
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when the NUL bytes fall on one parity, as in BOM-less UTF-16 text."""
    sample = data[:8192]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.6 * half and even < 0.02 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.02 * half:
        return "utf-16-be"
    return None


def _check_text(text: str, what: str) -> str:
    sample = text[:65536]
    n_ctrl = len(_CONTROL.findall(sample))
    if n_ctrl > max(8, 0.02 * len(sample)):
        raise DecodeError(
            f"looks like binary data, not text ({n_ctrl} control characters in the first {len(sample)} "
            f"characters as {what}); give a .txt/.html/.json article instead"
        )
    return text


def declared_html_charset(data: bytes) -> str | None:
    """The encoding a ``<meta charset=…>`` in the first 4 KB declares, if Python knows it."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_bytes(data: bytes, *, name: str = "input", html: bool = False) -> tuple[str, str]:
    """Decode article bytes; return ``(text, encoding_used)`` or raise :class:`DecodeError`."""
    what = sniff_binary(data)
    if what:
        raise DecodeError(f"this is {what}, not article text; give a .txt/.html/.json article instead")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), encoding), encoding
            except UnicodeDecodeError as exc:
                if bom == codecs.BOM_UTF32_LE:  # FF FE 00 00 is also UTF-16 (LE) starting with U+0000
                    try:
                        return _check_text(data.decode("utf-16"), "utf-16"), "utf-16"
                    except UnicodeDecodeError:
                        pass
                raise DecodeError(
                    f"starts with a {encoding.upper()} byte-order mark but is not valid {encoding} "
                    f"(byte {exc.start}); re-save it as UTF-8"
                ) from None
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                pass
            else:
                log.warning("%s: no byte-order mark; decoded as %s (NUL-byte pattern)", name, encoding)
                return _check_text(text, encoding), encoding
        raise DecodeError("contains NUL bytes: this is binary data, not text; give a .txt/.html/.json article")
    try:
        return _check_text(data.decode("utf-8"), "UTF-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    good = sum(1 for c in replaced if c > "\x7f") - bad
    if good >= 2 * bad:  # UTF-8 with a few corrupt bytes, not a legacy encoding: keep the UTF-8
        log.warning("%s: %d invalid UTF-8 byte sequence(s) (first at offset %d) replaced with U+FFFD",
                    name, bad, utf8_error.start)
        return _check_text(replaced, "UTF-8"), "utf-8 (with replacements)"
    if html:
        declared = declared_html_charset(data)
        if declared and declared not in ("utf-8", "utf_8"):
            text = data.decode(declared, errors="replace")
            log.warning("%s: not UTF-8; decoded as %s as its <meta charset> declares", name, declared)
            return _check_text(text, declared), declared
    encoding = _guess_legacy(data)
    if encoding is None:
        raise DecodeError(
            f"is not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) and does "
            f"not read as {' or '.join(LEGACY_ENCODINGS)} text either; re-save it as UTF-8"
        )
    text = data.decode(encoding, errors="replace")
    log.warning(
        "%s: not valid UTF-8 (byte 0x%02x at offset %d); decoded as %s (legacy fallback, chosen by "
        "charset-normalizer among %s) — re-save the file as UTF-8 to be sure",
        name, data[utf8_error.start], utf8_error.start, encoding, ", ".join(LEGACY_ENCODINGS),
    )
    return _check_text(text, encoding), encoding


def _guess_legacy(data: bytes) -> str | None:
    """cp1252 or cp1256, whichever charset-normalizer finds more coherent; ``None`` if neither fits."""
    from charset_normalizer import from_bytes

    # charset-normalizer samples the input itself; a prefix keeps huge files cheap.
    best = from_bytes(data[:262144], cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is not None and best.encoding in LEGACY_ENCODINGS:
        return best.encoding
    # Nothing coherent: cp1252 when it decodes (it leaves 5 bytes undefined), else cp1256 (total).
    for encoding in LEGACY_ENCODINGS:
        try:
            data[:262144].decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None
