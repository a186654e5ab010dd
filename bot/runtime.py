"""What every handler needs, built once in the composition root and reached through one typed accessor."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

from telegram.ext import ContextTypes

from bot.check_flow import CheckFlow
from bot.config import Settings
from bot.services import Services
from bot.storage import Database
from screening.questionnaire import Questionnaire


def make_flow(services: Services) -> CheckFlow:
    names = {t.id: t.name for t in services.criteria.tracks.values()}
    return CheckFlow(Questionnaire(services.criteria), names)


@dataclass
class Runtime:
    settings: Settings
    services: Services
    db: Database
    flow: CheckFlow
    today: dt.date | None = None  # fixed in tests; the real date otherwise
    _recent: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _swept: float = 0.0

    def swap(self, services: Services) -> None:
        """Put freshly validated knowledge in service (used by /reload)."""
        self.services = services
        self.flow = make_flow(services)

    def date(self) -> dt.date:
        return self.today or dt.date.today()

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
