"""Statutory retirement dates from the dated rules in criteria.toml.

Before 2025: men 60; women in cadre or professional-technical posts 55; women in worker posts 50. The raise
decided in 2024 (effective 1 January 2025) adds one month per step of birth months from the first affected
birth month, up to a cap (men to 63, women 55 to 58, women 50 to 55). Only data changes for a later rule.
"""

from __future__ import annotations

import calendar
import datetime as dt

from screening.models import RetirementRule


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def raise_months(birth: dt.date, rule: RetirementRule) -> int:
    """How many months the gradual raise adds for someone born on ``birth``."""
    base = add_months(birth, rule.base_years * 12)
    if base < rule.raise_effective:
        return 0
    start = rule.raise_from_birth
    index = (birth.year - start.year) * 12 + (birth.month - start.month)
    if index < 0:
        return 0
    return min(rule.max_raise_months, index // rule.months_per_step + 1)


def retirement_date(birth: dt.date, rule: RetirementRule) -> dt.date:
    """The day the statutory retirement age is reached."""
    return add_months(birth, rule.base_years * 12 + raise_months(birth, rule))


def retirement_age(birth: dt.date, rule: RetirementRule) -> tuple[int, int]:
    """The statutory retirement age for this birth date, as (years, months)."""
    total = rule.base_years * 12 + raise_months(birth, rule)
    return divmod(total, 12)
