"""Turn criteria and achievement options into Q&A entries: the bot answers about a rule in the rule's words."""

from __future__ import annotations

from knowledge.models import FaqEntry
from screening.rules import Criteria


def criteria_faq(crit: Criteria) -> list[FaqEntry]:
    """One entry per criterion with question variants, and one per achievement option."""
    entries: list[FaqEntry] = []
    for c in crit.criteria:
        if not c.questions:
            continue
        entries.append(FaqEntry(
            id=f"criterion.{c.id}", topic=c.label, questions=c.questions,
            answer=f"{c.rule}\n可用 /check 做资格自查。", clauses=[c.clause],
            questions_en=c.questions_en if c.rule_en else [],
            answer_en=f"{c.rule_en}\nTry /check for a self-check." if c.rule_en else "",
        ))
    for a in crit.achievements.values():
        if not a.questions:
            continue
        track = crit.tracks["professional" if a.code.startswith("P") else "skilled"]
        number = a.code[1:]
        body = a.clause_text.split(".", 1)[-1].strip() if "." in a.clause_text[:4] else a.clause_text
        entries.append(FaqEntry(
            id=f"achievement.{a.code}", topic=f"{track.name}条件{number}：{a.short}",
            questions=a.questions,
            answer=(f"符合条件的可以按程序推荐。{track.name}条件{number}（{a.short}）：{body}\n"
                    f"同时须满足{track.name}的基本要求：{track.basics}；推荐人选须是近5年在岗的在职人员。"
                    "可用 /check 做资格自查。"),
            clauses=[a.clause, track.clause, "2.3"],
            questions_en=a.questions_en if a.short_en else [],
            answer_en=(f"People who meet the conditions may be recommended through the procedure. {track.name_en} "
                       f"condition {number}: {a.short_en}. They must also meet the {track.name_en} basics "
                       f"({track.basics_en}) and be in service, in such a post within the last 5 years. "
                       "Try /check for a self-check.") if a.short_en else "",
        ))
    return entries
