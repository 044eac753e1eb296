"""Entity NER quality on CoNLL-2003 dev (eng.testa): spaCy raw vs after our corrections.

Usage: .venv/bin/python benchmarks/ner_conll.py [CONLL_FILE] [--sentences N] [--published DATE]
CONLL_FILE defaults to ../shared/data/conll2003/eng.testa; the first N sentences (default
300) are read, grouped into their documents (corrections use article-level consistency), and
each document's sentences are joined with single spaces between tokens, one sentence a line.

Scores exact-span, exact-type F1 over PER/ORG/LOC (gold MISC is left out; spaCy's NORP,
EVENT and the like map to nothing). Raw: spaCy's PERSON -> PER, ORG -> ORG, GPE/LOC/FAC ->
LOC. Corrected: the kinds `correct_entities` gives (person, organisation, place), i.e. the
name spans resolve_entities builds its mentions from, before titles are attached.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from westminster.errors import DatasetError
from westminster.knowledge.gazetteer import load_gazetteer
from westminster.knowledge.offices import load_office_table
from westminster.nlp.entities.corrections import correct_entities
from westminster.nlp.entities.people import people_index
from westminster.nlp.model import load_model

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "conll2003" / "eng.testa"
# CoNLL-2003 English is Reuters news from August 1996; office holders are taken on this day.
DEFAULT_PUBLISHED = date(1996, 8, 30)
RAW_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
KIND_TYPES = {"person": "PER", "organisation": "ORG", "place": "LOC"}
TYPES = ("PER", "ORG", "LOC")

Span = tuple[int, int, str]


@dataclass
class Document:
    """One CoNLL document as text with its gold PER/ORG/LOC character spans."""

    text: str
    gold: set[Span]


def read_conll(path: Path, max_sentences: int) -> list[Document]:
    """The documents covering the first `max_sentences` sentences of a CoNLL-2003 file."""
    if not path.exists():
        raise DatasetError("CoNLL-2003 file not found", subject=str(path), fix="pass its path")
    docs: list[Document] = []
    lines: list[str] = []
    gold: set[Span] = set()
    sentence: list[tuple[str, str]] = []
    count = 0

    def flush_sentence() -> None:
        nonlocal count
        if not sentence:
            return
        offset = sum(len(line) + 1 for line in lines)
        entity: tuple[int, str] | None = None
        pos = offset
        prev_end = offset
        for word, tag in sentence:
            kind = tag[2:] if tag != "O" else ""
            if entity is not None and (not kind or tag.startswith("B-") or kind != entity[1]):
                if entity[1] in TYPES:
                    gold.add((entity[0], prev_end, entity[1]))
                entity = None
            if kind and entity is None:
                entity = (pos, kind)
            prev_end = pos + len(word)
            pos = prev_end + 1
        if entity is not None and entity[1] in TYPES:
            gold.add((entity[0], prev_end, entity[1]))
        lines.append(" ".join(w for w, _ in sentence))
        sentence.clear()
        count += 1

    def flush_document() -> None:
        nonlocal gold
        if lines:
            docs.append(Document("\n".join(lines), gold))
        lines.clear()
        gold = set()

    for raw in path.read_text(encoding="utf-8").splitlines():
        if count >= max_sentences:
            break
        parts = raw.split()
        if not parts:
            flush_sentence()
        elif parts[0] == "-DOCSTART-":
            flush_sentence()
            flush_document()
        else:
            if len(parts) != 4:
                raise DatasetError(f"expected 4 columns, got {raw!r}", subject=str(path))
            sentence.append((parts[0], parts[3]))
    flush_sentence()
    flush_document()
    return docs


def scores(gold: set[Span], predicted: set[Span]) -> dict[str, tuple[float, float, float]]:
    """Precision, recall, F1 per type and micro-averaged ("all")."""
    out: dict[str, tuple[float, float, float]] = {}
    for name in (*TYPES, "all"):
        g = {s for s in gold if name in ("all", s[2])}
        p = {s for s in predicted if name in ("all", s[2])}
        tp = len(g & p)
        prec = tp / len(p) if p else 0.0
        rec = tp / len(g) if g else 0.0
        out[name] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return out


def main() -> None:
    """Print raw and corrected P/R/F1 on the first N sentences."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--published", type=date.fromisoformat, default=DEFAULT_PUBLISHED)
    args = parser.parse_args()
    docs = read_conll(args.file, args.sentences)
    nlp = load_model()
    gazetteer = load_gazetteer()
    people = people_index(load_office_table(), gazetteer)
    gold: set[Span] = set()
    raw: set[Span] = set()
    fixed: set[Span] = set()
    changed: Counter[str] = Counter()
    offset = 0
    for document in docs:
        doc = nlp(document.text)
        gold |= {(s + offset, e + offset, t) for s, e, t in document.gold}
        raw |= {
            (e.start_char + offset, e.end_char + offset, RAW_TYPES[e.label_])
            for e in doc.ents
            if e.label_ in RAW_TYPES
        }
        for cand in correct_entities(doc, gazetteer, people, args.published):
            if cand.evidence is not None:
                changed[cand.evidence.rule] += 1
            if cand.kind in KIND_TYPES:
                fixed.add((cand.start + offset, cand.end + offset, KIND_TYPES[cand.kind]))
        offset += len(document.text) + 1
    print(f"{args.file}: {len(docs)} documents, {args.sentences} sentences, {len(gold)} gold spans")
    for label, predicted in (("spaCy raw", raw), ("corrected", fixed)):
        table = scores(gold, predicted)
        cells = "  ".join(f"{t} F1 {table[t][2]:.3f}" for t in TYPES)
        p, r, f = table["all"]
        print(f"{label:10s} P {p:.3f} R {r:.3f} F1 {f:.3f}   {cells}")
    print("relabelled by rule:", dict(changed.most_common()))


if __name__ == "__main__":
    main()
