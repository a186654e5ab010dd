"""Turn criteria and achievement options into Q&A entries: the bot answers about a rule in the rule's words."""

from __future__ import annotations

from knowledge.models import FaqEntry
from knowledge.phrasebook import phrases
from screening.models import code_track
from screening.rules import Criteria


def condition_body(clause_text: str) -> str:
    """A numbered condition's text without its number (``6. 长期工作在…`` → ``长期工作在…``)."""
    head, sep, rest = clause_text.partition(".")
    return rest.strip() if sep and head.strip().isdigit() else clause_text


def criteria_faq(crit: Criteria) -> list[FaqEntry]:
    """One entry per criterion with question variants, and one per achievement option."""
    zh, en = phrases("zh"), phrases("en")
    entries: list[FaqEntry] = []
    for c in crit.criteria:
        if not c.questions:
            continue
        answer, answer_en = c.rule, c.rule_en
        if c.kind == "one_of":  # which conditions there are: their names, so the asker can find theirs
            options = [a for a in crit.achievements.values() if code_track(a.code) in c.tracks]
            answer += "\n" + zh("faq.option_list", items=zh("format.clause_sep").join(
                f"{a.code[1:]}. {a.short}" for a in options))
            if answer_en:
                answer_en += "\n" + en("faq.option_list", items=en("format.clause_sep").join(
                    f"{a.code[1:]}. {a.short_en or a.short}" for a in options))
        entries.append(FaqEntry(
            id=f"criterion.{c.id}", topic=zh(f"criterion.{c.id}.label", **label_values(crit, zh)),
            questions=c.questions, answer=answer, clauses=[c.clause],
            questions_en=c.questions_en if c.rule_en else [], answer_en=answer_en,
            answers=c.answers,
            about=[*c.about, *([f"track.{c.tracks[0]}"] if len(c.tracks) == 1 else [])],
        ))
    for a in crit.achievements.values():
        if not a.questions:
            continue
        track = crit.tracks[code_track(a.code)]
        number, body = a.code[1:], condition_body(a.clause_text)
        entries.append(FaqEntry(
            id=f"achievement.{a.code}",
            topic=zh("faq.achievement_topic", track=track.name, number=number, short=a.short),
            questions=a.questions,
            answer=zh("faq.achievement", track=track.name, number=number, short=a.short, body=body,
                      basics=track.basics),
            clauses=[a.clause, track.clause, "2.3"], answers=["eligibility", "conditions", "definition", "fits"],
            about=[f"track.{track.id}", f"code.{a.code}"],
            questions_en=a.questions_en if a.short_en else [],
            answer_en=en("faq.achievement", track=track.name_en, number=number, short=a.short_en, body=body,
                         basics=track.basics_en) if a.short_en else "",
        ))
    return entries


def label_values(crit: Criteria, pb) -> dict[str, object]:
    """The round's values that criterion labels and explanations name (the cutoff, the years)."""
    r = crit.round
    return {"cutoff": pb.date(r.cutoff_date), "min_years": r.min_years_in_occupation,
            "recent_years": r.recent_years, "reserve_year": r.reserve_year or ""}


def workplaces(crit: Criteria) -> list[str]:
    """Where people of a field work (卫生院, 学校): read as naming nothing, so that 卫生 inside 卫生院 is not the
    field asked about; the place says where the asker is, not which condition is asked."""
    return sorted({w for a in crit.achievements.values() for w in a.places})


def condition_words(crit: Criteria) -> dict[str, list[str]]:
    """The words that point to each numbered condition (医生 → P6), for the reader: a question naming a field
    is about that condition (code.P6)."""
    return {f"code.{a.code}": [a.short, *a.words, *a.people] for a in crit.achievements.values()}


def field_people(crit: Criteria) -> list[str]:
    """The people of each field (医生, 教师): beside a topic they are who is asked about, not the condition."""
    return sorted({w for a in crit.achievements.values() for w in a.people})
