"""The line-oriented commands: ``ask`` answers questions, ``screen`` checks profiles. One line in, one out."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.services import Services


def _format_answer(reply: dict) -> str:
    lines = [str(reply["answer"])]
    if reply["citations"]:
        lines.append("依据：" + "；".join(reply["citations"]))
    return "\n".join(lines)


def run_ask(services: Services, questions: Iterable[str], today: dt.date, as_json: bool, out: TextIO) -> None:
    """Answer each question in order; JSON mode writes exactly one object per line."""
    for question in questions:
        reply = services.engine.ask(question.rstrip("\n"), today).as_json()
        if as_json:
            out.write(json.dumps(reply, ensure_ascii=False) + "\n")
        else:
            out.write(_format_answer(reply) + "\n\n")
        out.flush()


def stdin_lines() -> Iterable[str]:
    for line in sys.stdin:
        yield line.rstrip("\r\n")
