"""Fill answer templates from the round's facts, in the answer's language.

Templates name facts instead of repeating them, so a new round re-renders every answer with its own values
and citations, and a changed phone number is edited once, in facts.toml:
  {deadline:ID}          the date as the notice states it, and how far off it is (or that it has passed)
  {deadline:ID.FIELD}    date | who | what | to | late          {deadlines}  every deadline, one a line
  {contact:ID}           the whole contact line                  {contacts}   every contact, one a line
  {contact:ID.FIELD}     office | names | phones | email | address | role
  {quota:ID}             a quota's count
  {doc:main.FIELD}, {doc:city.FIELD}   number | title | issued | place | year
  {round:FIELD}          year | cutoff | recent_years | min_years | reserve_year | info_form_copies |
                         proof_copies | basis
A line that starts with "?" is optional: it is left out when a fact it names does not exist in this round
(a notice without a city letter); any other missing fact is an error, caught when the data loads.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from knowledge.models import Contact, Deadline, Document, Facts
from knowledge.phrasebook import Phrasebook, phrases

_PLACEHOLDER = re.compile(r"\{(deadlines|contacts|(?:deadline|contact|quota|doc|round):[a-z_]+(?:\.[a-z_]+)?)\}")
_CONTACT_ORDER = ("policy", "professional", "skilled", "city")


class MissingFact(KeyError):
    """A template names a fact this round does not have."""


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


def contact_field(contact: Contact, name: str, pb: Phrasebook) -> str:
    """One field of a contact in the phrasebook's language (names romanised, office and address translated)."""
    english = pb.english
    if name == "office":
        return contact.office_en if english else contact.office
    if name == "role":
        return contact.role_en if english else contact.role
    if name == "names":
        names = (contact.names_en or contact.names) if english else contact.names
        return (" and " if english else "、").join(names)
    if name == "phones":
        return pb.join(contact.phones)
    if name == "email":
        return contact.email
    if name == "address":
        return (contact.address_en or contact.address) if english else contact.address
    raise MissingFact(f"contact field {name}")


def render_contact(contact: Contact, pb: Phrasebook) -> str:
    parts = [contact_field(contact, "office", pb)]
    if contact.names:
        parts.append(pb("contact.person", names=contact_field(contact, "names", pb)))
    parts.append(pb("contact.phone", phones=contact_field(contact, "phones", pb)))
    if contact.email:
        parts.append(pb("contact.email", email=contact.email))
    if contact.address:
        parts.append(pb("contact.address", address=contact_field(contact, "address", pb)))
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


def deadline_field(deadline: Deadline, name: str, today: dt.date, pb: Phrasebook) -> str:
    english = pb.english
    if name == "date":
        return pb.date(deadline.date)
    if name in ("who", "what", "to", "late"):
        value = getattr(deadline, f"{name}_en") if english else getattr(deadline, name)
        return value or getattr(deadline, name)
    raise MissingFact(f"deadline field {name}")


def deadline_summary(deadline: Deadline, pb: Phrasebook) -> str:
    """Who sends what to whom, in the phrasebook's language."""
    return pb("deadline.summary", **{f: deadline_field(deadline, f, dt.date.min, pb) for f in ("who", "what", "to")})


def render_all_deadlines(facts: Facts, today: dt.date, pb: Phrasebook) -> str:
    return "\n".join(pb("deadline.line", when=render_deadline(d, today, pb), summary=deadline_summary(d, pb))
                     for d in sorted(facts.deadlines, key=lambda d: d.date))


def document_field(doc: Document, name: str, pb: Phrasebook) -> str:
    english = pb.english
    if name == "number":
        return doc.number
    if name == "title":
        return (doc.title_en or doc.title) if english else doc.title
    if name == "issued":
        return pb.date(doc.issued)
    if name == "year":
        return str(doc.issued.year)
    if name == "place":
        if not doc.place:
            raise MissingFact("document place")
        return (doc.place_en or doc.place) if english else doc.place
    raise MissingFact(f"document field {name}")


def round_field(facts: Facts, name: str, pb: Phrasebook) -> str:
    r = facts.round
    values: dict[str, Callable[[], object]] = {
        "year": lambda: r.year, "cutoff": lambda: pb.date(r.cutoff_date), "recent_years": lambda: r.recent_years,
        "min_years": lambda: r.min_years_in_occupation, "info_form_copies": lambda: r.info_form_copies,
        "proof_copies": lambda: r.proof_copies, "basis": lambda: r.basis,
        "reserve_year": lambda: r.reserve_year if r.reserve_year else _missing("reserve year"),
    }
    if name not in values:
        raise MissingFact(f"round field {name}")
    return str(values[name]())


def _missing(what: str) -> str:
    raise MissingFact(what)


class Renderer:
    """Fills one template for one language and day, and collects the clauses of the facts it used."""

    def __init__(self, facts: Facts, documents: list[Document], today: dt.date, pb: Phrasebook) -> None:
        self.facts, self.today, self.pb = facts, today, pb
        self.documents = {("main" if not d.prefix else "city"): d for d in documents}
        self.used: list[str] = []

    def fill(self, key: str) -> str:
        facts, pb = self.facts, self.pb
        if key == "deadlines":
            self.used.extend(d.clause for d in facts.deadlines)
            return render_all_deadlines(facts, self.today, pb)
        if key == "contacts":
            self.used.extend(facts.contact(c).clause for c in _CONTACT_ORDER if facts.has_contact(c))
            return render_all_contacts(facts, pb)
        kind, _, ref = key.partition(":")
        ident, _, name = ref.partition(".")
        try:
            if kind == "deadline":
                d = facts.deadline(ident)
                self.used.append(d.clause)
                return deadline_field(d, name, self.today, pb) if name else render_deadline(d, self.today, pb)
            if kind == "contact":
                c = facts.contact(ident)
                self.used.append(c.clause)
                return contact_field(c, name, pb) if name else render_contact(c, pb)
            if kind == "quota":
                q = facts.quota(ident)
                self.used.append(q.clause)
                return str(q.count)
            if kind == "doc":
                doc = self.documents[ident]
                if name == "issued":  # the date is in the document's sign-off
                    self.used.append(f"{doc.prefix}.signoff" if doc.prefix else "signoff")
                return document_field(doc, name, pb)
            if kind == "round":
                if name == "" and ident == "cutoff":
                    self.used.append(facts.round.cutoff_clause)
                return round_field(facts, ident, pb)
        except (StopIteration, KeyError) as exc:
            raise MissingFact(key) from exc
        raise MissingFact(key)

    def render(self, template: str) -> str:
        lines = []
        for line in template.split("\n"):
            optional = line.startswith("?")
            try:
                lines.append(_PLACEHOLDER.sub(lambda m: self.fill(m.group(1)), line[1:] if optional else line))
            except MissingFact:
                if not optional:
                    raise
        return "\n".join(lines)


def render(template: str, facts: Facts, today: dt.date, english: bool = False,
           documents: list[Document] | None = None) -> tuple[str, list[str]]:
    """The filled text and the clause ids of the facts it used; raises MissingFact for a fact the round lacks."""
    renderer = Renderer(facts, documents or [], today, phrases("en" if english else "zh"))
    return renderer.render(template), renderer.used

