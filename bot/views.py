"""Render what the core returns as plain text and buttons, for Telegram and the console alike.

Text here is plain: the Telegram adapter escapes it for HTML, the console prints it. Callback data is short
ASCII that always fits Telegram's 64 bytes:
  m:<item>                 menu            f:<question id>:<1|0>   feedback
  o:<question id>:<i|x>    clarification   k:<y|n> consent          z:<y|n> forget
  c:<sid>:<n>:<act>[:<arg>] questionnaire, where sid names the questionnaire and n its step, so a button
                           from an old message or another questionnaire is recognised as stale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.services import Services
from bot.texts import t
from knowledge.engine import Answer
from screening.engine import FACT_ORDER
from screening.questionnaire import Done, Question, Questionnaire

TELEGRAM_LIMIT = 4096


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class View:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)


def menu_buttons(lang: str) -> list[list[Button]]:
    return [
        [Button(t("menu_ask", lang), "m:ask"), Button(t("menu_check", lang), "m:check")],
        [Button(t("menu_deadline", lang), "m:deadline"), Button(t("menu_contacts", lang), "m:contacts")],
        [Button(t("menu_materials", lang), "m:materials")],
    ]


def welcome(lang: str, retention_days: int) -> View:
    return View(f"{t('welcome', lang)}\n\n{t('privacy', lang, days=retention_days)}", menu_buttons(lang))


def cited(answer: Answer, lang: str) -> str:
    """The answer's text with the clauses it rests on."""
    if not answer.citations:
        return answer.answer
    return f"{answer.answer}\n\n{t('based_on', lang)}{'；'.join(answer.citations)}"


def answer_view(answer: Answer, question_id: int, lang: str) -> View:
    """An answer with 👍/👎; a clarification with its options and 都不是; a refusal as it is."""
    if answer.kind == "clarify":
        rows = [[Button(label[:40], f"o:{question_id}:{i}")] for i, label in enumerate(answer.options)]
        rows.append([Button(t("none_of_these", lang), f"o:{question_id}:x")])
        return View(answer.answer, rows)
    if answer.kind == "answer":
        return View(cited(answer, lang), [[Button("👍", f"f:{question_id}:1"), Button("👎", f"f:{question_id}:0")]])
    return View(cited(answer, lang) if answer.entry_id else answer.answer)


def entry_view(services: Services, entry_id: str, today: dt.date, lang: str) -> View:
    """A fixed topic (deadlines, contacts, materials) from its FAQ entry, cited."""
    answer = services.engine.answer_entry(entry_id, today, english=lang == "en")
    return View(cited(answer, lang))


# ---------------------------------------------------------------------------------------- questionnaire
def _label(option: Any, lang: str) -> str:
    return option.label_en if lang == "en" else option.label


def display_value(q: Questionnaire, name: str, value: Any, lang: str) -> str:
    """How an answer reads back to the user."""
    if value is None:
        return t("unsure", lang)
    spec = q.specs[name]
    if name == "achievements":
        return "、".join(value) if value else t("none_apply", lang)
    for option in spec.options:
        if option.value == value and isinstance(option.value, bool) == isinstance(value, bool):
            return _label(option, lang)
    return str(value)


def question_view(q: Questionnaire, step: Question, sid: str, n: int, lang: str, current: Any = None,
                  editing: bool = False) -> View:
    """One question: its options, 不确定, and back / review / restart."""
    prefix = f"c:{sid}:{n}"
    text = step.text_en if lang == "en" else step.text
    lines = [text]
    if editing:
        lines.append(t("current", lang, value=display_value(q, step.field, current, lang)))
    rows: list[list[Button]] = []
    if step.kind == "multi":
        for option in step.options:
            mark = "✅ " if option.value in step.selected else ""
            rows.append([Button(f"{mark}{_label(option, lang)}"[:60], f"{prefix}:t:{option.value}")])
        rows.append([Button(t("done", lang), f"{prefix}:d"), Button(t("none_apply", lang), f"{prefix}:0")])
    elif step.kind == "choice":
        buttons = [Button(_label(o, lang), f"{prefix}:a:{i}") for i, o in enumerate(step.options)]
        rows.extend(buttons[i : i + 2] for i in range(0, len(buttons), 2))
    else:
        lines.append(t("type_answer", lang))
    rows.append([Button(t("unsure", lang), f"{prefix}:u")])
    rows.append([Button(t("back", lang), f"{prefix}:b"), Button(t("review", lang), f"{prefix}:v"),
                 Button(t("restart", lang), f"{prefix}:x")])
    return View("\n".join(lines), rows)


def review_view(q: Questionnaire, active: dict[str, Any], sid: str, n: int, lang: str) -> View:
    """Every answer that counts, each with a button to change it."""
    prefix = f"c:{sid}:{n}"
    if not active:
        return View(t("review_empty", lang), [[Button(t("continue", lang), f"{prefix}:c")]])
    lines = [t("review_title", lang)]
    rows = []
    for name, value in active.items():
        spec = q.specs[name]
        question = (spec.text_en if lang == "en" else spec.text).split("？")[0].split("?")[0]
        shown = display_value(q, name, value, lang)
        lines.append(f"· {question}：{shown}")
        rows.append([Button(f"✏️ {question}"[:40], f"{prefix}:e:{FACT_ORDER.index(name)}")])
    rows.append([Button(t("continue", lang), f"{prefix}:c"), Button(t("restart", lang), f"{prefix}:x")])
    return View("\n".join(lines), rows)


def done_view(q: Questionnaire, done: Done, sid: str, n: int, lang: str, track_names: dict[str, str]) -> View:
    """The result: outcome, track, every reason with its clause, next steps, and that it is not binding."""
    result = done.screening
    prefix = f"c:{sid}:{n}"
    lines = [t("result_title", lang, outcome=t(f"outcome_{result.outcome}", lang)),
             t("track_line", lang, track=track_names.get(result.track or "", t("track_unknown", lang))), "",
             t("reasons", lang)]
    for r in result.reasons:
        lines.append(f"{t('result_' + r.result, lang)} {r.label}（{r.citation}）：{r.explanation}")
    if result.missing:
        names = [(q.specs[f].text_en if lang == "en" else q.specs[f].text).split("？")[0] for f in result.missing
                 if f in q.specs]
        lines.append(t("missing_line", lang, fields="；".join(names)))
    rows: list[list[Button]] = []
    if done.early:
        lines += ["", t("early_stop", lang)]
        for name in done.excluded_by:
            question = (q.specs[name].text_en if lang == "en" else q.specs[name].text).split("？")[0]
            rows.append([Button(t("not_sure_of", lang, question=question)[:60],
                                f"{prefix}:n:{FACT_ORDER.index(name)}")])
    elif result.outcome != "ineligible":
        lines += ["", t("next_steps", lang), *[f"{i}. {s}" for i, s in enumerate(result.next_steps, 1)]]
    lines += ["", *result.notes[1:], t("not_binding", lang)]
    rows.append([Button(t("review", lang), f"{prefix}:v"), Button(t("restart", lang), f"{prefix}:x")])
    return View("\n".join(lines), rows)


def consent_view(lang: str, retention_days: int) -> View:
    return View(t("consent_ask", lang, privacy=t("privacy", lang, days=retention_days)),
                [[Button(t("consent_yes", lang), "k:y"), Button(t("consent_no", lang), "k:n")]])


def forget_view(lang: str) -> View:
    buttons = [[Button(t("forget_yes", lang), "z:y"), Button(t("forget_no", lang), "z:n")]]
    return View(t("forget_confirm", lang), buttons)


def split_text(text: str, limit: int = TELEGRAM_LIMIT, measure: Any = len) -> list[str]:
    """Cut text into chunks whose measured size fits ``limit``, at line breaks where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while measure(line) > limit:  # one line longer than the limit: cut it by characters
            cut = limit
            while measure(line[:cut]) > limit:
                cut -= max(1, cut // 10)
            chunks.append(line[:cut])
            line = line[cut:]
        current = line
    if current or not chunks:
        chunks.append(current)
    return chunks
