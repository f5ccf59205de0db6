"""A loopback fake Discord for end-to-end tests of the bot's real discord.py client.

The fake speaks Discord's REST API (under /api/v10) and gateway (zlib-stream) on 127.0.0.1,
checks every request body against Discord's published API description (openapi.json, found at
``$DISCORD_OPENAPI_SPEC`` or in ``discord-api-spec/`` beside this file) plus the limits the
description leaves out, and answers a request Discord would refuse with Discord's own error.

Fixtures (tests/conftest.py):

- ``fake_discord``: a started :class:`FakeDiscord`, with discord.py pointed at it for the
  test (``discord.http.Route.BASE`` and the default gateway URL are monkeypatched). At
  teardown the test fails on any contract violation, unknown route or refused request, unless
  the test took them with ``fake_discord.expect_violations()`` / ``take_violations()``.
- ``connect_client``: ``await connect_client(client)`` runs a client until the test ends.

The bot in its own process, as in production (for load tests, so the fake's work does not
take the bot's CPU): ``async with bot_process(fake_discord, workdir=tmp_path,
RESOURCE_BOT_DATA=str(path)) as bot:`` runs ``python -m bot run``'s code against the fake,
waits until it is ready, and always stops it; ``await bot.cpu_seconds()``,
``bot.profile_on()`` / ``profile_off(path)`` (cProfile), ``bot.log()``. A start that must
fail: ``code, stderr = await bot_exit(fake_discord, workdir=tmp_path, ...)``.

How a test of the real bot reads::

    from bot import create_bot
    from fake_discord import connected

    async def test_ask_answers_in_swedish(fake_discord, settings):
        bot = create_bot(settings)
        alice = fake_discord.member("alice")
        async with connected(bot, fake_discord):
            reply = await fake_discord.slash(
                alice, "ask", question="när ska jag finjustera", locale="sv-SE"
            )
            choices = await fake_discord.autocomplete(
                alice, "ask", focused="question", value="fin"
            )
            deleted = await fake_discord.press(fake_discord.moderator("mo"), reply, "Delete")
        assert reply.embeds[0]["title"] and not reply.ephemeral
        assert len(choices) <= 25

Helpers return a :class:`Reply` (``reply.content``, ``reply.embeds``, ``reply.buttons``,
``reply.ephemeral``, ``reply.deferred``, ``reply.followups``, ``reply.edits``) once the bot
has answered, never waiting longer than the ``timeout`` (3 s, Discord's own deadline); a bot
that does not answer raises :class:`NoAnswer`.

- People: ``member("alice", locale="sv-SE")``, ``moderator("mo")`` (role
  ``fake_discord.moderator_role``: Manage Server + Manage Messages), ``add_role(name, perms)``;
  ``post(alice, "text")`` writes a message (for context menus).
- Acts: ``slash(user, "resources browse", topic="azure")``, ``autocomplete(user, "ask",
  focused="question", value="fi")`` (returns the choices), ``context_menu(user, "Find
  resources", message=...)``, ``press(user, reply, "Next")``, ``select(user, reply,
  ["azure"])``; files for attachment options as ``Upload("a.yaml", data)``;
  ``slash_at_once("ask", [(alice, {"question": "..."}), ...])`` sends many at the same
  moment and waits for all the answers.
- The guild: ``fake_discord.guild.id`` (for a bot that syncs to one guild), channels by name
  (``channel("general")``); ``register_commands(payload)`` for commands synced before start.
- Records: ``registrations``, ``registered_commands``, ``channel_messages``, ``deleted``,
  ``requests``, ``violations``, ``gateway_log``, ``downloads`` (attachments fetched);
  ``contract.check(operation_id, body)`` validates a body with no server at all (e.g. a
  rendered card).
- Bursts: ``with fake_discord.checks_deferred() as checks:`` answers requests at once and
  validates their bodies when the block ends (``checks.bodies_checked``,
  ``checks.violations``, recorded as the fake's violations too); each request's arrival is
  time-stamped before anything else (``RecordedRequest.arrived_at``, and an interaction's
  ``dispatched_at`` / ``answered_at``).
- Shards: ``fake_discord.shard_count = 2`` before the bot connects (``/gateway/bot``
  advertises it; an IDENTIFY whose ``[shard_id, shard_count]`` Discord would refuse is closed
  with 4010 or 4011); ``add_guild(name, shard=1)`` makes a server on that shard, whose events
  (interactions included) go only to that shard's session, ``sessions[shard_id]``;
  ``shard_of_guild(guild_id)``.
- Faults: ``fail_next_callbacks(1, status=429)``, ``fail_next("create_message", status=500)``,
  ``expire_next_interactions(1)`` (the token expired before the bot answered: 404 10062),
  ``await drop_gateway(how="close" | "abort" | "reconnect", resumable=True)``.
"""

from .contract import (
    Contract,
    SpecNotFound,
    Violation,
    default_spec_path,
    discord_error_body,
    load_for_tests,
    summary_lines,
)
from .harness import FakeDiscord, NoAnswer, Reply, SentMessage, connected
from .payloads import Person, Upload
from .process import BotProcess, BotProcessFailed, bot_exit, bot_process
from .server import DeferredChecks, Deletion, RecordedRequest, Registration

__all__ = [
    "BotProcess",
    "BotProcessFailed",
    "Contract",
    "DeferredChecks",
    "Deletion",
    "FakeDiscord",
    "NoAnswer",
    "Person",
    "RecordedRequest",
    "Registration",
    "Reply",
    "SentMessage",
    "SpecNotFound",
    "Upload",
    "Violation",
    "bot_exit",
    "bot_process",
    "connected",
    "default_spec_path",
    "discord_error_body",
    "load_for_tests",
    "summary_lines",
]
