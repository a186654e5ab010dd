"""Entry point: ``python -m bot`` runs the bot; ``ask``, ``screen`` and ``console`` are the other modes."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from bot import cli
from bot.services import build_services


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
    if args.command == "screen":
        cli.run_screen(build_services(), cli.stdin_lines(), sys.stdout)
        return 0
    print("usage: python -m bot [ask|screen|console]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
