"""The self-check as one service for every channel, over the questionnaire (the one state machine).

``SelfCheck`` turns an action (a button, typed text) and the user's session into the next session and the view
to show, without saving anything: the conversation service saves, and shows the view only once it is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.checkviews import done_view, question_view, review_view
from bot.session import Action, Press, Session, parse_press
from bot.views import View
from knowledge.loader import KnowledgeBase
from screening.engine import FACT_ORDER
from screening.questionnaire import UNKNOWN, AnswerError, Done, Question, Questionnaire
from screening.rules import Criteria


@dataclass(frozen=True)
class Step:
    """The outcome of one action: the session to save (None: nothing changed), what to show, and the result
    this action reached (to record once)."""

    view: View
    session: Session | None = None
    done: Done | None = None
    stale: bool = False
    problem: str = ""  # the phrase key of an answer that could not be taken
    prefilled: tuple[str, ...] = ()  # questions answered from what the user said in chat


class SelfCheck:
    """Every self-check action, for any channel; pure apart from the random id of a new questionnaire."""

    def __init__(self, criteria: Criteria, kb: KnowledgeBase, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.criteria = criteria
        self.kb = kb
        self.today = today  # the result's deadlines say how far off they are, or that they have passed
        self.q = Questionnaire(criteria, kb.clauses)

    # ------------------------------------------------------------------ views
    def view(self, s: Session, lang: str) -> View:
        """What the session shows now."""
        if s.screen == "review":
            return review_view(self, s, lang)
        if s.editing:
            return question_view(self, s, self._question(s, s.editing), lang, editing=True)
        step = self.q.step(s.state)
        if isinstance(step, Done):
            return done_view(self, s, step, lang)
        return question_view(self, s, step, lang)

    def _question(self, s: Session, name: str) -> Question:
        step = self.q.step(s.state)
        if isinstance(step, Question) and step.field == name:
            return step
        return self.q.question_for(name, self.q.active_answers(s.state), s.state)

    def current_field(self, s: Session | None) -> str | None:
        """The field a typed answer would go to, if the session shows a question."""
        if s is None or s.screen == "review":
            return None
        if s.editing:
            return s.editing
        step = self.q.step(s.state)
        return step.field if isinstance(step, Question) else None

    def why(self, s: Session | None) -> tuple[str, str] | None:
        """The clause (citation, text) behind the current question, or None."""
        name = self.current_field(s)
        if s is None or name is None:
            return None
        clause = self.kb.clause(self._question(s, name).clause)
        return clause.citation, clause.text

    # ------------------------------------------------------------------ actions
    def begin(self, s: Session | None, lang: str, prefill: dict[str, Any] | None = None) -> Step:
        """Start, or resume where the user left off; ``prefill`` answers questions with facts given in chat."""
        new = s or Session()
        filled = self.q.prefill(new.state, prefill or {})
        added = tuple(f for f in filled["answers"] if f not in new.state["answers"])
        if added:
            new = replace(new, state=filled, n=new.n + 1, screen="question", editing=None)
        if s is not None and new.screen == "question" and not added:
            return Step(self.view(new, lang))
        return Step(self.view(new, lang), session=new, prefilled=added)

    def press(self, s: Session | None, data: str, lang: str) -> Step:
        """Apply one questionnaire button; a button of another questionnaire or an older step is stale."""
        p = parse_press(data)
        if p is None or s is None or p.sid != s.sid or p.n != s.n:
            return Step(View(""), stale=True)
        try:
            return self._apply(s, p, lang)
        except AnswerError as exc:
            return Step(self.view(s, lang), problem=exc.key)

    def typed(self, s: Session | None, text: str, lang: str) -> Step | None:
        """Typed text that answers the current question, applied; None when it is not an answer."""
        name = self.current_field(s)
        if s is None or name is None:
            return None
        question = self._question(s, name)
        try:
            value = self.q.interpret(name, text, question.options)
        except AnswerError as exc:
            return Step(self.view(s, lang), problem=exc.key)
        if value is None:
            return None
        try:
            return self._commit(s, self.q.answer(s.state, name, value), lang)
        except AnswerError as exc:
            return Step(self.view(s, lang), problem=exc.key)

    def _apply(self, s: Session, p: Press, lang: str) -> Step:
        a = p.action
        name = s.editing or self.current_field(s)
        if a in (Action.ANSWER, Action.UNSURE):
            if name is None:  # the result or the review is showing: nothing to answer
                raise AnswerError("not_now")
            if a is Action.UNSURE:
                return self._commit(s, self.q.answer(s.state, name, UNKNOWN), lang)
            options = self._question(s, name).options
            if not 0 <= p.index < len(options):
                raise AnswerError("pick")
            return self._commit(s, self.q.answer(s.state, name, options[p.index].value), lang)
        if a is Action.TOGGLE:
            return self._commit(s, self.q.toggle(s.state, p.arg), lang, keep_edit=True)
        if a is Action.DONE:
            return self._commit(s, self.q.answer(s.state, "achievements", list(s.state.get("draft", []))), lang)
        if a is Action.NONE:
            return self._commit(s, self.q.answer(s.state, "achievements", []), lang)
        if a is Action.BACK:
            return self._commit(replace(s, editing=None), self.q.back(s.state), lang)
        if a is Action.NOT_SURE:
            return self._commit(s, self.q.answer(s.state, self._fact(p), UNKNOWN), lang)
        if a is Action.RESTART:
            fresh = Session()
            return Step(self.view(fresh, lang), session=fresh)
        if a is Action.REVIEW:
            return self._move(s, lang, screen="review")
        if a is Action.CONTINUE:
            return self._move(s, lang, screen="question")
        if a is Action.EDIT:
            field_name = self._fact(p)
            if field_name not in self.q.active_answers(s.state):
                raise AnswerError("not_now")
            return self._move(s, lang, screen="question", editing=field_name)
        if a is Action.DETAILS:
            return self._move(s, lang, details=not s.details)
        raise AnswerError("not_now")

    @staticmethod
    def _fact(p: Press) -> str:
        if not 0 <= p.index < len(FACT_ORDER):
            raise AnswerError("not_now")
        return FACT_ORDER[p.index]

    def _move(self, s: Session, lang: str, **changes: Any) -> Step:
        new = replace(s, n=s.n + 1, **changes)
        return Step(self.view(new, lang), session=new)

    def _commit(self, s: Session, state: dict[str, Any], lang: str, keep_edit: bool = False) -> Step:
        was_done = isinstance(self.q.step(s.state), Done)
        new = replace(s, state=state, n=s.n + 1, screen="question", editing=s.editing if keep_edit else None)
        step = self.q.step(state)
        done = step if isinstance(step, Done) and not (was_done and keep_edit) else None
        return Step(self.view(new, lang), session=new, done=done)
