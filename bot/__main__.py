"""Entry point: ``python -m bot`` runs the bot; ``ask``, ``screen``, ``console`` and ``web`` are the other modes."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from telegram import Update

from bot import cli, console
from bot.app import build_application, setup_logging, webhook_params
from bot.config import SettingsError, load_settings
from bot.services import build_services
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
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command == "ask":
        services = build_services()
        today = args.today or dt.date.today()
        questions = [" ".join(args.question)] if args.question else cli.stdin_lines()
        cli.run_ask(services, questions, today, args.json, sys.stdout)
        return 0
    if args.command == "chat":
        cli.run_chat(build_services(), cli.stdin_lines(), args.today or dt.date.today(), sys.stdout)
        return 0
    if args.command == "screen":
        cli.run_screen(build_services(), cli.stdin_lines(), sys.stdout)
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
    application = build_application(settings, services)
    if settings.webhook:
        application.run_webhook(**webhook_params(settings), allowed_updates=Update.ALL_TYPES)
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=settings.poll_interval)
    return 0


if __name__ == "__main__":
    sys.exit(main())
