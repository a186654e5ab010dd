"""Start, help, privacy, the fixed topics, the menu, /forget, unsupported messages and the error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.handlers.send import edit, reply, user_lang
from bot.persistence import forget_in_memory
from bot.runtime import runtime
from bot.storage import StorageError
from bot.texts import t
from bot.views import View, entry_view, forget_view, menu_buttons, welcome

logger = logging.getLogger(__name__)

TOPICS = {"deadline": "deadline.days_left", "contacts": "contact.all", "materials": "mat.list"}


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets the user with what the bot does, the privacy notice and the menu."""
    rt = runtime(context)
    await reply(update, context, welcome(user_lang(update), rt.settings.retention_days))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lists the commands."""
    lang = user_lang(update)
    await reply(update, context, View(t("help", lang), menu_buttons(lang)))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows what is stored, why, for how long and how to delete it."""
    rt = runtime(context)
    await reply(update, context, View(t("privacy", user_lang(update), days=rt.settings.retention_days)))


async def topic(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers /deadline, /contacts and /materials from their FAQ entries, cited."""
    rt = runtime(context)
    name = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
    await reply(update, context, entry_view(rt.services, TOPICS[name], rt.date(), user_lang(update)))


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handles the menu buttons other than the self-check."""
    query = update.callback_query
    await query.answer()
    rt = runtime(context)
    lang = user_lang(update)
    item = query.data.split(":", 1)[1]
    if item == "ask":
        await reply(update, context, View(t("ask_prompt", lang)))
    elif item in TOPICS:
        await reply(update, context, entry_view(rt.services, TOPICS[item], rt.date(), lang))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Asks for confirmation before deleting everything about the user."""
    await reply(update, context, forget_view(user_lang(update)))


async def forget_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Deletes the user's data on 'yes', keeps it on 'no'."""
    query = update.callback_query
    await query.answer()
    lang = user_lang(update)
    if query.data != "z:y":
        await edit(update, context, View(t("forget_kept", lang)))
        return
    rt = runtime(context)
    user_id = update.effective_user.id
    try:
        await rt.db.forget_user(user_id)
    except StorageError:
        logger.warning("forget failed for %s", rt.db.user_key(user_id))
        await edit(update, context, View(t("storage_error", lang)))
        return
    forget_in_memory(context.application, user_id)
    await edit(update, context, View(t("forgotten", lang)))


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explains that only text is understood (stickers, photos, voice, files, locations …)."""
    if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
        await reply(update, context, View(t("only_text", user_lang(update))))


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers any button nobody else claimed: it is from an old message or forged."""
    await update.callback_query.answer(t("stale", user_lang(update)), show_alert=False)


async def rate_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stops a user who sends too much, once with a polite notice; others are unaffected."""
    user = update.effective_user
    if user is None:
        return
    verdict = runtime(context).flood(user.id)
    if verdict == "ok":
        return
    if verdict == "notify":  # tell once per burst
        if update.callback_query:
            await update.callback_query.answer(t("rate_limited", user_lang(update)))
        else:
            await reply(update, context, View(t("rate_limited", user_lang(update))))
    elif update.callback_query:
        await update.callback_query.answer()
    raise ApplicationHandlerStop


async def empty_callback_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers and drops a button press with no data: PTB would match it to every CallbackQueryHandler."""
    query = update.callback_query
    if query is not None and not query.data:
        await query.answer(t("stale", user_lang(update)))
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
    """Logs every error in one place and tells the user, without leaking details."""
    logger.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        lang = user_lang(update)
        key = "storage_error" if isinstance(context.error, StorageError) else "error"
        try:
            if update.callback_query:
                await update.callback_query.answer()
            await context.bot.send_message(update.effective_chat.id, t(key, lang))
        except Exception:
            logger.warning("could not tell the user about the error")
