"""Channel-neutral views: text and buttons, worded by the phrasebook, for Telegram, the console and the web.

Text here is plain: the Telegram adapter escapes it for HTML, the console prints it, the web escapes it.
Callback data is short ASCII that always fits Telegram's 64 bytes:
  m:<item>                 menu            f:<question id>:<1|0>   feedback
  o:<question id>:<i|x>    clarification   k:<y|n> consent          z:<y|n> forget
  c:<sid>:<n>:<act>[:<arg>] questionnaire (bot/session.py)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from knowledge.engine import Answer, Engine
from knowledge.loader import KnowledgeBase
from knowledge.phrasebook import phrases

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
    pb = phrases(lang)
    return [
        [Button(pb("bot.menu_ask"), "m:ask"), Button(pb("bot.menu_check"), "m:check")],
        [Button(pb("bot.menu_deadline"), "m:deadline"), Button(pb("bot.menu_contacts"), "m:contacts")],
        [Button(pb("bot.menu_materials"), "m:materials")],
    ]


def round_values(kb: KnowledgeBase, lang: str) -> dict[str, Any]:
    """The round's year and document numbers, for the bot's own sentences about itself."""
    pb = phrases(lang)
    main, city = kb.main_document, kb.city_document
    forwarded = pb("bot.forwarded", city=city.place_en if pb.english else city.place, city_number=city.number) \
        if city else ""
    return {"year": main.issued.year, "number": main.number, "forwarded": forwarded}


def privacy_text(lang: str, retention_days: int) -> str:
    return phrases(lang)("bot.privacy", days=retention_days)


def welcome(lang: str, retention_days: int, kb: KnowledgeBase) -> View:
    pb = phrases(lang)
    return View(f"{pb('bot.welcome', **round_values(kb, lang))}\n\n{privacy_text(lang, retention_days)}",
                menu_buttons(lang))


def cited(answer: Answer, lang: str) -> str:
    """The answer's text with the clauses it rests on."""
    if not answer.citations:
        return answer.answer
    pb = phrases(lang)
    return f"{answer.answer}\n\n{pb('bot.based_on')}{pb('format.clause_sep').join(answer.citations)}"


def answer_view(answer: Answer, question_id: int, lang: str, extra: list[list[Button]] | None = None) -> View:
    """An answer with 👍/👎; a clarification with its options and 都不是; a refusal as it is."""
    if answer.kind == "clarify":
        rows = [[Button(label[:40], f"o:{question_id}:{i}")] for i, label in enumerate(answer.options)]
        rows.append([Button(phrases(lang)("bot.none_of_these"), f"o:{question_id}:x")])
        return View(answer.answer, rows)
    rows = [*(extra or [])]
    if answer.kind == "answer":
        rows.append([Button("👍", f"f:{question_id}:1"), Button("👎", f"f:{question_id}:0")])
        return View(cited(answer, lang), rows)
    return View(cited(answer, lang) if answer.entry_id else answer.answer, rows)


def entry_view(engine: Engine, entry_id: str, today: dt.date, lang: str) -> View:
    """A fixed topic (deadlines, contacts, materials) from its FAQ entry, cited."""
    return View(cited(engine.answer_entry(entry_id, today, english=lang == "en"), lang))


def consent_view(lang: str, retention_days: int) -> View:
    pb = phrases(lang)
    return View(pb("bot.consent_ask", privacy=privacy_text(lang, retention_days)),
                [[Button(pb("bot.consent_yes"), "k:y"), Button(pb("bot.consent_no"), "k:n")]])


def forget_view(lang: str) -> View:
    pb = phrases(lang)
    return View(pb("bot.forget_confirm"), [[Button(pb("bot.forget_yes"), "z:y"), Button(pb("bot.forget_no"), "z:n")]])


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
