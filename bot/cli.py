"""The line-oriented commands: ``ask`` answers questions, ``screen`` checks profiles. One line in, one out."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.services import Services
from screening.chat import ChatState


def _format_answer(reply: dict) -> str:
    lines = [str(reply["answer"])]
    if reply["citations"]:
        lines.append("依据：" + "；".join(reply["citations"]))
    return "\n".join(lines)


def _now(today: dt.date) -> dt.datetime:
    """The clock of a command-line conversation: the given day, at the real time of day."""
    return dt.datetime.combine(today, dt.datetime.now().time())


def run_ask(services: Services, questions: Iterable[str], today: dt.date, as_json: bool, out: TextIO) -> None:
    """Answer each question in order, each as a conversation of its own; JSON mode writes one object per line."""
    for question in questions:
        reply = services.reply(None, question.rstrip("\n"), today, _now(today)).as_json()
        if as_json:
            out.write(json.dumps(reply, ensure_ascii=False) + "\n")
        else:
            out.write(_format_answer(reply) + "\n\n")
        out.flush()


def run_chat(services: Services, lines: Iterable[str], today: dt.date, out: TextIO) -> None:
    """Conversations from JSON lines ``{"conversation": id, "text": ...}``, interleaved as they come; each keeps
    its own context. One JSON reply per line (the ``ask`` fields plus ``profile`` and ``outcome``); a line that
    is not such an object gets ``{"error": ...}`` and the next line goes on."""
    states: dict[str, ChatState] = {}
    for line in lines:
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            key, text = str(data["conversation"]), str(data["text"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            out.write(json.dumps({"error": f"expected {{\"conversation\": ..., \"text\": ...}}: {exc}"}) + "\n")
            out.flush()
            continue
        reply = services.reply(states.get(key), text, today, _now(today))
        states[key] = reply.state
        out.write(json.dumps(reply.as_json(), ensure_ascii=False) + "\n")
        out.flush()


def stdin_lines() -> Iterable[str]:
    for line in sys.stdin:
        yield line.rstrip("\r\n")


def screen_line(services: Services, line: str, today: dt.date | None = None) -> dict:
    """One profile line to one result object, or ``{"error": ...}`` naming the field and the problem."""
    from pydantic import ValidationError

    from knowledge.phrasebook import phrases
    from screening.engine import screen
    from screening.models import Profile
    from screening.wording import screening_json

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
    current = services.at(today)
    return screening_json(screen(profile, current.criteria), current.criteria, current.kb, today, phrases("zh"))


def run_screen(services: Services, lines: Iterable[str], out: TextIO) -> None:
    """Screen each non-blank line; a bad line yields an error object and the next line goes on."""
    for line in lines:
        if not line.strip():
            continue
        out.write(json.dumps(screen_line(services, line), ensure_ascii=False) + "\n")
        out.flush()
