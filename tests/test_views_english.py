"""English users get English everywhere in the self-check: every view of every screen, rendered with
lang="en", holds no Chinese outside quoted clause text (「…」, the notice's own words) and citations."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.selfcheck import SelfCheck
from bot.session import Session
from bot.views import View, consent_view, forget_view, menu_buttons, welcome
from screening.engine import FACT_ORDER

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
TODAY = dt.date(2024, 4, 25)

WALKS = {  # pressed buttons (action[:arg]) or typed answers (=text), in asking order, to reach each result
    "eligible_professional": ["a:0", "a:0", "a:0", "a:1", "a:1", "a:1", "a:1", "=1975-03-01", "a:0", "t:P6", "d"],
    "review_skilled": ["a:1", "a:0", "a:0", "a:1", "a:1", "a:1", "a:1", "=1963-03-01", "a:1", "=12", "t:S5", "d"],
    "early_stop": ["a:0", "a:0", "a:0", "a:0"],
    "woman_skilled": ["a:1", "a:0", "a:0", "a:1", "a:1", "a:1", "a:1", "=1972-03-01", "a:1", "a:1", "a:1", "=3"],
    "unknown_track": ["u"] * 12,
}


def leftover_chinese(view: View, services) -> list[str]:
    """The Chinese left in a view once citations, clause texts and quotes are taken out."""
    text = "\n".join([view.text, *(b.label for row in view.buttons for b in row)])
    for clause in services.kb.clauses.values():
        text = text.replace(clause.text, "").replace(clause.citation, "")
    for document in services.kb.documents:
        text = text.replace(document.number, "")
    text = re.sub(r"「[^」]*」", "", text)
    return [line for line in text.split("\n") if CJK.search(line)]


def views_of_a_walk(check: SelfCheck, moves: list[str]) -> list[View]:
    step = check.begin(None, "en")
    session: Session = step.session
    views = [step.view]
    for move in moves:
        if move.startswith("="):
            step = check.typed(session, move[1:], "en")
        else:
            step = check.press(session, f"c:{session.sid}:{session.n}:{move}", "en")
        assert step is not None and not step.stale and not step.problem, (move, step)
        session = step.session or session
        views.append(step.view)
        for extra in ("v", "i"):  # the review screen, and the conditions' full text where there is a list
            shown = check.press(session, f"c:{session.sid}:{session.n}:{extra}", "en")
            views.append(shown.view)
    for index, name in enumerate(FACT_ORDER):  # every answer's edit screen
        if name in check.q.active_answers(session.state):
            review = check.press(session, f"c:{session.sid}:{session.n}:v", "en").session
            views.append(check.press(review, f"c:{review.sid}:{review.n}:e:{index}", "en").view)
    return views


@pytest.mark.parametrize("walk", sorted(WALKS))
def test_every_self_check_view_is_english(services, walk) -> None:
    check = SelfCheck(services.criteria, services.kb, lambda: TODAY)
    views = views_of_a_walk(check, WALKS[walk])
    assert len(views) > len(WALKS[walk])
    for view in views:
        assert leftover_chinese(view, services) == [], view.text


@pytest.mark.parametrize(("walk", "outcome"), [
    ("eligible_professional", "Appears eligible"), ("review_skilled", "Needs your unit"),
    ("early_stop", "Not eligible"), ("woman_skilled", "Not eligible"), ("unknown_track", "Needs your unit")])
def test_the_walks_reach_their_results(services, walk, outcome) -> None:
    """The walks above do reach a result (so the views they check include every part of one)."""
    check = SelfCheck(services.criteria, services.kb, lambda: TODAY)
    results = [v.text for v in views_of_a_walk(check, WALKS[walk]) if v.text.startswith("Result:")]
    assert results and outcome in results[0]


def test_the_bots_own_views_are_english(services) -> None:
    for view in (welcome("en", 90, services.kb), consent_view("en", 90), forget_view("en"),
                 View("", menu_buttons("en"))):
        assert leftover_chinese(view, services) == [], view.text
