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


def screen_line(services: Services, line: str, today: dt.date | None = None) -> dict:
    """One profile line to one result object, or ``{"error": ...}`` naming the field and the problem."""
    from pydantic import ValidationError

    from bot.render import screening_json
    from knowledge.phrasebook import phrases
    from screening.engine import screen
    from screening.models import Profile

    today = today or dt.date.today()
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"error": f"not valid JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(data, dict):
        return {"error": f"a profile must be a JSON object, got {type(data).__name__}"}
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "profile"
            problems.append(f"{where}: {err['msg']}")
        return {"error": "; ".join(problems)}
    return screening_json(screen(profile, services.criteria), services.criteria, services.kb, today, phrases("zh"))


def run_screen(services: Services, lines: Iterable[str], out: TextIO) -> None:
    """Screen each non-blank line; a bad line yields an error object and the next line goes on."""
    for line in lines:
        if not line.strip():
            continue
        out.write(json.dumps(screen_line(services, line), ensure_ascii=False) + "\n")
        out.flush()
