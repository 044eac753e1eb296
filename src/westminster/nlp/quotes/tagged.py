"""Attribution spans from the PolNeAR-trained tagger (CONTENT / CUE / SOURCE), as Found items."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from westminster.errors import ModelError

# Trained weights (scripts/train_attribution.py, configs/attribution.cfg); small enough to ship.
MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "attribution"
CONTENT, CUE, SOURCE = "CONTENT", "CUE", "SOURCE"


def feature_doc(parsed: Any, vocab: Any) -> Any:
    """A fresh Doc with the parse's words, POS and dependencies and no entities: the tagger's input."""
    from spacy.tokens import Doc

    words = [t.text for t in parsed]
    spaces = [bool(t.whitespace_) for t in parsed]
    return Doc(
        vocab,
        words=words,
        spaces=spaces,
        pos=[t.pos_ for t in parsed],
        deps=[t.dep_ for t in parsed],
        heads=[t.head.i for t in parsed],
    )


@lru_cache(maxsize=1)
def load_tagger() -> Any:
    """The trained attribution pipeline, loaded once; a ModelError when the weights are missing."""
    import spacy

    try:
        return spacy.load(MODEL_DIR)
    except OSError as exc:
        raise ModelError(
            f"cannot load the attribution tagger: {exc}",
            subject=str(MODEL_DIR),
            fix="run scripts/train_attribution.py, or use the rule-based extractor",
        ) from exc


def tag_spans(parsed: Any, nlp: Any | None = None) -> list[tuple[str, int, int]]:
    """(label, first token, end token) for every span the tagger finds in a parsed doc."""
    tagger = nlp if nlp is not None else load_tagger()
    doc = tagger(feature_doc(parsed, tagger.vocab))
    return [(ent.label_, ent.start, ent.end) for ent in doc.ents]
