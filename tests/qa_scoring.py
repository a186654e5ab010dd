"""The same pass rule as ../shared/eval/qa_eval.py, in-process, for regression tests and the benchmark."""

from __future__ import annotations

import datetime as dt
import re

from screening.chat import Chat


def _norm(text: str) -> str:
    return re.sub(r"[\s\-\u2010-\u2015\uff0d]", "", text).lower()


def check(case: dict, found: bool, answer: str) -> str | None:
    if found != case["found"]:
        return f"found={found}, expected {case['found']}"
    if not found:
        return None
    missing = [g for g in case["must"] if not any(_norm(alt) in _norm(answer) for alt in g)]
    return f"missing {missing}" if missing else None


def score_cases(chat: Chat, cases: list[dict], default_today: dt.date) -> list[str]:
    """Each question as a one-message conversation, as ``python -m bot ask`` answers it."""
    failures = []
    for case in cases:
        today = dt.date.fromisoformat(case["today"]) if "today" in case else default_today
        reply = chat.reply(None, case["q"], today, dt.datetime.combine(today, dt.time(12))).answer
        problem = check(case, reply.found, reply.answer)
        if problem:
            failures.append(f"{case['id']} {case['q']}: {problem}")
    return failures
