"""Person-name rules: honorifics and titles, possessives, name parts and canonical keys."""

from __future__ import annotations

import re

from spacy.tokens import Doc

# Honorifics: forms of address that precede a name but are never part of it.
HONORIFICS: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "baroness",
        "baron", "prof", "professor", "rev", "revd", "reverend", "hon", "rt", "cllr",
    }
)  # fmt: skip

# Title words: capitalised before a name they are a title ("President Putin",
# "Foreign Secretary David Lammy"), never part of the name.
TITLE_WORDS: frozenset[str] = frozenset(
    {
        "president", "vice", "king", "queen", "prince", "princess", "chancellor", "pope",
        "senator", "sen", "governor", "gov", "general", "gen", "minister", "prime",
        "premier", "secretary", "foreign", "home", "defence", "defense", "health",
        "justice", "education", "business", "culture", "environment", "energy",
        "transport", "treasury", "state", "shadow", "deputy", "first", "ambassador",
        "mayor", "commissioner", "speaker", "leader", "attorney", "solicitor", "chief",
        "judge", "archbishop", "bishop", "cardinal", "rabbi", "imam", "sheikh", "emir",
        "ayatollah", "colonel", "col", "captain", "capt", "lieutenant", "lt", "sergeant",
        "sgt", "admiral", "marshal", "commander", "rep", "representative", "congressman",
        "congresswoman", "councillor", "viscount", "earl", "duke", "duchess", "crown",
        "chairman", "chairwoman", "chair", "spokesman", "spokeswoman", "exchequer",
    }
)  # fmt: skip

# Words that join title words inside one title ("Secretary of State", "Chancellor of the
# Exchequer"); they never start or end a title.
TITLE_JOINERS: frozenset[str] = frozenset({"of", "the", "for", "to"})

# The longest title run we walk back over ("Chancellor of the Duchy of Lancaster" is 6).
MAX_TITLE_TOKENS = 7

POSSESSIVES: frozenset[str] = frozenset({"'s", "’s", "'", "’"})
DETERMINERS: frozenset[str] = frozenset({"the"})


def bare(word: str) -> str:
    """Lower-case a word and drop a trailing full stop ("Mr." -> "mr")."""
    return word.lower().rstrip(".")


def is_honorific(word: str) -> bool:
    """True for forms of address such as Sir, Mr., Ms, Dr, Baroness."""
    return bare(word) in HONORIFICS


def is_title_word(word: str) -> bool:
    """True for honorifics and capitalised title words (President, Secretary, ...)."""
    return word[:1].isupper() and (bare(word) in TITLE_WORDS or bare(word) in HONORIFICS)


def strip_possessive(text: str) -> str:
    """Drop a trailing possessive: "Keir’s" -> "Keir", "Jones'" -> "Jones"."""
    for suffix in ("'s", "’s", "'", "’"):
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def strip_titles(words: list[str]) -> list[str]:
    """Drop leading honorifics/titles but never the last word ("Mr Major" keeps "Major")."""
    i = 0
    while i < len(words) - 1 and (is_title_word(words[i]) or bare(words[i]) in TITLE_JOINERS):
        i += 1
    return words[i:]


def normalise_name(text: str) -> str:
    """Canonical person name from a surface form: "Sir Keir Starmer’s" -> "Keir Starmer"."""
    words = strip_possessive(re.sub(r"\s+", " ", text).strip()).replace("’", "'").split(" ")
    return " ".join(strip_titles([w for w in words if w]))


def name_parts(name: str) -> tuple[str, str]:
    """(first name, surname) of a canonical name; one word is both."""
    words = name.split()
    if not words:
        return "", ""
    return words[0], words[-1]


def trim_span(doc: Doc, start: int, end: int) -> tuple[int, int, int, int] | None:
    """Token and character bounds of a span without a leading "the" or trailing possessive.

    Returns (token_start, token_end, char_start, char_end), or None when nothing is left.
    The tokenizer sometimes keeps "Keir’s" whole, so the possessive is cut at character level.
    """
    while end > start and (doc[end - 1].text in POSSESSIVES or doc[end - 1].is_punct):
        end -= 1
    while start < end and doc[start].lower_ in DETERMINERS:
        start += 1
    if start >= end:
        return None
    last = doc[end - 1]
    char_end = last.idx + len(strip_possessive(last.text))
    return start, end, doc[start].idx, char_end


def strip_title_tokens(doc: Doc, start: int, end: int) -> int:
    """First token of the name inside a span, past leading titles ("President Biden" -> Biden)."""
    i = start
    while i < end - 1 and (is_title_word(doc[i].text) or doc[i].lower_ in TITLE_JOINERS):
        i += 1
    return i


def title_start(doc: Doc, name_start: int) -> int:
    """First token of the title run right before a name ("Foreign Secretary" David Lammy)."""
    first = name_start
    i = name_start - 1
    while i >= 0 and name_start - i <= MAX_TITLE_TOKENS:
        word = doc[i].text
        if is_title_word(word):
            first = i
        elif doc[i].lower_ not in TITLE_JOINERS:
            break
        i -= 1
    return first


def has_honorific(doc: Doc, name_start: int) -> bool:
    """True when an honorific (Mr, Sir, Dr, ...) stands right before the name."""
    return name_start > 0 and is_honorific(doc[name_start - 1].text)
