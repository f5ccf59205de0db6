"""The exit codes of `resource-bot` (`python -m bot`), named once for every command.

Each failure has its own code, so a script or a service manager can tell what to do: fix a
file, fix a setting, or try again later. `python -m bot --help` prints the table.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_CONFIG = 2
EXIT_UNREACHABLE = 3
EXIT_REFUSED = 4
EXIT_INTERRUPTED = 130

MEANINGS: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "done"),
    (EXIT_INVALID, "a file is not valid or cannot be read (the catalogue, a question set)"),
    (EXIT_CONFIG, "a setting or an argument is wrong (e.g. DISCORD_TOKEN): fix it first"),
    (EXIT_UNREACHABLE, "Discord cannot be reached or is failing: try again later"),
    (EXIT_REFUSED, "Discord refused the slash commands (sync)"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
)


def table() -> str:
    """The codes and their meanings, one a line, as `--help` shows them."""
    return "exit codes:\n" + "\n".join(f"  {code:<3}  {meaning}" for code, meaning in MEANINGS)
