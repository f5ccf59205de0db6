"""Answer quality of the product and of plain BM25, side by side: `python -m benchmarks.quality`.

Every public set is measured in the same run: the seed catalogue with its hints (keywords and
example questions) and without them, the whole-course catalogue, which has none, and a
second course's catalogue nobody tuned on (`eval/other`); the seed and the course each with
their public questions and with the team's (`tests/data`), written without looking at how
the matcher ranks them. The baseline is bm25s over each resource's text in both languages,
words stemmed for English and Swedish; it answers when its best score reaches a threshold,
chosen once, as the one that does best on the seed catalogue's development set (the product
is tuned there too).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from bot import text
from bot.catalog import Catalog, Resource, load_catalog
from bot.evaluation import Query, Report, evaluate, load_queries
from bot.search import Answer, Index, Match

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "resources.yaml"
COURSE = REPO / "eval" / "course" / "catalog.yaml"
OTHER = REPO / "eval" / "other" / "catalog.yaml"


@dataclass(frozen=True)
class QualitySet:
    """A catalogue and the questions asked of it."""

    name: str
    catalog_path: Path
    questions_path: Path
    plain: bool = False  # drop keywords and example questions first
    english_only: bool = False  # drop every text in another language first

    def catalog(self) -> Catalog:
        return _catalog(self.catalog_path, self.plain, self.english_only)

    def queries(self) -> list[Query]:
        return load_queries(self.questions_path)


PUBLIC_SETS = (
    QualitySet("seed, dev", SEED, REPO / "eval" / "dev.yaml"),
    QualitySet("seed, team", SEED, REPO / "tests" / "data" / "more_questions.yaml"),
    QualitySet("seed plain, dev", SEED, REPO / "eval" / "dev.yaml", plain=True),
    QualitySet("seed plain, team", SEED, REPO / "tests" / "data" / "more_questions.yaml", True),
    QualitySet("course, dev", COURSE, REPO / "eval" / "course" / "dev.yaml"),
    QualitySet("course, team", COURSE, REPO / "tests" / "data" / "course_questions.yaml"),
    QualitySet("other course", OTHER, REPO / "eval" / "other" / "questions.yaml"),
    # Catalogues written in English only, asked in both languages (as many communities are)
    QualitySet("course en, dev", COURSE, REPO / "eval" / "course" / "dev.yaml", english_only=True),
    QualitySet("other en", OTHER, REPO / "eval" / "other" / "questions.yaml", english_only=True),
)


@cache
def _catalog(path: Path, plain: bool, english_only: bool) -> Catalog:
    catalog = load_catalog(path)
    if plain:
        catalog = catalog.without_hints()
    return _in_english(catalog) if english_only else catalog


def _in_english(catalog: Catalog) -> Catalog:
    """`catalog` with its English texts alone: titles, descriptions and names."""

    def english(texts: Mapping[str, str]) -> dict[str, str]:
        return {"en": texts["en"]} if "en" in texts else dict(texts)

    def names(category: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
        return {key: english(texts) for key, texts in category.items()}

    resources = tuple(
        replace(
            r,
            title=english(r.title),
            description=english(r.description),
            questions={k: v for k, v in r.questions.items() if k == "en"},
        )
        for r in catalog.resources
    )
    return replace(
        catalog,
        resources=resources,
        sections=names(catalog.sections),
        kinds=names(catalog.kinds),
        topics=names(catalog.topics),
    )


class BM25Baseline:
    """Plain BM25 (bm25s) over each resource's title, description, keywords and questions."""

    def __init__(self, catalog: Catalog, threshold: float = 0.0) -> None:
        self.resources = catalog.resources
        self.threshold = threshold
        self._stemmers = (Stemmer.Stemmer("english"), Stemmer.Stemmer("swedish"))
        corpus = [self._tokens(" ".join(_texts(r))) for r in self.resources]
        self._retriever = bm25s.BM25()
        self._retriever.index(corpus, show_progress=False)
        self._vocabulary = {t for doc in corpus for t in doc}

    def _tokens(self, raw: str) -> list[str]:
        words = text.surface_words(raw)
        return [stem for w in words for stem in {s.stemWord(w) for s in self._stemmers}]

    def scores(self, question: str) -> np.ndarray:
        """The BM25 score of every resource for `question`."""
        tokens = [t for t in self._tokens(question) if t in self._vocabulary]
        if not tokens:
            return np.zeros(len(self.resources))
        return np.asarray(self._retriever.get_scores(tokens))

    def ask(self, question: str, limit: int = 5) -> Answer:
        """An answer shaped like the product's: confident when the best score is high enough."""
        scores = self.scores(question)
        order = np.argsort(-scores, kind="stable")[:limit]
        matches = tuple(Match(self.resources[i], float(scores[i]), ()) for i in order)
        if matches and matches[0].score > 0 and matches[0].score >= self.threshold:
            return Answer(question, True, matches, ())
        return Answer(question, False, (), matches[:3])


def _texts(resource: Resource) -> list[str]:
    return [
        *resource.title.values(),
        *resource.description.values(),
        *resource.keywords,
        *(q for qs in resource.questions.values() for q in qs),
    ]


def calibrated_threshold(baseline: BM25Baseline, queries: list[Query]) -> float:
    """The score threshold that gets the most questions right (answered right, or off-topic
    and refused) on `queries`."""
    scored = [(baseline.scores(q.text), q) for q in queries]
    best_of = [(float(scores.max(initial=0.0)), q) for scores, q in scored]
    tops = {q.text: baseline.resources[int(np.argmax(scores))].id for scores, q in scored}

    def right(threshold: float) -> int:
        return sum(
            (score >= threshold and tops[q.text] in q.ok) or (score < threshold and q.off_topic)
            for score, q in best_of
        )

    candidates = sorted({score for score, _ in best_of})
    return max(candidates, key=right, default=0.0)


COLUMNS: tuple[tuple[str, Callable[[Report], float]], ...] = (
    ("right first", lambda r: r.right_first / r.on_topic),
    ("top 3", lambda r: r.in_top3 / r.on_topic),
    ("off-topic refused", lambda r: r.refused_off_topic / max(r.off_topic, 1)),
    ("wrongly refused", lambda r: r.wrongly_refused / r.on_topic),
)


def measure(sets: tuple[QualitySet, ...] = PUBLIC_SETS) -> dict[str, dict[str, Report]]:
    """The product's and BM25's report on every set, in one run."""
    seed = PUBLIC_SETS[0]
    threshold = calibrated_threshold(BM25Baseline(seed.catalog()), seed.queries())
    reports: dict[str, dict[str, Report]] = {}
    for quality_set in sets:
        catalog, queries = quality_set.catalog(), quality_set.queries()
        reports[quality_set.name] = {
            "product": evaluate(Index.build(catalog), queries),
            "bm25": evaluate(BM25Baseline(catalog, threshold), queries),
        }
    return reports


def render(reports: dict[str, dict[str, Report]]) -> str:
    """One table: a row per set and system, a column per figure."""
    header = f"{'set':<18} {'system':<8} " + " ".join(f"{name:>17}" for name, _ in COLUMNS)
    lines = [header, "-" * len(header)]
    for name, by_system in reports.items():
        for system, report in by_system.items():
            figures = " ".join(f"{column(report):>17.2f}" for _, column in COLUMNS)
            lines.append(f"{name:<18} {system:<8} {figures}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the side-by-side table, and with --misses the product's misses per set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the product's misses")
    args = parser.parse_args(argv)
    reports = measure()
    if args.misses:
        for name, by_system in reports.items():
            print(f"== {name}")
            print("\n".join(by_system["product"].misses) or "(none)")
    print(render(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
