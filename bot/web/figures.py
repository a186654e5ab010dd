"""The staff page's figures, read from the question log and the self-check results (read-only queries).

Days are Beijing days (UTC+8, no daylight saving): the log stores UTC.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from bot.storage import Database

BEIJING = dt.timezone(dt.timedelta(hours=8))
KINDS = ("answer", "clarify", "refuse")
OUTCOMES = ("eligible", "review", "ineligible")


@dataclass
class Figures:
    days: list[dt.date]
    kinds_per_day: dict[str, list[int]]  # kind → count per day
    outcomes_by_track: dict[str, dict[str, int]] = field(default_factory=dict)  # track ('' unknown) → outcome → n
    stats: dict = field(default_factory=dict)  # Database.stats()
    unanswered: list[tuple[str, int]] = field(default_factory=list)

    @property
    def per_day(self) -> list[int]:
        return [sum(counts) for counts in zip(*self.kinds_per_day.values(), strict=True)]


async def figures(db: Database, days: int = 30, today: dt.date | None = None) -> Figures:
    today = today or dt.datetime.now(BEIJING).date()
    first = today - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first, dt.time(), BEIJING).astimezone(dt.UTC).isoformat(timespec="seconds")
    counts: dict[tuple[str, str], int] = {}
    for day, kind, n in await db.fetchall(
            "SELECT date(ts, '+8 hours') AS day, kind, COUNT(*) FROM questions WHERE ts >= ? GROUP BY day, kind",
            (since,)):
        counts[(day, kind)] = n
    span = [first + dt.timedelta(days=i) for i in range(days)]
    per_kind = {k: [counts.get((d.isoformat(), k), 0) for d in span] for k in KINDS}
    outcomes: dict[str, dict[str, int]] = defaultdict(dict)
    for track, outcome, n in await db.fetchall(
            "SELECT COALESCE(track, ''), outcome, COUNT(*) FROM screenings GROUP BY 1, 2"):
        outcomes[track][outcome] = n
    return Figures(span, per_kind, dict(outcomes), await db.stats(), await db.unanswered(20))
