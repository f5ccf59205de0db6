"""Answers during a reload: `python -m benchmarks.reload [--resources N] [--json]`, from a
checkout.

Questions arrive on the event loop at a steady rate (one every INTERVAL_MS, whether or not
the last was answered), and each one's latency runs from when it arrived to when it was
answered, so a stalled event loop shows as the waiting it causes, not only as slow `ask`
calls. Three periods of the same run, on the same catalogue of N resources and questions:
- none: no reload, for as many questions as the longest reload took;
- worker: `Library.reload` as the bot does it, built in the worker process, then
  `memory.settle` as the bot calls it after a reload;
- thread: the same reload built in a thread (`asyncio.to_thread`), as before the worker,
  then `memory.settle`.
Each reload rebuilds the index (the file differs from the one the cache was saved for).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from benchmarks import synthetic
from bot import limits, memory
from bot.library import Library, load_snapshot
from bot.rebuild import WORKER

INTERVAL_MS = 5.0  # a question every 5 ms: 200 a second, busier than a large server
QUESTIONS = 500


@dataclass(frozen=True)
class Period:
    """The latencies of the questions answered during one period, in milliseconds."""

    name: str
    seconds: float
    questions: int
    median_ms: float
    p99_ms: float
    max_ms: float


async def _ask_until(library: Library, questions: list[str], done: Callable[[int], bool]) -> list:
    """Ask `questions` round and round, one every INTERVAL_MS, until `done(asked)`; each
    latency from the moment the question was due."""
    latencies: list[float] = []
    start = time.perf_counter()
    asked = 0
    while not done(asked):
        due = start + asked * INTERVAL_MS / 1000
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        library.current.index.ask(questions[asked % len(questions)])
        latencies.append((time.perf_counter() - due) * 1000)
        asked += 1
    return latencies


async def _during(
    name: str, library: Library, questions: list[str], work: Awaitable[object]
) -> Period:
    started = time.perf_counter()
    task = asyncio.ensure_future(work)
    latencies = await _ask_until(library, questions, lambda _: task.done())
    await task
    return _period(name, time.perf_counter() - started, latencies)


async def _reload_in_a_thread(library: Library) -> None:
    """The reload as it was before the worker: built in a thread, then settled."""
    await asyncio.to_thread(load_snapshot, library.path, library.max_resources)
    memory.settle()


async def _reload_as_the_bot(library: Library) -> None:
    """A reload followed by what the bot does after one (`memory.settle`)."""
    await library.reload()
    memory.settle()


def _period(name: str, seconds: float, latencies: list[float]) -> Period:
    values = np.array(latencies or [0.0])
    return Period(
        name=name,
        seconds=round(seconds, 2),
        questions=len(latencies),
        median_ms=round(float(np.median(values)), 3),
        p99_ms=round(float(np.percentile(values, 99)), 3),
        max_ms=round(float(values.max()), 3),
    )


async def run(resources: int, seed: int = 7) -> list[Period]:
    """Measure the three periods on a generated catalogue of `resources`."""
    data = synthetic.catalog_yaml(resources, seed).encode()
    if len(data) + 64 > limits.CATALOG_FILE_BYTES:
        raise SystemExit(f"{resources:,} resources are over the catalogue file-size cap")
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "resources.yaml"
            path.write_bytes(data)
            library = Library.open(path)
            catalog = library.current.catalog
            questions = [q.text for q in synthetic.questions(catalog, QUESTIONS, seed)]
            await WORKER.pid()  # started before timing, as in a bot that has reloaded once

            path.write_bytes(data + b"\n# edited: rebuilt in the worker\n")
            worker = await _during("worker", library, questions, _reload_as_the_bot(library))
            path.write_bytes(data + b"\n# edited: rebuilt in a thread\n")
            thread = await _during("thread", library, questions, _reload_in_a_thread(library))
            count = max(worker.questions, thread.questions)
            started = time.perf_counter()
            calm = await _ask_until(library, questions, lambda asked: asked >= count)
            none = _period("none", time.perf_counter() - started, calm)
    finally:
        WORKER.shutdown()
    return [none, worker, thread]


def render(periods: list[Period], resources: int) -> str:
    """The periods as a table."""
    lines = [
        f"ask latency at {resources:,} resources, a question every {INTERVAL_MS:g} ms "
        "(from when it was due)",
        f"{'reload':<8} {'seconds':>8} {'questions':>10} {'median':>9} {'p99':>9} {'max':>9}",
    ]
    lines += [
        f"{p.name:<8} {p.seconds:>8.2f} {p.questions:>10} {p.median_ms:>6.2f} ms "
        f"{p.p99_ms:>6.2f} ms {p.max_ms:>6.1f} ms"
        for p in periods
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark as the command line asked."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.reload",
        description="Ask latency during a reload, in the worker and in a thread.",
    )
    parser.add_argument("--resources", type=int, default=10_000, help="catalogue size")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if args.resources < 1:
        print("error: --resources must be at least 1", file=sys.stderr)
        return 2
    periods = asyncio.run(run(args.resources, args.seed))
    if args.json:
        print(json.dumps([asdict(p) for p in periods], indent=2))
    else:
        print(render(periods, args.resources))
    return 0


if __name__ == "__main__":
    sys.exit(main())
