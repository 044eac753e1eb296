"""An inverted index from features to the active stories they characterise."""

from __future__ import annotations

from collections.abc import Iterable


class StoryIndex:
    """Posting lists of story ids per feature; only active stories' heaviest features enter."""

    def __init__(self, max_postings: int) -> None:
        # A feature held by more active stories than this retrieves nothing: it is common
        # vocabulary, not evidence of a story, and scoring it would grow with the archive.
        self.max_postings = max_postings
        self.postings: dict[str, set[str]] = {}

    def add(self, story_id: str, features: Iterable[str]) -> None:
        """Index `story_id` under each of `features`."""
        for feature in features:
            self.postings.setdefault(feature, set()).add(story_id)

    def remove(self, story_id: str, features: Iterable[str]) -> None:
        """Take `story_id` out of the posting lists of `features`."""
        for feature in features:
            stories = self.postings.get(feature)
            if stories is None:
                continue
            stories.discard(story_id)
            if not stories:
                del self.postings[feature]

    def candidates(self, query: dict[str, float], limit: int) -> list[str]:
        """Stories sharing the most query weight, at most `limit`, best first."""
        votes: dict[str, float] = {}
        for feature, weight in query.items():
            stories = self.postings.get(feature)
            if not stories or len(stories) > self.max_postings:
                continue
            for story_id in stories:
                votes[story_id] = votes.get(story_id, 0.0) + weight
        # Ties break on the id, not on set order, so every run retrieves the same stories.
        ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0]))
        return [story_id for story_id, _ in ranked[:limit]]
