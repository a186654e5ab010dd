"""The self-check conversation: consent, one question per message edit, review, result, /why, /cancel."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import cast

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes, ConversationHandler

from bot.check_flow import FlowResult
from bot.handlers.qa import answer_text
from bot.handlers.send import edit, reply, user_lang
from bot.persistence import REVISION, SqlitePersistence
from bot.runtime import runtime
from bot.storage import StorageError
from bot.texts import CONSENT_VERSION, t
from bot.views import View, consent_view

logger = logging.getLogger(__name__)

CHECKING = "checking"  # the one conversation state: a self-check is under way
Show = Callable[[Update, ContextTypes.DEFAULT_TYPE, View], Awaitable[object]]
TYPED_KINDS = ("date", "number")


def _private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


async def _commit(update: Update, context: ContextTypes.DEFAULT_TYPE, result: FlowResult,
                  before: dict) -> bool:
    """Write the step to the database before acknowledging it; on failure restore and say so."""
    if not result.changed:
        return True
    rt = runtime(context)
    user_id = update.effective_user.id
    persistence = cast(SqlitePersistence, context.application.persistence)  # the composition root's
    context.user_data[REVISION] = persistence.next_revision(user_id, context.user_data)
    try:
        # Written directly (update_persistence() would route a failure to the error handler and carry on).
        await persistence.update_user_data(user_id, dict(context.user_data))
        if result.done is not None:
            s = result.done.screening
            await rt.db.record_screening(user_id, s.outcome, s.track)
        await context.application.update_persistence()  # the conversation state, best effort
        return True
    except StorageError:
        logger.warning("self-check step not saved for %s", rt.db.user_key(update.effective_user.id))
        context.user_data.clear()
        context.user_data.update(before)
        return False


async def _begin(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str, show: Show) -> str | int:
    """Start or resume the questionnaire, commit, and show the step (as a new message or in place)."""
    before = dict(context.user_data)
    result = runtime(context).flow.begin(context.user_data, lang)
    if not await _commit(update, context, result, before):
        await show(update, context, View(t("storage_error", lang)))
        return ConversationHandler.END
    await show(update, context, result.view)
    return CHECKING


async def start_check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """Starts or resumes the self-check, after the privacy notice is accepted."""
    lang = user_lang(update)
    if update.callback_query:
        await update.callback_query.answer()
    if not _private(update):
        await reply(update, context, View(t("private_only", lang)))
        return ConversationHandler.END
    rt = runtime(context)
    if await rt.db.consent(update.effective_user.id) != CONSENT_VERSION:
        await reply(update, context, consent_view(lang, rt.settings.retention_days))
        return CHECKING
    return await _begin(update, context, lang, reply)


async def consent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """Stores the consent (version and time) and starts, or leaves the user to plain questions."""
    query = update.callback_query
    await query.answer()
    lang = user_lang(update)
    if query.data != "k:y":
        await edit(update, context, View(t("consent_declined", lang)))
        return ConversationHandler.END
    rt = runtime(context)
    try:
        await rt.db.give_consent(update.effective_user.id, CONSENT_VERSION)
    except StorageError:
        await edit(update, context, View(t("storage_error", lang)))
        return ConversationHandler.END
    return await _begin(update, context, lang, edit)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Applies one questionnaire button and shows the next step in the same message."""
    query = update.callback_query
    rt = runtime(context)
    lang = user_lang(update)
    before = dict(context.user_data)
    result = rt.flow.press(context.user_data, query.data, lang)
    if result.stale:
        await query.answer(t("stale", lang))
        return CHECKING
    await query.answer()
    if not await _commit(update, context, result, before):
        await query.answer(t("storage_error", lang), show_alert=True)
        await reply(update, context, View(t("storage_error", lang)))
        return CHECKING
    await edit(update, context, result.view)
    return CHECKING


async def typed_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Takes typed text as the answer to a date or number question."""
    rt = runtime(context)
    lang = user_lang(update)
    before = dict(context.user_data)
    result = rt.flow.typed(context.user_data, update.effective_message.text or "", lang)
    if not await _commit(update, context, result, before):
        await reply(update, context, View(t("storage_error", lang)))
        return CHECKING
    await reply(update, context, result.view)
    return CHECKING


async def route_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Text during a self-check: an answer when one is awaited (typed, or an option's label); else a question."""
    rt = runtime(context)
    name = rt.flow.current_field(context.user_data)
    text = (update.effective_message.text or "").strip()
    if name is not None:
        spec = rt.flow.q.specs[name]
        labels = {o.label for o in spec.options} | {o.label_en for o in spec.options} | {t("unsure", "zh")}
        if spec.kind in TYPED_KINDS or text in labels:
            return await typed_answer(update, context)
    await answer_text(update, context, text)
    return None


async def why(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Quotes the clause behind the current question."""
    rt = runtime(context)
    await reply(update, context, View(rt.flow.why(context.user_data, user_lang(update), rt.services.kb)))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Pauses the self-check; the answers stay so /check continues where it stopped."""
    await reply(update, context, View(t("cancelled", user_lang(update))))
    return ConversationHandler.END
