"""Sending views to Telegram: HTML-escaped, split under the 4096-character limit, buttons on the last part."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot.runtime import runtime
from bot.views import TELEGRAM_LIMIT, View, split_text

logger = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)  # 429s are retried by the rate limiter; this covers 5xx and timeouts


async def with_retry(call: Callable[[], Awaitable[T]]) -> T:
    """Retry a Bot API call through transient network errors (502, timeouts, refused connections)."""
    for delay in RETRY_DELAYS:
        try:
            return await call()
        except BadRequest:
            raise
        except NetworkError as exc:
            logger.warning("Bot API call failed (%s); retrying in %.1f s", type(exc).__name__, delay)
            await asyncio.sleep(delay)
    return await call()


def markup(view: View) -> InlineKeyboardMarkup | None:
    if not view.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
                                 for row in view.buttons])


def chunks(view: View) -> list[str]:
    """Escaped parts, each within Telegram's limit once escaped."""
    return [html.escape(part, quote=False)
            for part in split_text(view.text, TELEGRAM_LIMIT, lambda s: len(html.escape(s, quote=False)))]


def lang_of(language_code: str | None) -> str:
    """English for users whose Telegram language is English; Chinese otherwise."""
    return "en" if (language_code or "").lower().startswith("en") else "zh"


def user_lang(update: Update) -> str:
    return lang_of(update.effective_user.language_code if update.effective_user else None)


async def acknowledge(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str = "", alert: bool = False) -> None:
    """Answer the update's button press, exactly once (Telegram refuses a second answer). A courtesy: when it
    fails (a 502, or a query too old because it was pressed while the bot was down) the update goes on."""
    query = update.callback_query
    if query is None or not runtime(context).first_answer(query.id):
        return
    try:
        await query.answer(text or None, show_alert=alert)
    except TelegramError as exc:
        logger.info("button press not acknowledged (%s); going on", type(exc).__name__)


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE, view: View) -> Message | None:
    """Send a view as new message(s) in the update's chat."""
    chat = update.effective_chat
    if chat is None:
        return None
    parts = chunks(view)
    last = None
    for i, part in enumerate(parts):
        keyboard = markup(view) if i == len(parts) - 1 else None
        last = await with_retry(lambda part=part, keyboard=keyboard: context.bot.send_message(
            chat.id, part, reply_markup=keyboard))
    return last


async def edit(update: Update, context: ContextTypes.DEFAULT_TYPE, view: View) -> None:
    """Show a view in place of the pressed message, so a conversation stays in one message."""
    query = update.callback_query
    parts = chunks(view)
    if query is None or query.message is None or len(parts) > 1:
        await reply(update, context, view)
        return
    try:
        await with_retry(lambda: query.edit_message_text(parts[0], reply_markup=markup(view)))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            await reply(update, context, view)
