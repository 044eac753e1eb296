"""Stories: an incremental engine that puts each new article into an active story or a new one."""

from westminster.stories.engine import Assignment, StoryEngine, story_id_for

__all__ = ["Assignment", "StoryEngine", "story_id_for"]
