"""What the load tests with reloads share (tests/discord/test_load_with_reloads*.py): two
catalogue versions that differ in every title and link, 100 people doing ten interactions
each, a moderator changing the catalogue three times meanwhile, and the checks and figures
of the run. The tests differ only in how many bot processes serve the people."""

from __future__ import annotations

import asyncio
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from fake_discord import FakeDiscord, Person, Reply

from bot.catalog import Catalog
from bot.i18n import language_of, text

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
SLOWED = re.compile(r"asking faster|frågar snabbare")


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


def questions() -> list[str]:
    """What the people ask: the team's questions and a few odd ones."""
    team = yaml.safe_load(TEAM_QUESTIONS.read_text(encoding="utf-8"))["queries"]
    return [entry["q"] for entry in team] + MORE_QUESTIONS


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
    # (server, channel) -> the public cards there
    cards: dict[tuple[int, str], list[Reply]] = field(default_factory=dict)
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
    """One person's ten interactions, one after the other, in their own server."""
    own_cards: list[Reply] = []
    language = language_of(person.locale)
    room = (fake.guild_of(person).id, channel)
    for step in range(ACTS_PER_PERSON):
        kind = ("ask", "autocomplete", "ask", "press")[step % 4] if step else "ask"
        targets = own_cards + tally.cards.get(room, [])
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
                (own_cards if reply.ephemeral else tally.cards.setdefault(room, [])).append(reply)
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


async def crowd(fake: FakeDiscord, people: Sequence[Person], tally: Tally) -> None:
    """Every person acting at once, each in one of the channels of their server."""
    asked = questions()
    await asyncio.gather(
        *(
            act(fake, person, f"room{n % CHANNELS}", asked, tally, random.Random(n))
            for n, person in enumerate(people)
        )
    )


@dataclass
class Reload:
    """One catalogue change: to which version, when it started, when the moderator was told
    it was done, and when every process served it (the same moment with one process)."""

    version: str
    started: float
    finished: float
    reply: Reply
    everywhere: float = 0.0

    def __post_init__(self) -> None:
        self.everywhere = self.everywhere or self.finished


# Makes a version live through the moderator (reload or upload, by the change's number);
# returns the moderator's answer.
Change = Callable[[int, str], Awaitable[Reply]]
# Waits until every process serves a version; returns the moment it was seen.
Spread = Callable[[str], Awaitable[float]]


async def moderate(tally: Tally, change: Change, spread: Spread | None = None) -> list[Reload]:
    """Change the catalogue three times while the people act, alternating the versions."""
    reloads = []
    for number in range(RELOADS):
        target = (number + 1) * PEOPLE * ACTS_PER_PERSON // (RELOADS + 1)
        while tally.done < target:
            await asyncio.sleep(0.01)
        version = "B" if number % 2 == 0 else "A"
        started = time.perf_counter()
        reply = await change(number, version)
        finished = time.perf_counter()
        everywhere = await spread(version) if spread is not None else finished
        reloads.append(Reload(version, started, finished, reply, everywhere))
    return reloads


def version_live_at(
    moment: float, reloads: list[Reload], done: Callable[[Reload], float]
) -> str | None:
    """The only version that may answer an interaction sent at `moment`: the last change's,
    or None while a change was under way (then either may); `done(reload)` is when the
    answering process served the change."""
    live = "A"
    for reload in reloads:
        if moment < reload.started:
            return live
        if moment < done(reload):
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
        match = FEEDBACK_ID.fullmatch(reply.buttons[1]["custom_id"])
        assert match is not None
        resource = catalogs[version].get(match.group(2))
        card = reply.embeds[0]
        language = "sv" if reply.interaction.payload["locale"] == "sv-SE" else "en"
        assert card["title"] == resource.title_in(language)
        assert card["url"] == resource.url
    return version


def check_answered_once_in_time(fake: FakeDiscord, expected: int) -> list[float]:
    """Every interaction the fake sent answered exactly once, before Discord's deadline;
    the waits from dispatch to first answer, in ms, sorted."""
    interactions = list(fake.interactions.values())
    assert len(interactions) == expected
    callbacks = Counter(
        r.path.split("/")[3]
        for r in fake.requests_for("create_interaction_response")
        if r.status < 300
    )
    assert all(callbacks[i.token] == 1 for i in interactions), "an interaction answered twice"
    unanswered = [i.label for i in interactions if i.answered_at is None]
    assert unanswered == []
    timed = sorted((1000 * (i.answered_at - i.dispatched_at), i.label) for i in interactions)
    late = [
        f"{label} after {wait:.0f} ms" for wait, label in timed if wait >= ANSWER_DEADLINE * 1000
    ]
    assert late == [], "answered after Discord's deadline"
    return [wait for wait, _ in timed]


def check_versions(
    tally: Tally,
    catalogs: dict[str, Catalog],
    reloads: list[Reload],
    done: Callable[[Reply, Reload], float],
) -> Counter[str | None]:
    """Every answer from one whole version, the one live where it was answered when it
    was sent (`done(reply, reload)`: when the process that answered served the change);
    both versions answered. Counts the answers by version."""
    by_version: Counter[str | None] = Counter()
    for kind, reply in tally.replies:
        version = check_whole_version(kind, reply, catalogs)
        by_version[version] += 1
        if version is not None and isinstance(reply, Reply):
            moment = reply.interaction.dispatched_at
            live = version_live_at(moment, reloads, lambda r, reply=reply: done(reply, r))
            assert live in (None, version), f"answered from {version} while {live} was live"
    assert by_version["A"] and by_version["B"], "both versions answered during the run"
    slowed = [r for kind, r in tally.replies if kind == "ask" and SLOWED.search(r.content)]
    assert slowed == [], "the rate limit spoiled an ordinary load"
    return by_version


def figures(
    setup: str,
    interactions: int,
    elapsed: float,
    tally: Tally,
    changes: str,
    waits: list[float],
    by_version: Counter[str | None],
    stored_votes: int,
    lost_votes: int,
    extra_votes: int,
    questions_stored: int,
    unanswered: int = 0,
) -> str:
    """The run's figures, in the same lines for every setup."""
    kinds = Counter(kind for kind, _ in tally.replies)
    return (
        f"\nload with reloads, {setup}: {interactions} interactions served in {elapsed:.1f} s "
        f"({kinds['ask']} /ask, {kinds['autocomplete']} autocomplete, "
        f"{kinds['press']} presses, {changes}) from {PEOPLE} people\n"
        f"  first answer after dispatch: p50 {statistics.median(waits):.0f} ms, "
        f"p99 {waits[int(len(waits) * 0.99) - 1]:.0f} ms, max {waits[-1]:.0f} ms\n"
        f"  answers from version A: {by_version['A']}, B: {by_version['B']}, "
        f"no catalogue text: {by_version[None]}; mixed: 0\n"
        f"  feedback: {tally.presses['counted']} votes counted, "
        f"{tally.presses['changed']} changed, "
        f"{tally.presses['already counted']} repeat presses refused, "
        f"{stored_votes} in the store; questions: {tally.asked} asked, "
        f"{questions_stored} stored\n"
        f"  items lost: {lost_votes + unanswered + tally.asked - questions_stored}"
        f" (votes lost {lost_votes}, counted twice {extra_votes})"
    )
