"""Guards that run before every update, unsupported messages, and the one error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.handlers.send import acknowledge, reply, user_lang
from bot.runtime import runtime
from bot.storage import StorageError
from bot.views import View
from knowledge.phrasebook import phrases

logger = logging.getLogger(__name__)


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explains that only text is understood (stickers, photos, voice, files, locations …)."""
    if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
        await reply(update, context, View(phrases(user_lang(update))("bot.only_text")))


async def rate_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stops a user who sends too much, once with a polite notice; others are unaffected."""
    user = update.effective_user
    if user is None:
        return
    verdict = runtime(context).flood(user.id)
    if verdict == "ok":
        return
    notice = phrases(user_lang(update))("bot.rate_limited")
    if verdict == "notify":  # tell once per burst
        if update.callback_query:
            await acknowledge(update, context, notice)
        else:
            await reply(update, context, View(notice))
    else:
        await acknowledge(update, context)
    raise ApplicationHandlerStop


async def edited_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drops edited messages: an edit is not a new question, and an edit into /forget is not a command."""
    if update.edited_message is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop


async def empty_callback_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers and drops a button press with no data: PTB would match it to every CallbackQueryHandler."""
    query = update.callback_query
    if query is not None and not query.data:
        await acknowledge(update, context, phrases(user_lang(update))("bot.stale"))
        raise ApplicationHandlerStop


async def once_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Applies an update at most once, even when it is delivered again after a crash."""
    rt = runtime(context)
    try:
        first = await rt.db.first_time(update.update_id)
    except StorageError:
        return  # cannot tell: better to answer again than not at all
    if not first:
        logger.info("update %s was already processed; skipped", update.update_id)
        raise ApplicationHandlerStop


async def commit_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Commits the update-id record of an update that wrote nothing else."""
    try:
        await runtime(context).db.commit_pending()
    except StorageError:
        logger.warning("update %s not recorded as processed", update.update_id)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Logs every error in one place and tells the user, without leaking details; a press not yet answered
    is answered here, and never twice."""
    logger.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        key = "bot.storage_error" if isinstance(context.error, StorageError) else "bot.error"
        text = phrases(user_lang(update))(key)
        try:
            await acknowledge(update, context)
            await context.bot.send_message(update.effective_chat.id, text)
        except Exception:
            logger.warning("could not tell the user about the error")
