"""Bytes to text: BOMs, declared charsets, UTF-8, then a guessed legacy encoding."""

from __future__ import annotations

import codecs
import re

from trafilatura.utils import detect_encoding

from westminster.errors import InputError

# Only the start of a file is inspected for binary content and a <meta charset>: a real text
# file shows itself in its first few kilobytes, and a whole-file scan costs time on big pages.
SNIFF_BYTES = 8192

# Share of control bytes (NUL and the other C0 controls except tab, newlines, form feed, escape)
# in the start of a file above which it is refused as binary. Real text has almost none, but
# scraped pages do carry stray runs (one trafilatura-eval page has 11 NULs after an <img> tag);
# images, archives and office files run at 10% and more.
MAX_CONTROL_SHARE = 0.05

# File signatures of common non-text formats whose start can look like text (PDF is mostly
# ASCII; ZIP-based office files begin with a short header).
_BINARY_SIGNATURES = (b"%PDF-", b"PK\x03\x04", b"\x1f\x8b", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")

_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}

# Single-byte Western encodings charset_normalizer may report for Latin-1/cp1252 text; cp1252 is
# their practical superset for news text (curly quotes, £, €), so it is used for any of them.
WESTERN_ENCODINGS = frozenset(
    {
        "cp1252",
        "windows-1252",
        "latin_1",
        "latin-1",
        "iso-8859-1",
        "iso8859_1",
        "iso8859_15",
        "iso-8859-15",
        "cp850",
        "mac_roman",
        "ascii",
    }
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)

# Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _binary_error(source: str) -> InputError:
    return InputError(
        "looks like a binary file, not text or HTML",
        subject=source,
        fix="give a .txt, .md or .html file, or a URL of a web page",
    )


def _strict(content: bytes, encoding: str) -> str | None:
    """Decode strictly; None when the encoding is unknown or does not fit the bytes."""
    try:
        return content.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _declared_in_page(content: bytes) -> str | None:
    match = _META_CHARSET.search(content[:SNIFF_BYTES])
    return match.group(1).decode("ascii", "ignore") if match else None


def _guess_legacy(content: bytes) -> str:
    """Not UTF-8 and nothing declared: prefer cp1252 when the guesser sees Western text."""
    guesses = [g.lower() for g in detect_encoding(content)]
    if not guesses or any(g in WESTERN_ENCODINGS for g in guesses):
        return content.decode("cp1252", errors="replace")
    for guess in guesses:
        text = _strict(content, guess)
        if text is not None:
            return text
    return content.decode("cp1252", errors="replace")


def _decode(content: bytes, declared: str | None) -> str:
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            text = _strict(content, encoding)
            if text is not None:
                return text
    if content.startswith(_BINARY_SIGNATURES) or _mostly_control(content):
        raise ValueError("control bytes")
    for candidate in (declared, "utf-8", _declared_in_page(content)):
        if candidate:
            text = _strict(content, candidate)
            if text is not None:
                return text
    return _guess_legacy(content)


def _mostly_control(content: bytes) -> bool:
    sample = content[:SNIFF_BYTES]
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return bool(sample) and controls / len(sample) > MAX_CONTROL_SHARE


def decode_text(content: bytes, *, source: str, declared: str | None = None) -> str:
    """Decode a file or page to text; InputError naming `source` if empty or binary."""
    if not content.strip():
        raise InputError("is empty", subject=source, fix="give a file that holds an article")
    try:
        text = _decode(content, declared)
    except ValueError:
        raise _binary_error(source) from None
    return text
