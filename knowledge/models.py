"""Validated shapes of the knowledge data files: what staff edit, checked when it loads."""

from __future__ import annotations

import datetime as dt
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


class Round(_Data):
    """The round's own numbers and dates, each as the notice states it (the criteria read them too)."""

    year: int
    cutoff_date: dt.date  # 二（五）: the statutory retirement age reached by this date
    cutoff_clause: str
    recent_years: int = Field(ge=1)  # 二（三）: in post within the last N years
    min_years_in_occupation: int = Field(ge=0)  # 一（二）: N years or more in the occupation
    reserve_year: int | None = None  # 二（三）: the earlier round whose reserve candidates come first
    info_form_copies: int = Field(ge=1)  # 五（一）1: copies of the information form
    proof_copies: int = Field(ge=1)
    basis: str = ""  # the ministry's notice this one implements


class Facts(_Data):
    round: Round
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

    def quota(self, quota_id: str) -> Quota:
        return next(q for q in self.quotas if q.id == quota_id)


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
    answers: list[str] = []  # the attributes it answers (vocabulary.toml): deadline, phone, quota …
    about: list[str] = []  # the subjects it is about: office.skilled, track.professional …
    needs: list[str] = []  # facts the round must have for the entry to exist (deadline:city in a city letter)

    @property
    def main(self) -> str | None:
        """The attribute the entry is mainly about: the first it answers."""
        return self.answers[0] if self.answers else None

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
    alternatives: list[str] = []  # words that offer a choice (还是, or): the engine then shows close runners-up
    # Years named relative to the round's (去年 = the year before it): the reader counts them as round years.
    relative_years: dict[str, int] = {}
    sound_words: list[str] = []  # key terms read by sound as well (typed through a pinyin input method)
