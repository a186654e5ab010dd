"""Word a screening result (facts: reason ids, clauses, dates, codes) in one language, for every channel.

The core decides; this module only looks facts up (deadlines, contacts, materials) and fills the phrasebook's
frames. The ``screen`` command's JSON contract (``reasons[].explanation``, ``next_steps`` as sentences) is
rendered here too, in Chinese.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from knowledge.loader import KnowledgeBase
from knowledge.phrasebook import Phrasebook
from knowledge.render import render_deadline
from screening.faq import label_values
from screening.models import NextStep, Note, Reason, Screening
from screening.rules import Criteria


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
