"""Answer a question about an office's phone, email, address or contact person straight from the facts.

The reading names what is asked (phone, email …) and whose (an office, a track, the city); the round's
contacts hold the values. A value the notice does not give (the skilled-track office's email, any fax) is
said to be missing instead of being borrowed from a neighbour; the office's own contact line follows, so the
asker always has a way to ask.
"""

from __future__ import annotations

from knowledge.loader import KnowledgeBase
from knowledge.models import Contact
from knowledge.phrasebook import Phrasebook
from knowledge.reading import Reading
from knowledge.render import contact_field, render_contact

# What is asked, and the contact field that holds it (None: the notice never gives one).
FIELDS: dict[str, str | None] = {"phone": "phones", "email": "email", "address": "address", "person": "names",
                                 "fax": None, "postcode": None, "contact": "phones"}
# Whose: the subjects that name contacts of the round (an office serves one track, or policy questions too).
OWNERS = {"office.professional": ("policy", "professional"), "track.professional": ("professional",),
          "office.skilled": ("skilled",), "track.skilled": ("skilled",), "office.city": ("city",),
          "place.own_city": ("city",), "office.policy": ("policy",)}
# Asked alongside a contact field, these still make it a question about the contact (电子邮箱是啥: "what is" asks
# for the value; 想报专技类的，政策上不明白打哪个电话: wanting to apply is why they call).
COMPATIBLE = frozenset({"materials", "where_submit", "procedure", "quota", "definition", "organizer", "eligibility"})


def _values(contact: Contact) -> list[str]:
    """What identifies a contact when typed in a question: the local part of each phone, its email, its people."""
    return [*(p.rsplit("-", 1)[-1] for p in contact.phones), contact.email, *contact.names]


def contacts_named(kb: KnowledgeBase, reading: Reading, asked: list[str]) -> list[Contact]:
    """The contacts the question is about: an office or track it names; for the provincial department as a
    whole, the offices of both tracks; with none named, the one contact that has what is asked, if only one has."""
    named = sorted(reading.subjects)
    if any(s.startswith(("office.", "place.")) and s in OWNERS for s in named):
        named = [s for s in named if not s.startswith("track.")]  # 专管科…管高技能的联系人: the office named is whose
    ids = [i for s in named if s in OWNERS for i in OWNERS[s]]
    if not ids and "office.province" in reading.subjects:
        ids = ["professional", "skilled"]
    if not ids:  # a value of the notice named in the question (7676028是哪个处的, 白瑾利的电话)
        ids = [c.id for c in kb.facts.contacts if any(v and v in reading.text for v in _values(c))]
    if not ids and not reading.subjects:  # nothing named: the one contact that has it, if only one has
        holders = [c for c in kb.facts.contacts if all(FIELDS[a] and getattr(c, FIELDS[a] or "") for a in asked)]
        distinct = {repr([getattr(c, FIELDS[a] or "") for a in asked]) for c in holders}
        return holders[:1] if len(distinct) == 1 and asked != ["contact"] else []
    if not ids:
        return []
    return [kb.facts.contact(i) for i in dict.fromkeys(ids) if kb.facts.has_contact(i)]


def contact_answer(kb: KnowledgeBase, reading: Reading, pb: Phrasebook) -> tuple[str, list[str], bool] | None:
    """What is asked of the named contacts, each given or said to be missing, then their contact lines; None
    when the question is not of this kind (no contact field asked, or no contact named, or something else asked)."""
    asked = [a for a in FIELDS if a in reading.attributes]
    if not asked and any(v and v in reading.text for c in kb.facts.contacts for v in _values(c)):
        asked = ["contact"]  # 7676028是哪个处的号: a value of the notice, asked whose it is
    if not asked or reading.attributes - set(FIELDS) - COMPATIBLE:
        return None
    contacts = contacts_named(kb, reading, asked)
    if not contacts:
        return None
    # a value the named line lacks but another line of the same office holds (the policy line has no address; the
    # materials line of that office has): that line too
    for attribute in asked:
        name = FIELDS[attribute]
        if name and attribute != "contact" and not any(getattr(c, name) for c in contacts):
            offices_named = {c.office for c in contacts}
            contacts += [c for c in kb.facts.contacts if getattr(c, name) and c not in contacts
                         and c.office in offices_named]
    lines, found = [], False
    offices: dict[str, list[Contact]] = {}
    for contact in contacts:  # the policy line and the materials line of one office are one office here
        offices.setdefault(contact.office, []).append(contact)
    for members in offices.values():
        office = contact_field(members[0], "office", pb)
        for attribute in asked:
            name = FIELDS[attribute]
            if name and any(getattr(c, name) for c in members):
                found = True
            elif attribute != "contact":
                lines.append(pb("fact.missing", office=office, attribute=pb(f"fact.{attribute}"),
                                phones=contact_field(members[0], "phones", pb)))
    many = len(contacts) > 1
    for contact in contacts:
        line = render_contact(contact, pb)
        lines.append(pb("contact.line", role=contact_field(contact, "role", pb), contact=line) if many else line)
    return "\n".join(lines), list(dict.fromkeys(c.clause for c in contacts)), found
