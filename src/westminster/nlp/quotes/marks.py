"""Find direct quotes by their marks: straight or curly, double or single, over paragraphs."""

from __future__ import annotations

from dataclasses import dataclass

DOUBLE_OPEN = "\u201c\u201e\u00ab"  # “ „ «
DOUBLE_CLOSE = "\u201d\u00bb"  # ” »
SINGLE_OPEN = "\u2018"  # ‘
SINGLE_CLOSE = "\u2019"  # ’ (also the apostrophe, hence the word-boundary checks)
STRAIGHT_DOUBLE = '"'
STRAIGHT_SINGLE = "'"
ALL_MARKS = (
    DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + STRAIGHT_DOUBLE + STRAIGHT_SINGLE
)
# An opening mark left unclosed at a paragraph end still quotes that paragraph only if it holds
# at least this many words; shorter strays are inch marks, typos or scare-quote debris.
MIN_UNCLOSED_WORDS = 4
# Single-quoted spans are headline quotes and scare quotes; longer runs between two apostrophes
# are almost always possessives and contractions, not quotes.
MAX_SINGLE_QUOTE_CHARS = 400


@dataclass(frozen=True)
class Quoted:
    """A quoted span: offsets include the marks; `inner` excludes them."""

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


def _inside(inner: Quoted, outer: Quoted) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _is_open_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace():
        return False
    return before.isspace() or before in "([{\u2014\u2013-/:" or i == 0


def _double_quotes(text: str) -> list[Quoted]:
    found: list[Quoted] = []
    paras = paragraphs(text)
    open_at: int | None = None
    for n, (p_start, p_end) in enumerate(paras):
        i = p_start
        while i < p_end:
            ch = text[i]
            straight = ch == STRAIGHT_DOUBLE
            if open_at is None:
                # a nested or doubled opening mark while open keeps the outer quote open
                if ch in DOUBLE_OPEN or (straight and _is_open_straight(text, i)):
                    open_at = i
            elif ch in DOUBLE_CLOSE or straight:
                found.append(_quoted(text, open_at, i + 1))
                open_at = None
            i += 1
        if open_at is None:
            continue
        # An open quote at a paragraph's end carries on when the next paragraph opens with a
        # mark (the newspaper convention); otherwise it stops here, as if closed.
        nxt = paras[n + 1] if n + 1 < len(paras) else None
        if nxt is not None and text[nxt[0]] in DOUBLE_OPEN + STRAIGHT_DOUBLE:
            found.append(_quoted(text, open_at, p_end, closed=False))
            open_at = None
            continue
        if len(text[open_at:p_end].split()) >= MIN_UNCLOSED_WORDS:
            found.append(_quoted(text, open_at, p_end, closed=False))
        open_at = None
    return found


def _single_quotes(text: str) -> list[Quoted]:
    found: list[Quoted] = []
    for p_start, p_end in paragraphs(text):
        open_at: int | None = None
        for i in range(p_start, p_end):
            ch = text[i]
            before = text[i - 1] if i > p_start else " "
            after = text[i + 1] if i + 1 < p_end else " "
            if ch not in SINGLE_OPEN + SINGLE_CLOSE + STRAIGHT_SINGLE:
                continue
            opens = (ch in SINGLE_OPEN or ch == STRAIGHT_SINGLE) and _is_open_straight(text, i)
            closes = (
                ch in SINGLE_CLOSE + STRAIGHT_SINGLE
                and not before.isspace()
                and not after.isalnum()
            )
            if open_at is not None and closes and i - open_at <= MAX_SINGLE_QUOTE_CHARS:
                found.append(_quoted(text, open_at, i + 1, double=False))
                open_at = None
            elif opens:
                open_at = i
    return found


def _quoted(text: str, start: int, end: int, closed: bool = True, double: bool = True) -> Quoted:
    inner_end = end - 1 if closed else end
    return Quoted(start=start, end=end, inner_start=start + 1, inner_end=inner_end, double=double)
