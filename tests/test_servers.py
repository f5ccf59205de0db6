"""Which catalogue answers each server: the default, a server's own, and a server whose own
file is broken."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.catalog import CatalogError
from bot.servers import Catalogues, OperatorManaged

REPO = Path(__file__).resolve().parents[1]
SHIPPED = (REPO / "data" / "resources.yaml").read_bytes()
HOME, SERVER = 111111111111111111, 222222222222222222


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "resources.yaml"
    path.parent.mkdir()
    path.write_bytes(SHIPPED)
    return path


async def test_direct_messages_and_other_servers_use_the_default(
    tmp_path: Path, source: Path
) -> None:
    catalogues = Catalogues.open(tmp_path / "var", source, frozenset({HOME}))
    await catalogues.upload(SERVER, SHIPPED.replace(b"QLoRA", b"KLoRA", 1), "mine.yaml")
    assert catalogues.for_guild(None) is catalogues.default
    assert catalogues.for_guild(333333333333333333) is catalogues.default
    assert catalogues.for_guild(SERVER) is not catalogues.default
    with pytest.raises(OperatorManaged):
        await catalogues.reload(333333333333333333)
    assert (await catalogues.reload(HOME)).unchanged


async def test_a_broken_server_file_at_start_falls_back_until_fixed(
    tmp_path: Path, source: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = tmp_path / "var"
    own = state / "servers" / str(SERVER) / "resources.yaml"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"version: 1\nresources: [\n")
    with caplog.at_level(logging.ERROR, logger="bot.servers"):
        catalogues = Catalogues.open(state, source)
    assert f"the catalogue of server {SERVER}" in caplog.text
    assert catalogues.for_guild(SERVER) is catalogues.default
    with pytest.raises(CatalogError):  # its moderators' reload shows the problems
        await catalogues.reload(SERVER)
    own.write_bytes(SHIPPED)
    assert (await catalogues.reload(SERVER)).unchanged
    assert catalogues.has_own(SERVER)
