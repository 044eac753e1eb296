"""Find direct quotes by their marks: straight or curly, double or single, over paragraphs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

DOUBLE_OPEN = "\u201c\u201e\u00ab"  # “ „ «
DOUBLE_CLOSE = "\u201d\u00bb"  # ” »
SINGLE_OPEN = "\u2018"  # ‘
SINGLE_CLOSE = "\u2019"  # ’ (also the apostrophe, hence the word-boundary checks)
STRAIGHT_DOUBLE = '"'
STRAIGHT_SINGLE = "'"
# Two apostrophes typed as one double mark, as in the New York Times' archive text: ''Yes,''
# (116 of the 840 PolNeAR train articles quote this way).
DOUBLED_APOSTROPHE = STRAIGHT_SINGLE * 2
ALL_MARKS = (
    DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + STRAIGHT_DOUBLE + STRAIGHT_SINGLE
)
# An opening mark left unclosed at a paragraph end still quotes that paragraph only if it holds
# at least this many words; shorter strays are inch marks, typos or scare-quote debris.
MIN_UNCLOSED_WORDS = 4
# Straight single-quoted spans are headline quotes and scare quotes; longer runs between two
# apostrophes are almost always possessives and contractions, not quotes.
MAX_SINGLE_QUOTE_CHARS = 400
# A curly opening single mark is never an apostrophe, so British-style single-quoted remarks may
# run long (over paragraphs too); the cap only stops a stray mark pairing with a far possessive.
MAX_CURLY_SINGLE_CHARS = 20_000
# Article bodies whose quotes are remembered: the tagger's hints and the rules both search a body
# (about 1.2 ms each on a BBC article), a whole analyser batch (64) apart.
QUOTED_CACHE_SIZE = 128
_OPENS_AFTER = "([{\u2014\u2013-/:"


@dataclass(frozen=True)
class Quoted:
    """A quoted span: offsets include the marks; `inner` excludes them.

    A quote carried over paragraphs (an opening mark starts each continued paragraph, only the
    last is closed) is one Quoted from the first opening mark to the last closing one.
    """

    start: int
    end: int
    inner_start: int
    inner_end: int
    double: bool = True


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line of the text; news bodies put one paragraph a line."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return spans


def find_quoted(text: str) -> list[Quoted]:
    """Every direct quote in the text, sorted; tolerant of unbalanced and nested marks."""
    doubles = _double_quotes(text)
    singles = [q for q in _single_quotes(text) if not any(_inside(q, d) for d in doubles)]
    return sorted(doubles + singles, key=lambda q: q.start)


@lru_cache(maxsize=QUOTED_CACHE_SIZE)
def quotes_in_article(text: str) -> tuple[Quoted, ...]:
    """find_quoted for a whole article body, remembered: the tagger's hints and the rules both
    need it, a batch apart."""
    return tuple(find_quoted(text))


def _inside(inner: Quoted, outer: Quoted) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _is_open_straight(text: str, i: int, width: int = 1) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    if after.isspace():
        return False
    return before.isspace() or before in _OPENS_AFTER or i == 0


def _double_mark(text: str, i: int, is_open: bool) -> int:
    """Width of the double quote mark at i (0 when there is none)."""
    ch = text[i]
    if ch in DOUBLE_OPEN or ch in DOUBLE_CLOSE or ch == STRAIGHT_DOUBLE:
        return 1
    if text.startswith(DOUBLED_APOSTROPHE, i):
        # three apostrophes in an open quote close a nested single quote first ('China bad.''')
        if is_open and text.startswith(STRAIGHT_SINGLE * 3, i):
            return 0
        return 2
    return 0


def _double_quotes(text: str) -> list[Quoted]:
    found: list[Quoted] = []
    paras = paragraphs(text)
    open_at: int | None = None
    width = 1  # of the opening mark
    for n, (p_start, p_end) in enumerate(paras):
        i = p_start
        if open_at is not None:
            i += _double_mark(text, i, False)  # the mark that re-opens a carried-on quote
        while i < p_end:
            mark = _double_mark(text, i, open_at is not None)
            if not mark:
                i += 1
                continue
            ch = text[i]
            straight = ch in (STRAIGHT_DOUBLE, STRAIGHT_SINGLE)
            if open_at is None:
                # a nested or doubled opening mark while open keeps the outer quote open
                if ch in DOUBLE_OPEN or (straight and _is_open_straight(text, i, mark)):
                    open_at, width = i, mark
            elif ch in DOUBLE_CLOSE or straight:
                found.append(_quoted(open_at, i + mark, width, mark))
                open_at = None
            i += mark
        if open_at is None:
            continue
        # An open quote at a paragraph's end carries on when the next paragraph opens with a
        # mark (the newspaper convention): one quote over them all, closed where the last closes.
        nxt = paras[n + 1] if n + 1 < len(paras) else None
        if nxt is not None and _double_mark(text, nxt[0], False):
            continue
        if len(text[open_at:p_end].split()) >= MIN_UNCLOSED_WORDS:
            found.append(_quoted(open_at, p_end, width, 0))
        open_at = None
    return found


def _single_quotes(text: str) -> list[Quoted]:
    found: list[Quoted] = []
    paras = paragraphs(text)
    open_at: int | None = None
    for n, (p_start, p_end) in enumerate(paras):
        carried = open_at is not None
        nxt = paras[n + 1] if n + 1 < len(paras) else None
        goes_on = nxt is not None and text[nxt[0]] == SINGLE_OPEN
        for i in range(p_start, p_end):
            ch = text[i]
            if ch not in SINGLE_OPEN + SINGLE_CLOSE + STRAIGHT_SINGLE or _in_doubled(text, i):
                continue
            if carried and i == p_start:
                continue  # the mark that re-opens a carried-on quote
            before = text[i - 1] if i > p_start else " "
            after = text[i + 1] if i + 1 < p_end else " "
            # "‘90s" and "’24" are years, not quotes
            opens = (
                (ch in SINGLE_OPEN or ch == STRAIGHT_SINGLE)
                and _is_open_straight(text, i)
                and not after.isdigit()
            )
            closes = (
                ch in SINGLE_CLOSE + STRAIGHT_SINGLE
                and not before.isspace()
                and not after.isalnum()
            )
            if closes and open_at is not None and _possessive(text, i, p_end, goes_on):
                continue  # "the ministers’ plans" inside ‘...’ when a real close follows
            if open_at is not None and closes and i - open_at <= _single_limit(text, open_at):
                found.append(_quoted(open_at, i + 1, 1, 1, double=False))
                open_at = None
            elif opens:
                open_at = i
        # an unclosed curly single quote carries on when the next paragraph opens with one
        # (British style); straight ones are too often apostrophes to be trusted that far
        if (
            open_at is not None
            and text[open_at] == SINGLE_OPEN
            and nxt is not None
            and goes_on
            and nxt[1] - open_at <= MAX_CURLY_SINGLE_CHARS
        ):
            continue
        open_at = None
    return found


def _possessive(text: str, i: int, p_end: int, goes_on: bool) -> bool:
    """True for s’ + lowercase word (a plural possessive) when a real closing mark follows
    later in the paragraph, or the quote carries on into the next paragraph (`goes_on`)."""
    if text[i - 1 : i] != "s" or not text[i + 1 : i + 3].startswith(" ") or i + 2 >= p_end:
        return False
    if not text[i + 2].islower():
        return False
    later = text.find(SINGLE_CLOSE, i + 1, p_end)
    while later >= 0:
        after = text[later + 1 : later + 2]
        if text[later - 1] in ",.!?;:" or (not after.strip() and text[later - 1] != "s"):
            return True
        later = text.find(SINGLE_CLOSE, later + 1, p_end)
    return goes_on


def _in_doubled(text: str, i: int) -> bool:
    """True for an apostrophe that is half of a '' double mark."""
    if text[i] != STRAIGHT_SINGLE:
        return False
    return text[i - 1 : i] == STRAIGHT_SINGLE or text[i + 1 : i + 2] == STRAIGHT_SINGLE


def _single_limit(text: str, open_at: int) -> int:
    """How long a single-quoted span may be: a curly opening mark starts a real quote."""
    return MAX_CURLY_SINGLE_CHARS if text[open_at] == SINGLE_OPEN else MAX_SINGLE_QUOTE_CHARS


def _quoted(start: int, end: int, width: int, close: int, double: bool = True) -> Quoted:
    return Quoted(start, end, inner_start=start + width, inner_end=end - close, double=double)
