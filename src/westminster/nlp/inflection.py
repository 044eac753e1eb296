"""English noun number: the singular of a plural, shared by topics, keyphrases and figures."""

from __future__ import annotations

# Plurals that do not end in "s", and singulars that do.
IRREGULAR: dict[str, str] = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "police": "police",
    "staff": "staff",
    "personnel": "personnel",
    "troops": "troop",
    "lives": "life",
    "wives": "wife",
    "knives": "knife",
    "halves": "half",
    "series": "series",
    "species": "species",
    "news": "news",
    "arms": "arms",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "geese": "goose",
    "sheep": "sheep",
    "fish": "fish",
    "cattle": "cattle",
    "aircraft": "aircraft",
    "crises": "crisis",
    "analyses": "analysis",
    "bases": "base",
    "buses": "bus",
    "viruses": "virus",
    "campuses": "campus",
    "statuses": "status",
    "census": "census",
}


def singular_noun(word: str) -> str:
    """The singular of a regular or listed irregular plural; other words come back unchanged.

    The lemmatizer leaves proper nouns ("Tories") and some tokens plural, so callers normalise
    with this as well.
    """
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word
