"""Telegram's side of the conversation: each handler turns an update into one call of the assistant service
and its reply into messages. Nothing here decides anything about the notice or the self-check."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.assistant import Reply, User
from bot.handlers.send import acknowledge, edit, reply, user_lang
from bot.runtime import runtime


def user_of(update: Update) -> User:
    """The assistant's view of who sent the update: Telegram id, language, private chat or not."""
    private = update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE
    return User(update.effective_user.id if update.effective_user else 0, user_lang(update), private)


async def show(update: Update, context: ContextTypes.DEFAULT_TYPE, answer: Reply) -> None:
    """A reply to a message: its view as a new message."""
    if answer.view is not None:
        await reply(update, context, answer.view)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets the user with what the bot does, the privacy notice and the menu."""
    await show(update, context, await runtime(context).assistant.start(user_of(update)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lists the commands."""
    await show(update, context, runtime(context).assistant.help(user_of(update)))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows what is stored, why, for how long and how to delete it."""
    await show(update, context, runtime(context).assistant.privacy(user_of(update)))


async def topic(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers /deadline, /contacts and /materials, cited."""
    name = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
    await show(update, context, runtime(context).assistant.topic(user_of(update), name))


async def check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Starts or resumes the self-check, after the privacy notice is accepted."""
    await show(update, context, await runtime(context).assistant.begin_check(user_of(update)))


async def why(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Quotes the clause behind the current self-check question."""
    await show(update, context, await runtime(context).assistant.why(user_of(update)))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pauses the self-check; the answers stay so /check continues where it stopped."""
    await show(update, context, runtime(context).assistant.cancel(user_of(update)))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Asks for confirmation before deleting everything about the user."""
    await show(update, context, runtime(context).assistant.forget(user_of(update)))


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Typed text in a private chat: an answer to the self-check's question, or a question."""
    message = update.effective_message.text or ""
    await show(update, context, await runtime(context).assistant.text(user_of(update), message))


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any button: answered exactly once (a failed answer does not stop the edit), then the view shown."""
    query = update.callback_query
    answer = await runtime(context).assistant.press(user_of(update), query.data or "")
    await acknowledge(update, context, answer.toast, answer.alert)
    if answer.view is None:
        return
    if answer.new_message:
        await reply(update, context, answer.view)
    else:
        await edit(update, context, answer.view)
