"""Sending views to Telegram: HTML-escaped, split under the 4096-character limit, buttons on the last part."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.texts import lang_of
from bot.views import TELEGRAM_LIMIT, View, split_text


def markup(view: View) -> InlineKeyboardMarkup | None:
    if not view.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
                                 for row in view.buttons])


def chunks(view: View) -> list[str]:
    """Escaped parts, each within Telegram's limit once escaped."""
    return [html.escape(part, quote=False)
            for part in split_text(view.text, TELEGRAM_LIMIT, lambda s: len(html.escape(s, quote=False)))]


def user_lang(update: Update) -> str:
    return lang_of(update.effective_user.language_code if update.effective_user else None)


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE, view: View) -> Message | None:
    """Send a view as new message(s) in the update's chat."""
    chat = update.effective_chat
    if chat is None:
        return None
    parts = chunks(view)
    last = None
    for i, part in enumerate(parts):
        last = await context.bot.send_message(chat.id, part, reply_markup=markup(view) if i == len(parts) - 1 else None)
    return last


async def edit(update: Update, context: ContextTypes.DEFAULT_TYPE, view: View) -> None:
    """Show a view in place of the pressed message, so a conversation stays in one message."""
    query = update.callback_query
    parts = chunks(view)
    if query is None or query.message is None or len(parts) > 1:
        await reply(update, context, view)
        return
    try:
        await query.edit_message_text(parts[0], reply_markup=markup(view))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            await reply(update, context, view)
