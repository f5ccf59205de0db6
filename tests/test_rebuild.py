"""Reloads and uploads built in the worker process: answers keep coming meanwhile, errors
reach the moderator as before, and a worker that dies changes nothing."""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks import synthetic
from bot import handover, limits
from bot.catalog import CatalogError, parse_catalog
from bot.index_cache import cache_path
from bot.library import Library, Snapshot, TooManyResources
from bot.rebuild import WORKER, RebuildFailed

REPO = Path(__file__).resolve().parents[1]
SHIPPED = (REPO / "data" / "resources.yaml").read_bytes()
LARGE = 4000  # resources: seconds of work for the worker, so there is time to ask and to kill


@pytest.fixture(scope="module")
def large_yaml() -> bytes:
    data = synthetic.catalog_yaml(LARGE, seed=3).encode()
    assert len(data) <= limits.CATALOG_FILE_BYTES
    return data


@pytest.fixture
def catalogue_file(tmp_path: Path) -> Path:
    path = tmp_path / "resources.yaml"
    path.write_bytes(SHIPPED)
    return path


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


async def kill_worker_while(task: asyncio.Task[object], library: Library) -> None:
    """Kill the worker once `task` (a reload or upload of `library`) is under way."""
    pid = await WORKER.pid()
    while not library.busy:
        await asyncio.sleep(0)
    await asyncio.sleep(0.05)  # the job reaches the worker; its build takes seconds
    assert not task.done()
    os.kill(pid, signal.SIGKILL)


def test_a_handed_over_snapshot_answers_exactly_as_the_one_built(large_yaml: bytes) -> None:
    catalog = parse_catalog(large_yaml)
    built = Snapshot.build(catalog)
    received = asyncio.run(handover.unpack(handover.pack(built)))
    assert received.catalog == catalog
    first = received.catalog.resources[0]
    assert received.catalog.get(first.id) is first  # shared objects stay shared
    assert received.index.resources is received.catalog.resources
    for question in synthetic.questions(catalog, 200, seed=3):
        assert received.index.ask(question.text) == built.index.ask(question.text)
        assert received.index.autocomplete(question.prefixes[0]) == built.index.autocomplete(
            question.prefixes[0]
        )


async def test_questions_are_answered_from_the_old_catalogue_during_a_reload(
    catalogue_file: Path, large_yaml: bytes
) -> None:
    library = Library.open(catalogue_file)
    old = library.current
    catalogue_file.write_bytes(large_yaml)
    reload = asyncio.create_task(library.reload())
    answered = 0
    while not reload.done():
        answer = library.current.index.ask("when should I fine-tune")
        if not reload.done():
            assert library.current is old and answer.confident
            answered += 1
        await asyncio.sleep(0.001)
    diff = await reload
    assert answered > 10  # the event loop kept answering while the worker built
    assert diff.total == LARGE and len(library.current.catalog) == LARGE
    assert cache_path(catalogue_file).exists()  # saved by the worker for the next start


async def test_a_killed_worker_fails_the_reload_and_the_old_catalogue_stays(
    catalogue_file: Path, large_yaml: bytes
) -> None:
    library = Library.open(catalogue_file)
    old = library.current
    catalogue_file.write_bytes(large_yaml)
    reload = asyncio.create_task(library.reload())
    await kill_worker_while(reload, library)
    with pytest.raises(RebuildFailed):
        await reload
    assert library.current is old
    assert library.current.index.ask("when should I fine-tune").confident
    # the next reload starts a new worker and succeeds
    assert (await library.reload()).total == LARGE


async def test_a_killed_worker_fails_the_upload_and_changes_nothing(
    catalogue_file: Path, large_yaml: bytes
) -> None:
    library = Library.open(catalogue_file)
    old = library.current
    before = files_in(catalogue_file.parent)
    upload = asyncio.create_task(library.replace(large_yaml, "big.yaml"))
    await kill_worker_while(upload, library)
    with pytest.raises(RebuildFailed):
        await upload
    assert library.current is old
    assert files_in(catalogue_file.parent) == before


async def test_an_idle_worker_that_died_is_replaced_by_the_next_reload(
    catalogue_file: Path,
) -> None:
    library = Library.open(catalogue_file)
    pid = await WORKER.pid()
    os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(RebuildFailed):  # unless the death was noticed before it
        await library.reload()
    assert (await library.reload()).unchanged
    assert await WORKER.pid() != pid


async def test_worker_errors_reach_the_caller_whole(catalogue_file: Path) -> None:
    library = Library(catalogue_file, Library.open(catalogue_file).current, max_resources=5)
    with pytest.raises(TooManyResources) as too_many:
        await library.reload()
    assert (too_many.value.count, too_many.value.limit) == (20, 5)
    broken = SHIPPED.replace(b"kind: video", b"kind: podcast")
    with pytest.raises(CatalogError) as caught:
        await Library.open(catalogue_file).replace(broken, "mine.yaml")
    assert caught.value.problems and all(p.path == "mine.yaml" for p in caught.value.problems)


BOT_WITH_A_WORKER = """
import asyncio, sys, time
from bot.rebuild import WORKER
print(asyncio.run(WORKER.pid()), flush=True)
time.sleep(120)
"""


def test_the_worker_does_not_outlive_a_bot_killed_outright() -> None:
    """A SIGKILLed bot cannot stop its worker; the worker notices and exits, and nothing is
    left holding the bot's output open (a supervisor reading it would wait forever)."""
    bot = subprocess.Popen(
        [sys.executable, "-c", BOT_WITH_A_WORKER], cwd=REPO, stdout=subprocess.PIPE
    )
    try:
        worker = int(bot.stdout.readline())
        os.kill(bot.pid, signal.SIGKILL)
        bot.wait()
        deadline = time.monotonic() + 30
        while running(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not running(worker), "the worker outlived the bot"
        ready, _, _ = select.select([bot.stdout], [], [], 30)
        assert ready and bot.stdout.read() == b"", "something still holds the bot's output"
    finally:
        bot.kill()
        bot.stdout.close()


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
