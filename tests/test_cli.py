"""The command line, run as a person runs it: a subprocess, stdout, stderr and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bot.config import SETTING_NAMES
from bot.exitcodes import MEANINGS

REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO / "eval" / "dev.yaml"
SHIPPED = REPO / "data" / "resources.yaml"
# An empty working folder and state folder: a developer's .env or live catalogue in the
# checkout does not change what these tests see.
_SCRATCH = tempfile.TemporaryDirectory(prefix="resource-bot-cli-")
EMPTY = Path(_SCRATCH.name)


def run(
    *args: str,
    stdin: str | None = None,
    cwd: Path = EMPTY,
    settings: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `cwd`, with only the bot settings given (by default an
    empty state folder)."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env["PYTHONPATH"] = str(REPO)  # importable from any folder, installed or not
    env.update({"RESOURCE_BOT_STATE": str(EMPTY / "state")} if settings is None else settings)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def renamed_catalogue(folder: Path, title: str) -> Path:
    """A valid catalogue in `folder` whose first resource has the English title `title`."""
    folder.mkdir(parents=True, exist_ok=True)
    shipped = SHIPPED.read_text(encoding="utf-8")
    path = folder / "resources.yaml"
    path.write_text(shipped.replace("Recommendations for LLM fine-tuning", title, 1), "utf-8")
    return path


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
    assert "Utgivare: " in result.stdout and "Också relevant:" in result.stdout
    assert "Provider" not in result.stdout


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
    shipped = SHIPPED.read_text(encoding="utf-8")
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


def test_the_default_catalogue_is_found_from_any_folder(tmp_path: Path) -> None:
    result = run("ask", "when", "should", "I", "fine-tune", cwd=tmp_path, settings={})
    assert result.returncode == 0, result.stderr
    assert "Recommendations for LLM fine-tuning" in result.stdout
    check = run("check", cwd=tmp_path, settings={})
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith(f"{SHIPPED}: valid, 20 resources")


def test_the_live_catalogue_in_the_state_folder_is_what_answers(tmp_path: Path) -> None:
    live = renamed_catalogue(tmp_path / "state", "Live fine-tuning advice")
    settings = {"RESOURCE_BOT_STATE": str(live.parent)}
    for command in (["ask", "when should I fine-tune"], ["chat"]):
        result = run(*command, stdin="when should I fine-tune\n", settings=settings)
        assert result.returncode == 0, result.stderr
        assert "Live fine-tuning advice" in result.stdout
    check = run("check", settings=settings)
    assert check.stdout.startswith(f"{live}: valid")
    evaluation = run("eval", "--plain", str(DEV_SET), settings=settings)
    assert evaluation.returncode == 0, evaluation.stderr
    overridden = run("ask", "--data", str(SHIPPED), "when should I fine-tune", settings=settings)
    assert "Recommendations for LLM fine-tuning" in overridden.stdout


def test_the_settings_in_the_env_file_are_read(tmp_path: Path) -> None:
    default = renamed_catalogue(tmp_path / "data", "Default from the env file")
    (tmp_path / ".env").write_text(
        f"RESOURCE_BOT_DATA={default}\nRESOURCE_BOT_STATE=nothing-yet\n", encoding="utf-8"
    )
    result = run("ask", "when should I fine-tune", cwd=tmp_path, settings={})
    assert result.returncode == 0, result.stderr
    assert "Default from the env file" in result.stdout
    assert not (tmp_path / "nothing-yet").exists()  # asking never creates the state folder
    live = renamed_catalogue(tmp_path / "nothing-yet", "Live from the env file's state")
    result = run("check", cwd=tmp_path, settings={})
    assert result.stdout.startswith(f"{live.relative_to(tmp_path)}: valid")


def test_a_broken_env_file_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DISCORD_TOKEN=abc def-secret-part\n", encoding="utf-8")
    result = run("ask", "when should I fine-tune", cwd=tmp_path, settings={})
    assert result.returncode == 2
    assert result.stderr.startswith("error: DISCORD_TOKEN contains spaces")
    assert "secret-part" not in result.stderr and "Traceback" not in result.stderr
    (tmp_path / ".env").write_text("this is not a setting\n", encoding="utf-8")
    result = run("check", cwd=tmp_path, settings={})
    assert result.returncode == 2
    assert result.stderr == "error: .env:1: expected NAME=value\n"


def chat_at_a_terminal(keys: list[bytes], pythonpath: str = str(REPO)) -> str:
    """What `chat` shows at a (pseudo) terminal as someone types `keys`, one line at a
    time, each after the previous answer, then Ctrl-D."""
    import pty
    import select
    import time

    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env.update(PYTHONPATH=pythonpath, RESOURCE_BOT_STATE=str(EMPTY / "state"), TERM="xterm")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the chat, with the terminal as stdin and stdout
        os.chdir(EMPTY)
        os.execve(sys.executable, [sys.executable, "-m", "bot", "chat"], env)
    seen = b""

    def read_until_prompt(done: bytes = b"? ") -> None:
        """Read what the chat shows until it ends with `done` (the prompt) or the chat
        ends."""
        nonlocal seen
        deadline = time.monotonic() + 60
        start = len(seen)
        while not seen[start:].endswith(done) and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.5)[0]:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the chat ended and closed the terminal
                    return
                if not chunk:
                    return
                seen += chunk

    try:
        read_until_prompt()
        for key in keys:
            os.write(fd, key)
            read_until_prompt()
        os.write(fd, b"\x04")
        read_until_prompt(done=b"\x00never")
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        os.close(fd)
    return seen.decode("utf-8", "replace")


def test_chat_at_a_terminal_recalls_the_last_question_with_the_up_arrow() -> None:
    shown = chat_at_a_terminal([b"when should I fine-tune\r", b"\x1b[A\r"])
    assert "Ask about the catalogue; Ctrl-D to quit." in shown
    assert shown.count("Recommendations for LLM fine-tuning") == 2


def test_chat_at_a_terminal_works_without_readline(tmp_path: Path) -> None:
    (tmp_path / "readline.py").write_text("raise ImportError('no readline here')\n")
    shown = chat_at_a_terminal([b"when should I fine-tune\r"], f"{tmp_path}:{REPO}")
    assert shown.count("Recommendations for LLM fine-tuning") == 1
    assert "Traceback" not in shown


def test_help_names_each_exit_code_and_no_two_failures_share_one() -> None:
    result = run("--help")
    assert result.returncode == 0, result.stderr
    codes = [code for code, _ in MEANINGS]
    assert len(set(codes)) == len(codes)
    for code, meaning in MEANINGS:
        assert f"{code}" in result.stdout and meaning in result.stdout
