"""The command line: `python -m bot ask|check|eval|chat|run|sync|invite`.

`ask`, `check`, `eval` and `chat` need no token and no network: they answer from the
catalogue file alone. They read the bot's settings (`.env` and the environment, through
`bot.config`) so they answer from the catalogue the bot serves: the live copy in the state
folder once the bot has made one, else the default catalogue; `--data` overrides both.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import TextIO

from bot import exitcodes, library, terminal
from bot.catalog import Catalog, CatalogError, load_catalog
from bot.config import DEFAULT_DATA, DEFAULT_STATE, ConfigError, Settings, parse_snowflake
from bot.evaluation import QueriesError, evaluate, load_queries
from bot.exitcodes import EXIT_CONFIG, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK
from bot.i18n import text
from bot.search import Answer, Index

CATALOGUE_HELP = "catalogue file (default: the one the bot serves, see README)"


def version() -> str:
    """The installed project's version, as pyproject.toml states it."""
    try:
        return metadata.version("resource-bot")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def checkout() -> Path | None:
    """The project folder when the bot runs from a checkout (the package's parent holds the
    default catalogue), else None (an installed package: paths stay relative to the working
    folder, as in the container)."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / DEFAULT_DATA).is_file() else None


def cli_settings() -> Settings:
    """The bot's settings, with the defaults of the catalogue and the state folder placed
    in the checkout, so the command line finds them from any working folder (the bot runs
    from the checkout). Settings given in `.env` or the environment are kept as written."""
    settings = Settings.load()
    project = checkout()
    if project is None:
        return settings
    changes: dict[str, Path] = {}
    if settings.data_path == DEFAULT_DATA:
        changes["data_path"] = project / DEFAULT_DATA
    if settings.state_dir == DEFAULT_STATE:
        changes["state_dir"] = project / DEFAULT_STATE
    return replace(settings, **changes)


def served_catalogue(settings: Settings) -> Path:
    """The catalogue the bot serves: its live copy once it made one, else the default."""
    return library.served_catalogue(settings.state_dir, settings.data_path)


def _data_path(arg: str | None) -> Path:
    return Path(arg) if arg else served_catalogue(cli_settings())


def _open_index(path: Path) -> Index:
    return Index.build(load_catalog(path))


def answer_json(answer: Answer, language: str = "en") -> dict:
    """The JSON shape of an answer, as `ask --json` prints it (titles in `language`)."""

    def row(match) -> dict:
        return {
            "id": match.resource.id,
            "title": match.resource.title_in(language),
            "url": match.resource.url,
            "score": round(match.score, 4),
        }

    return {
        "query": answer.query,
        "confident": answer.confident,
        "results": [row(m) for m in answer.results],
        "suggestions": [row(m) for m in answer.suggestions],
    }


def _print_answer(
    answer: Answer, catalog: Catalog, language: str, as_json: bool, out: TextIO
) -> None:
    if as_json:
        out.write(json.dumps(answer_json(answer, language), ensure_ascii=False) + "\n")
    else:
        out.write(terminal.render_answer(answer, catalog, language) + "\n")
    out.flush()


def cmd_ask(args: argparse.Namespace) -> int:
    index = _open_index(_data_path(args.data))
    question = " ".join(args.question)
    if question == "-":
        for line in sys.stdin:
            if line.strip():
                _print_answer(
                    index.ask(line.strip()), index.catalog, args.lang, args.json, sys.stdout
                )
        return EXIT_OK
    if not question.strip():
        print(
            "error: ask needs a question, e.g. python -m bot ask when should I fine-tune",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    _print_answer(index.ask(question), index.catalog, args.lang, args.json, sys.stdout)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    path = _data_path(args.path)
    catalog = load_catalog(path)
    print(f"{path}: valid, {len(catalog)} resources, {len(catalog.topics)} topics")
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    catalog = load_catalog(_data_path(args.data))
    index = Index.build(catalog.without_hints() if args.plain else catalog)
    report = evaluate(index, load_queries(Path(args.queries)))
    print(report.render())
    return EXIT_OK


def _line_editing() -> None:
    """Arrow keys, editing and history of this session's questions for `chat` at a
    terminal: importing readline is what makes `input` use it. Some Pythons lack it."""
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401


def cmd_chat(args: argparse.Namespace) -> int:
    index = _open_index(_data_path(args.data))
    interactive = sys.stdin.isatty()
    if interactive:
        _line_editing()
        print(text(args.lang, "chat.intro"))
    while True:
        try:
            question = input("? " if interactive else "")
        except (EOFError, KeyboardInterrupt):
            if interactive:
                print()
            return EXIT_OK
        if question.strip():
            _print_answer(index.ask(question), index.catalog, args.lang, False, sys.stdout)


def cmd_run(args: argparse.Namespace) -> int:
    from bot.discord.runner import run

    return run()


def cmd_sync(args: argparse.Namespace) -> int:
    from bot.discord.runner import sync

    return sync(args.guild)


def cmd_invite(args: argparse.Namespace) -> int:
    from bot.discord.invite import invite_url

    try:
        if args.client_id is not None:
            application_id = parse_snowflake("--client-id", args.client_id)
        else:
            application_id = Settings.load().application_id
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    if application_id is None:
        print(
            "error: the application id is not known: set DISCORD_APPLICATION_ID in .env or "
            "pass --client-id (Developer Portal → your application → General Information → "
            "Application ID)",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    print(invite_url(application_id))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resource-bot",
        description="Recommend learning resources from a catalogue.",
        epilog=exitcodes.table(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer a question (use - to read one per line)")
    ask.add_argument("question", nargs="+", help="the question, or - for stdin")
    ask.add_argument("--data", help=CATALOGUE_HELP)
    ask.add_argument("--lang", choices=("en", "sv"), default="en", help="card language")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.set_defaults(handler=cmd_ask)

    check = commands.add_parser("check", help="validate a catalogue file")
    check.add_argument("path", nargs="?", help=CATALOGUE_HELP)
    check.set_defaults(handler=cmd_check)

    evaluation = commands.add_parser("eval", help="measure answer quality on a question set")
    evaluation.add_argument("queries", help="questions file (see eval/dev.yaml)")
    evaluation.add_argument("--data", help=CATALOGUE_HELP)
    evaluation.add_argument(
        "--plain", action="store_true", help="drop keywords and example questions first"
    )
    evaluation.set_defaults(handler=cmd_eval)

    chat = commands.add_parser("chat", help="answer questions interactively until Ctrl-D")
    chat.add_argument("--data", help=CATALOGUE_HELP)
    chat.add_argument("--lang", choices=("en", "sv"), default="en", help="card language")
    chat.set_defaults(handler=cmd_chat)

    run = commands.add_parser("run", help="start the Discord bot (needs DISCORD_TOKEN)")
    run.set_defaults(handler=cmd_run)

    sync = commands.add_parser("sync", help="register the slash commands with Discord")
    sync.add_argument("--guild", type=int, help="sync to this server only")
    sync.set_defaults(handler=cmd_sync)

    invite = commands.add_parser(
        "invite", help="print the link that adds the bot to a server (no token needed)"
    )
    invite.add_argument("--client-id", help="the application id (default: DISCORD_APPLICATION_ID)")
    invite.set_defaults(handler=cmd_invite)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except CatalogError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except QueriesError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        print(f"error: {error.strerror or error}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
