"""Attribution cues: the verbs, nouns and phrases that introduce what someone said or thought."""

from __future__ import annotations

from typing import Any

# Lemmas of cue verbs. Seeded from the list and extended with the cue words counted in
# the PolNeAR *train* annotations (docs/attribution-notes.md; `said`/`says`/`told`/`according
# to`/`added`/`wrote`/`asked` alone cover over half of all cues). PolNeAR also marks beliefs and
# intentions ("believe", "want", "expect"), so those are here too.
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "warn",
        "insist",
        "claim",
        "accuse",
        "argue",
        "state",
        "announce",
        "express",
        "emphasise",
        "emphasize",
        "highlight",
        "mention",
        "confirm",
        "deny",
        "write",
        "ask",
        "suggest",
        "note",
        "report",
        "describe",
        "acknowledge",
        "admit",
        "explain",
        "declare",
        "urge",
        "reply",
        "respond",
        "answer",
        "tweet",
        "post",
        "recall",
        "conclude",
        "continue",
        "agree",
        "predict",
        "vow",
        "promise",
        "pledge",
        "assure",
        "stress",
        "indicate",
        "charge",
        "complain",
        "concede",
        "allege",
        "reveal",
        "repeat",
        "reiterate",
        "remark",
        "observe",
        "comment",
        "contend",
        "maintain",
        "assert",
        "affirm",
        "point",
        "call",
        "criticise",
        "criticize",
        "praise",
        "defend",
        "question",
        "testify",
        "boast",
        "joke",
        "quip",
        "recount",
        "disclose",
        "announce",
        "propose",
        "demand",
        "threaten",
        "caution",
        "lament",
        "brag",
        "tout",
        "dismiss",
        "blast",
        "slam",
        "mock",
        "email",
        "inform",
        "remind",
        "signal",
        "hint",
        "imply",
        "estimate",
        "forecast",
        "project",
    ]
)
BELIEF_VERBS = frozenset(
    [
        "believe",
        "think",
        "feel",
        "know",
        "fear",
        "hope",
        "worry",
        "expect",
        "doubt",
        "suspect",
        "consider",
        "reckon",
        "wonder",
        "understand",
        "learn",
        "find",
        "show",
        "suggest",
        "indicate",
        "conclude",
        "decide",
        "want",
        "plan",
        "intend",
        "seek",
    ]
)
# Verbs whose to-infinitive is the attributed content: "vowed to make Mexico pay".
INTENT_VERBS = frozenset(
    [
        "want",
        "plan",
        "intend",
        "seek",
        "vow",
        "promise",
        "pledge",
        "refuse",
        "decline",
        "expect",
        "hope",
        "threaten",
        "urge",
        "aim",
        "try",
        "offer",
        "agree",
        "demand",
        "ask",
        "call",
    ]
)
CUE_VERBS = SPEECH_VERBS | BELIEF_VERBS | INTENT_VERBS
# Verbs that attribute only with a clausal complement ("found that", "show that"), never on
# their own ("found the keys", "want a deal"): too noisy as bare cues.
CLAUSE_ONLY_VERBS = frozenset(
    [
        "find",
        "show",
        "know",
        "understand",
        "learn",
        "want",
        "plan",
        "intend",
        "seek",
        "decide",
        "consider",
        "point",
        "call",
        "continue",
        "project",
        "post",
        "answer",
        "feel",
    ]
)
# Nouns that carry an attribution in a prepositional phrase: "in a statement", "in an interview".
CUE_NOUNS = frozenset(
    [
        "statement",
        "interview",
        "remarks",
        "speech",
        "briefing",
        "post",
        "tweet",
        "letter",
        "email",
        "op-ed",
        "column",
        "message",
        "video",
        "press",
        "release",
        "conference",
    ]
)
# "according to X", "as stated by X": the phrase heads that put the source in a PP.
ACCORDING = "according"


# Participles that work as prepositions ("especially considering the uncertainty", "given
# the risks"): no one is speaking, whatever the parse hangs them on.
PREPOSITION_PARTICIPLES = frozenset(
    ["considering", "regarding", "concerning", "including", "following", "given", "assuming"]
)


def is_cue_verb(token: Any) -> bool:
    """True when a token is a verb whose lemma is an attribution cue."""
    if not (token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in CUE_VERBS):
        return False
    return not is_preposition_participle(token)


def is_unsaid(token: Any) -> bool:
    """True for a verb of what was not said: "ended talks without announcing whether ...".

    Reported content only: 'without saying, "This is ..."' quotes the words all the same."""
    head = token.head
    return bool(token.tag_ == "VBG" and head.i != token.i and head.lower_ == "without")


def is_preposition_participle(token: Any) -> bool:
    """True for "considering", "given" and the like used as a preposition, without a subject."""
    if token.lower_ not in PREPOSITION_PARTICIPLES or token.tag_ not in ("VBG", "VBN"):
        return False
    return not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)


def needs_clause(token: Any) -> bool:
    """True when the cue verb attributes only when it governs a clause."""
    return bool(token.lemma_.lower() in CLAUSE_ONLY_VERBS)
