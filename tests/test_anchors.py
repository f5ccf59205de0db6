"""`benchmarks/anchors.py` runs with whatever engines are installed and says which it
skipped and how to add them. The figures themselves are the benchmark's to show."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks import anchors

REPO = Path(__file__).resolve().parents[1]


def test_the_comparison_runs_every_installed_engine_and_names_the_missing() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.anchors", "--resources", "60", "--questions", "20"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("| product | ") for line in lines)
    for engine in anchors.ENGINES:
        row = any(line.startswith(f"| {engine.name} | ") for line in lines)
        skipped = f"{engine.name}: skipped, not installed ({anchors.INSTALL})" in lines
        assert row != skipped, engine.name
        assert skipped == anchors.missing(engine), engine.name
