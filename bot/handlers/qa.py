"""Free-text questions, clarification choices and 👍/👎 feedback."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers.send import edit, reply, user_lang
from bot.runtime import runtime
from bot.storage import StorageError
from bot.texts import t
from bot.views import View, answer_view, cited
from knowledge.render import render_contact

logger = logging.getLogger(__name__)
MAX_QUESTION = 500


async def answer_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Answers one question: the answer with its citation, options to clarify, or a refusal."""
    rt = runtime(context)
    lang = user_lang(update)
    if len(text) > MAX_QUESTION:
        await reply(update, context, View(t("too_long", lang, limit=MAX_QUESTION)))
        return
    answer = rt.services.engine.ask(text, rt.date())
    try:
        qid = await rt.db.log_question(update.effective_user.id, text, answer.kind, answer.entry_id, answer.score,
                                       answer.option_ids)
    except StorageError:
        logger.warning("question not logged: database unavailable")
        qid = 0  # still answer; feedback buttons will report that they cannot be saved
    await reply(update, context, answer_view(answer, qid, "en" if answer.english else lang))


async def option(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows the chosen clarification option, or records 'none of these'."""
    query = update.callback_query
    await query.answer()
    rt = runtime(context)
    lang = user_lang(update)
    _, qid, choice = query.data.split(":")
    logged = await rt.db.question(int(qid), update.effective_user.id) if qid.isdigit() else None
    if logged is None or logged["resolution"] is not None or logged["kind"] != "clarify":
        await query.answer(t("stale", lang))
        return
    if choice == "x":
        await rt.db.resolve_question(int(qid), "none")
        contact = render_contact(rt.services.kb.facts.contact("policy"), lang == "en")
        await edit(update, context, View(t("none_reply", lang, contact=contact)))
        return
    if not choice.isdigit() or int(choice) >= len(logged["options"]):
        await query.answer(t("stale", lang))
        return
    entry = logged["options"][int(choice)]
    await rt.db.resolve_question(int(qid), entry)
    answer = rt.services.engine.answer_entry(entry, rt.date(), english=lang == "en")
    await edit(update, context, View(cited(answer, lang), answer_view(answer, int(qid), lang).buttons))


async def feedback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Records 👍 or 👎 once per answer."""
    query = update.callback_query
    rt = runtime(context)
    lang = user_lang(update)
    _, qid, value = query.data.split(":")
    if not qid.isdigit() or value not in ("0", "1") or await rt.db.question(int(qid), update.effective_user.id) is None:
        await query.answer(t("stale", lang))
        return
    try:
        first = await rt.db.record_feedback(int(qid), update.effective_user.id, int(value))
    except StorageError:
        await query.answer(t("storage_error", lang), show_alert=True)
        return
    await query.answer(t("thanks_feedback" if first else "feedback_once", lang))
