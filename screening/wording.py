"""Word a screening result (facts: reason ids, clauses, dates, codes) in one language, for every channel.

The screening decides; this module only looks facts up (deadlines, contacts, materials) and fills the
phrasebook's frames: for the self-check's result, a personal verdict in chat, and the ``screen`` command's JSON
contract (``reasons[].explanation``, ``next_steps`` as sentences, in Chinese).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from knowledge.loader import KnowledgeBase
from knowledge.phrasebook import Phrasebook
from knowledge.render import render_deadline
from screening.faq import condition_body, label_values
from screening.models import NextStep, Note, Reason, Screening, code_track
from screening.personal import Verdict
from screening.rules import Criteria
from screening.statements import Statement


def reason_label(reason: Reason, crit: Criteria, pb: Phrasebook) -> str:
    return pb(f"criterion.{reason.id}.label", **label_values(crit, pb))


def reason_explanation(reason: Reason, crit: Criteria, pb: Phrasebook) -> str:
    """What the criterion's verdict means for this profile, with the values that decided it."""
    values = label_values(crit, pb)
    if "matched" in reason.values:
        values["matched"] = pb("format.clause_sep").join(
            pb("retirement.matched", code=code, short=_short(crit, code, pb),
               citation=pb("format.citation", citation=crit.achievements[code].citation))
            for code in reason.values["matched"])
    text = pb(f"criterion.{reason.id}.{reason.result}", **values)
    if reason.id == "retirement" and "scope" in reason.values:
        text += pb("retirement.detail", when=_retirement_when(reason.values, pb))
    return text


def _short(crit: Criteria, code: str, pb: Phrasebook) -> str:
    option = crit.achievements[code]
    return option.short_en if pb.english and option.short_en else option.short


def _retirement_when(values: dict[str, Any], pb: Phrasebook) -> str:
    date = pb.date(values["date"])
    if values["scope"] != "one":
        return pb(f"retirement.{values['scope']}", date=date)
    age = (pb("retirement.age_months", years=values["years"], months=values["months"]) if values["months"]
           else pb("retirement.age", years=values["years"]))
    return pb("retirement.one", category=pb(f"retirement.{values['category']}"), age=age, date=date)


def next_step_text(step: NextStep, crit: Criteria, kb: KnowledgeBase, today: dt.date, pb: Phrasebook) -> str:
    """One next step as a sentence; deadlines say how far off they are, or that they have passed."""
    facts = crit.facts
    english = pb.english
    if step.kind == "via_unit":
        return pb("step.via_unit", citation=kb.citation(step.clause))
    if step.kind == "materials":
        items = [pb("step.material", name=(m.name_en or m.name) if english else m.name,
                    detail=(m.detail_en or m.detail) if english else m.detail) for m in facts.materials]
        return pb("step.materials", materials=pb("format.clause_sep").join(items))
    deadline = facts.deadline(step.deadline)
    when = render_deadline(deadline, today, pb)
    if step.kind == "city_report":
        city = kb.city_document
        contact = facts.contact(step.contact)
        return pb("step.city_report", city=(city.place_en if english else city.place) if city else "",
                  who=deadline.who_en if english else deadline.who, to=deadline.to_en if english else deadline.to,
                  deadline=when, phone=pb.join(contact.phones))
    contact = facts.contact(step.contact)
    track = crit.tracks[step.track or step.contact]
    names = (contact.names_en or contact.names) if english else contact.names
    return pb("step.submit", track=track.name_en if english else track.name,
              office=contact.office_en if english else track.office, deadline=when,
              late=(deadline.late_en or deadline.late) if english else deadline.late,
              names=pb.join(names), phones=pb.join(contact.phones))


def note_text(note: Note, crit: Criteria, kb: KnowledgeBase, pb: Phrasebook) -> str:
    citation = kb.citation(note.clause) if note.clause else ""
    return pb(f"note.{note.kind}", citation=citation, reserve_year=crit.round.reserve_year or "")


def screening_json(result: Screening, crit: Criteria, kb: KnowledgeBase, today: dt.date,
                   pb: Phrasebook) -> dict[str, Any]:
    """The ``screen`` command's contract: the facts, each reason with its label and explanation in words."""
    data = result.model_dump(mode="json")
    data["reasons"] = [{**r.model_dump(mode="json"), "label": reason_label(r, crit, pb),
                        "explanation": reason_explanation(r, crit, pb)} for r in result.reasons]
    data["next_steps"] = [next_step_text(s, crit, kb, today, pb) for s in result.next_steps]
    data["notes"] = [note_text(n, crit, kb, pb) for n in result.notes]
    return data


def verdict_text(judged: Verdict, statement: Statement, crit: Criteria, kb: KnowledgeBase, pb: Phrasebook,
                 open_to_all: bool = False) -> tuple[str, list[str]]:
    """A personal verdict in words: the outcome, the reasons decided by what the asker said (failures first),
    what is still needed, the condition the asker's field points to, and the notes (the one on non-public and
    overseas employers when the asker named one); with the clauses cited."""
    result = judged.screening
    lines = [pb("personal.head", outcome=pb(f"outcome.{result.outcome}"))]
    if result.track:
        track = crit.tracks[result.track]
        lines.append(pb("check.track_line", track=track.name_en if pb.english else track.name))
    # what the asker's own facts decided; and the retirement rule when a birth date was given but the rule still
    # waits on something else (a woman's post type), so the asker sees why their age is not yet judged
    decided = sorted((r for r in result.reasons if r.result != "unknown"
                      or (r.id == "retirement" and statement.birth is not None)), key=lambda r: r.result != "fail")
    sources = []
    for r in decided:
        explanation = reason_explanation(r, crit, pb) if judged.exact_birth or r.id != "retirement" else \
            pb(f"criterion.{r.id}.{r.result}", **label_values(crit, pb))
        if r.id == "retirement" and r.result == "unknown":
            needs = "needs_post" if judged.profile.get("gender") == "female" else "needs_gender"
            explanation = pb(f"criterion.retirement.{needs}", **label_values(crit, pb))
        lines.append(pb("personal.reason", mark=pb(f"check.mark_{r.result}"), label=reason_label(r, crit, pb),
                        citation=r.citation, explanation=explanation))
        sources.append(r.clause)
    if any(r.id == "retirement" and r.result != "unknown" for r in decided) and not judged.exact_birth:
        lines.append(pb("personal.approximate"))
    missing = [_short_question(kb, crit, f, pb) for f in result.missing][:SHOWN_MISSING]
    if missing:
        lines.append(pb("personal.missing", fields=pb("format.clause_sep").join(missing)))
    if result.outcome != "ineligible":
        for code in statement.pointers[:2]:
            option = crit.achievements[code]
            track = crit.tracks[code_track(code)]
            lines.append(pb("personal.pointer", track=track.name_en if pb.english else track.name, code=code,
                            short=(option.short_en or option.short) if pb.english else option.short,
                            citation=option.citation, body=condition_body(option.clause_text)))
            sources.append(option.clause)
        notes = [n for n in result.notes if n.kind != "not_binding" and (open_to_all or n.kind != "open_to_all")]
        lines += [note_text(n, crit, kb, pb) for n in notes]
        sources += [n.clause for n in notes if n.clause]
    lines.append(pb("personal.next"))
    return "\n".join(lines), list(dict.fromkeys(s for s in sources if s))


SHOWN_MISSING = 4  # at most this many facts still needed are listed in a verdict


def _short_question(kb: KnowledgeBase, crit: Criteria, name: str, pb: Phrasebook) -> str:
    """A fact still needed, as the self-check asks for it (without its explanation)."""
    return pb(f"personal.need.{name}")
