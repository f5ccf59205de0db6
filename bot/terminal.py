"""Answers rendered as plain-text cards for the terminal (the `ask` and `chat` commands)."""

from __future__ import annotations

import textwrap

from bot.search import Answer, Match

WIDTH = 78


def render_match(match: Match, language: str, rank: int | None = None) -> str:
    """One resource as a short card: title, link, description, and why it matched."""
    resource = match.resource
    heading = resource.title_in(language)
    if rank is not None:
        heading = f"{rank}. {heading}"
    lines = [heading, f"   {resource.url}"]
    description = textwrap.fill(
        resource.description_in(language),
        WIDTH,
        initial_indent="   ",
        subsequent_indent="   ",
    )
    lines.append(description)
    why = ", ".join(match.matched) if match.matched else "-"
    lines.append(
        f"   {resource.kind} · {resource.provider} · score {match.score:.2f} · matched: {why}"
    )
    return "\n".join(lines)


def render_answer(answer: Answer, language: str = "en") -> str:
    """The whole answer: the best card and the runners-up, or the near misses."""
    if answer.confident:
        best, *others = answer.results
        parts = [render_match(best, language)]
        if others:
            parts.append("Also relevant:")
            parts.extend(
                f"  - {m.resource.title_in(language)} ({m.resource.url})" for m in others[:2]
            )
        return "\n".join(parts)
    none_fits = (
        "Ingen resurs passar frågan." if language == "sv" else "No resource fits that question."
    )
    if not answer.suggestions:
        return none_fits
    header = "Närmast:" if language == "sv" else "Closest:"
    near = [f"  - {m.resource.title_in(language)} ({m.resource.url})" for m in answer.suggestions]
    return "\n".join([none_fits, header, *near])
