"""Catalogues shared by several processes through PostgreSQL: a change made through one is
served by the others within a second, a lost notice is caught, and a late starter serves the
current version. Each "process" here is a Catalogues over its own state folder, as each bot
process has; tests/discord/test_shards.py runs real bot processes."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from pathlib import Path

import psycopg
import pytest
from postgres_cluster import Cluster

from benchmarks import synthetic
from bot.config import LIVE_CATALOG_NAME
from bot.rebuild import WORKER
from bot.servers import SERVERS_FOLDER, Catalogues
from bot.shared_catalogues import CHECK_SECONDS, SharedCatalogues, pull
from bot.shared_catalogues import _write as write_change
from bot.store import Store

REPO = Path(__file__).resolve().parents[1]
SHIPPED = (REPO / "data" / "resources.yaml").read_bytes()
HOME, SERVER = 111111111111111111, 222222222222222222
WITHIN = 1.0  # seconds: the promise
CHANGES = 10
LARGE = 4000  # resources


def titled(title: bytes) -> bytes:
    """The shipped catalogue with the word QLoRA in its first place written otherwise."""
    return SHIPPED.replace(b"QLoRA", title, 1)


@pytest.fixture
def database_url(postgres_url: str) -> str:
    return postgres_url


@pytest.fixture
async def start(
    database_url: str, tmp_path: Path
) -> AsyncIterator[Callable[[str], asyncio.Future[Catalogues]]]:
    """``await start("a")``: a process's catalogues (state folder ``tmp_path / a``),
    following the shared ones until the test ends."""
    postgres_url = database_url
    Store.open(tmp_path / "unused.sqlite3", postgres_url).close()  # the migrations
    source = tmp_path / "data" / "resources.yaml"
    source.parent.mkdir()
    source.write_bytes(SHIPPED)
    async with AsyncExitStack() as running:

        async def open_one(name: str) -> Catalogues:
            state = tmp_path / name
            seen = await asyncio.to_thread(pull, postgres_url, state, source)
            catalogues = Catalogues.open(state, source, frozenset({HOME}))
            shared = SharedCatalogues(postgres_url, catalogues, seen)
            shared.start()
            running.callback(shared.stop)
            return catalogues

        yield open_one  # type: ignore[misc]


async def served_within(seconds: float, check: Callable[[], bool]) -> float:
    """How long it took until `check()` held; fails after `seconds`."""
    started = time.perf_counter()
    while not check():
        if time.perf_counter() - started > seconds:
            pytest.fail(f"not served within {seconds} s")
        await asyncio.sleep(0.01)
    return time.perf_counter() - started


def text_of(catalogues: Catalogues, guild_id: int | None) -> str:
    return repr(catalogues.for_guild(guild_id).current.catalog.resources)


async def test_an_upload_through_one_process_is_served_by_the_other_within_a_second(
    start,
) -> None:
    first, second = await start("a"), await start("b")
    await first.upload(SERVER, titled(b"KLoRA"), "ours.yaml")
    await served_within(WITHIN, lambda: "KLoRA" in text_of(second, SERVER))
    assert "KLoRA" not in text_of(second, HOME), "other servers keep the default"

    await second.reset(SERVER)
    await served_within(WITHIN, lambda: not first.has_own(SERVER))
    assert "KLoRA" not in text_of(first, SERVER)


async def test_the_default_changed_from_a_home_server_reaches_every_process(start) -> None:
    first, second = await start("a"), await start("b")
    await second.upload(HOME, titled(b"ZLoRA"), "default.yaml")
    await served_within(WITHIN, lambda: "ZLoRA" in text_of(first, None))
    assert not first.has_own(HOME)


async def test_a_process_that_starts_late_serves_the_current_versions(start) -> None:
    first = await start("a")
    await first.upload(SERVER, titled(b"KLoRA"), "ours.yaml")
    await first.upload(HOME, titled(b"ZLoRA"), "default.yaml")
    late = await start("late")
    assert "KLoRA" in text_of(late, SERVER)
    assert "ZLoRA" in text_of(late, None)


async def test_a_servers_catalogue_kept_before_they_were_shared_is_shared(
    start, tmp_path: Path
) -> None:
    """A process upgraded from one that kept each server's own catalogue in its files alone
    offers them at start: the other processes serve them too."""
    kept = tmp_path / "a" / SERVERS_FOLDER / str(SERVER) / LIVE_CATALOG_NAME
    kept.parent.mkdir(parents=True)
    kept.write_bytes(titled(b"KLoRA"))
    first = await start("a")
    second = await start("b")
    assert "KLoRA" in text_of(first, SERVER)
    assert "KLoRA" in text_of(second, SERVER)
    assert "KLoRA" not in text_of(second, HOME)


async def test_a_change_whose_notice_was_lost_is_served_all_the_same(
    start, postgres_url: str
) -> None:
    first = await start("a")
    with psycopg.connect(postgres_url, autocommit=True) as db:  # no NOTIFY
        db.execute(
            "INSERT INTO catalogues (guild_id, version, data, changed_at)"
            " VALUES (%s, nextval('catalogue_versions'), %s, 0)",
            (SERVER, titled(b"KLoRA")),
        )
    await served_within(WITHIN, lambda: "KLoRA" in text_of(first, SERVER))


async def test_a_shared_catalogue_that_is_not_valid_is_refused_and_the_old_one_served(
    start, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    first = await start("a")
    await first.upload(SERVER, titled(b"KLoRA"), "ours.yaml")
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute(
            "UPDATE catalogues SET data = %s, version = nextval('catalogue_versions')"
            " WHERE guild_id = %s",
            (b"resources: [\n", SERVER),
        )
    await served_within(5.0, lambda: "is refused" in caplog.text)
    assert "KLoRA" in text_of(first, SERVER)


async def test_a_change_made_here_is_not_taken_back_from_the_database(
    database_url: str, tmp_path: Path
) -> None:
    """The process that made a change serves it already. Its listener, reading the change
    back late, must not write it over the default's file again: the operator's next edit
    there (read by the next reload) would be lost."""
    Store.open(tmp_path / "unused.sqlite3", database_url).close()  # the migrations
    source = tmp_path / "data" / "resources.yaml"
    source.parent.mkdir()
    source.write_bytes(SHIPPED)
    state = tmp_path / "a"
    seen = await asyncio.to_thread(pull, database_url, state, source)
    catalogues = Catalogues.open(state, source, frozenset({HOME}))
    shared = SharedCatalogues(database_url, catalogues, seen)  # its listener starts late
    try:
        await catalogues.upload(HOME, titled(b"ZLoRA"), "default.yaml")
        catalogues.default.path.write_bytes(titled(b"XLoRA"))  # the operator's next edit
        shared.start()
        await served_within(WITHIN, lambda: shared.version > seen)
        await catalogues.reload(HOME)
    finally:
        await asyncio.to_thread(shared.stop)
    assert "XLoRA" in text_of(catalogues, None)


async def test_each_change_is_one_new_version(start, postgres_url: str) -> None:
    first, second = await start("a"), await start("b")
    with psycopg.connect(postgres_url, autocommit=True) as db:
        before = db.execute("SELECT last_value FROM catalogue_versions").fetchone()[0]
        for n in range(CHANGES):
            await first.upload(HOME, titled(f"V{n}LoRA".encode()), "default.yaml")
            await served_within(WITHIN, lambda n=n: f"V{n}LoRA" in text_of(second, None))
        await asyncio.sleep(CHECK_SECONDS * 2)  # the listeners have looked again
        after = db.execute("SELECT last_value FROM catalogue_versions").fetchone()[0]
    assert after - before == CHANGES


async def test_changes_committed_out_of_order_are_all_served(start, postgres_url: str) -> None:
    """A change numbered before another but committed after it (a slow writer in another
    process) is still served: a listener that has read the later one must not skip it."""
    first, second = await start("a"), await start("b")
    with psycopg.connect(postgres_url, autocommit=True) as slow:
        with slow.transaction():  # another process's change to a server, not committed yet
            write_change(slow, SERVER, titled(b"KLoRA"), keep=False)
            uploading = asyncio.create_task(first.upload(HOME, titled(b"ZLoRA"), "default.yaml"))
            await asyncio.sleep(CHECK_SECONDS * 2)  # the listeners have looked meanwhile
        await uploading
    await served_within(WITHIN, lambda: "ZLoRA" in text_of(second, None))
    await served_within(WITHIN, lambda: "KLoRA" in text_of(second, SERVER))


async def test_a_change_whose_build_was_killed_is_built_again_by_a_new_worker(
    start, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The worker building another process's change dies (killed, out of memory): the
    change is read again at the next look, built by a new worker, and served."""
    first = await start("a")
    worker = await WORKER.pid()
    large = synthetic.catalog_yaml(LARGE, seed=5).encode()  # seconds of work for the worker
    with psycopg.connect(postgres_url, autocommit=True) as db:
        write_change(db, 0, large, keep=False)  # the default, changed by another process
    await served_within(5.0, lambda: first.default.busy)
    await asyncio.sleep(0.05)  # the job reaches the worker
    os.kill(worker, signal.SIGKILL)
    await served_within(5.0, lambda: "could not be built" in caplog.text)
    await served_within(60.0, lambda: len(first.default.current.catalog) == LARGE)
    assert await WORKER.pid() != worker


class TestWhileTheDatabaseIsAway:
    @pytest.fixture
    def database_url(self, own_cluster: Cluster) -> str:
        self.cluster = own_cluster
        return own_cluster.new_database()

    async def test_a_change_made_meanwhile_is_served_here_and_shared_when_it_is_back(
        self, start, caplog: pytest.LogCaptureFixture, database_url: str
    ) -> None:
        first, second = await start("a"), await start("b")
        self.cluster.stop()
        await first.upload(SERVER, titled(b"KLoRA"), "ours.yaml")
        assert "KLoRA" in text_of(first, SERVER), "served where it was made"
        assert "served here but not shared yet" in caplog.text
        assert database_url.split(":")[2].split("@")[0] not in caplog.text  # the password
        self.cluster.start()
        await served_within(10.0, lambda: "KLoRA" in text_of(second, SERVER))
