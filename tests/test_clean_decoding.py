"""decode_text: encodings, empty and binary inputs."""

from __future__ import annotations

import codecs

import pytest

from westminster.clean import decode_text
from westminster.errors import InputError

TEXT = "The chancellor pledged £5 million for Zoë's café — “today”."


def test_utf8_with_and_without_bom() -> None:
    assert decode_text(TEXT.encode("utf-8"), source="a.txt") == TEXT
    assert decode_text(codecs.BOM_UTF8 + TEXT.encode("utf-8"), source="a.txt") == TEXT


def test_utf16_with_bom() -> None:
    assert decode_text(TEXT.encode("utf-16"), source="a.txt") == TEXT


def test_cp1252_text_without_declaration() -> None:
    assert decode_text(TEXT.encode("cp1252"), source="a.txt") == TEXT


def test_latin1_text() -> None:
    text = "Budget row\nThe chancellor pledged £5 million for Zoë's café.\n"
    assert decode_text(text.encode("latin-1"), source="a.txt") == text


def test_declared_charset_wins() -> None:
    text = "Москва заявила"
    assert decode_text(text.encode("koi8-r"), source="page", declared="koi8-r") == text


def test_meta_charset_in_page() -> None:
    page = '<html><head><meta charset="iso-8859-2"></head><body>Łódź żółw</body></html>'
    assert "Łódź żółw" in decode_text(page.encode("iso-8859-2"), source="page.html")


def test_bad_declared_charset_falls_back() -> None:
    assert decode_text(TEXT.encode("utf-8"), source="a", declared="no-such-codec") == TEXT


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_input_names_source(content: bytes) -> None:
    with pytest.raises(InputError, match=r"empty\.txt.*is empty"):
        decode_text(content, source="empty.txt")


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 20,  # JPEG
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
        b"PK\x03\x04" + b"word/document.xml" * 10,
        bytes(range(32)) * 100,
    ],
)
def test_binary_input_is_refused(content: bytes) -> None:
    with pytest.raises(InputError, match=r"photo\.jpg.*binary"):
        decode_text(content, source="photo.jpg")


def test_stray_nul_bytes_in_a_page_are_tolerated() -> None:
    page = b"<html><body><p>" + b"Real text. " * 500 + b"\x00" * 11 + b"</p></body></html>"
    assert decode_text(page, source="page.html").startswith("<html>")
