"""Answers take turns: a few per pass of the event loop, first come first served."""

from __future__ import annotations

import asyncio

from bot.discord.turns import Turns


async def test_one_turn_per_pass_and_what_a_turn_started_goes_on_before_the_next() -> None:
    turns, log = Turns(per_pass=1), []

    async def asker(name: str) -> None:
        await turns.take()
        log.append(name)
        asyncio.get_running_loop().call_soon(log.append, f"{name} sent")  # like its request

    await asyncio.gather(*(asker(name) for name in "abc"))
    assert log == ["a", "a sent", "b", "b sent", "c", "c sent"]
    assert turns.waiting == 0


async def test_turns_are_given_a_few_per_pass_in_order() -> None:
    turns, log = Turns(per_pass=2), []

    async def asker(name: str) -> None:
        await turns.take()
        log.append(name)
        asyncio.get_running_loop().call_soon(log.append, f"{name} sent")

    await asyncio.gather(*(asker(name) for name in "abcde"))
    assert log == ["a", "b", "a sent", "b sent", "c", "d", "c sent", "d sent", "e", "e sent"]


async def test_a_caller_cancelled_while_waiting_is_skipped() -> None:
    turns, log = Turns(per_pass=1), []

    async def asker(name: str) -> None:
        await turns.take()
        log.append(name)

    tasks = [asyncio.create_task(asker(name)) for name in "abc"]
    await asyncio.sleep(0)  # all three are waiting
    assert turns.waiting == 3
    tasks[1].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert log == ["a", "c"]
    await asyncio.wait_for(asker("d"), timeout=1)  # turns are still handed out afterwards
    assert log == ["a", "c", "d"]
