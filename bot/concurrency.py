"""Updates from many users at once, each user's own updates one at a time and in order.

PTB processes updates sequentially by default, so one user's HTTP round trips hold up everyone else. Fully
concurrent processing would let two steps of one user's questionnaire interleave. This processor gives each
user a lock: concurrency across users, order within a user.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def user_key(update: object) -> int:
    """Whose update this is: the user, else the chat, else one shared key."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return 0


class PerUserProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}  # how many updates hold or wait for each lock

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        key = user_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody else queued for this user: forget the lock
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
