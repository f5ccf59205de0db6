"""How the matcher's cost grows with the catalogue: `python -m benchmarks.growth`.

Runs the benchmark (`benchmarks.speed`) at 1,000, 10,000 and 50,000 resources (or the sizes
given) and prints one line per size: load + validate, build, index memory, and the ask
and autocomplete medians and 99th percentiles. The rapidfuzz baseline runs on fewer
questions at the larger sizes (it takes a quarter of a second a question at 50,000).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from benchmarks.speed import run

DEFAULT_SIZES = (1_000, 10_000, 50_000)
BASELINE_BUDGET = 2_000_000  # resources x questions for the baseline, per size


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark at each size and print a table (or JSON lines)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=DEFAULT_SIZES)
    parser.add_argument("--questions", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object per size")
    args = parser.parse_args(argv)
    header = (
        f"{'resources':>9}  {'load s':>6}  {'build s':>7}  {'memory MB':>9}  "
        f"{'ask med/p99 ms':>15}  {'autocomplete med/p99 ms':>23}  {'baseline/ask':>12}"
    )
    if not args.json:
        print(header)
    for size in args.sizes:
        figures = run(size, args.questions, args.seed, max(20, BASELINE_BUDGET // size))
        if args.json:
            print(json.dumps(asdict(figures)))
        else:
            print(
                f"{figures.resources:>9,}  {figures.load_seconds:>6.2f}  "
                f"{figures.build_seconds:>7.2f}  {figures.index_megabytes:>9.1f}  "
                f"{figures.ask_median_ms:>7.3f}/{figures.ask_p99_ms:<7.3f}  "
                f"{figures.autocomplete_median_ms:>11.3f}/{figures.autocomplete_p99_ms:<11.3f}  "
                f"{figures.baseline_over_ask:>11.0f}x"
            )
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
