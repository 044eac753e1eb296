"""en_core_web_sm parses of PolNeAR texts, cached between runs (for the attribution scripts).

The cache lives in a temporary folder, never in the repository: a .spacy DocBin for the parse
and a .tensors.npy beside it for doc.tensor (the parse's contextual vectors, which the
attribution tagger reads and DocBin does not keep).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy
from spacy.tokens import DocBin

from westminster.nlp.model import load_model


def cached_parses(texts: Sequence[str], cache: Path) -> list[Any]:
    """The parsed texts, read from CACHE when it holds these texts, else parsed and saved."""
    nlp = load_model()
    tensors = cache.with_suffix(".tensors.npy")
    if cache.exists() and tensors.exists():
        parsed = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in parsed] == list(texts):
            stacked, start = numpy.load(tensors), 0
            for doc in parsed:
                doc.tensor = stacked[start : start + len(doc)]
                start += len(doc)
            return parsed
    t0 = time.perf_counter()
    parsed = list(nlp.pipe(texts, batch_size=16))
    print(f"parsed {len(parsed)} docs in {time.perf_counter() - t0:.0f} s", flush=True)
    DocBin(store_user_data=False, docs=parsed).to_disk(cache)
    numpy.save(tensors, numpy.concatenate([d.tensor for d in parsed]))
    return parsed
