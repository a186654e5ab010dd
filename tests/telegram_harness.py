"""Start and stop the real bot (python-telegram-bot, polling) against the fake Bot API server."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from bot.services import Services
from bot.storage import Database
from tests.fakebot import TOKEN, FakeBotApi

ADMIN = 999
TODAY = dt.date(2024, 4, 25)


@dataclass
class RunningBot:
    api: FakeBotApi
    app: Application

    async def stop(self) -> None:
        if self.app.updater and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()
        if self.app.post_shutdown:  # as run_polling does: after the last persistence flush
            await self.app.post_shutdown(self.app)


async def start_bot(api: FakeBotApi, base_url: str, services: Services, db_path: Path, rate_limiter: bool = False,
                    busy_timeout: float = 5.0, **overrides: object) -> RunningBot:
    settings = Settings(**{"telegram_bot_token": TOKEN, "telegram_base_url": base_url, "database_path": db_path,
                           "admin_ids": frozenset({ADMIN}), "rate_limit_messages": 1000, **overrides})
    db = Database(db_path, busy_timeout=busy_timeout)
    app = build_application(settings, services, db=db, today=TODAY, rate_limiter=rate_limiter)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    return RunningBot(api, app)


def db_of(bot: RunningBot) -> Database:
    """The running bot's database."""
    return bot.app.bot_data["runtime"].db


async def say_and_wait(api: FakeBotApi, text: str, user: int, **kw):
    """Send ``text`` as ``user`` and wait for the bot's next message in that chat (or ``chat_id``)."""
    chat = kw.get("chat_id", user)
    before = len(api.to(chat))
    await api.says(user, text, **kw)
    return await api.next_message(chat, before)
