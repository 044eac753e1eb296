"""L0 models: frozen dataclasses shared by every layer. No library objects cross into them."""

from westminster.models.analysis import (
    Analysis,
    Entity,
    Evidence,
    Figure,
    Mention,
    Quote,
    QuoteSpeaker,
    Span,
    Topic,
    Unresolved,
)
from westminster.models.article import Article, RawPage, Rejection, RemovedLine
from westminster.models.briefing import (
    Briefing,
    BriefingFigure,
    BriefingItem,
    BriefingKind,
    BriefingQuote,
    CitedSentence,
    CoveragePoint,
    SourceRef,
)
from westminster.models.story import (
    Development,
    Story,
    StoryFigure,
    StoryMerge,
    StoryPerson,
    StoryQuote,
)

__all__ = [
    "Analysis",
    "Article",
    "Briefing",
    "BriefingFigure",
    "BriefingItem",
    "BriefingKind",
    "BriefingQuote",
    "CitedSentence",
    "CoveragePoint",
    "Development",
    "Entity",
    "Evidence",
    "Figure",
    "Mention",
    "Quote",
    "QuoteSpeaker",
    "RawPage",
    "Rejection",
    "RemovedLine",
    "SourceRef",
    "Span",
    "Story",
    "StoryFigure",
    "StoryMerge",
    "StoryPerson",
    "StoryQuote",
    "Topic",
    "Unresolved",
]
