"""The benchmark: its generated catalogue is a valid one, and a small run reports every
figure. Speed itself is shown by `python -m benchmarks.speed`, not asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from argparse import Namespace
from collections import Counter
from dataclasses import fields
from pathlib import Path

import pytest

from benchmarks import speed as benchmark
from benchmarks import synthetic
from bot.catalog import parse_catalog

REPO = Path(__file__).resolve().parents[1]


def run_speed(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m benchmarks.speed ARGS` from the checkout, as `make bench` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.speed", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def catalogue_text() -> str:
    return synthetic.catalog_yaml(200, seed=3)


def test_generated_catalogue_validates_and_reads_like_the_real_one(catalogue_text: str) -> None:
    catalog = parse_catalog(catalogue_text.encode(), "<synthetic>")
    assert len(catalog) == 200
    assert len({r.id for r in catalog}) == 200
    for resource in catalog:
        assert set(resource.title) == set(resource.description) == {"en", "sv"}
        assert set(resource.questions) == {"en", "sv"} and resource.keywords
    # Many resources share words, and the vocabulary is much larger than the fixed lists.
    resources_with: Counter[str] = Counter()
    for resource in catalog:
        resources_with.update({w for t in resource.description.values() for w in t.split()})
    assert len(resources_with) > 400
    assert sum(1 for n in resources_with.values() if n >= 3) > 100


def test_generation_is_repeatable(catalogue_text: str) -> None:
    assert synthetic.catalog_yaml(200, seed=3) == catalogue_text
    assert synthetic.catalog_yaml(200, seed=4) != catalogue_text


def test_questions_have_typos_prefixes_and_off_topic_ones(catalogue_text: str) -> None:
    catalog = parse_catalog(catalogue_text.encode())
    stream = synthetic.questions(catalog, 300, seed=3)
    assert len(stream) == 300
    texts = [q.text for q in stream]
    assert any(text in synthetic.OFF_TOPIC for text in texts)
    for question in stream:
        assert (
            question.prefixes
            and question.prefixes[-1] == question.text[: len(question.prefixes[-1])]
        )
        assert all(question.text.startswith(prefix) for prefix in question.prefixes)
    known = {w for r in catalog for t in r.title.values() for w in t.lower().split()}
    misspelt = [t for t in texts if any(w not in known for w in t.lower().split())]
    assert len(misspelt) > 30


def test_small_run_reports_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    arguments = Namespace(resources=200, questions=50, seed=5, json=True)
    assert benchmark.main(arguments) == 0
    figures = json.loads(capsys.readouterr().out)
    names = {field.name for field in fields(benchmark.Figures)}
    assert set(figures) == names
    assert figures["resources"] == 200 and figures["questions"] == 50
    assert figures["autocomplete_calls"] >= 50
    assert figures["baseline_questions"] == 50
    assert figures["over_file_cap"] is False
    for name in names - {"seed", "over_file_cap"}:
        assert figures[name] > 0, name


def test_table_names_every_measurement(capsys: pytest.CaptureFixture[str]) -> None:
    assert benchmark.main(Namespace(resources=200, questions=20, seed=5, json=False)) == 0
    table = capsys.readouterr().out
    for label in ("load + validate", "index build", "index memory", "ask", "autocomplete"):
        assert label in table
    assert "token_set_ratio" in table and "baseline / ask" in table


def test_bench_says_each_step_on_stderr_and_keeps_stdout_for_the_figures() -> None:
    result = run_speed("--resources", "200", "--questions", "20")
    assert result.returncode == 0, result.stderr
    steps = result.stderr.splitlines()
    assert steps[0] == "generating 200 resources…"
    for step in ("building the index…", "timing ask (20 questions)…"):
        assert step in steps
    assert steps.index("building the index…") < steps.index("timing ask (20 questions)…")
    assert "…" not in result.stdout and "index build" in result.stdout
    quiet = run_speed("--resources", "200", "--questions", "20", "--json")
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert json.loads(quiet.stdout)["resources"] == 200


def test_bench_with_nothing_to_measure_is_a_clear_error() -> None:
    result = run_speed("--resources", "0")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "error: --resources and --questions must be at least 1\n"
