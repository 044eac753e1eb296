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

__all__ = [
    "Analysis",
    "Article",
    "Entity",
    "Evidence",
    "Figure",
    "Mention",
    "Quote",
    "QuoteSpeaker",
    "RawPage",
    "Rejection",
    "RemovedLine",
    "Span",
    "Topic",
    "Unresolved",
]
