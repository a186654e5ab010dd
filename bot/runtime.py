"""What every handler needs, built once in the composition root and reached through one typed accessor."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

from telegram.ext import ContextTypes

from bot.assistant import Assistant
from bot.config import Settings
from bot.services import Services
from bot.storage import Database

ANSWERED_KEPT = 4096  # button presses remembered as answered: far more than are ever in flight at once


@dataclass
class Runtime:
    """The Telegram channel's shared state: the assistant service, the database, the flood window."""

    settings: Settings
    assistant: Assistant
    db: Database
    _recent: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _swept: float = 0.0
    _answered: dict[str, None] = field(default_factory=dict)

    @property
    def services(self) -> Services:
        return self.assistant.services

    def swap(self, services: Services) -> None:
        """Put freshly validated knowledge in service (used by /reload)."""
        self.assistant.swap(services)

    def first_answer(self, query_id: str) -> bool:
        """True the first time a button press is to be answered; a press is answered once, whoever answers."""
        if query_id in self._answered:
            return False
        self._answered[query_id] = None
        if len(self._answered) > ANSWERED_KEPT:
            del self._answered[next(iter(self._answered))]
        return True

    def flood(self, user_id: int, clock: float | None = None) -> str:
        """A sliding window per user: "ok", "notify" (first message over the limit) or "drop" (the rest)."""
        now = time.monotonic() if clock is None else clock
        if now - self._swept > self.settings.rate_limit_seconds:
            self._sweep(now)
        window = self._recent[user_id]
        while window and now - window[0] > self.settings.rate_limit_seconds:
            window.popleft()
        window.append(now)
        over = len(window) - self.settings.rate_limit_messages
        return "ok" if over <= 0 else "notify" if over == 1 else "drop"

    def _sweep(self, now: float) -> None:
        """Forget users whose window has emptied, so the table holds recent senders, not everyone ever seen."""
        horizon = self.settings.rate_limit_seconds
        for user_id in [u for u, w in self._recent.items() if not w or now - w[-1] > horizon]:
            del self._recent[user_id]
        self._swept = now


def runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    """The one way handlers reach the services."""
    return context.application.bot_data["runtime"]
