"""The live catalogue: reloads and uploads swap it whole, and a bad file changes nothing."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.catalog import CatalogError
from bot.library import BACKUPS_KEPT, Library, StateError

REPO = Path(__file__).resolve().parents[1]
SHIPPED = (REPO / "data" / "resources.yaml").read_text(encoding="utf-8")


@pytest.fixture
def catalogue_file(tmp_path: Path) -> Path:
    path = tmp_path / "resources.yaml"
    path.write_text(SHIPPED, encoding="utf-8")
    return path


def without_resource(text: str, resource_id: str) -> str:
    """The catalogue text with one resource's block removed."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {resource_id}")
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- id:")),
        len(lines),
    )
    return "".join(lines[:start] + lines[end:])


async def test_reload_reports_what_changed(catalogue_file: Path) -> None:
    library = Library.open(catalogue_file)
    edited = without_resource(SHIPPED, "phinetuning").replace(
        "Fine-tuning OpenAI models", "Fine-tuning OpenAI models (updated)", 1
    )
    catalogue_file.write_text(edited, encoding="utf-8")
    diff = await library.reload()
    assert diff.removed == ("phinetuning",)
    assert diff.changed == ("openai-fine-tuning-guide",)
    assert diff.added == ()
    assert diff.total == 19
    assert library.current.catalog.get("phinetuning") is None


async def test_reload_of_a_broken_file_keeps_serving_the_old_catalogue(
    catalogue_file: Path,
) -> None:
    library = Library.open(catalogue_file)
    before = library.current
    catalogue_file.write_text(SHIPPED.replace("kind: video", "kind: podcast"), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        await library.reload()
    assert "unknown kind 'podcast'" in str(caught.value)
    assert library.current is before
    assert library.current.index.ask("qlora tutorial").best.resource.id == "phinetuning"


async def test_upload_backs_up_the_old_file_and_goes_live(catalogue_file: Path) -> None:
    library = Library.open(catalogue_file)
    new_text = without_resource(SHIPPED, "hf-autotrain-advanced")
    diff = await library.replace(new_text.encode(), "resources.yaml")
    assert diff.removed == ("hf-autotrain-advanced",)
    assert catalogue_file.read_text(encoding="utf-8") == new_text
    backups = list(catalogue_file.parent.glob("resources.yaml.*.bak"))
    assert len(backups) == 1
    assert backups[0].read_text(encoding="utf-8") == SHIPPED
    assert library.current.catalog.get("hf-autotrain-advanced") is None


async def test_invalid_upload_changes_nothing_on_disk_or_in_memory(catalogue_file: Path) -> None:
    library = Library.open(catalogue_file)
    before = library.current
    files_before = {p.name: p.read_bytes() for p in catalogue_file.parent.iterdir()}
    with pytest.raises(CatalogError) as caught:
        await library.replace(b"version: 1\nresources: []\n", "upload.yaml")
    assert str(caught.value).startswith("upload.yaml:")
    assert library.current is before
    assert catalogue_file.read_text(encoding="utf-8") == SHIPPED
    assert list(catalogue_file.parent.glob("*.bak")) == []
    assert {p.name: p.read_bytes() for p in catalogue_file.parent.iterdir()} == files_before


async def test_two_reloads_never_run_at_once(catalogue_file: Path) -> None:
    library = Library.open(catalogue_file)
    first = asyncio.create_task(library.reload())
    await asyncio.sleep(0)
    assert library.busy
    second = asyncio.create_task(library.reload())
    diffs = await asyncio.gather(first, second)
    assert all(d.unchanged for d in diffs)
    assert not library.busy


async def test_a_query_sees_one_whole_catalogue_during_a_reload(catalogue_file: Path) -> None:
    library = Library.open(catalogue_file)
    snapshot = library.current
    catalogue_file.write_text(without_resource(SHIPPED, "phinetuning"), encoding="utf-8")
    await library.reload()
    assert snapshot.catalog.get("phinetuning") is not None
    assert snapshot.index.ask("fine-tune phi-2").best.resource.id == "phinetuning"
    assert library.current.catalog.get("phinetuning") is None


async def test_only_the_newest_backups_are_kept(catalogue_file: Path) -> None:
    library = Library.open(catalogue_file)
    for number in range(BACKUPS_KEPT + 3):
        edited = SHIPPED.replace("Fine-tuning OpenAI models", f"Edition {number}", 1)
        await library.replace(edited.encode(), "upload.yaml")
    backups = sorted(catalogue_file.parent.glob("resources.yaml.*.bak"))
    assert len(backups) == BACKUPS_KEPT
    assert "Edition 21" in backups[-1].read_text(encoding="utf-8")


# --- the live copy in the state folder ---------------------------------------------------------


async def test_first_start_copies_the_default_catalogue_to_the_state_folder(
    catalogue_file: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state" / "var"
    library = Library.open_live(state, catalogue_file)
    live = state / "resources.yaml"
    assert library.path == live
    assert live.read_text(encoding="utf-8") == SHIPPED
    assert len(library.current.catalog) == 20


async def test_upload_changes_the_live_file_only_and_a_restart_serves_it(
    catalogue_file: Path, tmp_path: Path
) -> None:
    state = tmp_path / "var"
    library = Library.open_live(state, catalogue_file)
    new_text = without_resource(SHIPPED, "phinetuning")
    await library.replace(new_text.encode(), "resources.yaml")
    assert catalogue_file.read_text(encoding="utf-8") == SHIPPED
    assert [p.name for p in catalogue_file.parent.glob("*.bak")] == []
    assert len(list(state.glob("resources.yaml.*.bak"))) == 1
    restarted = Library.open_live(state, catalogue_file)
    assert restarted.current.catalog.get("phinetuning") is None
    assert (state / "resources.yaml").read_text(encoding="utf-8") == new_text


async def test_an_invalid_default_catalogue_is_not_copied(
    catalogue_file: Path, tmp_path: Path
) -> None:
    catalogue_file.write_text(SHIPPED.replace("kind: video", "kind: podcast"), encoding="utf-8")
    state = tmp_path / "var"
    with pytest.raises(CatalogError) as caught:
        Library.open_live(state, catalogue_file)
    assert str(caught.value).startswith(f"{catalogue_file}:")
    assert not (state / "resources.yaml").exists()  # fixing the source is enough


async def test_a_missing_default_catalogue_says_which_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        Library.open_live(tmp_path / "var", tmp_path / "nowhere.yaml")
    assert "nowhere.yaml:1: cannot read the default catalogue" in str(caught.value)


async def test_a_state_folder_that_cannot_be_created_is_a_clear_error(
    catalogue_file: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "var"
    blocker.write_text("a file, not a folder")
    with pytest.raises(StateError) as caught:
        Library.open_live(blocker, catalogue_file)
    message = str(caught.value)
    assert "RESOURCE_BOT_STATE" in message and str(blocker) in message
    assert "a file of that name is in the way" in message
    with pytest.raises(StateError) as caught:
        Library.open_live(blocker / "inside", catalogue_file)
    assert "cannot create it" in str(caught.value)
    assert blocker.read_text() == "a file, not a folder"


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """`folder` made unwritable for this process: by its mode, or for root (whom modes do
    not stop) by mounting a read-only file system over it."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "resource-bot-test", str(folder)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip(
            "running as root where mounting is not allowed: cannot make a folder unwritable"
        )
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


async def test_an_unwritable_state_folder_is_a_clear_error(
    catalogue_file: Path, tmp_path: Path
) -> None:
    state = tmp_path / "var"
    state.mkdir()
    with (
        unwritable(state),
        pytest.raises(StateError, match="cannot read and write the state folder"),
    ):
        Library.open_live(state, catalogue_file)


async def test_an_unreadable_live_file_names_it(catalogue_file: Path, tmp_path: Path) -> None:
    state = tmp_path / "var"
    (state / "resources.yaml").mkdir(parents=True)  # something that cannot be read as a file
    with pytest.raises(CatalogError) as caught:
        Library.open_live(state, catalogue_file)
    assert f"{state / 'resources.yaml'}:1: cannot read the file" in str(caught.value)
