"""The self-check conversation over the questionnaire state machine, shared by Telegram and the console.

It keeps, in the user's data: the questionnaire state, a questionnaire id (sid) and a step counter (n). Every
change increments n, so a button from an older message, a double tap or a button from another questionnaire
carries a stale (sid, n) and changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from bot.texts import t
from bot.views import View, done_view, question_view, review_view
from screening.engine import FACT_ORDER
from screening.questionnaire import AnswerError, Done, Question, Questionnaire, new_state


@dataclass(frozen=True)
class FlowResult:
    view: View
    changed: bool = False  # the state changed and must be committed
    stale: bool = False  # the button did not apply; nothing changed
    done: Done | None = None  # a result reached by this action (to record once)


class CheckFlow:
    def __init__(self, questionnaire: Questionnaire, track_names: dict[str, str]) -> None:
        self.q = questionnaire
        self.track_names = track_names

    # ------------------------------------------------------------------ state in user data
    @staticmethod
    def active(ud: dict[str, Any]) -> bool:
        return "check" in ud

    def begin(self, ud: dict[str, Any], lang: str) -> FlowResult:
        """Start, or resume where the user left off."""
        changed = False
        if not self.active(ud):
            ud.update(check=new_state(), sid=secrets.token_hex(3), n=0, edit=None, screen="q")
            changed = True
        ud["screen"] = "q" if ud.get("screen") != "review" else "review"
        return FlowResult(self.render(ud, lang), changed=changed)

    def render(self, ud: dict[str, Any], lang: str) -> View:
        state, sid, n = ud["check"], ud["sid"], ud["n"]
        if ud.get("screen") == "review":
            return review_view(self.q, self.q.active_answers(state), sid, n, lang)
        if ud.get("edit"):
            name = ud["edit"]
            spec = self.q.specs[name]
            step = Question(name, spec.kind, spec.text, spec.text_en, spec.clause,
                            self._options(state, name), list(state.get("draft", [])))
            current = self.q.active_answers(state).get(name)
            return question_view(self.q, step, sid, n, lang, current=current, editing=True)
        step = self.q.step(state)
        if isinstance(step, Done):
            return done_view(self.q, step, sid, n, lang, self.track_names)
        return question_view(self.q, step, sid, n, lang)

    def _options(self, state: dict, name: str) -> list:
        step = self.q.step(state)
        if isinstance(step, Question) and step.field == name:
            return step.options
        return self.q.question_for(name, self.q.active_answers(state), state).options

    def current_field(self, ud: dict[str, Any]) -> str | None:
        """The field a typed answer would go to, if the screen shows a question."""
        if not self.active(ud) or ud.get("screen") == "review":
            return None
        if ud.get("edit"):
            return ud["edit"]
        step = self.q.step(ud["check"])
        return step.field if isinstance(step, Question) else None

    def why(self, ud: dict[str, Any], lang: str, kb: Any) -> str:
        name = self.current_field(ud)
        if name is None:
            return t("why_none", lang)
        step = self.q.step(ud["check"])
        clause_id = step.clause if isinstance(step, Question) and step.field == name else self.q.specs[name].clause
        clause = kb.clause(clause_id)
        return t("why", lang, citation=clause.citation, text=clause.text)

    # ------------------------------------------------------------------ actions
    def press(self, ud: dict[str, Any], data: str, lang: str) -> FlowResult:
        """Apply one questionnaire button (``c:sid:n:act[:arg]``)."""
        parts = data.split(":")
        if len(parts) < 4 or not self.active(ud) or parts[1] != ud["sid"] or parts[2] != str(ud["n"]):
            return FlowResult(View(t("stale", lang)), stale=True)
        act, arg = parts[3], (parts[4] if len(parts) > 4 else "")
        try:
            return self._apply(ud, act, arg, lang)
        except (AnswerError, ValueError, IndexError) as exc:
            message = str(exc) if isinstance(exc, AnswerError) else t("stale", lang)
            view = self.render(ud, lang)
            return FlowResult(View(f"{message}\n\n{view.text}", view.buttons))

    def typed(self, ud: dict[str, Any], text: str, lang: str) -> FlowResult:
        """A typed answer to a date or number question (or a choice typed by its label)."""
        name = self.current_field(ud)
        if name is None:
            return FlowResult(self.render(ud, lang))
        try:
            value = self._typed_value(name, text, ud, lang)
            return self._commit(ud, self.q.answer(ud["check"], name, value), lang)
        except AnswerError as exc:
            view = self.render(ud, lang)
            return FlowResult(View(f"{exc}\n\n{view.text}", view.buttons))

    def _typed_value(self, name: str, text: str, ud: dict[str, Any], lang: str) -> Any:
        if text.strip() in (t("unsure", "zh"), t("unsure", "en"), "不知道"):
            return "unknown"
        spec = self.q.specs[name]
        if spec.kind in ("date", "number"):
            return text
        for option in self._options(ud["check"], name):
            if text.strip() in (option.label, option.label_en, str(option.value)):
                return option.value
        raise AnswerError("请点按钮选择，或输入选项文字。" if lang == "zh" else "Please tap a button.")

    def _apply(self, ud: dict[str, Any], act: str, arg: str, lang: str) -> FlowResult:
        state = ud["check"]
        name = ud.get("edit") or self.current_field(ud)
        if name is None and act in ("a", "u"):  # the result or the review is showing: nothing to answer
            raise AnswerError(t("stale", lang))
        if act == "a":  # a choice by its index
            options = self._options(state, name)
            return self._commit(ud, self.q.answer(state, name, options[int(arg)].value), lang)
        if act == "u":
            return self._commit(ud, self.q.answer(state, name, "unknown"), lang)
        if act == "t":
            return self._commit(ud, self.q.toggle(state, arg), lang, keep_edit=True)
        if act == "d":
            return self._commit(ud, self.q.answer(state, "achievements", list(state.get("draft", []))), lang)
        if act == "0":
            return self._commit(ud, self.q.answer(state, "achievements", []), lang)
        if act == "b":
            ud["edit"] = None
            return self._commit(ud, self.q.back(state), lang)
        if act == "n":  # early stop: "not sure" about the answer that excluded
            return self._commit(ud, self.q.mark_unknown(state, FACT_ORDER[int(arg)]), lang)
        if act == "x":
            ud.update(check=new_state(), sid=secrets.token_hex(3), n=0, edit=None, screen="q")
            return FlowResult(self.render(ud, lang), changed=True)
        if act == "v":
            return self._move(ud, "review", lang)
        if act == "c":
            return self._move(ud, "q", lang)
        if act == "e":
            field = FACT_ORDER[int(arg)]
            if field not in self.q.active_answers(state):
                raise AnswerError(t("stale", lang))
            ud["edit"] = field
            return self._move(ud, "q", lang)
        raise AnswerError(t("stale", lang))

    def _move(self, ud: dict[str, Any], screen: str, lang: str) -> FlowResult:
        ud["screen"] = screen
        ud["n"] += 1
        return FlowResult(self.render(ud, lang), changed=True)

    def _commit(self, ud: dict[str, Any], state: dict, lang: str, keep_edit: bool = False) -> FlowResult:
        was_done = isinstance(self.q.step(ud["check"]), Done)
        ud["check"] = state
        ud["n"] += 1
        ud["screen"] = "q"
        if not keep_edit:
            ud["edit"] = None
        step = self.q.step(state)
        done = step if isinstance(step, Done) and not (was_done and keep_edit) else None
        return FlowResult(self.render(ud, lang), changed=True, done=done)
