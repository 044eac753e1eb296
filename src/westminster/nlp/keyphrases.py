"""Keyphrases: salient noun phrases of an article, ranked by frequency, position and headline."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from westminster.nlp.inflection import singular_noun

# Tokens that may build a phrase: the classic keyphrase candidate pattern (adjectives and
# nouns, ending on a noun), as in TextRank and its descendants. No parser needed.
_PHRASE_POS = frozenset({"ADJ", "NOUN", "PROPN"})
_HEAD_POS = frozenset({"NOUN", "PROPN"})
# People are the entity linker's business, and amounts, dates and ordinals are the figure
# extractor's: their tokens end a phrase instead of joining one.
_BREAKING_ENTITIES = frozenset(
    {"PERSON", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
)
# Modifiers that say nothing about the subject; stripped from the front of a phrase so that
# "additional support" and "support" count as one.
_GENERIC_MODIFIERS = frozenset(
    {
        "additional", "recent", "upcoming", "new", "key", "major", "significant", "several",
        "various", "certain", "possible", "potential", "important", "crucial", "clear",
        "broader", "broad", "official", "specific", "particular", "current", "previous",
        "former", "early", "late", "long", "short", "big", "small", "great", "good", "bad",
        "whole", "strong", "common", "general", "real", "true", "lengthy", "pressing",
        "last", "first", "next", "same", "own", "main", "wide", "full", "further",
    }
)  # fmt: skip
# Phrases too generic or too role-like to be keyphrases in political news: time words,
# vague nouns, and the job titles that stand in for a person ("the prime minister").
STOP_PHRASES = frozenset(
    {
        "way", "thing", "time", "year", "week", "month", "day", "people", "issue", "matter",
        "situation", "part", "number", "lot", "kind", "sort", "fact", "case", "point", "place",
        "end", "need", "one", "detail", "term", "side", "area", "question", "view", "idea",
        "comment", "statement", "interview", "reporter", "journalist", "government",
        "official", "spokesman", "spokeswoman", "spokesperson", "source", "aide", "team",
        "prime minister", "minister", "president", "secretary", "leader", "chancellor",
        "member", "mp", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "sir", "dr", "dr.", "lord",
        "lady", "dame", "uk", "britain", "country", "nation", "world", "today", "yesterday",
        "tomorrow", "percent", "cent", "per cent", "state",
    }
)  # fmt: skip
# Light nouns: frequent in any news story whatever its subject ("the meeting", "a decision").
# Alone they are kept but scored down; with a modifier ("ceasefire agreement") they are fine.
LIGHT_NOUNS = frozenset(
    {
        "meeting", "conversation", "discussion", "talk", "decision", "choice", "action",
        "move", "effort", "goal", "aim", "plan", "focus", "help", "support", "message",
        "event", "journey", "trip", "visit", "possibility", "right", "permission", "change",
        "response", "concern", "problem", "system", "work", "result", "approach", "role",
        "release", "collaboration", "administration", "strategy", "process", "attempt",
        "opportunity", "chance", "reason", "party", "group", "family", "child", "parent",
        "word", "hand", "feeling", "friend", "life", "job", "money", "power", "plans",
        "committee", "council", "report", "study", "research", "law", "rule", "policy",
        "service", "deal", "call", "claim", "idea", "bid", "demand", "pressure", "use",
    }
)  # fmt: skip
# Ranking weights. Each extra word makes a phrase more specific ("arms export licences" over
# "licences"); a phrase first seen early is more likely the story's subject (news is written
# top-down); one the headline names is more likely still. Chosen by reading the output on
# the seed and 20 BBC politics articles: with a length bonus below 0.5 single nouns
# ("missile") crowded out the multi-word concepts, above 1 rare long phrases took over.
LENGTH_BONUS = 0.6
MAX_LENGTH_BONUS_WORDS = 3
POSITION_BONUS = 1.0
HEADLINE_BONUS = 1.5
LIGHT_NOUN_PENALTY = 0.3
# A longer phrase replaces a shorter one it contains when it accounts for at least half of
# the shorter one's occurrences: "Storm Shadow missiles" (3 of 6) for "missiles".
EXPAND_RATIO = 0.5
# A candidate longer than this is almost always a run-on tagging error, not a concept.
MAX_PHRASE_WORDS = 5
# Titles before a name the NER left outside the PERSON entity ("Mr", "Sir").
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady"})
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class _Occurrence:
    """One phrase occurrence: its normalised key, surface text and first token index."""

    key: str
    text: str
    start: int


def _lemma(token: Token) -> str:
    """Lower-case lemma, or the lower-case form where the Doc has no lemmas."""
    return (token.lemma_ or token.text).lower()


def _joins(token: Token) -> bool:
    """Whether the token can be part of a candidate phrase."""
    if token.text == "-":
        # an in-word hyphen ("long-range"), not a dash between two clauses
        return token.i > 0 and not token.whitespace_ and not token.nbor(-1).whitespace_
    if token.ent_type_ in _BREAKING_ENTITIES or not token.is_alpha:
        return False
    return token.pos_ in _PHRASE_POS and token.lower_.rstrip(".") not in _HONORIFICS


def _trim(tokens: list[Token]) -> list[Token]:
    """Strip hyphens, stop words and generic modifiers from the front, non-nouns from the end."""
    while tokens and (
        tokens[0].text == "-"
        or tokens[0].is_stop
        or (
            tokens[0].pos_ == "ADJ"
            and tokens[0].lower_ in _GENERIC_MODIFIERS
            # "long-range": the modifier is half of a compound, not a generic qualifier
            and not (len(tokens) > 1 and tokens[1].text == "-")
        )
    ):
        tokens = tokens[1:]
    while tokens and (tokens[-1].pos_ not in _HEAD_POS or tokens[-1].is_stop):
        tokens = tokens[:-1]
    return tokens


def _key(tokens: list[Token]) -> str:
    """Normalised key: lemmas in lower case, hyphens dropped ("long-range" = "long range")."""
    words = [_lemma(t) for t in tokens if t.text != "-"]
    if tokens[-1].pos_ == "PROPN" or not tokens[-1].lemma_:
        words[-1] = singular_noun(words[-1])
    return " ".join(words)


def _surface(doc: Doc, tokens: list[Token]) -> str:
    """The phrase as written, without the capital a sentence start gave a common noun."""
    text = doc[tokens[0].i : tokens[-1].i + 1].text
    first = tokens[0]
    if first.is_sent_start and first.pos_ != "PROPN" and not first.is_upper and not first.ent_type_:
        return text[:1].lower() + text[1:]
    return text


def _occurrences(doc: Doc) -> list[_Occurrence]:
    """Maximal runs of adjectives and nouns ending on a noun, trimmed and filtered."""
    found: list[_Occurrence] = []
    run: list[Token] = []
    for token in [*doc, None]:
        if token is not None and _joins(token) and (token.text != "-" or run):
            run.append(token)
            continue
        tokens = _trim(run)
        run = []
        words = [t for t in tokens if t.text != "-"]
        if not words or len(words) > MAX_PHRASE_WORDS:
            continue
        key = _key(tokens)
        if key in STOP_PHRASES or all(w.lower_ in STOP_WORDS for w in words):
            continue
        found.append(_Occurrence(key, _surface(doc, tokens), tokens[0].i))
    return found


def _contains(longer: str, shorter: str) -> bool:
    """Whether `shorter` is a whole-word part of `longer` (keys are space-separated lemmas)."""
    return f" {shorter} " in f" {longer} "


def _expand(key: str, keys: list[str], pooled: dict[str, int]) -> str:
    """The shortest longer phrase that holds most of this one's occurrences, else the key."""
    longer = [
        k
        for k in keys
        if k != key and _contains(k, key) and pooled[k] >= EXPAND_RATIO * pooled[key]
    ]
    if not longer:
        return key
    return min(longer, key=lambda k: (len(k.split()), -pooled[k], k))


def _title_lemmas(doc: Doc, title: str) -> set[str]:
    """Headline words as lemmas: the headline is not parsed, so borrow the body's lemmas."""
    lemmas = {t.lower_: _lemma(t) for t in doc}
    words = (w.lower() for w in _WORD.findall(title))
    return {lemmas.get(w, w) for w in words}


def extract_keyphrases(doc: Doc, title: str = "", limit: int = 10) -> tuple[str, ...]:
    """The article's most salient noun phrases, deduplicated (case, plural, nested), best first."""
    if limit <= 0 or len(doc) == 0:
        return ()
    occurrences = _occurrences(doc)
    counts: Counter[str] = Counter(o.key for o in occurrences)
    first: dict[str, int] = {}
    surfaces: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for occurrence in occurrences:
        first.setdefault(occurrence.key, occurrence.start)
        surfaces[occurrence.key][occurrence.text] += 1
    # A phrase also occurs wherever a longer phrase containing it does ("Storm Shadow" inside
    # "Storm Shadow missiles"), so nested counts are pooled before ranking.
    keys = list(counts)
    pooled = {k: sum(counts[o] for o in keys if _contains(o, k)) for k in keys}
    headline = _title_lemmas(doc, title) if title.strip() else set()
    scores: dict[str, float] = {}
    for key in keys:
        words = key.split()
        length = 1.0 + LENGTH_BONUS * (min(len(words), MAX_LENGTH_BONUS_WORDS) - 1)
        position = 1.0 + POSITION_BONUS * (1.0 - first[key] / len(doc))
        named = HEADLINE_BONUS if headline and all(w in headline for w in words) else 1.0
        light = LIGHT_NOUN_PENALTY if key in LIGHT_NOUNS else 1.0
        scores[key] = pooled[key] * length * position * named * light
    chosen: list[str] = []
    for key in sorted(keys, key=lambda k: (-scores[k], first[k])):
        key = _expand(key, keys, pooled)
        if any(_contains(key, c) or _contains(c, key) for c in chosen):
            continue
        chosen.append(key)
        if len(chosen) == limit:
            break
    return tuple(surfaces[k].most_common(1)[0][0] for k in chosen)
