"""The index kept beside the catalogue: a restart loads it instead of building, it answers
exactly as a freshly built index, and a damaged, foreign or stale file is only rebuilt."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from benchmarks import synthetic
from bot.catalog import Catalog, load_catalog, parse_catalog
from bot.index_cache import CACHE_SUFFIX, IndexCache
from bot.library import Library, TooManyResources
from bot.search import Index

REPO = Path(__file__).resolve().parents[1]
SHIPPED = (REPO / "data" / "resources.yaml").read_bytes()
QUESTIONS = [
    "when should I fine-tune",
    "fintune gpt 3.5 on azur",
    "vilka modeller kan finjusteras",
    "hur förbereder jag träningsdata",
    "Hyperparametrar för LoRA?",
    "W&B",
    "how do I reset my password",
    "lol",
    "",
    "ÖVERSIKT ÖVER FINJUSTERING",
    "a question that rambles on about many things " * 8,
]


@pytest.fixture
def catalogue_file(tmp_path: Path) -> Path:
    path = tmp_path / "resources.yaml"
    path.write_bytes(SHIPPED)
    return path


def cache_of(path: Path) -> Path:
    return path.with_name(path.name + CACHE_SUFFIX)


def assert_same_answers(loaded: Index, built: Index, questions: list[str]) -> None:
    for question in questions:
        assert loaded.ask(question) == built.ask(question), question
        assert loaded.rank(question, 12) == built.rank(question, 12), question
        for end in range(1, len(question) + 1, 3):
            prefix = question[:end]
            assert loaded.autocomplete(prefix) == built.autocomplete(prefix), prefix


def without_building(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any index build fail: what still works was loaded from the cache."""

    def refuse(catalog: Catalog) -> Index:
        raise AssertionError("the index was built, not loaded from the cache")

    monkeypatch.setattr(Index, "build", refuse)


def generated(count: int) -> tuple[bytes, Catalog, list[str]]:
    data = synthetic.catalog_yaml(count, 11).encode()
    catalog = parse_catalog(data)
    return data, catalog, [q.text for q in synthetic.questions(catalog, 150, 11)]


def test_a_restart_loads_the_index_and_answers_as_a_fresh_build(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Library.open(catalogue_file)
    assert cache_of(catalogue_file).exists()
    without_building(monkeypatch)
    restarted = Library.open(catalogue_file).current.index
    monkeypatch.undo()
    assert_same_answers(restarted, Index.build(load_catalog(catalogue_file)), QUESTIONS)


def test_a_restart_neither_parses_nor_indexes_the_catalogue_again(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Library.open(catalogue_file)
    without_building(monkeypatch)

    def refuse(data: bytes, path: str = "") -> Catalog:
        raise AssertionError("the catalogue was parsed, not read from the cache")

    monkeypatch.setattr("bot.library.parse_catalog", refuse)
    restarted = Library.open(catalogue_file).current
    monkeypatch.undo()
    assert restarted.catalog == load_catalog(catalogue_file)
    assert_same_answers(restarted.index, Index.build(load_catalog(catalogue_file)), QUESTIONS)


def test_a_cached_catalogue_over_the_servers_limit_is_still_refused(
    catalogue_file: Path,
) -> None:
    Library.open(catalogue_file)
    with pytest.raises(TooManyResources):
        Library.open(catalogue_file, max_resources=5)


def test_a_cache_of_another_catalogue_format_is_parsed_again(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Library.open(catalogue_file)
    monkeypatch.setattr("bot.index_cache.CATALOG_FORMAT", 10**6)
    Library.open(catalogue_file)
    assert stored_key(catalogue_file).endswith(f"catalogue {10**6}")


def test_a_cached_index_of_a_generated_catalogue_answers_as_a_fresh_build(
    tmp_path: Path,
) -> None:
    data, catalog, questions = generated(600)
    cache = IndexCache.beside(tmp_path / "resources.yaml", data)
    built = Index.build(catalog)
    cache.save(built)
    loaded = cache.load(parse_catalog(data))
    assert loaded is not None
    assert_same_answers(loaded, built, questions[:40] + QUESTIONS)
    for question in questions:
        assert loaded.ask(question) == built.ask(question), question


def test_the_cache_holds_no_pickled_objects(catalogue_file: Path) -> None:
    Library.open(catalogue_file)
    with np.load(cache_of(catalogue_file), allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    assert len(arrays) > 10
    assert all(array.dtype != object for array in arrays.values())


def damage_truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def damage_flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))


def damage_foreign_npz(path: Path) -> None:
    with path.open("wb") as file:
        np.savez(file, weights=np.arange(10.0))


def damage_not_a_zip(path: Path) -> None:
    path.write_text("these are not the arrays you are looking for\n")


def damage_pickled(path: Path) -> None:
    with path.open("wb") as file:
        np.savez(file, **{"cache.key": np.array([{"a": 1}], dtype=object)})


def damage_empty(path: Path) -> None:
    path.write_bytes(b"")


def rewritten(path: Path, name: str, change: Callable[[np.ndarray], np.ndarray]) -> None:
    """The cache file at `path` with its array `name` changed by `change`, the rest kept."""
    with np.load(path, allow_pickle=False) as stored:
        arrays = {key: stored[key] for key in stored.files}
    arrays[name] = change(arrays[name])
    with path.open("wb") as file:
        np.savez(file, **arrays)


def damage_catalogue(path: Path) -> None:
    """Our key and arrays, but the stored catalogue cut short."""
    rewritten(path, "cache.catalog", lambda array: array[:-100])


def damage_wrong_shapes(path: Path) -> None:
    """Our key and layout, but the postings of another, smaller catalogue."""
    rewritten(path, "postings.docs", lambda array: array[:-3])


def damage_lengths(path: Path) -> None:
    """Our key and layout, but a length for one resource fewer."""
    rewritten(path, "lengths.words", lambda array: array[:-1])


def damage_term_table(path: Path) -> None:
    """Our key and layout, but a term table whose slots do not lead to its terms."""
    rewritten(path, "postings.term_slots", lambda array: array[::-1].copy())


@pytest.mark.parametrize(
    "damage",
    [
        damage_truncate,
        damage_flip_bytes,
        damage_foreign_npz,
        damage_not_a_zip,
        damage_pickled,
        damage_empty,
        damage_wrong_shapes,
        damage_lengths,
        damage_term_table,
        damage_catalogue,
    ],
)
def test_a_damaged_or_foreign_cache_is_rebuilt_with_one_warning(
    catalogue_file: Path, caplog: pytest.LogCaptureFixture, damage
) -> None:
    Library.open(catalogue_file)
    damage(cache_of(catalogue_file))
    with caplog.at_level(logging.INFO, logger="bot.index_cache"):
        index = Library.open(catalogue_file).current.index
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, caplog.text
    assert "cannot be used" in warnings[0].getMessage()
    assert_same_answers(index, Index.build(load_catalog(catalogue_file)), QUESTIONS)
    # rebuilt and rewritten: the next start loads it, without a warning
    caplog.clear()
    assert IndexCache.beside(catalogue_file, SHIPPED).load(load_catalog(catalogue_file))
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_edited_catalogue_is_indexed_again_silently(
    catalogue_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    Library.open(catalogue_file)
    edited = SHIPPED.replace(b"Fine-tuning OpenAI models", b"Fine-tuning Azure models", 1)
    assert edited != SHIPPED
    catalogue_file.write_bytes(edited)
    with caplog.at_level(logging.WARNING):
        index = Library.open(catalogue_file).current.index
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert index.catalog.get("openai-fine-tuning-guide").title["en"] == "Fine-tuning Azure models"
    assert_same_answers(index, Index.build(load_catalog(catalogue_file)), QUESTIONS)
    assert stored_key(catalogue_file).startswith(hashlib.sha256(edited).hexdigest())


def test_a_cache_of_another_matcher_version_is_rebuilt(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Library.open(catalogue_file)
    old_key = stored_key(catalogue_file)
    monkeypatch.setattr("bot.index_cache.MATCHER_VERSION", 10**6)
    Library.open(catalogue_file)
    assert stored_key(catalogue_file) != old_key
    assert f"matcher {10**6} " in stored_key(catalogue_file)


def stored_key(catalogue_file: Path) -> str:
    with np.load(cache_of(catalogue_file), allow_pickle=False) as stored:
        return bytes(stored["cache.key"]).decode()


async def test_upload_and_reload_write_the_new_cache(
    catalogue_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library.open(catalogue_file)
    uploaded = SHIPPED.replace(b"Fine-tuning OpenAI models", b"Fine-tuning uploaded models", 1)
    await library.replace(uploaded, "resources.yaml")
    assert stored_key(catalogue_file).startswith(hashlib.sha256(uploaded).hexdigest())
    edited = SHIPPED.replace(b"Fine-tuning OpenAI models", b"Fine-tuning reloaded models", 1)
    catalogue_file.write_bytes(edited)
    await library.reload()
    assert stored_key(catalogue_file).startswith(hashlib.sha256(edited).hexdigest())
    served = library.current.index
    without_building(monkeypatch)
    restarted = Library.open(catalogue_file).current.index
    assert_same_answers(restarted, served, QUESTIONS)


def test_an_unwritable_cache_is_only_a_warning(
    catalogue_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache_of(catalogue_file).mkdir()  # a folder where the file should go
    with caplog.at_level(logging.WARNING):
        library = Library.open(catalogue_file)
    assert "cannot save the index" in caplog.text
    assert library.current.index.ask("qlora tutorial").best.resource.id == "phinetuning"
    assert catalogue_file.read_bytes() == SHIPPED
