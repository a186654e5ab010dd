"""Fill answer templates from the facts: deadlines relative to today, contacts as one line each.

Templates name facts instead of repeating them ({deadline:province}, {contact:policy}, {deadlines},
{contacts}), so a changed phone number or date is edited once, in facts.toml.
"""

from __future__ import annotations

import datetime as dt
import re

from knowledge.models import Contact, Deadline, Facts

_PLACEHOLDER = re.compile(r"\{(deadlines|contacts|deadline:[a-z_]+|contact:[a-z_]+)\}")
_CONTACT_ORDER = ("policy", "professional", "skilled", "city")


def days_until(deadline: dt.date, today: dt.date) -> int:
    """Whole days from today to the deadline: positive ahead, 0 on the day, negative once passed."""
    return (deadline - today).days


def deadline_status(deadline: Deadline, today: dt.date, english: bool = False) -> str:
    days = days_until(deadline.date, today)
    if english:
        if days > 0:
            return f"{days} day{'s' if days != 1 else ''} left"
        if days == 0:
            return "today is the last day"
        return f"passed: closed {-days} day{'s' if days != -1 else ''} ago"
    if days > 0:
        return f"距截止还有{days}天"
    if days == 0:
        return "今天截止"
    return f"已截止，已过去{-days}天"


def render_deadline(deadline: Deadline, today: dt.date, english: bool = False) -> str:
    status = deadline_status(deadline, today, english)
    return f"{deadline.stated_as_en} ({status})" if english else f"{deadline.stated_as}（{status}）"


def render_contact(contact: Contact, english: bool = False) -> str:
    sep = ", " if english else "，"
    parts = [contact.office_en if english else contact.office]
    if contact.names:
        parts.append(("contact " if english else "联系人") + (" and " if english else "、").join(contact.names))
    parts.append(("phone " if english else "电话 ") + (", " if english else "、").join(contact.phones))
    if contact.email:
        parts.append(("email " if english else "电子信箱 ") + contact.email)
    if contact.address:
        parts.append(("address: " if english else "地址：") + contact.address)
    return sep.join(parts)


def render_all_contacts(facts: Facts, english: bool = False) -> str:
    lines = []
    for cid in _CONTACT_ORDER:
        c = facts.contact(cid)
        role = c.role_en.capitalize() if english else c.role
        lines.append(f"{role}: {render_contact(c, english)}" if english else f"{role}：{render_contact(c)}")
    return "\n".join(lines)


def render_all_deadlines(facts: Facts, today: dt.date, english: bool = False) -> str:
    lines = []
    for d in sorted(facts.deadlines, key=lambda d: d.date):
        when = render_deadline(d, today, english)
        lines.append(f"{when}: {d.summary_en}" if english else f"{when}：{d.who}向{d.to}报送{d.what}")
    return "\n".join(lines)


def render(template: str, facts: Facts, today: dt.date, english: bool = False) -> tuple[str, list[str]]:
    """The filled text and the clause ids of the facts it used."""
    used: list[str] = []

    def fill(m: re.Match[str]) -> str:
        key = m.group(1)
        if key == "deadlines":
            used.extend(d.clause for d in facts.deadlines)
            return render_all_deadlines(facts, today, english)
        if key == "contacts":
            used.extend(facts.contact(c).clause for c in _CONTACT_ORDER)
            return render_all_contacts(facts, english)
        kind, _, ident = key.partition(":")
        if kind == "deadline":
            d = facts.deadline(ident)
            used.append(d.clause)
            return render_deadline(d, today, english)
        c = facts.contact(ident)
        used.append(c.clause)
        return render_contact(c, english)

    return _PLACEHOLDER.sub(fill, template), used


def placeholders(template: str) -> list[str]:
    """The placeholder keys a template uses, for validation."""
    return _PLACEHOLDER.findall(template)
