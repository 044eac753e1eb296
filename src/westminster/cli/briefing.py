"""A readable briefing of one analysed article, for the terminal."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from westminster.models import Analysis, Entity

# Quotes longer than this are shortened in the terminal briefing (the JSON keeps them whole).
QUOTE_CHARS = 160
KIND_HEADINGS = (("person", "People"), ("organisation", "Organisations"), ("place", "Places"))


def _entity_rows(entities: tuple[Entity, ...], kind: str) -> Table | None:
    chosen = [e for e in entities if e.kind == kind]
    if not chosen:
        return None
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("Name")
    table.add_column("Mentions", justify="right")
    table.add_column("Also called")
    table.add_column("Offices on the day")
    for e in chosen:
        aliases = ", ".join(a for a in e.aliases if a != e.name)
        table.add_row(escape(e.name), str(len(e.mentions)), escape(aliases), ", ".join(e.offices))
    return table


def render_briefing(analysis: Analysis) -> Group:
    """Headline, metadata, summary, people, figures, topics and what was removed."""
    a = analysis.article
    parts: list[RenderableType] = []
    meta = " · ".join(
        x
        for x in (
            a.outlet,
            a.author,
            a.published.isoformat() if a.published else None,
            a.path or a.url,
        )
        if x
    )
    head = Text(a.title or "(no headline)", style="bold")
    parts.append(Panel(Group(head, Text(meta, style="dim")), expand=True))
    if analysis.summary:
        parts.append(Text("Summary", style="bold underline"))
        parts.append(Text(analysis.summary))
    for kind, heading in KIND_HEADINGS:
        table = _entity_rows(analysis.entities, kind)
        if table is not None:
            parts.append(Text(f"\n{heading}", style="bold underline"))
            parts.append(table)
    if analysis.quotes:
        parts.append(Text("\nWho said what", style="bold underline"))
        for q in analysis.quotes:
            who = q.speaker.name or q.speaker.text if q.speaker else "(speaker unknown)"
            words = q.text if len(q.text) <= QUOTE_CHARS else q.text[: QUOTE_CHARS - 1] + "…"
            parts.append(Text(f"- {who} ({q.kind}): {words}"))
    if analysis.figures:
        parts.append(Text("\nFigures", style="bold underline"))
        figures = Table(box=None, show_header=True, header_style="bold")
        for col in ("Figure", "Kind", "Value", "Unit"):
            figures.add_column(col)
        for f in analysis.figures:
            unit = f.unit or ""
            if f.per:
                unit = f"{unit} per {f.per}"
            value = (
                f"{f.value:,.0f}"
                if isinstance(f.value, float) and f.value.is_integer()
                else ("" if f.value is None else str(f.value))
            )
            if f.total is not None:
                value = f"{value} of {f.total:,.0f}"
            figures.add_row(escape(f.text), f.kind, value, escape(unit))
        parts.append(figures)
    if analysis.topics:
        parts.append(Text("\nTopics", style="bold underline"))
        parts.append(
            Text("; ".join(f"{t.name} ({', '.join(t.evidence[:4])})" for t in analysis.topics))
        )
    if analysis.keyphrases:
        parts.append(Text("\nKey phrases", style="bold underline"))
        parts.append(Text(", ".join(analysis.keyphrases)))
    if analysis.unresolved:
        parts.append(Text("\nLeft unresolved", style="bold underline"))
        for u in analysis.unresolved:
            parts.append(Text(f"“{u.text}” at {u.start}: {u.reason}"))
    if a.removed:
        parts.append(Text("\nRemoved as boilerplate", style="bold underline"))
        for r in a.removed:
            parts.append(Text(f"- {r.text}  ({r.reason})", style="dim"))
    return Group(*parts)


def print_briefing(analysis: Analysis, console: Console) -> None:
    """Print one briefing followed by a blank line."""
    console.print(render_briefing(analysis))
    console.print()
