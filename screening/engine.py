"""Screen an applicant profile against the criteria: a pure function from profile to result.

ineligible if any hard (or one-of) rule fails; otherwise review if a soft rule fails or a needed fact is
unknown; otherwise eligible. Every reason cites its clause. What the notice leaves to judgement (whether an
achievement is "outstanding") is the applicant's own claim, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from screening.models import Criterion, Profile, Reason, Result, Screening
from screening.retirement import retirement_age_text, retirement_date
from screening.rules import Criteria

# The order facts are asked in, and the order ``missing`` lists them: exclusions first, so that an
# excluded applicant learns it early.
FACT_ORDER = (
    "track", "employed", "in_post_recent_5y", "government_staff", "vice_provincial_or_above",
    "leader_not_practicing", "already_receives", "birth_date", "gender", "female_post", "senior_title",
    "skill_level", "years_in_occupation", "achievements", "reserve_2023",
)
HIGH_SKILL = ("senior_technician", "principal_technician")


@dataclass
class Verdict:
    result: Result | None  # None: the criterion does not apply to this profile
    explanation: str = ""
    missing: list[str] = field(default_factory=list)


def determine_track(p: Profile) -> tuple[str | None, bool]:
    """The track after 四（二）: both a senior title and 高级技师 or above means the high-skill track."""
    if p.senior_title and p.skill_level in HIGH_SKILL:
        return "skilled", True
    if p.track:
        return p.track, False
    codes = p.achievements or []
    has_p = any(c.startswith("P") for c in codes)
    has_s = any(c.startswith("S") for c in codes)
    if has_p != has_s:
        return ("professional" if has_p else "skilled"), False
    if p.senior_title and p.skill_level not in HIGH_SKILL:
        return "professional", False
    if p.skill_level in HIGH_SKILL:
        return "skilled", False
    return None, False


def _boolean(c: Criterion, p: Profile, wanted: bool) -> Verdict:
    fact = c.facts[0]
    value = getattr(p, fact)
    if value is None:
        return Verdict("unknown", c.unknown, [fact])
    return Verdict("pass", c.pass_) if value is wanted else Verdict("fail", c.fail)


def _achievements(c: Criterion, p: Profile, crit: Criteria, prefix: str, dual: bool) -> Verdict:
    """At least one achievement of the track; under 四（二） (both qualifications) either list counts."""
    if p.achievements is None:
        return Verdict("unknown", c.unknown, ["achievements"])
    matched = [crit.achievements[a] for a in p.achievements if dual or a.startswith(prefix)]
    if not matched:
        return Verdict("fail", c.fail)
    names = "；".join(f"{m.code} {m.short}（{m.citation}）" for m in matched)
    return Verdict("pass", c.pass_.format(matched=names))


def _retirement(c: Criterion, p: Profile, crit: Criteria, track: str | None) -> Verdict:
    cutoff = crit.parameters.cutoff_date
    if p.birth_date is None:
        return Verdict("unknown", c.unknown, ["birth_date"] + (["gender"] if p.gender is None else []))
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
        needs = ["gender"] if p.gender is None else ["female_post"]
        return Verdict("unknown", c.unknown, needs)
    cat = categories[0]
    rule = crit.retirement[cat]
    when = f"{rule.name}法定退休年龄{retirement_age_text(p.birth_date, rule)}，您于{dates[cat].isoformat()}达到"
    if len(categories) > 1:  # all categories agree: state the date that decides
        when = (f"无论性别或岗位，您最迟于{max(dates.values()).isoformat()}已达到法定退休年龄" if reached[cat]
                else f"无论性别或岗位，您最早于{min(dates.values()).isoformat()}才达到法定退休年龄")
    if reached[cat]:
        return Verdict("fail", f"{c.fail}（{when}。）")
    return Verdict("pass", f"{c.pass_}（{when}。）")


def evaluate(c: Criterion, p: Profile, crit: Criteria, track: str | None, dual: bool) -> Verdict:
    """One criterion's verdict; each test name maps to one small check."""
    if c.test == "is_true":
        return _boolean(c, p, True)
    if c.test == "is_false":
        return _boolean(c, p, False)
    if c.test == "retirement":
        return _retirement(c, p, crit, track)
    if c.test == "level_at_least":
        if p.skill_level is None:
            return Verdict("unknown", c.unknown, ["skill_level"])
        ok = crit.skill_rank(p.skill_level) >= crit.skill_rank(crit.parameters.min_skill_level)
        return Verdict("pass", c.pass_) if ok else Verdict("fail", c.fail)
    if c.test == "at_least_years":
        if p.years_in_occupation is None:
            return Verdict("unknown", c.unknown, ["years_in_occupation"])
        ok = p.years_in_occupation >= crit.parameters.min_years_in_occupation
        return Verdict("pass", c.pass_) if ok else Verdict("fail", c.fail)
    if c.test == "any_professional":
        return _achievements(c, p, crit, "P", dual)
    if c.test == "any_skilled":
        return _achievements(c, p, crit, "S", dual)
    if c.test == "dual_qualification":
        return Verdict("pass", c.pass_) if dual else Verdict(None)
    raise ValueError(f"unknown test {c.test}")


@dataclass
class _Tally:
    reasons: list[Reason] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)
    hard_fail: bool = False
    soft_fail: bool = False
    unknown: bool = False

    @property
    def outcome(self) -> str:
        return "ineligible" if self.hard_fail else "review" if (self.soft_fail or self.unknown) else "eligible"


def _evaluate_all(p: Profile, crit: Criteria, criteria: list[Criterion], track: str | None, dual: bool) -> _Tally:
    tally = _Tally()
    for c in criteria:
        v = evaluate(c, p, crit, track, dual)
        if v.result is None:
            continue
        tally.reasons.append(Reason(id=c.id, result=v.result, kind=c.kind, label=c.label, clause=c.clause,
                                    citation=c.citation, explanation=v.explanation))
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
                     cutoff_date=crit.parameters.cutoff_date)


def next_steps(crit: Criteria, track: str | None) -> list[str]:
    """Where and by when to submit, which office and contact, and the materials: from the facts."""
    facts = crit.kb.facts
    city, province = facts.deadline("city"), facts.deadline("province")
    steps = [
        "向所在单位提出申请：个人不直接向省里申报，由基层单位按人事隶属关系逐级推荐；非公有制单位、新经济组织、"
        "新社会组织人员由所在地人社部门统一组织（三（一））。",
        f"阳泉市内：{city.who}于{city.stated_as}向{city.to}报审（电话 {facts.contact('city').phones[0]}）。",
    ]
    for t in ([track] if track else ["professional", "skilled"]):
        contact, info = facts.contact(t), crit.tracks[t]
        steps.append(f"{info.name}：申报材料（含电子版）须在{province.stated_as}报送省人社厅{info.office}，"
                     f"{province.late}；联系人"
                     f"{'、'.join(contact.names)}，电话 {'、'.join(contact.phones)}。")
    materials = "；".join(f"{m.name}（{m.detail}）" for m in facts.materials)
    steps.append(f"准备材料：{materials}。")
    return steps


def notes(crit: Criteria, p: Profile) -> list[str]:
    """Information the notice gives that does not decide the outcome."""
    out = ["本自查结果仅供参考，不具约束力；是否推荐由所在单位和各级人社部门按程序审核决定。",
           "非公有制单位、新经济组织、新社会组织人才，以及港澳台地区在晋全职工作的高层次人才、海外高层次人才"
           "（含外籍）中符合条件的，均可按程序推荐（二（四））。"]
    if p.reserve_2023:
        out.append("您是2023年经社会公示确定推荐的后备人选，按通知优先重点推荐（二（三））。")
    return out
