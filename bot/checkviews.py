"""The self-check's screens (question, review, result) as channel-neutral views, worded by the phrasebook."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from bot.session import Action, Session, button_data
from bot.views import Button, View
from knowledge.phrasebook import Phrasebook, phrases
from screening.engine import FACT_ORDER
from screening.faq import condition_body, label_values
from screening.questionnaire import Done, Option, Question
from screening.wording import next_step_text, note_text, reason_explanation, reason_label

if TYPE_CHECKING:
    from bot.selfcheck import SelfCheck


def _label(option: Option, pb: Phrasebook) -> str:
    return option.label_en if pb.english else option.label


def question_text(svc: SelfCheck, name: str, pb: Phrasebook) -> str:
    spec = svc.q.specs[name]
    return (spec.text_en if pb.english else spec.text).format(**label_values(svc.criteria, pb))


def short_question(svc: SelfCheck, name: str, pb: Phrasebook) -> str:
    """A question without its explanation, for the review and the result."""
    return question_text(svc, name, pb).split("？")[0].split("?")[0]


def display_value(svc: SelfCheck, name: str, value: Any, pb: Phrasebook) -> str:
    """How an answer reads back to the user."""
    if value is None:
        return pb("check.unsure")
    if name == "achievements":
        return pb.join(value) if value else pb("check.none_apply")
    for option in svc.q.specs[name].options:
        if option.value == value and isinstance(option.value, bool) == isinstance(value, bool):
            return _label(Option(option.value, option.label, option.label_en), pb)
    return str(value)


def _nav(s: Session, pb: Phrasebook) -> list[list[Button]]:
    return [[Button(pb("check.unsure"), button_data(s.sid, s.n, Action.UNSURE))],
            [Button(pb("check.back"), button_data(s.sid, s.n, Action.BACK)),
             Button(pb("check.review"), button_data(s.sid, s.n, Action.REVIEW)),
             Button(pb("check.restart"), button_data(s.sid, s.n, Action.RESTART))]]


def question_view(svc: SelfCheck, s: Session, step: Question, lang: str, editing: bool = False) -> View:
    """One question: its options, 不确定, and back / review / restart; a multi-select can show its conditions'
    full text."""
    pb = phrases(lang)
    lines = [question_text(svc, step.field, pb)]
    if editing:
        current = svc.q.active_answers(s.state).get(step.field)
        lines.append(pb("check.current", value=display_value(svc, step.field, current, pb)))
    rows: list[list[Button]] = []
    if step.kind == "multi":
        if s.details:
            lines += ["", pb("check.details_title", citation=svc.kb.clause(step.clause).citation)]
            for option in step.options:
                condition = svc.criteria.achievements[str(option.value)]
                lines.append(pb("check.detail_line", code=option.value, text=condition_body(condition.clause_text)))
        for option in step.options:
            mark = "✅ " if option.value in step.selected else ""
            rows.append([Button(f"{mark}{_label(option, pb)}"[:60],
                                button_data(s.sid, s.n, Action.TOGGLE, option.value))])
        rows.append([Button(pb("check.done"), button_data(s.sid, s.n, Action.DONE)),
                     Button(pb("check.none_apply"), button_data(s.sid, s.n, Action.NONE))])
        rows.append([Button(pb("check.hide_details" if s.details else "check.details"),
                            button_data(s.sid, s.n, Action.DETAILS))])
    elif step.kind == "choice":
        buttons = [Button(_label(o, pb), button_data(s.sid, s.n, Action.ANSWER, i)) for i, o in enumerate(step.options)]
        rows.extend(buttons[i : i + 2] for i in range(0, len(buttons), 2))
    else:
        lines.append(pb("check.type_answer"))
    rows += _nav(s, pb)
    return View("\n".join(lines), rows)


def review_view(svc: SelfCheck, s: Session, lang: str) -> View:
    """Every answer that counts, each with a button to change it."""
    pb = phrases(lang)
    active = svc.q.active_answers(s.state)
    if not active:
        go_on = Button(pb("check.continue"), button_data(s.sid, s.n, Action.CONTINUE))
        return View(pb("check.review_empty"), [[go_on]])
    lines = [pb("check.review_title")]
    rows = []
    sep = ": " if pb.english else "："
    for name, value in active.items():
        question = short_question(svc, name, pb)
        lines.append(f"· {question}{sep}{display_value(svc, name, value, pb)}")
        rows.append([Button(f"✏️ {question}"[:40], button_data(s.sid, s.n, Action.EDIT, FACT_ORDER.index(name)))])
    rows.append([Button(pb("check.continue"), button_data(s.sid, s.n, Action.CONTINUE)),
                 Button(pb("check.restart"), button_data(s.sid, s.n, Action.RESTART))])
    return View("\n".join(lines), rows)


def result_lines(svc: SelfCheck, done: Done, today: dt.date, pb: Phrasebook) -> list[str]:
    """The result in words: outcome, track, every reason with its clause, what is still unknown, next steps."""
    result = done.screening
    crit = svc.criteria
    track = crit.tracks.get(result.track or "")
    lines = [pb("check.result_title", outcome=pb(f"outcome.{result.outcome}")),
             pb("check.track_line", track=(track.name_en if pb.english else track.name) if track
                else pb("check.track_unknown")), "", pb("check.reasons")]
    for r in result.reasons:
        lines.append(pb("check.reason_line", mark=pb(f"check.mark_{r.result}"), label=reason_label(r, crit, pb),
                        citation=r.citation, explanation=reason_explanation(r, crit, pb)))
    if result.missing:
        names = [short_question(svc, f, pb) for f in result.missing if f in svc.q.specs]
        lines.append(pb("check.missing_line", fields=pb("format.clause_sep").join(names)))
    if done.early:
        lines += ["", pb("check.early_stop")]
    elif result.outcome != "ineligible":
        lines += ["", pb("check.next_steps"),
                  *[f"{i}. {next_step_text(st, crit, svc.kb, today, pb)}" for i, st in enumerate(result.next_steps, 1)]]
    lines += ["", *[note_text(n, crit, svc.kb, pb) for n in result.notes]]
    return lines


def done_view(svc: SelfCheck, s: Session, done: Done, lang: str) -> View:
    """The result, and for an early stop a way to say "not sure" about the answer that excluded."""
    pb = phrases(lang)
    lines = result_lines(svc, done, svc.today(), pb)
    rows: list[list[Button]] = []
    if done.early:
        for name in done.excluded_by:
            rows.append([Button(pb("check.not_sure_of", question=short_question(svc, name, pb))[:60],
                                button_data(s.sid, s.n, Action.NOT_SURE, FACT_ORDER.index(name)))])
    rows.append([Button(pb("check.review"), button_data(s.sid, s.n, Action.REVIEW)),
                 Button(pb("check.restart"), button_data(s.sid, s.n, Action.RESTART))])
    return View("\n".join(lines), rows)
