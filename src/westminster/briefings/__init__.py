"""Briefings: the daily Westminster Update, Insights on one subject, and alerts.

Pure functions over models (Story, Analysis, Briefing): ranking (`ranking`), the daily
briefing's items (`daily`), Insights (`insights`), alert matching (`alerts`) and rendering as
HTML, Markdown or text (`render`). Reading the store and summarising are the pipeline's job
(`westminster.pipeline.briefs`).
"""

from westminster.briefings.alerts import (
    AlertMatch,
    Follow,
    match_alerts,
    match_article,
    match_item,
    matches_text,
    parse_query,
)
from westminster.briefings.daily import (
    DAILY_ITEMS,
    daily_briefing,
    daily_item,
    key_figures,
    key_quotes,
    weekly_briefing,
)
from westminster.briefings.insights import SubjectArticle, insights_briefing
from westminster.briefings.ranking import RankedStory, Signals, rank_stories, signals_for
from westminster.briefings.render import FORMATS, render
from westminster.briefings.subjects import BriefingError, Period, Subject, period_of_days

__all__ = [
    "DAILY_ITEMS",
    "FORMATS",
    "AlertMatch",
    "BriefingError",
    "Follow",
    "Period",
    "RankedStory",
    "Signals",
    "Subject",
    "SubjectArticle",
    "daily_briefing",
    "daily_item",
    "insights_briefing",
    "key_figures",
    "key_quotes",
    "match_alerts",
    "match_article",
    "match_item",
    "matches_text",
    "parse_query",
    "period_of_days",
    "rank_stories",
    "render",
    "signals_for",
    "weekly_briefing",
]
