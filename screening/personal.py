"""A personal verdict: the screening of what the asker has said about themselves, with a birth range decided
only when every date in it gives the same answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from screening.engine import FACT_ORDER, screen
from screening.models import Profile, Screening, code_track
from screening.rules import Criteria
from screening.statements import Statement

# Facts that exclude outright when stated: a question stating one gets a verdict even if it asks nothing else.
EXCLUDING = {"government_staff": True, "leader_not_practicing": True, "vice_provincial_or_above": True,
             "already_receives": True, "employed": False, "in_post_recent_5y": False}


@dataclass(frozen=True)
class Verdict:
    screening: Screening
    profile: dict[str, Any]  # the facts understood, with the screen contract's names (birth_date as stated)
    exact_birth: bool  # the retirement explanation may name a date


def excluding(statement: Statement) -> bool:
    return any(statement.facts.get(name) is value for name, value in EXCLUDING.items())


def verdict(statement: Statement, criteria: Criteria) -> Verdict:
    """Screen the stated facts; a birth range counts only if its earliest and latest dates agree."""
    facts = {k: v for k, v in statement.facts.items() if k in Profile.model_fields}
    if "track" not in facts and "senior_title" in facts and not facts.get("skill_level"):
        facts["track"] = "professional"  # a title, senior or not (中级工程师 too): the professional track
    elif "track" not in facts and not facts.get("senior_title") and (facts.get("skill_level")
                                                                     or "years_in_occupation" in facts):
        facts["track"] = "skilled"  # a skill level or years in a trade: the asker is a skilled worker
    if facts.get("track") and facts.get("achievements"):  # 攻下卡脖子难题 reads as S2 and P2: keep the track's
        kept = [code for code in facts["achievements"] if code_track(code) == facts["track"]]
        if kept:
            facts["achievements"] = kept
        else:
            facts.pop("achievements")  # an honour of the other track says nothing of this one: still to ask
    profile = dict(facts)
    birth = statement.birth
    if birth is not None and birth.stated():
        profile["birth_date"] = birth.stated()
    result = _screen(facts, criteria)
    if birth is not None:
        early = _screen({**facts, "birth_date": birth.earliest}, criteria)
        late = _screen({**facts, "birth_date": birth.latest}, criteria)
        if _retirement(early) == _retirement(late):
            result = late
    if "track" not in profile and result.track:
        profile["track"] = result.track  # the track the facts settle (主任医师: professional)
    ordered = {k: profile[k] for k in FACT_ORDER if k in profile}
    # a birth day or month, or the retirement date itself (今年6月就到退休年龄), decides exactly
    exact = birth.precision in ("day", "month") if birth is not None else "retires_on" in facts
    return Verdict(result, ordered, exact)


def _screen(facts: dict[str, Any], criteria: Criteria) -> Screening:
    clean = dict(facts)
    while True:
        try:
            return screen(Profile.model_validate({k: _iso(v) for k, v in clean.items()}), criteria)
        except ValidationError as exc:  # a fact that does not fit the contract is left out, not fatal
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            if not bad & set(clean):
                raise
            for name in bad:
                clean.pop(name, None)


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _retirement(result: Screening) -> str | None:
    return next((r.result for r in result.reasons if r.id == "retirement"), None)
