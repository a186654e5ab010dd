"""Fill answer templates from the facts: deadlines relative to today, contacts as one line each.

Templates name facts instead of repeating them ({deadline:province}, {contact:policy}, {deadlines},
{contacts}), so a changed phone number or date is edited once, in facts.toml. The frames around the facts
(距截止还有5天, 电话 …) come from the phrasebook of the answer's language.
"""

from __future__ import annotations

import datetime as dt
import re

from knowledge.models import Contact, Deadline, Facts
from knowledge.phrasebook import Phrasebook, phrases

_PLACEHOLDER = re.compile(r"\{(deadlines|contacts|deadline:[a-z_]+|contact:[a-z_]+)\}")
_CONTACT_ORDER = ("policy", "professional", "skilled", "city")


def days_until(deadline: dt.date, today: dt.date) -> int:
    """Whole days from today to the deadline: positive ahead, 0 on the day, negative once passed."""
    return (deadline - today).days


def deadline_status(deadline: Deadline, today: dt.date, pb: Phrasebook) -> str:
    days = days_until(deadline.date, today)
    if days == 0:
        return pb("deadline.today")
    if abs(days) == 1:
        return pb("deadline.left_one" if days > 0 else "deadline.passed_one")
    return pb("deadline.left" if days > 0 else "deadline.passed", days=abs(days))


def render_deadline(deadline: Deadline, today: dt.date, pb: Phrasebook) -> str:
    stated = deadline.stated_as_en if pb.english else deadline.stated_as
    return pb("deadline.stated", stated=stated, status=deadline_status(deadline, today, pb))


def render_contact(contact: Contact, pb: Phrasebook) -> str:
    english = pb.english
    parts = [contact.office_en if english else contact.office]
    names = (contact.names_en or contact.names) if english else contact.names
    if names:
        parts.append(pb("contact.person", names=(" and " if english else "、").join(names)))
    parts.append(pb("contact.phone", phones=pb.join(contact.phones)))
    if contact.email:
        parts.append(pb("contact.email", email=contact.email))
    if contact.address:
        parts.append(pb("contact.address", address=(contact.address_en or contact.address) if english
                        else contact.address))
    return pb("contact.sep").join(parts)


def render_all_contacts(facts: Facts, pb: Phrasebook) -> str:
    lines = []
    for cid in _CONTACT_ORDER:
        if not facts.has_contact(cid):
            continue
        c = facts.contact(cid)
        role = c.role_en[:1].upper() + c.role_en[1:] if pb.english else c.role
        lines.append(pb("contact.line", role=role, contact=render_contact(c, pb)))
    return "\n".join(lines)


def deadline_summary(deadline: Deadline, pb: Phrasebook) -> str:
    """Who sends what to whom, in the phrasebook's language."""
    if pb.english:
        return pb("deadline.summary", who=deadline.who_en, what=deadline.what_en, to=deadline.to_en)
    return pb("deadline.summary", who=deadline.who, what=deadline.what, to=deadline.to)


def render_all_deadlines(facts: Facts, today: dt.date, pb: Phrasebook) -> str:
    return "\n".join(pb("deadline.line", when=render_deadline(d, today, pb), summary=deadline_summary(d, pb))
                     for d in sorted(facts.deadlines, key=lambda d: d.date))


def render(template: str, facts: Facts, today: dt.date, english: bool = False) -> tuple[str, list[str]]:
    """The filled text and the clause ids of the facts it used."""
    pb = phrases("en" if english else "zh")
    used: list[str] = []

    def fill(m: re.Match[str]) -> str:
        key = m.group(1)
        if key == "deadlines":
            used.extend(d.clause for d in facts.deadlines)
            return render_all_deadlines(facts, today, pb)
        if key == "contacts":
            used.extend(facts.contact(c).clause for c in _CONTACT_ORDER if facts.has_contact(c))
            return render_all_contacts(facts, pb)
        kind, _, ident = key.partition(":")
        if kind == "deadline":
            d = facts.deadline(ident)
            used.append(d.clause)
            return render_deadline(d, today, pb)
        c = facts.contact(ident)
        used.append(c.clause)
        return render_contact(c, pb)

    return _PLACEHOLDER.sub(fill, template), used
