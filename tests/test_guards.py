"""Every guard as a table, as OpenFisca names its cases: each example it must refuse is refused by it, and each
example it must still answer passes every guard."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.services import build_services

SERVICES = build_services()
ENGINE = SERVICES.engine
CASES = [(g.name, q, True) for g in SERVICES.kb.guards for q in g.refuse] + \
        [(g.name, q, False) for g in SERVICES.kb.guards for q in g.answer]


@pytest.mark.parametrize(("guard", "question", "refused"), CASES, ids=[f"{g}:{q}" for g, q, _ in CASES])
def test_guard_examples(guard: str, question: str, refused: bool) -> None:
    reading = ENGINE.read(question)
    fired = ENGINE.guards.check(reading, ENGINE.base_year)
    if refused:
        assert fired is not None and fired.name == guard, (fired and fired.name, reading)
        reply = ENGINE.ask(question, dt.date(2024, 4, 25))
        assert not reply.found and reply.guard == guard
        assert "0351-7676026" in reply.answer or "电话" in reply.answer or "phone" in reply.answer
    else:
        assert fired is None, (fired.name, reading)


def test_every_guard_says_why_and_has_both_kinds_of_example() -> None:
    for guard in SERVICES.kb.guards:
        assert guard.why and guard.refuse and guard.answer, guard.name
