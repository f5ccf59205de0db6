"""Answer quality on a set of questions with known right answers (`python -m bot eval`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.search import Index


class QueriesError(Exception):
    """The questions file cannot be read."""


@dataclass(frozen=True)
class Query:
    """One question and the resource ids that count as right (none: off-topic)."""

    text: str
    ok: tuple[str, ...]

    @property
    def off_topic(self) -> bool:
        return not self.ok


@dataclass
class Report:
    """Counts and misses of one evaluation run."""

    on_topic: int = 0
    off_topic: int = 0
    right_first: int = 0
    in_top3: int = 0
    reciprocal_rank_sum: float = 0.0
    refused_off_topic: int = 0
    wrongly_refused: int = 0
    misses: list[str] = field(default_factory=list)

    def rate(self, count: int, total: int) -> str:
        return f"{count}/{total} = {100 * count / total:.1f}%" if total else "n/a"

    def render(self) -> str:
        lines = ["Questions got wrong:" if self.misses else "No question got wrong."]
        lines.extend(f"  {miss}" for miss in self.misses)
        mrr = self.reciprocal_rank_sum / self.on_topic if self.on_topic else 0.0
        lines += [
            f"right first:          {self.rate(self.right_first, self.on_topic)}",
            f"right in top 3:       {self.rate(self.in_top3, self.on_topic)}",
            f"MRR:                  {mrr:.3f}",
            f"off-topic refused:    {self.rate(self.refused_off_topic, self.off_topic)}",
            f"on-topic refused:     {self.rate(self.wrongly_refused, self.on_topic)}",
        ]
        return "\n".join(lines)


def load_queries(path: Path) -> list[Query]:
    """Read a questions file shaped like `eval/dev.yaml`."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise QueriesError(f"{path}: cannot read questions: {error}") from None
    entries = document.get("queries") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise QueriesError(f"{path}: expected a 'queries' list")
    queries = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("q"), str):
            raise QueriesError(f"{path}: query {number} needs a 'q' text")
        ok = () if entry.get("none") else tuple(entry.get("ok") or ())
        queries.append(Query(entry["q"], ok))
    return queries


def evaluate(index: Index, queries: list[Query]) -> Report:
    """Ask every question and count how the answers compare with the right ones."""
    report = Report()
    for query in queries:
        answer = index.ask(query.text, limit=5)
        ranked = [m.resource.id for m in answer.results]
        if query.off_topic:
            report.off_topic += 1
            if not answer.confident:
                report.refused_off_topic += 1
            else:
                report.misses.append(f"[answered off-topic] {query.text!r} -> {ranked[0]}")
            continue
        report.on_topic += 1
        if not answer.confident:
            report.wrongly_refused += 1
            near = [m.resource.id for m in answer.suggestions]
            report.misses.append(f"[refused] {query.text!r} (near: {', '.join(near) or '-'})")
            continue
        rank = next((i for i, rid in enumerate(ranked, 1) if rid in query.ok), None)
        if rank == 1:
            report.right_first += 1
        else:
            report.misses.append(f"[rank {rank or '>5'}] {query.text!r} -> {ranked[0]}")
        if rank is not None:
            report.reciprocal_rank_sum += 1 / rank
            if rank <= 3:
                report.in_top3 += 1
    return report
