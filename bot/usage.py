"""What moderators' /resources-admin stats shows: the questions asked, those nothing answered,
and the votes, counted in one server's rows only (or every server's, for the operator).

Kept apart from bot.store, which opens the database and writes to it; this only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.database import Connection


@dataclass(frozen=True)
class FeedbackCount:
    resource_id: str
    helpful: int
    not_helpful: int


@dataclass(frozen=True)
class Stats:
    """Usage since a point in time (or ever)."""

    since: float | None
    questions: int
    most_asked: tuple[tuple[str, int], ...]
    unanswered: tuple[tuple[str, int], ...]
    feedback: tuple[FeedbackCount, ...]
    available: bool = True


def read_stats(db: Connection, since: float | None, limit: int, guild_id: int | None) -> Stats:
    """Most asked questions, questions without a confident answer, and the votes per
    resource since `since` (None: ever), in the server `guild_id` (None: every server).
    A server's moderators are shown only their server's rows: what others asked is theirs."""
    start = since if since is not None else float("-inf")
    # One server's rows, or every row (SQL that both SQLite and PostgreSQL take).
    server, key = ("AND guild_id = ?", (guild_id,)) if guild_id is not None else ("", ())

    def grouped(where: str) -> tuple[tuple[str, int], ...]:
        rows = db.execute(
            "SELECT MIN(question), COUNT(*) AS n FROM questions"
            f" WHERE asked_at >= ? {server} {where} GROUP BY normalized"
            " ORDER BY n DESC, MAX(asked_at) DESC LIMIT ?",
            (start, *key, limit),
        ).fetchall()
        return tuple((question, count) for question, count in rows)

    total = db.execute(
        f"SELECT COUNT(*) FROM questions WHERE asked_at >= ? {server}", (start, *key)
    ).fetchone()[0]
    votes = db.execute(
        "SELECT resource_id, SUM(helpful), SUM(1 - helpful) FROM feedback"
        f" WHERE voted_at >= ? {server} GROUP BY resource_id"
        " ORDER BY SUM(helpful) + SUM(1 - helpful) DESC, resource_id LIMIT ?",
        (start, *key, limit),
    ).fetchall()
    return Stats(
        since=since,
        questions=total,
        most_asked=grouped(""),
        unanswered=grouped("AND confident = 0"),
        feedback=tuple(FeedbackCount(r, int(h), int(n)) for r, h, n in votes),
    )
