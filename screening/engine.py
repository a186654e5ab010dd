"""Screen an applicant profile against the criteria: a pure function from profile to result.

ineligible if any hard (or one-of) rule fails; otherwise review if a soft rule fails or a needed fact is
unknown; otherwise eligible. Every reason cites its clause. What the notice leaves to judgement (whether an
achievement is "outstanding") is the applicant's own claim, never guessed. The result is facts (ids, clauses,
dates, codes); the phrasebook words them for each language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from screening.models import Criterion, NextStep, Note, Outcome, Profile, Reason, Result, Screening, Track, code_track
from screening.retirement import retirement_age, retirement_date
from screening.rules import Criteria

# The order facts are asked in, and the order ``missing`` lists them: exclusions first, so that an
# excluded applicant learns it early.
FACT_ORDER = (
    "track", "employed", "in_post_recent_5y", "government_staff", "vice_provincial_or_above",
    "leader_not_practicing", "already_receives", "birth_date", "gender", "female_post", "senior_title",
    "skill_level", "years_in_occupation", "achievements", "reserve_2023", "retires_on", "below_min_skill_level",
)
# Facts only free text states (the self-check asks the birth date, not when the asker retires)
FREE_TEXT_ONLY = frozenset({"reserve_2023", "retires_on", "below_min_skill_level"})
HIGH_SKILL = ("senior_technician", "principal_technician")


@dataclass
class Verdict:
    result: Result | None  # None: the criterion does not apply to this profile
    values: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def determine_track(p: Profile) -> tuple[Track | None, bool]:
    """The track after 四（二）: both a senior title and 高级技师 or above means the high-skill track."""
    if p.senior_title and p.skill_level in HIGH_SKILL:
        return "skilled", True
    if p.track:
        return p.track, False
    codes = p.achievements or []
    has_p = any(code_track(c) == "professional" for c in codes)
    has_s = any(code_track(c) == "skilled" for c in codes)
    if has_p != has_s:
        return ("professional" if has_p else "skilled"), False
    if p.senior_title and p.skill_level not in HIGH_SKILL:
        return "professional", False
    if p.skill_level in HIGH_SKILL:
        return "skilled", False
    return None, False


def _boolean(c: Criterion, p: Profile, wanted: bool) -> Verdict:
    value = getattr(p, c.facts[0])
    if value is None:
        return Verdict("unknown", missing=[c.facts[0]])
    return Verdict("pass") if value is wanted else Verdict("fail")


def _achievements(p: Profile, prefix: str, dual: bool) -> Verdict:
    """At least one achievement of the track; under 四（二） (both qualifications) either list counts."""
    if p.achievements is None:
        return Verdict("unknown", missing=["achievements"])
    matched = [a for a in p.achievements if dual or a.startswith(prefix)]
    return Verdict("pass", {"matched": matched}) if matched else Verdict("fail")


def _retirement(p: Profile, crit: Criteria, track: str | None) -> Verdict:
    """Reached the statutory retirement age by the cutoff? Decided only when every category the profile leaves
    open gives the same answer; the values say which date decides."""
    cutoff = crit.round.cutoff_date
    if p.birth_date is None and p.retires_on is not None:  # 今年6月就到退休年龄: the date said decides
        return Verdict("fail" if p.retires_on <= cutoff else "pass", {"scope": "stated", "date": p.retires_on})
    if p.birth_date is None:
        return Verdict("unknown", missing=["birth_date"] + (["gender"] if p.gender is None else []))
    if p.gender == "male":
        categories = ["male"]
    elif p.gender == "female":
        if track == "professional":  # a woman on the professional track is in a professional-technical post
            categories = ["female_cadre"]
        elif p.female_post:
            categories = [f"female_{p.female_post}"]
        else:
            categories = ["female_cadre", "female_worker"]
    else:
        categories = ["male", "female_cadre"] + ([] if track == "professional" else ["female_worker"])
    dates = {cat: retirement_date(p.birth_date, crit.retirement[cat]) for cat in categories}
    reached = {cat: d <= cutoff for cat, d in dates.items()}
    if len(set(reached.values())) > 1:
        return Verdict("unknown", missing=["gender"] if p.gender is None else ["female_post"])
    cat = categories[0]
    values: dict[str, Any]
    if len(categories) > 1:  # all categories agree: the date that decides
        decisive = max(dates.values()) if reached[cat] else min(dates.values())
        values = {"scope": "all_reached" if reached[cat] else "none_reached", "date": decisive}
    else:
        years, months = retirement_age(p.birth_date, crit.retirement[cat])
        values = {"scope": "one", "category": cat, "years": years, "months": months, "date": dates[cat]}
    return Verdict("fail" if reached[cat] else "pass", values)


def evaluate(c: Criterion, p: Profile, crit: Criteria, track: str | None, dual: bool) -> Verdict:
    """One criterion's verdict; each test name maps to one small check."""
    if c.test == "is_true":
        return _boolean(c, p, True)
    if c.test == "is_false":
        return _boolean(c, p, False)
    if c.test == "retirement":
        return _retirement(p, crit, track)
    if c.test == "level_at_least":
        if p.skill_level is None:
            return Verdict("fail") if p.below_min_skill_level else Verdict("unknown", missing=["skill_level"])
        ok = crit.skill_rank(p.skill_level) >= crit.skill_rank(crit.parameters.min_skill_level)
        return Verdict("pass" if ok else "fail")
    if c.test == "at_least_years":
        if p.years_in_occupation is None:
            return Verdict("unknown", missing=["years_in_occupation"])
        return Verdict("pass" if p.years_in_occupation >= crit.round.min_years_in_occupation else "fail")
    if c.test == "any_professional":
        return _achievements(p, "P", dual)
    if c.test == "any_skilled":
        return _achievements(p, "S", dual)
    if c.test == "dual_qualification":
        return Verdict("pass") if dual else Verdict(None)
    raise ValueError(f"unknown test {c.test}")


@dataclass
class _Tally:
    reasons: list[Reason] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)
    hard_fail: bool = False
    soft_fail: bool = False
    unknown: bool = False

    @property
    def outcome(self) -> Outcome:
        return "ineligible" if self.hard_fail else "review" if (self.soft_fail or self.unknown) else "eligible"


def _evaluate_all(p: Profile, crit: Criteria, criteria: list[Criterion], track: str | None, dual: bool) -> _Tally:
    tally = _Tally()
    for c in criteria:
        v = evaluate(c, p, crit, track, dual)
        if v.result is None:
            continue
        tally.reasons.append(Reason(id=c.id, result=v.result, kind=c.kind, clause=c.clause, citation=c.citation,
                                    values=v.values))
        tally.missing.update(v.missing)
        if v.result == "fail":
            tally.hard_fail |= c.kind in ("hard", "one_of")
            tally.soft_fail |= c.kind == "soft"
        elif v.result == "unknown":
            tally.unknown = True
    return tally


def screen(p: Profile, crit: Criteria) -> Screening:
    """Evaluate every criterion that applies and combine the verdicts into an outcome.

    With no track given or inferable, both tracks are tried: failing a hard rule on both is ineligible
    whichever the track; otherwise the track is missing and the unit must look.
    """
    track, dual = determine_track(p)
    tally = _evaluate_all(p, crit, crit.for_track(track), track, dual)
    if track is None and not tally.hard_fail:
        per_track = {t: _evaluate_all(p, crit, [c for c in crit.for_track(t) if len(c.tracks) == 1], t, dual)
                     for t in ("professional", "skilled")}
        if all(t.hard_fail for t in per_track.values()):
            tally.hard_fail = True
            seen = {r.id for r in tally.reasons}
            tally.reasons += [r for t in per_track.values() for r in t.reasons if r.result == "fail"
                              and r.id not in seen]
        else:
            tally.missing.add("track")
            tally.unknown = True
    ordered = [f for f in FACT_ORDER if f in tally.missing]
    return Screening(outcome=tally.outcome, track=track, reasons=tally.reasons, missing=ordered,
                     next_steps=next_steps(crit, track), notes=notes(crit, p),
                     cutoff_date=crit.round.cutoff_date)


def next_steps(crit: Criteria, track: Track | None) -> list[NextStep]:
    """Where and by when to submit, which office and contact, and the materials: facts the result points at.
    A step whose deadline or contact the round does not have (no city letter) is left out."""
    facts = crit.facts
    deadlines = {d.id: d for d in facts.deadlines}
    contacts = {c.id for c in facts.contacts}
    steps: list[NextStep] = []
    for spec in crit.steps:
        if spec.deadline and spec.deadline not in deadlines:
            continue
        clause = spec.clause or (deadlines[spec.deadline].clause if spec.deadline else "")
        if spec.contact == "track":
            tracks: list[Track] = [track] if track else ["professional", "skilled"]
            for t in tracks:
                steps.append(NextStep(kind=spec.kind, clause=clause, track=t, deadline=spec.deadline, contact=t))
        elif not spec.contact or spec.contact in contacts:
            steps.append(NextStep(kind=spec.kind, clause=clause, deadline=spec.deadline, contact=spec.contact))
    return steps


def notes(crit: Criteria, p: Profile) -> list[Note]:
    """Information the notice gives that does not decide the outcome."""
    return [Note(kind=n.kind, clause=n.clause) for n in crit.notes if not n.when or getattr(p, n.when)]
