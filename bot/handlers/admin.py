"""Staff commands: /stats, /unanswered, /export, /reload. Admins only, private chats only; others refused and logged."""

from __future__ import annotations

import csv
import functools
import io
import logging
from collections.abc import Awaitable, Callable

from telegram import InputFile, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.handlers.send import reply, user_lang
from bot.runtime import runtime
from bot.services import build_services
from bot.views import View
from knowledge.loader import KnowledgeError
from knowledge.phrasebook import phrases
from screening.rules import CriteriaError

logger = logging.getLogger(__name__)
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def admin_only(handler: Handler) -> Handler:
    """Runs the handler only for a configured admin in a private chat."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        rt = runtime(context)
        user = update.effective_user
        chat = update.effective_chat
        # An anonymous group admin posts as the group (sender_chat): never an admin here.
        allowed = (user is not None and user.id in rt.settings.admin_ids and chat is not None
                   and chat.type == ChatType.PRIVATE and update.effective_message.sender_chat is None)
        if not allowed:
            who = rt.db.user_key(user.id) if user else "unknown"
            logger.warning("admin command %s refused for %s", handler.__name__, who)
            await reply(update, context, View(phrases(user_lang(update))("bot.admin_only")))
            return
        await handler(update, context)

    return guarded


@admin_only
async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows question counts and shares, self-check outcomes and feedback."""
    pb = phrases(user_lang(update))
    s = await runtime(context).db.stats()
    total = s["questions"] or 1
    kinds = s["kinds"]
    share = {k: pb("staff.share", count=kinds.get(k, 0), percent=f"{100 * kinds.get(k, 0) / total:.0f}")
             for k in ("answer", "clarify", "refuse")}
    outcomes = pb("format.list_sep").join(f"{k} {v}" for k, v in sorted(s["outcomes"].items())) or pb("staff.none")
    text = pb("staff.stats", total=s["questions"], outcomes=outcomes, likes=s["likes"], dislikes=s["dislikes"],
              **share)
    await reply(update, context, View(text))


@admin_only
async def unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lists the most frequent refused, 'none of these' and disliked questions."""
    pb = phrases(user_lang(update))
    rows = await runtime(context).db.unanswered()
    text = pb("staff.unanswered", rows="\n".join(f"{n}× {q}" for q, n in rows)) if rows else pb("staff.unanswered_none")
    await reply(update, context, View(text))


def neutralise(cell: object) -> object:
    """Keep a spreadsheet from reading a cell as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def log_csv(rows: list[tuple]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "time", "user", "question", "kind", "entry", "score", "resolution", "feedback"])
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return buffer.getvalue().encode("utf-8-sig")


@admin_only
async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends the question log as CSV (pseudonymous user keys, formula cells neutralised)."""
    data = log_csv(await runtime(context).db.question_log())
    await context.bot.send_document(update.effective_chat.id, InputFile(io.BytesIO(data), filename="questions.csv"))


@admin_only
async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Re-reads and validates the knowledge data; swaps it in only if valid."""
    rt = runtime(context)
    pb = phrases(user_lang(update))
    try:
        services = build_services(rt.settings.knowledge_dir)
    except (KnowledgeError, CriteriaError, ValueError) as exc:
        logger.warning("reload rejected: %s", exc)
        await reply(update, context, View(pb("staff.reload_rejected", error=exc)))
        return
    rt.swap(services)
    summary = pb("staff.reloaded", entries=len(services.kb.faq), clauses=len(services.kb.clauses))
    await reply(update, context, View(summary))
