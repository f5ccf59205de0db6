"""Speed at scale: `python -m benchmarks.speed [--resources N] [--questions M] [--seed S] [--json]`
(`make bench`), from a checkout: the benchmarks are not part of the installed bot.

One run generates a catalogue of N resources and M questions (`benchmarks.synthetic`), then
measures:
- load: parsing and validating the YAML text with the real loader (`parse_catalog`);
- build: `Index.build` on the loaded catalogue;
- restart against cold start, medians of RESTART_RUNS each, alternating: a restart is
  `Library.open` of the catalogue file with its index cache beside it (read, sha256, load +
  validate, the index loaded from the cache); a cold start is load + validate + build, as a
  start without the cache; and the size of the cache file;
- index memory: what `tracemalloc` sees still allocated after a second, traced build (the
  build stems its words itself, outside `text.stems`'s cache, so they are counted), and
  what answering the question stream on that index adds (the caches of question words);
- `ask` and autocomplete latency, median and 99th percentile: every question through `ask`,
  and every typed prefix of every question through `autocomplete`, in typing order;
- the baseline: plain rapidfuzz `process.extract(token_set_ratio)` over each resource's
  title and description (both languages, preprocessed once), on the first questions of the
  same stream, and how many times slower it is than `ask` on those same questions.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils

from benchmarks import synthetic
from bot import limits, text
from bot.catalog import Catalog, parse_catalog
from bot.index_cache import IndexCache
from bot.library import Library
from bot.search import Index

BASELINE_QUESTIONS = 200  # the baseline is slow: ~50 ms a question at 10,000 resources
BASELINE_LIMIT = 5
RESTART_RUNS = 3  # restarts and cold starts timed, alternating, for their medians


@dataclass(frozen=True)
class Figures:
    """What one benchmark run measured. Times are in milliseconds unless named seconds."""

    resources: int
    questions: int
    seed: int
    catalogue_megabytes: float
    over_file_cap: bool  # the file is larger than the bot reads; the cap was lifted to measure
    load_seconds: float
    build_seconds: float
    load_and_build_seconds: float
    # this process's CPU time: what other work on a busy machine adds is left out
    load_cpu_seconds: float
    build_cpu_seconds: float
    load_and_build_cpu_seconds: float
    index_megabytes: float
    caches_megabytes: float  # what answering the question stream added: word caches
    cold_start_median_ms: float  # load + validate + build
    restart_median_ms: float  # load + validate, the index from the cache
    cache_load_median_ms: float  # of which reading the index from the cache
    cold_over_restart: float
    index_cache_megabytes: float
    ask_median_ms: float
    ask_p99_ms: float
    ask_confident_share: float
    autocomplete_calls: int
    autocomplete_median_ms: float
    autocomplete_p99_ms: float
    baseline_questions: int
    baseline_median_ms: float
    baseline_p99_ms: float
    ask_median_on_baseline_questions_ms: float
    baseline_over_ask: float


def run(
    resources: int,
    questions: int,
    seed: int = 7,
    baseline_questions: int = BASELINE_QUESTIONS,
    progress: Callable[[str], None] = lambda step: None,
) -> Figures:
    """Generate a catalogue and questions, and measure the matcher on them; the baseline
    runs on the first `baseline_questions` of them. `progress` hears of each step as it
    starts (a run at 10,000 resources takes minutes), outside the timed parts."""
    progress(f"generating {resources:,} resources…")
    data = synthetic.catalog_yaml(resources, seed).encode()
    over_cap = len(data) > limits.CATALOG_FILE_BYTES

    progress("loading and validating the catalogue…")
    text.stems.cache_clear()
    gc.collect()
    with _file_cap_at_least(len(data)):
        started, started_cpu = time.perf_counter(), time.process_time()
        catalog = parse_catalog(data, "<synthetic>")
        loaded, loaded_cpu = time.perf_counter(), time.process_time()
    progress("building the index…")
    build_started, build_started_cpu = time.perf_counter(), time.process_time()
    index = Index.build(catalog)
    built, built_cpu = time.perf_counter(), time.process_time()
    load_seconds, load_cpu = loaded - started, loaded_cpu - started_cpu
    build_seconds, build_cpu = built - build_started, built_cpu - build_started_cpu

    progress(f"timing {RESTART_RUNS} restarts with the index cache and {RESTART_RUNS} without…")
    with _file_cap_at_least(len(data)):
        restart = _restarts(data, index)
    progress(f"generating {questions:,} questions…")
    stream = synthetic.questions(catalog, questions, seed)
    progress("measuring the index's memory (a second, traced build, then the questions)…")
    index_bytes, cache_bytes = _traced_build_bytes(catalog, stream)

    progress(f"timing ask ({len(stream):,} questions)…")
    ask_times, confident = [], 0
    for question in stream:
        elapsed, answer = _timed(index.ask, question.text)
        ask_times.append(elapsed)
        confident += answer.confident
    progress(f"timing autocomplete ({sum(len(q.prefixes) for q in stream):,} prefixes)…")
    prefix_times = [
        _timed(index.autocomplete, prefix)[0] for question in stream for prefix in question.prefixes
    ]

    compared = stream[:baseline_questions]
    progress(f"timing plain rapidfuzz ({len(compared):,} questions)…")
    choices = [_baseline_text(catalog, doc) for doc in range(len(catalog))]
    baseline_times = [
        _timed(
            process.extract,
            utils.default_process(question.text),
            choices,
            scorer=fuzz.token_set_ratio,
            processor=None,
            limit=BASELINE_LIMIT,
        )[0]
        for question in compared
    ]
    baseline_median = _median(baseline_times)
    ask_on_compared = _median(ask_times[: len(compared)])

    return Figures(
        resources=len(catalog),
        questions=len(stream),
        seed=seed,
        catalogue_megabytes=round(len(data) / 1_000_000, 2),
        over_file_cap=over_cap,
        load_seconds=round(load_seconds, 3),
        build_seconds=round(build_seconds, 3),
        load_and_build_seconds=round(load_seconds + build_seconds, 3),
        load_cpu_seconds=round(load_cpu, 3),
        build_cpu_seconds=round(build_cpu, 3),
        load_and_build_cpu_seconds=round(load_cpu + build_cpu, 3),
        index_megabytes=round(index_bytes / 1_000_000, 1),
        caches_megabytes=round(cache_bytes / 1_000_000, 1),
        **restart,
        ask_median_ms=_median(ask_times),
        ask_p99_ms=_p99(ask_times),
        ask_confident_share=round(confident / len(stream), 3) if stream else 0.0,
        autocomplete_calls=len(prefix_times),
        autocomplete_median_ms=_median(prefix_times),
        autocomplete_p99_ms=_p99(prefix_times),
        baseline_questions=len(compared),
        baseline_median_ms=baseline_median,
        baseline_p99_ms=_p99(baseline_times),
        ask_median_on_baseline_questions_ms=ask_on_compared,
        baseline_over_ask=round(baseline_median / ask_on_compared, 1) if ask_on_compared else 0.0,
    )


@contextmanager
def _file_cap_at_least(size: int) -> Iterator[None]:
    """Let `parse_catalog` read a catalogue of `size` bytes (a large one, for measuring)."""
    cap = limits.CATALOG_FILE_BYTES
    limits.CATALOG_FILE_BYTES = max(cap, size)
    try:
        yield
    finally:
        limits.CATALOG_FILE_BYTES = cap


def _restarts(data: bytes, index: Index) -> dict[str, float]:
    """Cold starts (load + validate + build) against restarts (`Library.open` with the
    index cache beside the file), alternating, in milliseconds; and the cache file's size."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "resources.yaml"
        path.write_bytes(data)
        cache = IndexCache.beside(path, data)
        cache.save(index)
        cold, restarts, cache_loads = [], [], []
        for _ in range(RESTART_RUNS):
            gc.collect()
            cold.append(_timed(lambda: Index.build(parse_catalog(data, str(path))))[0])
            gc.collect()
            elapsed, library = _timed(Library.open, path)
            restarts.append(elapsed)
            catalog = library.current.catalog
            del library
            cache_loads.append(_timed(cache.load, catalog)[0])
        megabytes = cache.path.stat().st_size / 1_000_000
    cold_median, restart_median = float(np.median(cold)), float(np.median(restarts))
    return {
        "cold_start_median_ms": round(cold_median, 1),
        "restart_median_ms": round(restart_median, 1),
        "cache_load_median_ms": round(float(np.median(cache_loads)), 1),
        "cold_over_restart": round(cold_median / restart_median, 1),
        "index_cache_megabytes": round(megabytes, 2),
    }


def _traced_build_bytes(catalog: Catalog, stream: Sequence[synthetic.Question]) -> tuple[int, int]:
    """Bytes still allocated after building an index under tracemalloc (the index kept),
    and what answering `stream` (its questions and their typed prefixes) added to that:
    the caches of question words that a running bot fills."""
    text.stems.cache_clear()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = Index.build(catalog)
        gc.collect()
        built = tracemalloc.get_traced_memory()[0]
        for question in stream:
            index.ask(question.text)
            for prefix in question.prefixes:
                index.autocomplete(prefix)
        gc.collect()
        answered = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        text.stems.cache_clear()  # the timed questions meet the words afresh, as at a start
    del index
    return built - before, answered - built


def _timed(function: Callable, *args: object, **kwargs: object) -> tuple[float, object]:
    """How long one call took, in milliseconds, and what it returned."""
    started = time.perf_counter_ns()
    result = function(*args, **kwargs)
    return (time.perf_counter_ns() - started) / 1e6, result


def _median(times: Sequence[float]) -> float:
    return round(float(np.median(times)), 3) if len(times) else 0.0


def _p99(times: Sequence[float]) -> float:
    return round(float(np.percentile(times, 99)), 3) if len(times) else 0.0


def _baseline_text(catalog: Catalog, doc: int) -> str:
    resource = catalog.resources[doc]
    return utils.default_process(
        " ".join([*resource.title.values(), *resource.description.values()])
    )


def render(figures: Figures) -> str:
    """The figures as a short table."""
    f = figures
    rows = [
        (
            "catalogue",
            f"{f.resources:,} resources ({f.catalogue_megabytes} MB of YAML"
            + (", over the file-size cap: lifted for this run)" if f.over_file_cap else ")"),
        ),
        ("load + validate", f"{f.load_seconds:.2f} s"),
        ("index build", f"{f.build_seconds:.2f} s"),
        (
            "load + validate + build",
            f"{f.load_and_build_seconds:.2f} s ({f.load_and_build_cpu_seconds:.2f} s of CPU)",
        ),
        (
            f"cold start / restart (medians of {RESTART_RUNS})",
            f"{f.cold_start_median_ms / 1000:.2f} s / {f.restart_median_ms / 1000:.2f} s "
            f"({f.cold_over_restart:.1f}x; the cached index loads in "
            f"{f.cache_load_median_ms / 1000:.2f} s)",
        ),
        ("index cache file", f"{f.index_cache_megabytes:.1f} MB"),
        (
            "index memory (tracemalloc)",
            f"{f.index_megabytes:.1f} MB, and {f.caches_megabytes:.1f} MB of word caches "
            "after the questions",
        ),
        (
            f"ask ({f.questions:,} questions)",
            f"median {f.ask_median_ms:.3f} ms, p99 {f.ask_p99_ms:.3f} ms, "
            f"{100 * f.ask_confident_share:.0f}% answered confidently",
        ),
        (
            f"autocomplete ({f.autocomplete_calls:,} prefixes)",
            f"median {f.autocomplete_median_ms:.3f} ms, p99 {f.autocomplete_p99_ms:.3f} ms",
        ),
        (
            f"rapidfuzz token_set_ratio ({f.baseline_questions} questions)",
            f"median {f.baseline_median_ms:.2f} ms, p99 {f.baseline_p99_ms:.2f} ms",
        ),
        (
            "baseline / ask (same questions)",
            f"{f.baseline_over_ask:.0f}x "
            f"(ask median {f.ask_median_on_baseline_questions_ms:.3f} ms on them)",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def build_parser(
    prog: str = "python -m benchmarks.speed",
    description: str = "Measure speed on a synthetic catalogue (run from a checkout).",
) -> argparse.ArgumentParser:
    """The command line of `python -m benchmarks.speed`, and of the benchmarks that run on
    the same synthetic catalogue and questions (`benchmarks.anchors`)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--resources", type=int, default=10_000, help="catalogue size")
    parser.add_argument("--questions", type=int, default=1_000, help="questions to time")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser


def sizes_refused(args: argparse.Namespace) -> bool:
    """Say so on stderr, and return True, when the sizes asked for are not runnable."""
    if args.resources < 1 or args.questions < 1:
        print("error: --resources and --questions must be at least 1", file=sys.stderr)
        return True
    return False


def progress_printer(args: argparse.Namespace) -> Callable[[str], None]:
    """What names each step on stderr as it starts, unless JSON was asked for (JSON is for
    programs)."""

    def progress(step: str) -> None:
        if not args.json:
            print(step, file=sys.stderr, flush=True)

    return progress


def main(args: argparse.Namespace) -> int:
    """Run the benchmark as the command line asked; prints a table or JSON, and each step
    to stderr as it starts unless JSON was asked for."""
    if sizes_refused(args):
        return 2
    figures = run(args.resources, args.questions, args.seed, progress=progress_printer(args))
    print(json.dumps(asdict(figures), indent=2) if args.json else render(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(build_parser().parse_args()))
