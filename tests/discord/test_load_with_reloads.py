"""Load through the fake Discord: 1,000 interactions (/ask, autocomplete, feedback presses) from
100 people at once, while a moderator reloads the catalogue three times, alternating between
two versions that differ in every title and link.

Every interaction is answered exactly once and in time, every answer comes from one whole
catalogue version (never a mix), and every feedback press is in the store exactly once.
Run by `make test-load` (`pytest -m load`); it prints the figures.
"""

from __future__ import annotations

import asyncio
import random
import re
import sqlite3
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from fake_discord import FakeDiscord, Person, Reply

from bot.catalog import Catalog, parse_catalog
from bot.config import Settings
from bot.discord.client import ResourceBot
from bot.i18n import language_of, text

pytestmark = pytest.mark.load

PEOPLE = 100
ACTS_PER_PERSON = 10
RELOADS = 3
CHANNELS = 10
ANSWER_DEADLINE = 3.0  # Discord's: "The application did not respond" after 3 seconds
TEAM_QUESTIONS = Path(__file__).parents[1] / "data" / "more_questions.yaml"
MORE_QUESTIONS = [
    "när ska jag finjustera",
    "hur förbereder jag träningsdata",
    "@everyone when should I fine-tune",
    "how do I bake sourdough bread",
    "how much does it cost",
]
TYPED = ["fin", "hugg", "azure op", "lora", "när ska", "wandb", "cook", "", "data prep", "llama"]
MARK = {"A": "Ⓐ", "B": "Ⓑ"}  # starts every title of a version
VERSION_IN_URL = re.compile(r"[?&]version=([AB])\b")
VERSION_IN_TITLE = re.compile(r"[ⒶⒷ]")
FEEDBACK_ID = re.compile(r"rb:fb:([01]):(.+)")


def catalogue_version(seed: str, version: str) -> bytes:
    """The seed catalogue with every title starting with the version's mark and every link
    carrying `version=<A|B>`."""
    document = yaml.safe_load(seed)
    for resource in document["resources"]:
        for language, title in resource["title"].items():
            resource["title"][language] = f"{MARK[version]} {title}"
        link, _, fragment = resource["url"].partition("#")
        link += ("&" if "?" in link else "?") + f"version={version}"
        resource["url"] = link + (f"#{fragment}" if fragment else "")
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()


Answer = Reply | list[dict[str, Any]]  # a message, or the suggestions autocomplete showed


def texts_of(reply: Answer) -> list[str]:
    """Everything the answer shows, links included."""
    if isinstance(reply, list):
        return [choice["name"] for choice in reply]
    message = reply.shown.raw
    texts = [message["content"]]
    for embed in message["embeds"]:
        texts += [embed.get("title", ""), embed.get("url", ""), embed.get("description", "")]
        texts += [f["value"] for f in embed.get("fields", [])]
    texts += [button.get("url", "") for button in reply.buttons]
    return texts


def versions_shown(reply: Answer) -> set[str]:
    """Which catalogue versions the answer shows something of."""
    found = set()
    for shown in texts_of(reply):
        found.update(VERSION_IN_URL.findall(shown))
        found.update("A" if mark == MARK["A"] else "B" for mark in VERSION_IN_TITLE.findall(shown))
    return found


@dataclass
class Tally:
    """What the people did and saw."""

    replies: list[tuple[str, Answer]] = field(default_factory=list)
    cards: dict[str, list[Reply]] = field(default_factory=dict)  # channel -> public cards
    votes: dict[tuple[str, int], bool] = field(default_factory=dict)  # (resource, user)
    presses: Counter[str] = field(default_factory=Counter)
    asked: int = 0
    done: int = 0


async def act(
    fake: FakeDiscord,
    person: Person,
    channel: str,
    questions: list[str],
    tally: Tally,
    rng: random.Random,
) -> None:
    """One person's ten interactions, one after the other."""
    own_cards: list[Reply] = []
    language = language_of(person.locale)
    for step in range(ACTS_PER_PERSON):
        kind = ("ask", "autocomplete", "ask", "press")[step % 4] if step else "ask"
        targets = own_cards + tally.cards.get(channel, [])
        if kind == "press" and not targets:
            kind = "autocomplete"
        reply: Answer
        if kind == "ask":
            private = rng.random() < 0.5
            reply = await fake.slash(
                person, "ask", question=rng.choice(questions), channel=channel, private=private
            )
            tally.asked += 1
            if reply.embeds:
                (own_cards if reply.ephemeral else tally.cards.setdefault(channel, [])).append(
                    reply
                )
        elif kind == "autocomplete":
            reply = await fake.autocomplete(
                person, "ask", focused="question", value=rng.choice(TYPED), channel=channel
            )
        else:
            card = rng.choice(targets)
            button = card.buttons[rng.choice((1, 2))]  # Helpful or Not helpful
            reply = await fake.press(person, card, custom_id=button["custom_id"])
            # one vote per person per resource, whichever card shows it; the other button
            # changes it
            helpful = button["custom_id"].startswith("rb:fb:1:")
            voted = (button["custom_id"].rsplit(":", 1)[1], person.id)
            if voted not in tally.votes:
                assert reply.content == text(language, "feedback.thanks"), reply.content
                tally.presses["counted"] += 1
            elif tally.votes[voted] != helpful:
                assert reply.content == text(language, "feedback.changed"), reply.content
                tally.presses["changed"] += 1
            else:
                assert reply.content == text(language, "feedback.already"), reply.content
                tally.presses["already counted"] += 1
            tally.votes[voted] = helpful
        tally.replies.append((kind, reply))
        tally.done += 1


@dataclass
class Reload:
    """One reload: to which version, and when it started and was reported done."""

    version: str
    started: float
    finished: float
    reply: Reply


async def moderate(
    fake: FakeDiscord, live_file: Path, versions: dict[str, bytes], tally: Tally
) -> list[Reload]:
    """Reload three times while the people act, alternating the catalogue versions."""
    moderator = fake.moderator("mo")
    reloads = []
    for number in range(RELOADS):
        target = (number + 1) * PEOPLE * ACTS_PER_PERSON // (RELOADS + 1)
        while tally.done < target:
            await asyncio.sleep(0.01)
        version = "B" if number % 2 == 0 else "A"
        started = time.perf_counter()
        live_file.write_bytes(versions[version])
        reply = await fake.slash(moderator, "resources-admin", "reload")
        reloads.append(Reload(version, started, time.perf_counter(), reply))
    return reloads


def version_live_at(moment: float, reloads: list[Reload]) -> str | None:
    """The only version that may answer an interaction sent at `moment`: the last reload's,
    or None while a reload was under way (then either may)."""
    live = "A"
    for reload in reloads:
        if moment < reload.started:
            return live
        if moment < reload.finished:
            return None
        live = reload.version
    return live


def check_whole_version(kind: str, reply: Answer, catalogs: dict[str, Catalog]) -> str | None:
    """The one version the answer comes from (None if it shows no catalogue text); a card's
    title and link must be that version's for the resource its buttons are for."""
    seen = versions_shown(reply)
    assert len(seen) <= 1, f"{kind} mixes catalogue versions: {texts_of(reply)}"
    if not seen:
        return None
    [version] = seen
    if isinstance(reply, Reply) and kind == "ask" and reply.embeds:
        resource_id = FEEDBACK_ID.fullmatch(reply.buttons[1]["custom_id"]).group(2)
        resource = catalogs[version].get(resource_id)
        card = reply.embeds[0]
        language = "sv" if reply.interaction.payload["locale"] == "sv-SE" else "en"
        assert card["title"] == resource.title_in(language)
        assert card["url"] == resource.url
    return version


async def test_1000_interactions_from_100_people_while_the_catalogue_is_reloaded(
    fake_discord: FakeDiscord,
    start_bot: Any,
    settings: Settings,
    catalog_file: Path,
    live_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed = catalog_file.read_text(encoding="utf-8")
    versions = {name: catalogue_version(seed, name) for name in MARK}
    catalogs = {name: parse_catalog(data) for name, data in versions.items()}
    catalog_file.write_bytes(versions["A"])
    bot: ResourceBot = await start_bot(settings)
    assert bot.question_limits.per_minute >= ACTS_PER_PERSON, "the default rate limit holds"

    team = yaml.safe_load(TEAM_QUESTIONS.read_text(encoding="utf-8"))["queries"]
    questions = [entry["q"] for entry in team] + MORE_QUESTIONS
    people = [
        fake_discord.member(f"person{n}", locale="sv-SE" if n % 3 == 0 else "en-US")
        for n in range(PEOPLE)
    ]
    tally = Tally()
    started = time.perf_counter()
    reloading = asyncio.create_task(moderate(fake_discord, live_file, versions, tally))
    await asyncio.gather(
        *(
            act(fake_discord, person, f"room{n % CHANNELS}", questions, tally, random.Random(n))
            for n, person in enumerate(people)
        )
    )
    reloads = await reloading
    elapsed = time.perf_counter() - started

    # Every interaction answered, exactly once, in time.
    interactions = list(fake_discord.interactions.values())
    assert len(tally.replies) == PEOPLE * ACTS_PER_PERSON
    assert len(interactions) == PEOPLE * ACTS_PER_PERSON + RELOADS
    callbacks = Counter(
        r.path.split("/")[3]
        for r in fake_discord.requests_for("create_interaction_response")
        if r.status < 300
    )
    assert all(callbacks[i.token] == 1 for i in interactions), "an interaction answered twice"
    unanswered = [i.label for i in interactions if i.answered_at is None]
    assert unanswered == []
    waits = sorted(1000 * (i.answered_at - i.dispatched_at) for i in interactions)
    assert waits[-1] < ANSWER_DEADLINE * 1000

    # The reloads went through and alternated the versions.
    reported = [r.reply.content.split("\n")[0] for r in reloads]
    assert reported == ["Catalogue reloaded: 20 resources."] * RELOADS
    assert bot.library.current.catalog.get("openai-fine-tuning-guide").title_in("en") == (
        catalogs["B"].get("openai-fine-tuning-guide").title_in("en")
    )

    # Every answer from one whole version.
    by_version: Counter[str | None] = Counter()
    for kind, reply in tally.replies:
        version = check_whole_version(kind, reply, catalogs)
        by_version[version] += 1
        if version is not None and isinstance(reply, Reply):
            live = version_live_at(reply.interaction.dispatched_at, reloads)
            assert live in (None, version), f"answered from {version} while {live} was live"
    assert by_version["A"] and by_version["B"], "both versions answered during the run"
    slow = re.compile(r"asking faster|frågar snabbare")
    slowed = [r for kind, r in tally.replies if kind == "ask" and slow.search(r.content)]
    assert slowed == [], "the rate limit spoiled an ordinary load"

    # Every feedback press in the store exactly once; every question recorded.
    with sqlite3.connect(settings.db_path) as db:
        stored = {
            (r, u): bool(h)
            for r, u, h in db.execute("SELECT resource_id, user_id, helpful FROM feedback")
        }
        questions_stored = db.execute("SELECT COUNT(*) FROM questions").fetchone()[0]
    lost_votes = set(tally.votes) - set(stored)
    extra_votes = set(stored) - set(tally.votes)
    assert stored == tally.votes
    assert questions_stored == tally.asked

    kinds = Counter(kind for kind, _ in tally.replies)
    with capsys.disabled():
        print(
            f"\nload: {len(interactions)} interactions served in {elapsed:.1f} s "
            f"({kinds['ask']} /ask, {kinds['autocomplete']} autocomplete, "
            f"{kinds['press']} presses, {RELOADS} reloads) from {PEOPLE} people\n"
            f"  first answer after dispatch: p50 {statistics.median(waits):.0f} ms, "
            f"p99 {waits[int(len(waits) * 0.99) - 1]:.0f} ms, max {waits[-1]:.0f} ms\n"
            f"  answers from version A: {by_version['A']}, B: {by_version['B']}, "
            f"no catalogue text: {by_version[None]}; mixed: 0\n"
            f"  feedback: {tally.presses['counted']} votes counted, "
            f"{tally.presses['changed']} changed, "
            f"{tally.presses['already counted']} repeat presses refused, "
            f"{len(stored)} in the store; questions: {tally.asked} asked, "
            f"{questions_stored} stored\n"
            f"  items lost: {len(lost_votes) + len(unanswered) + tally.asked - questions_stored}"
            f" (votes lost {len(lost_votes)}, counted twice {len(extra_votes)})"
        )
