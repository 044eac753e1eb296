"""Cleaning: bytes to text, HTML and plain text to articles, in-body boilerplate removed."""

from __future__ import annotations

from westminster.clean.boilerplate import remove_boilerplate
from westminster.clean.decoding import decode_text
from westminster.clean.html import bare_trafilatura, extract_html, fragment_text, looks_like_html
from westminster.clean.outlet_filter import OutletLineFilter
from westminster.clean.plaintext import split_plain_text

__all__ = [
    "OutletLineFilter",
    "bare_trafilatura",
    "decode_text",
    "extract_html",
    "fragment_text",
    "looks_like_html",
    "remove_boilerplate",
    "split_plain_text",
]
