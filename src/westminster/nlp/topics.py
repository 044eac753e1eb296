"""Policy topics: match a bundled taxonomy of words and phrases against an article, score them."""

from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from westminster.errors import DataError
from westminster.models import Topic
from westminster.nlp.inflection import singular_noun

TAXONOMY_RESOURCE = "topics.toml"

# A headline states what the story is about, so one hit there counts as much as three in the
# body; with 2 the seed's headline ("... escalate Ukraine war with missiles") did not lift
# defence clearly above the many foreign-affairs place names, with 3 it does.
HEADLINE_WEIGHT = 3.0
# A multi-word phrase ("arms export licence") is far less ambiguous than one word ("export").
PHRASE_WEIGHT = 2.0
# Hits are counted per 100 content words (alphabetic, not stop words); shorter texts count
# as this long, so a 30-word brief with two hits does not outscore a full article.
LENGTH_FLOOR = 100
# Score = density / (density + HALF_SATURATION): a topic with 2 weighted hits per 100
# content words scores 0.5. On the seed and 30 BBC politics articles the main topic runs at
# 3-10 hits per 100 words (0.6-0.85), passing mentions at under 1 (below 0.33).
HALF_SATURATION = 2.0
# Keep a topic at 0.3 or more (about 0.85 weighted hits per 100 words): chosen by reading
# the topics of the seed and the first 30 BBC politics articles; at 0.2 every article
# picked up stray topics from a single passing sentence, at 0.4 secondary topics the text
# plainly discusses (the US election in the seed) were lost.
MIN_SCORE = 0.3
# One word repeated is weak evidence ("campaign" in a rail-link story): ask for two different
# words or phrases, wherever they are.
MIN_EVIDENCE = 2
# A secondary topic must carry at least a quarter of the leading topic's density.
RELATIVE_FLOOR = 0.25
# "At most a handful": a briefing reader scans five labels, not twenty.
MAX_TOPICS = 5
# Evidence words reported per topic, most frequent first.
EVIDENCE_LIMIT = 8
# Words inside a person's name are not topical evidence (Bill Rammell, Harriet Harman's
# "Harman", a Mr Green).
_SKIPPED_ENTITY_TYPES = frozenset({"PERSON"})


@dataclass(frozen=True)
class TopicDefinition:
    """One taxonomy entry: a topic name and the words and phrases that signal it."""

    name: str
    entries: tuple[str, ...]


@dataclass(frozen=True)
class _Hit:
    """One matched word or phrase for one topic."""

    topic: str
    evidence: str
    weight: float


@dataclass(frozen=True)
class _Compiled:
    """The taxonomy compiled against one vocabulary: word lookup plus a phrase matcher."""

    words: Mapping[str, tuple[str, ...]]
    phrases: Mapping[str, tuple[str, ...]]
    matcher: PhraseMatcher


def _parse_taxonomy(data: Mapping[str, Any], source: str) -> tuple[TopicDefinition, ...]:
    """Validate the TOML structure and return the topic definitions."""
    topics = data.get("topic")
    if not isinstance(topics, list) or not topics:
        raise DataError("no [[topic]] tables found", subject=source, fix="see the file header")
    definitions: list[TopicDefinition] = []
    for index, table in enumerate(topics):
        name = table.get("name") if isinstance(table, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise DataError(f"topic #{index + 1} has no name", subject=source)
        entries: list[str] = []
        for key in ("terms", "phrases"):
            values = table.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise DataError(f"topic {name!r}: {key} must be a list of strings", subject=source)
            entries.extend(v.strip().lower() for v in values if v.strip())
        if not entries:
            raise DataError(f"topic {name!r} has no terms or phrases", subject=source)
        definitions.append(TopicDefinition(name.strip(), tuple(dict.fromkeys(entries))))
    return tuple(definitions)


def load_taxonomy(path: Path | None = None) -> tuple[TopicDefinition, ...]:
    """Read the taxonomy TOML (the bundled one by default); DataError when malformed."""
    if path is None:
        return _bundled_taxonomy()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"cannot read the topic taxonomy: {exc}", subject=str(path)) from exc
    return _parse_taxonomy(data, str(path))


@lru_cache(maxsize=1)
def _bundled_taxonomy() -> tuple[TopicDefinition, ...]:
    """The taxonomy shipped as package data, read once."""
    resource = resources.files("westminster.nlp").joinpath("data", TAXONOMY_RESOURCE)
    try:
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"cannot read the bundled taxonomy: {exc}", subject=str(resource)) from exc
    return _parse_taxonomy(data, str(resource))


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """spaCy's English tokenizer alone (no model): splits entries and headlines as docs are."""
    return spacy.blank("en").tokenizer


def _make_doc(vocab: Vocab, text: str) -> Doc:
    """Tokenise text into a Doc that shares the article's vocabulary."""
    tokens = _tokenizer()(text)
    return Doc(vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])


def _plural(phrase: str) -> str:
    """The phrase with its last word in a plural form (regular English endings only)."""
    if phrase.endswith("s"):
        return phrase
    if phrase.endswith(("x", "ch", "sh")):
        return phrase + "es"
    if phrase.endswith("y") and phrase[-2:-1] not in "aeiou":
        return phrase[:-1] + "ies"
    return phrase + "s"


@lru_cache(maxsize=4)
def _compile(vocab: Vocab, taxonomy: tuple[TopicDefinition, ...]) -> _Compiled:
    """Split entries into single words and phrases and build the phrase matcher, once."""
    words: defaultdict[str, list[str]] = defaultdict(list)
    phrases: defaultdict[str, list[str]] = defaultdict(list)
    for topic in taxonomy:
        for entry in topic.entries:
            tokens = [t.text for t in _tokenizer()(entry)]
            target = words if len(tokens) == 1 else phrases
            if topic.name not in target[entry]:
                target[entry].append(topic.name)
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for phrase in phrases:
        variants = dict.fromkeys((phrase, _plural(phrase)))
        matcher.add(phrase, [_make_doc(vocab, v) for v in variants])
    return _Compiled(
        words={k: tuple(v) for k, v in words.items()},
        phrases={k: tuple(v) for k, v in phrases.items()},
        matcher=matcher,
    )


def _hits(
    doc: Doc, compiled: _Compiled, lemmas: Mapping[str, str], weight: float
) -> Iterable[_Hit]:
    """Phrase hits (longest wins) and single-word hits outside them, for one Doc."""
    strings = doc.vocab.strings
    spans = [Span(doc, start, end, label=key) for key, start, end in compiled.matcher(doc)]
    covered: set[int] = set()
    for span in filter_spans(spans):
        phrase = strings[span.label]
        covered.update(range(span.start, span.end))
        for topic in compiled.phrases.get(phrase, ()):
            yield _Hit(topic, phrase, weight * PHRASE_WEIGHT)
    for token in doc:
        if token.i in covered or not token.is_alpha or token.ent_type_ in _SKIPPED_ENTITY_TYPES:
            continue
        lower = token.lower_
        # Without a lemma (the headline, a Doc with no lemmatizer) try a regular singular.
        lemma = token.lemma_.lower() if token.lemma_ else lemmas.get(lower, singular_noun(lower))
        for key in dict.fromkeys((lower, lemma)):
            topics = compiled.words.get(key)
            if topics:
                for topic in topics:
                    yield _Hit(topic, key, weight)
                break


def _content_length(doc: Doc) -> int:
    """Words that carry meaning: alphabetic and not stop words."""
    return sum(1 for t in doc if t.is_alpha and not t.is_stop)


def classify_topics(
    doc: Doc, title: str = "", taxonomy: tuple[TopicDefinition, ...] | None = None
) -> tuple[Topic, ...]:
    """Score the taxonomy's topics on the body Doc and headline; best first, at most a few."""
    compiled = _compile(doc.vocab, taxonomy if taxonomy is not None else _bundled_taxonomy())
    # The headline has no lemmas of its own (it is not run through the model): borrow the
    # body's lemma for each word form, which covers the headline's words in practice.
    lemmas = {t.lower_: t.lemma_.lower() for t in doc if t.lemma_}
    hits = list(_hits(doc, compiled, lemmas, 1.0))
    if title.strip():
        hits.extend(_hits(_make_doc(doc.vocab, title), compiled, lemmas, HEADLINE_WEIGHT))
    weights: defaultdict[str, float] = defaultdict(float)
    evidence: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for hit in hits:
        weights[hit.topic] += hit.weight
        evidence[hit.topic][hit.evidence] += 1
    per_hundred = 100.0 / max(_content_length(doc), LENGTH_FLOOR)
    densities = {name: weight * per_hundred for name, weight in weights.items()}
    if not densities:
        return ()
    top = max(densities.values())
    chosen: list[Topic] = []
    for name, density in sorted(densities.items(), key=lambda kv: (-kv[1], kv[0])):
        score = density / (density + HALF_SATURATION)
        enough_evidence = len(evidence[name]) >= MIN_EVIDENCE
        if score < MIN_SCORE or density < RELATIVE_FLOOR * top or not enough_evidence:
            continue
        words = tuple(w for w, _ in evidence[name].most_common(EVIDENCE_LIMIT))
        chosen.append(Topic(name=name, score=round(score, 3), evidence=words))
        if len(chosen) == MAX_TOPICS:
            break
    return tuple(chosen)
