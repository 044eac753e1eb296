"""Entities of an article: one per real-world referent, role mentions resolved by date."""

from westminster.nlp.entities.resolve import resolve_entities

__all__ = ["resolve_entities"]
