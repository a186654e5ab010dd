"""Validated shapes of the knowledge data files: what staff edit, checked when it loads."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Track = Literal["professional", "skilled"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(_Data):
    """One document inside the notice file, found by its number (文号)."""

    number: str
    prefix: str = ""  # clause-id prefix; "" for the main notice
    issuer: str
    title: str
    title_en: str = ""
    issued: dt.date
    place: str = ""  # the city of a forwarding letter (阳泉), named in answers about local arrangements
    place_en: str = ""


class Deadline(_Data):
    """A dated step: who sends what to whom by when, with the verbatim words that set it."""

    id: str
    date: dt.date
    stated_as: str  # how the notice states it (四月底之前, 5月10日前)
    stated_as_en: str
    who: str
    what: str
    to: str
    who_en: str
    what_en: str
    to_en: str
    late: str = ""  # what happens to late material, if the notice says
    late_en: str = ""
    clause: str
    quote: str  # verbatim (ignoring spaces) from the clause


class Contact(_Data):
    """A person or office to call, with the track it serves."""

    id: str
    role: str
    role_en: str
    office: str
    office_en: str
    names: list[str] = []
    names_en: list[str] = []  # the names romanised, for English answers
    phones: list[str]
    email: str = ""
    address: str = ""
    address_en: str = ""
    serves: Literal["policy", "professional", "skilled", "city", "system"]
    clause: str


class Quota(_Data):
    id: str
    unit: str
    track: Track | Literal["total"]
    count: int = Field(ge=0)
    each: bool = False  # per unit of that kind (各市3名) rather than in all
    clause: str


class Material(_Data):
    id: str
    kind: Literal["paper", "electronic"]
    name: str
    detail: str
    name_en: str = ""
    detail_en: str = ""
    clause: str


class Step(_Data):
    text: str
    clause: str


class Facts(_Data):
    deadlines: list[Deadline]
    contacts: list[Contact]
    quotas: list[Quota]
    materials: list[Material]
    procedure: list[Step]

    def contact(self, contact_id: str) -> Contact:
        return next(c for c in self.contacts if c.id == contact_id)

    def has_contact(self, contact_id: str) -> bool:
        return any(c.id == contact_id for c in self.contacts)

    def deadline(self, deadline_id: str) -> Deadline:
        return next(d for d in self.deadlines if d.id == deadline_id)


class FaqEntry(_Data):
    """A curated answer: question variants, the answer, and the clauses it rests on.

    ``kind = "gap"`` marks a question the notice does not answer: the engine says so and names the contact
    instead of guessing. ``kind = "chitchat"`` is about the assistant itself (greetings): answered, but not
    from the notice, so ``found`` is false.
    """

    id: str
    topic: str
    questions: list[str] = Field(min_length=1)
    questions_en: list[str] = []
    answer: str
    answer_en: str = ""
    clauses: list[str] = Field(min_length=1)
    kind: Literal["answer", "gap", "chitchat"] = "answer"

    @field_validator("questions", "questions_en")
    @classmethod
    def _no_blank(cls, values: list[str]) -> list[str]:
        if any(not v.strip() for v in values):
            raise ValueError("a question variant is blank")
        return values


class Lexicon(_Data):
    """Words that steer matching: synonyms, fillers, and topics that belong elsewhere."""

    synonyms: list[list[str]]  # first of each group is the canonical form
    synonyms_en: list[list[str]] = []
    fillers: list[str]  # removed from every query (请问, 一下 …)
    fillers_en: list[str] = []  # the same for English, whole words only (hi, thanks, excuse me …)
    stopwords_en: list[str] = []
    generic_terms: list[str] = []  # weigh little in ranking: every question of this domain has them
    function_chars: str = ""  # unseen bigrams with these are word junctions, not content
    # Words of other services (社保, 公积金 …): a query using them is refused unless it also names this
    # allowance (anchors).
    out_of_scope: list[str]
    anchors: list[str]
    # Other schemes whose names contain this one's words (省政府特殊津贴): refused even though they name an
    # allowance, unless the question also names this one (国务院).
    other_schemes: list[str] = []
    own_scheme: list[str] = []
    # Questions that belong to another service though they use this notice's words (专利怎么申请, 处长是谁), as
    # regular expressions over the folded text: refused unless the question names this allowance.
    off_topic_patterns: list[str] = []
    alternatives: list[str] = []  # words that offer a choice (还是, or): the engine then shows close runners-up
    # Places this notice does not cover (北京, 其他省): refused unless the question also names its own region.
    elsewhere: list[str] = []
    # Questions about people rather than the procedure (处长是谁): refused even when they name an office.
    about_people: list[str] = []
    own_region: list[str] = []
    # The province's other cities: an answer that holds for Yangquan only (its first clause is the Yangquan
    # letter's) is not given to a question about one of them.
    other_cities: list[str] = []
    # Years named relative to the notice's (去年 = the year before it); a year the chosen answer and its
    # clauses never mention means the question is about another round. Not checked when the year is about the
    # asker (出生, 退休, 岁).
    relative_years: dict[str, int] = {}
    personal_year_words: list[str] = []

    @field_validator("off_topic_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {pattern!r} ({exc})") from exc
        return patterns
