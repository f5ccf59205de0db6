"""The product beside the search engines a user might pick instead, in one run:
`python -m benchmarks.anchors [--resources N] [--questions M] [--json]`, from a checkout.

Every engine indexes the same generated catalogue (`benchmarks.synthetic`) and answers the
same questions (typos, prefixes of words, off-topic ones), five results each:
- product: `Index.build` and `Index.ask` (ranking, phrase bonus and the confidence call);
- tantivy (Rust, BM25 with fuzzy terms at edit distance 1), indexed in a temporary folder;
- bm25s: plain BM25 over stemmed words, as `benchmarks.quality` compares with;
- SQLite FTS5 (BM25, unicode61 words), in memory.
Per engine: ask p50 / p99, build time, index memory (what tracemalloc sees held for the
Python ones, the folder for tantivy, the database pages for FTS5), and each as a ratio to
the product. The engines are benchmark dependencies only, never the bot's:
`pip install -e '.[bench]'`; a missing one is skipped with a line that says how to add it.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from benchmarks import speed, synthetic
from bot import text
from bot.catalog import Catalog, Resource, parse_catalog
from bot.search import Index

LIMIT = 5
INSTALL = "pip install -e '.[bench]'"
TANTIVY_FIELDS = ("title", "description", "keywords", "questions")


@dataclass(frozen=True)
class Row:
    """One engine's figures; times in milliseconds unless named seconds."""

    engine: str
    ask_p50_ms: float
    ask_p99_ms: float
    build_seconds: float
    memory_megabytes: float
    memory_kind: str


class Engine:
    """An engine under test: `build` indexes the catalogue, `ask` returns the best ids."""

    name = ""
    module = ""  # the package it needs, if any
    memory_kind = "tracemalloc"

    def build(self, catalog: Catalog) -> None:
        raise NotImplementedError

    def ask(self, question: str) -> object:
        raise NotImplementedError

    def memory_bytes(self) -> int | None:
        """Bytes the index takes where tracemalloc cannot see them (None: it can)."""
        return None


class Product(Engine):
    name = "product"

    def build(self, catalog: Catalog) -> None:
        self.index = Index.build(catalog)

    def ask(self, question: str) -> object:
        return self.index.ask(question, LIMIT)


class Tantivy(Engine):
    name = "tantivy"
    module = "tantivy"
    memory_kind = "on disk"

    def build(self, catalog: Catalog) -> None:
        import tantivy

        schema = tantivy.SchemaBuilder()
        for field in TANTIVY_FIELDS:
            schema.add_text_field(field, stored=False)
        schema.add_unsigned_field("doc", stored=True)
        self._folder = tempfile.TemporaryDirectory()
        self.index = tantivy.Index(schema.build(), path=self._folder.name)
        writer = self.index.writer(heap_size=64 * 2**20, num_threads=1)
        for number, resource in enumerate(catalog):
            fields = _fields(resource)
            writer.add_document(tantivy.Document(doc=number, **fields))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        self.fuzzy = {field: (False, 1, True) for field in TANTIVY_FIELDS}

    def ask(self, question: str) -> object:
        words = text.surface_words(question)
        if not words:
            return []
        query = self.index.parse_query(
            " ".join(words), list(TANTIVY_FIELDS), fuzzy_fields=self.fuzzy
        )
        return self.searcher.search(query, LIMIT).hits

    def memory_bytes(self) -> int | None:
        return sum(p.stat().st_size for p in Path(self._folder.name).rglob("*") if p.is_file())


class BM25S(Engine):
    name = "bm25s"
    module = "bm25s"

    def build(self, catalog: Catalog) -> None:
        from benchmarks.quality import BM25Baseline

        self.baseline = BM25Baseline(catalog)

    def ask(self, question: str) -> object:
        return self.baseline.ask(question, LIMIT)


class FTS5(Engine):
    name = "SQLite FTS5"
    memory_kind = "db pages"

    def build(self, catalog: Catalog) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, description, keywords, questions, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO docs (rowid, title, description, keywords, questions) "
            "VALUES (?, ?, ?, ?, ?)",
            [(n, *_fields(r).values()) for n, r in enumerate(catalog)],
        )
        self.db.commit()

    def ask(self, question: str) -> object:
        words = text.surface_words(question)
        if not words:
            return []
        query = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        return self.db.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
            (query, LIMIT),
        ).fetchall()

    def memory_bytes(self) -> int | None:
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        return pages * self.db.execute("PRAGMA page_size").fetchone()[0]


ENGINES: tuple[type[Engine], ...] = (Product, Tantivy, BM25S, FTS5)


def _fields(resource: Resource) -> dict[str, str]:
    return {
        "title": " ".join(resource.title.values()),
        "description": " ".join(resource.description.values()),
        "keywords": " ".join(resource.keywords),
        "questions": " ".join(q for qs in resource.questions.values() for q in qs),
    }


def missing(engine: type[Engine]) -> bool:
    """True when the package the engine needs is not installed."""
    return bool(engine.module) and importlib.util.find_spec(engine.module) is None


def measure(engine: Engine, catalog: Catalog, questions: list[str]) -> Row:
    """Build `engine` on `catalog` (timed), again under tracemalloc for its memory (tracing
    slows a build), then time every question."""
    engine.build(catalog.without_hints())  # imports and first-use set-up, outside the timing
    gc.collect()
    started = time.perf_counter()
    engine.build(catalog)
    build_seconds = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        engine.build(catalog)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    outside = engine.memory_bytes()
    times = []
    for question in questions:
        started_ns = time.perf_counter_ns()
        engine.ask(question)
        times.append((time.perf_counter_ns() - started_ns) / 1e6)
    return Row(
        engine=engine.name,
        ask_p50_ms=round(float(np.median(times)), 3),
        ask_p99_ms=round(float(np.percentile(times, 99)), 3),
        build_seconds=round(build_seconds, 3),
        memory_megabytes=round((held if outside is None else outside) / 1e6, 1),
        memory_kind=engine.memory_kind,
    )


def run(
    resources: int,
    questions: int,
    seed: int = 7,
    progress: Callable[[str], None] = lambda step: None,
) -> tuple[list[Row], list[str]]:
    """Every installed engine on one generated catalogue and question stream; the rows
    (the product's first) and a line for each engine skipped."""
    progress(f"generating {resources:,} resources and {questions:,} questions…")
    catalog = parse_catalog(synthetic.catalog_yaml(resources, seed).encode(), "<synthetic>")
    stream = [q.text for q in synthetic.questions(catalog, questions, seed)]
    rows, skipped = [], []
    for engine in ENGINES:
        if missing(engine):
            skipped.append(f"{engine.name}: skipped, not installed ({INSTALL})")
            continue
        progress(f"{engine.name}: building and asking…")
        rows.append(measure(engine(), catalog, stream))
    return rows, skipped


def render(rows: list[Row], skipped: list[str], resources: int, questions: int) -> str:
    """The rows as a table, each figure with its ratio to the product's."""
    product = rows[0]

    def ratio(value: float, base: float) -> str:
        return f"{value / base:.2f}x" if base else "-"

    header = ("engine", "ask p50", "ask p99", "build", "index memory")
    lines = [
        f"{resources:,} resources, {questions:,} questions; ratios are to the product",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in rows:
        cells = [
            row.engine,
            f"{row.ask_p50_ms:.2f} ms ({ratio(row.ask_p50_ms, product.ask_p50_ms)})",
            f"{row.ask_p99_ms:.2f} ms ({ratio(row.ask_p99_ms, product.ask_p99_ms)})",
            f"{row.build_seconds:.2f} s ({ratio(row.build_seconds, product.build_seconds)})",
            f"{row.memory_megabytes:.1f} MB {row.memory_kind} "
            f"({ratio(row.memory_megabytes, product.memory_megabytes)})",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines + skipped)


def main(argv: list[str] | None = None) -> int:
    """Run the comparison as the command line asked."""
    args = speed.build_parser(
        "python -m benchmarks.anchors",
        "The product beside tantivy, bm25s and SQLite FTS5 (run from a checkout).",
    ).parse_args(argv)
    if speed.sizes_refused(args):
        return 2
    rows, skipped = run(args.resources, args.questions, args.seed, speed.progress_printer(args))
    if args.json:
        print(json.dumps({"rows": [asdict(r) for r in rows], "skipped": skipped}, indent=2))
    else:
        print(render(rows, skipped, args.resources, args.questions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
