"""The store under faults: killed in the middle of writing, opened in a read-only folder, or
writing to a disk that is full. Committed feedback is never lost; a store that cannot work
records nothing, says so once in the log, and never makes an answer fail.

Each fault runs in a subprocess, so the kill is real and the file-size limit that stands in
for a full disk touches nothing else.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.store import Store

REPO = Path(__file__).resolve().parents[1]
NOBODY = 65534  # an unprivileged user, for whom file permissions hold even when we are root

VOTER = textwrap.dedent(
    """
    import asyncio, sys
    from bot.store import QuestionRecord, Store, Vote

    path, first = sys.argv[1], int(sys.argv[2])

    async def main():
        store = Store.open(path)
        print("ready", flush=True)
        message_id = first
        while True:
            vote = await store.record_vote(f"r{message_id}", 7, message_id % 2 == 0)
            await store.record_question(QuestionRecord(7, "en-US", f"q{message_id}", True, "guide"))
            assert vote is Vote.COUNTED, vote
            print(message_id, flush=True)  # committed: the call returned
            message_id += 1

    asyncio.run(main())
    """
)

# Uses the store the way the bot does and reports what happened, as one line of JSON.
USER = textwrap.dedent(
    """
    import asyncio, json, logging, os, resource, signal, sys
    from bot.store import QuestionRecord, Store

    path, file_limit, writes, user = sys.argv[1], *map(int, sys.argv[2:5])
    if user:  # root ignores file permissions: become someone who does not
        os.setgroups([])
        os.setgid(user)
        os.setuid(user)
    warnings = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                warnings.append(record.getMessage())

    logging.getLogger("bot.store").addHandler(Collect())

    async def main():
        store = Store.open(path)
        if file_limit:  # from now on no file of this process may grow past the limit
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
        recorded = []
        for n in range(writes):
            question = QuestionRecord(1, "en-US", f"question {n} " + "x" * 1500, True, "guide")
            if await store.record_question(question):
                recorded.append(n)
        vote = await store.record_vote("guide", 1, True)
        stats = await store.stats()
        print(json.dumps({
            "available": store.available,
            "recorded": recorded,
            "vote": vote.name,
            "stats_available": stats.available,
            "warnings": warnings,
        }))

    asyncio.run(main())
    """
)


def run_store_user(
    path: Path, *, file_limit: int = 0, writes: int = 5, user: int | None = None
) -> dict[str, Any]:
    """Run USER against the database at `path` in a subprocess (as `user`, if given); what
    it reported."""
    done = subprocess.run(
        [sys.executable, "-c", USER, str(path), str(file_limit), str(writes), str(user or 0)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def test_kill_during_writes_loses_no_committed_vote(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    committed: list[int] = []
    for round_, delay in enumerate((0.05, 0.2, 0.35, 0.5, 0.8)):
        process = subprocess.Popen(
            [sys.executable, "-c", VOTER, str(path), str(round_ * 1_000_000)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        first = int(process.stdout.readline())  # writing has begun
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        rest, _ = process.communicate(timeout=10)
        committed += [first, *(int(line) for line in rest.split())]

        assert integrity(path) == "ok", f"damaged after a kill at {delay} s"
        with sqlite3.connect(path) as db:
            stored = {int(row[0][1:]) for row in db.execute("SELECT resource_id FROM feedback")}
        lost = set(committed) - stored
        assert not lost, f"{len(lost)} committed votes lost after a kill at {delay} s"

    reopened = Store.open(path)
    try:
        assert reopened.available
    finally:
        reopened.close()
    print(f"\n{len(committed)} committed votes survived 5 kills")


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder the unprivileged user may enter (pytest's own tmp folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="store-faults-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for inner in (folder, *folder.rglob("*")):
            if inner.is_dir():
                inner.chmod(0o755)
        subprocess.run(["rm", "-rf", str(folder)], check=True)


def as_unprivileged() -> int | None:
    """Who to run as so that a read-only folder is read-only: us, unless we are root."""
    return NOBODY if os.geteuid() == 0 else None


def test_a_new_store_in_a_read_only_folder_degrades_with_one_warning(
    shared_folder: Path,
) -> None:
    read_only = shared_folder / "var"
    read_only.mkdir(mode=0o555)
    read_only.chmod(0o555)
    report = run_store_user(read_only / "bot.sqlite3", writes=3, user=as_unprivileged())
    assert report["available"] is False
    assert report["recorded"] == [] and report["vote"] == "NOT_RECORDED"
    assert report["stats_available"] is False
    [warning] = report["warnings"]
    assert "Cannot open the database" in warning and "RESOURCE_BOT_DB" in warning
    assert not (read_only / "bot.sqlite3").exists()


def test_an_existing_store_made_read_only_degrades_with_one_warning(shared_folder: Path) -> None:
    folder = shared_folder / "var"
    folder.mkdir()
    path = folder / "bot.sqlite3"
    Store.open(path).close()
    before = path.read_bytes()
    for inner in (path, *folder.glob("bot.sqlite3-*")):
        inner.chmod(0o444)
    folder.chmod(0o555)
    report = run_store_user(path, writes=3, user=as_unprivileged())
    assert report["recorded"] == [] and report["vote"] == "NOT_RECORDED"
    [warning] = report["warnings"]
    assert "Cannot open the database" in warning and "readonly database" in warning
    assert path.read_bytes() == before


def test_a_full_disk_stops_recording_with_one_warning_and_keeps_what_was_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    Store.open(path).close()
    limit = path.stat().st_size + 64 * 1024  # room for a few dozen questions, then full
    report = run_store_user(path, file_limit=limit, writes=200)
    recorded = report["recorded"]
    assert 0 < len(recorded) < 200, "the disk should fill part-way"
    [warning] = report["warnings"]
    assert "answers go on" in warning and "not recorded" in warning
    assert integrity(path) == "ok"
    with sqlite3.connect(path) as db:
        stored = {int(q.split()[1]) for (q,) in db.execute("SELECT question FROM questions")}
    assert set(recorded) <= stored, "a question the store said it recorded is missing"
    print(f"\nfull disk after {len(recorded)} of 200 questions; all {len(recorded)} kept")
