"""The command line, run as a person runs it: a subprocess, stdout, stderr and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO / "eval" / "dev.yaml"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "RESOURCE_BOT_DATA"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_ask_prints_a_readable_card() -> None:
    result = run("ask", "when", "should", "I", "fine-tune")
    assert result.returncode == 0, result.stderr
    assert "Recommendations for LLM fine-tuning" in result.stdout
    assert "https://learn.microsoft.com/" in result.stdout
    assert "matched:" in result.stdout


def test_ask_in_swedish_prints_the_swedish_card() -> None:
    result = run("ask", "--lang", "sv", "när ska jag finjustera")
    assert result.returncode == 0, result.stderr
    assert "Rekommendationer för LLM fine-tuning" in result.stdout


def test_ask_json_has_the_documented_shape() -> None:
    result = run("ask", "--json", "fine-tune phi-2")
    answer = json.loads(result.stdout)
    assert set(answer) == {"query", "confident", "results", "suggestions"}
    assert answer["query"] == "fine-tune phi-2"
    assert answer["confident"] is True
    assert answer["results"][0]["id"] == "phinetuning"
    assert set(answer["results"][0]) == {"id", "title", "url", "score"}
    assert len(answer["results"]) <= 5


def test_ask_json_gives_titles_in_the_chosen_language() -> None:
    answer = json.loads(run("ask", "--json", "--lang", "sv", "kontinuerlig finjustering").stdout)
    assert answer["results"][0]["title"] == "Kontinuerlig Fine-Tuning"


def test_ask_json_refuses_off_topic_with_empty_results() -> None:
    answer = json.loads(run("ask", "--json", "best hiking trails in norway").stdout)
    assert answer["confident"] is False
    assert answer["results"] == []
    assert len(answer["suggestions"]) <= 3


def test_ask_reads_one_question_per_line_from_stdin() -> None:
    result = run("ask", "--json", "-", stdin="qlora tutorial\n\nhello\nfuncton calling\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["query"] for a in lines] == ["qlora tutorial", "hello", "functon calling"]
    assert [a["confident"] for a in lines] == [True, False, True]


def test_ask_with_a_broken_catalogue_prints_problems_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nresources: [\n", encoding="utf-8")
    result = run("ask", "--data", str(broken), "anything")
    assert result.returncode == 1
    assert f"{broken}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_accepts_the_shipped_catalogue() -> None:
    result = run("check")
    assert result.returncode == 0
    assert "valid, 20 resources" in result.stdout


def test_check_lists_problems_with_lines_and_exits_1(tmp_path: Path) -> None:
    shipped = (REPO / "data" / "resources.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "resources.yaml"
    broken.write_text(shipped.replace("kind: video", "kind: podcast", 1), encoding="utf-8")
    result = run("check", str(broken))
    assert result.returncode == 1
    line = next(n for n, text in enumerate(broken.read_text().splitlines(), 1) if "podcast" in text)
    assert (
        f"{broken}:{line}: resource 'ai-show-to-fine-tune-or-not': unknown kind 'podcast'"
        in result.stderr
    )


def test_eval_prints_every_figure() -> None:
    result = run("eval", str(DEV_SET))
    assert result.returncode == 0, result.stderr
    for label in (
        "right first:",
        "right in top 3:",
        "MRR:",
        "off-topic refused:",
        "on-topic refused:",
    ):
        assert label in result.stdout


def test_eval_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run("eval", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "cannot read questions" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_answers_until_end_of_input() -> None:
    result = run("chat", stdin="qdrant rag\nhello\n")
    assert result.returncode == 0
    assert "Retrieval Augmented Generation" in result.stdout
    assert "No resource fits “hello” well enough." in result.stdout


def test_console_script_answers_like_python_m_bot() -> None:
    script = Path(sys.executable).parent / "resource-bot"
    if not script.exists():
        pytest.skip("the project is not installed in this environment")
    result = subprocess.run(
        [str(script), "ask", "--json", "qlora tutorial"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert json.loads(result.stdout)["results"][0]["id"] == "phinetuning"


def test_version_is_the_project_version() -> None:
    import tomllib

    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.split() == ["resource-bot", declared]
