"""Entry point: ``python -m bot`` runs the bot; ``ask``, ``screen``, ``console`` and ``web`` are the other modes."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
from pathlib import Path

from telegram import Update

from bot import cli, console
from bot.app import build_application, webhook_params
from bot.config import SettingsError, load_settings
from bot.logs import setup_logging
from bot.services import build_services
from bot.storage import StorageError, check_database
from knowledge.phrasebook import phrases


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from exc


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    ask = sub.add_parser("ask", help="answer a question (or one per line from standard input)")
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")
    ask.add_argument("--today", type=_date, default=None, help="the date to count deadlines from (YYYY-MM-DD)")
    ask.add_argument("question", nargs="*", help="the question; read from standard input when absent")
    chat = sub.add_parser("chat", help="conversations from JSON lines {conversation, text} on standard input")
    chat.add_argument("--json", action="store_true", help="one JSON object per reply (the only format)")
    chat.add_argument("--today", type=_date, default=None, help="the date to count deadlines and ages from")
    sub.add_parser("console", help="the bot's conversations in this terminal (no Telegram needed)")
    sub.add_parser("run", help="run the Telegram bot (the default)")
    sub.add_parser("web", help="serve the chat page and the staff pages on PORT (default 8080)")
    screen = sub.add_parser("screen", help="screen applicant profiles, one JSON value per line on standard input")
    screen.add_argument("--json", action="store_true", help="one JSON object per result (the only format)")
    notice = sub.add_parser("import-notice", help="read a notice into a round directory (facts.toml, notice.txt, "
                            "REVIEW.txt); exit 2 when it needs review")
    notice.add_argument("notice", type=Path, help="the notice as text: a city letter and the provincial notice")
    notice.add_argument("--out", type=Path, required=True, help="the round directory to write")
    return parser.parse_args(argv)


def _knowledge_dir() -> Path | None:
    """KNOWLEDGE_DIR for the line commands too, so an imported round can be asked before it is published."""
    value = os.environ.get("KNOWLEDGE_DIR", "").strip()
    return Path(value) if value else None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command == "import-notice":
        from knowledge.importer import run

        return run(args.notice, args.out, sys.stdout, validate=build_services)
    if args.command == "ask":
        services = build_services(_knowledge_dir())
        today = args.today or dt.date.today()
        questions = [" ".join(args.question)] if args.question else cli.stdin_lines()
        cli.run_ask(services, questions, today, args.json, sys.stdout)
        return 0
    if args.command == "chat":
        cli.run_chat(build_services(_knowledge_dir()), cli.stdin_lines(), args.today or dt.date.today(), sys.stdout)
        return 0
    if args.command == "screen":
        cli.run_screen(build_services(_knowledge_dir()), cli.stdin_lines(), sys.stdout)
        return 0
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    services = build_services(settings.knowledge_dir)
    if args.command == "console":
        console.main(services, settings)
        return 0
    if args.command == "web":
        from bot.web.server import run

        return run(services, settings)
    if settings.telegram_bot_token is None:
        print(phrases("zh")("bot.no_token") + "\n", file=sys.stderr)
        console.main(services, settings)
        return 0
    setup_logging(settings.telegram_bot_token.get_secret_value())
    try:  # before the Application exists: one line, not a traceback and an unclosed HTTP session
        asyncio.run(check_database(settings.database_path, settings.pseudonym_key))
    except StorageError as exc:
        print(f"database error: {exc}", file=sys.stderr)
        return 2
    application = build_application(settings, services)
    if settings.webhook:
        application.run_webhook(**webhook_params(settings), allowed_updates=Update.ALL_TYPES)
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0)  # PollingRequest pauses
    return 0


if __name__ == "__main__":
    sys.exit(main())
