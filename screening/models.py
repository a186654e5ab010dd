"""Shapes of the screening input, rules and result. Profile field names are a contract: never rename."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

Track = Literal["professional", "skilled"]
SkillLevel = Literal["none", "senior_worker", "technician", "senior_technician", "principal_technician"]
AchievementCode = Literal[
    "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9",
    "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8",
]
Result = Literal["pass", "fail", "unknown"]
Outcome = Literal["eligible", "review", "ineligible"]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST_BIRTH = dt.date(1900, 1, 1)


class Profile(BaseModel):
    """What an applicant says of themselves. Every field optional; ``None`` means unknown, never false."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    track: Track | None = None
    birth_date: dt.date | None = None
    gender: Literal["male", "female"] | None = None
    female_post: Literal["cadre", "worker"] | None = None
    employed: StrictBool | None = None
    in_post_recent_5y: StrictBool | None = None
    senior_title: StrictBool | None = None
    skill_level: SkillLevel | None = None
    years_in_occupation: Annotated[StrictInt, Field(ge=0, le=80)] | None = None
    achievements: list[AchievementCode] | None = None
    leader_not_practicing: StrictBool | None = None
    vice_provincial_or_above: StrictBool | None = None
    government_staff: StrictBool | None = None
    already_receives: StrictBool | None = None
    reserve_2023: StrictBool | None = None
    # when the asker says they reach the statutory retirement age (今年6月就到退休年龄): decides the retirement
    # rule when no birth date is known
    retires_on: dt.date | None = None
    # a level below the minimum said without naming which (没有考过高级技师证): decides the skill-level rule when
    # no level is known
    below_min_skill_level: StrictBool | None = None

    @field_validator("birth_date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        """Accept only YYYY-MM-DD strings (or dates), in a plausible range."""
        if value is None or isinstance(value, dt.date):
            parsed = value
        elif isinstance(value, str) and _ISO_DATE.match(value):
            try:
                parsed = dt.date.fromisoformat(value)
            except ValueError as exc:
                raise ValueError(f"{value!r} is not a real date") from exc
        else:
            raise ValueError("must be a date in YYYY-MM-DD form")
        if parsed is not None and not (EARLIEST_BIRTH <= parsed <= dt.date.today()):
            raise ValueError(f"{parsed.isoformat()} is not a plausible birth date")
        return parsed

    @field_validator("achievements")
    @classmethod
    def _unique(cls, value: list[str] | None) -> list[str] | None:
        return list(dict.fromkeys(value)) if value is not None else None


class RetirementRule(BaseModel):
    """A statutory retirement age and its gradual raise, as dated parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Literal["male", "female_cadre", "female_worker"]
    name: str
    base_years: int = Field(gt=0)
    raise_effective: dt.date
    raise_from_birth: dt.date
    months_per_step: int = Field(gt=0)
    max_raise_months: int = Field(ge=0)


class Parameters(BaseModel):
    """What the rules read that does not change between rounds; the round's own dates and years (the cutoff,
    近N年, N年以上) are the round's facts (knowledge/data/facts.toml, ``[facts.round]``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_skill_level: SkillLevel
    skill_levels: list[SkillLevel]


class TrackInfo(BaseModel):
    """A track's name, its basic requirements in a sentence, and the provincial office it submits to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Track
    name: str
    name_en: str
    clause: str
    basics: str
    basics_en: str = ""
    office: str


class Criterion(BaseModel):
    """One condition of the notice, with the clause it implements. Its wording is in the phrasebook
    (``criterion.<id>.label|pass|fail|unknown``); ``rule`` and ``questions`` let the Q&A answer about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    clause: str
    kind: Literal["hard", "soft", "one_of", "info"]
    tracks: list[Track]
    test: Literal["is_true", "is_false", "retirement", "level_at_least", "at_least_years", "any_professional",
                  "any_skilled", "dual_qualification"]
    facts: list[str] = Field(min_length=1)
    rule: str
    about: list[str] = []  # subjects of the vocabulary the rule is about (topic.retirement), for routing
    answers: list[str] = ["eligibility"]  # attributes its answer gives (the retirement rule: its cutoff date too)
    questions: list[str] = []
    rule_en: str = ""  # the rule in English, for the Q&A's English answers
    questions_en: list[str] = []
    clause_text: str = ""  # attached from the knowledge base at load time
    citation: str = ""


class StepSpec(BaseModel):
    """A next step the result lists: which kind, and the facts (deadline, contact) or clause it rests on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["via_unit", "city_report", "submit", "materials"]
    clause: str = ""
    deadline: str = ""
    contact: str = ""  # "track": the contact serving the applicant's track


class NoteSpec(BaseModel):
    """Information the result adds; ``when`` names a profile fact that must be true for it to show."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["not_binding", "open_to_all", "reserve_priority"]
    clause: str = ""
    when: str = ""


def code_track(code: str) -> Track:
    """The track a condition's code belongs to: P1–P9 professional-technical, S1–S8 high-skill."""
    return "professional" if code.startswith("P") else "skilled"


class AchievementOption(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: AchievementCode
    clause: str
    short: str
    words: list[str] = []  # fields and occupations that point to this condition, for reading free text
    # workplaces (医院, 学校): they point the asker's own field to this condition, but a question that names one
    # (医院的公章, 学校能推几个) is not about the condition
    places: list[str] = []
    # people of the field (医生, 教师): they point to the condition like words, but beside a topic (本校一位教师…
    # 退休年龄) they are who is asked about, and the topic is what is asked
    people: list[str] = []
    claims: list[str] = []  # honours whose mention is the asker's claim to this condition (全国技术能手 → S1)
    questions: list[str] = []
    short_en: str = ""
    questions_en: list[str] = []
    clause_text: str = ""
    citation: str = ""


class Reason(BaseModel):
    """One criterion's verdict on a profile, as facts: the phrasebook words it (``criterion.<id>.<result>``)."""

    id: str
    result: Result
    kind: str
    clause: str
    citation: str
    values: dict[str, Any] = {}


class NextStep(BaseModel):
    """What to do next, as facts: a kind, its clause, and the deadline and contact it names."""

    kind: str
    clause: str
    track: Track | None = None
    deadline: str = ""
    contact: str = ""


class Note(BaseModel):
    kind: str
    clause: str = ""


class Screening(BaseModel):
    """The screening result, as facts; the ``screen`` command renders its JSON contract from it."""

    outcome: Outcome
    track: Track | None
    reasons: list[Reason]
    missing: list[str]
    next_steps: list[NextStep]
    notes: list[Note]
    cutoff_date: dt.date
