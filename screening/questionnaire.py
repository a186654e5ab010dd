"""The guided self-check as a pure state machine over the criteria, independent of any transport.

The state is plain JSON: every answer ever given (``answers``, field -> value, ``None`` for 不确定), the order
they were given in (for back), and a draft for the multi-select in progress. What counts is decided by
replaying the answers in question order: a question is asked only while its fact can still change the
outcome, so an edited answer re-evaluates everything after it, and answers that no longer apply stay in
the state (nothing is lost) but out of the result.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as default
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from screening.engine import FACT_ORDER, FREE_TEXT_ONLY, determine_track, screen
from screening.models import Profile, Screening, code_track
from screening.rules import Criteria
from screening.statements import StatementReader

State = dict[str, Any]
STATE_VERSION = 1
UNKNOWN = "unknown"  # the option value that records 不确定


class AnswerError(ValueError):
    """An answer that cannot be taken: ``key`` names the phrase (``check.<key>``) that says why."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class _Vocabulary(BaseModel):
    """Typed words that answer any question: 不确定 and its kin, and yes / no for yes-no questions."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    unsure: list[str]
    yes: list[str]
    no: list[str]


class _Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    value: bool | str
    label: str
    label_en: str


class _QuestionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    field: str
    kind: Literal["choice", "multi", "date", "number"]
    clause: str
    text: str
    text_en: str
    options: list[_Option]
    says: dict[str, list[str]] = {}  # value -> words that state it in free text (see questions.toml)
    says_patterns: dict[str, list[str]] = {}  # value -> regular expressions that state it (checked at load)

    @field_validator("says_patterns")
    @classmethod
    def _compiles(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for patterns in value.values():
            for p in patterns:
                try:
                    re.compile(p)
                except re.error as exc:
                    raise ValueError(f"says_patterns: {p!r}: {exc}") from exc
        return value


@dataclass(frozen=True)
class Option:
    value: Any
    label: str
    label_en: str


@dataclass(frozen=True)
class Question:
    """The next thing to ask, with its options (不确定 is always allowed)."""

    field: str
    kind: str
    text: str
    text_en: str
    clause: str
    options: list[Option]
    selected: list[str] = default(default_factory=list)  # multi: what the draft holds so far


@dataclass(frozen=True)
class Done:
    """The result; ``early`` when a hard exclusion settled it before every question was asked."""

    screening: Screening
    early: bool
    excluded_by: list[str] = default(default_factory=list)  # fields whose answers excluded the applicant


Step = Question | Done


def _questions_toml() -> dict[str, Any]:
    return tomllib.loads(resources.files("screening").joinpath("data/questions.toml").read_text("utf-8"))


def load_questions(raw: dict[str, Any] | None = None) -> tuple[list[_QuestionSpec], _Vocabulary]:
    """The self-check's questions and its typed-answer words, validated."""
    raw = raw if raw is not None else _questions_toml()
    try:
        return [_QuestionSpec.model_validate(q) for q in raw["questions"]], _Vocabulary.model_validate(raw["typed"])
    except (KeyError, ValidationError) as exc:
        raise ValueError(f"questions.toml: {exc}") from exc


class _FreeText(BaseModel):
    """How free text's facts are weighed: which describe the present, which value wins a contradiction."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    present_only: list[str] = []
    conflict_wins: dict[str, bool | str] = {}
    achieved: list[str] = []
    award_grades: list[str] = []
    someone_else: list[str] = []
    weak: list[str] = []


def statement_reader(criteria: Criteria) -> StatementReader:
    """The reader of free-text facts, from the questions' ``says`` and the achievement options' ``words``."""
    raw = _questions_toml()
    specs, _ = load_questions(raw)
    extra: dict[str, dict[str, list[str]]] = raw.get("extra_says", {})
    kinds = {s.field: "bool" if s.options and isinstance(s.options[0].value, bool) else s.kind for s in specs}
    kinds.update({name: "bool" for name in extra})
    weighing = _FreeText.model_validate(raw)
    levels = list(criteria.parameters.skill_levels)
    unknown = (set(weighing.present_only) | set(weighing.conflict_wins)) - set(kinds)
    if unknown:
        raise ValueError(f"questions.toml: present_only/conflict_wins name unknown facts {sorted(unknown)}")
    return StatementReader({**{s.field: s.says for s in specs if s.says}, **extra}, kinds,
                           {code: [*a.words, *a.people, *a.places] for code, a in criteria.achievements.items()},
                           {code: a.claims for code, a in criteria.achievements.items()},
                           {s.field: s.says_patterns for s in specs if s.says_patterns},
                           frozenset(weighing.present_only), weighing.conflict_wins,
                           weighing.achieved, weighing.award_grades, weighing.someone_else,
                           frozenset(levels[:levels.index(criteria.parameters.min_skill_level) + 1]),
                           frozenset(weighing.weak))


def new_state() -> State:
    return {"v": STATE_VERSION, "answers": {}, "order": [], "draft": []}


class Questionnaire:
    """Questions from data, decisions from the screening engine; every method takes and returns plain state."""

    def __init__(self, criteria: Criteria, clause_ids: Iterable[str]) -> None:
        self.criteria = criteria
        specs, self.words = load_questions()
        self.specs = {s.field: s for s in specs}
        missing = [f for f in FACT_ORDER if f not in self.specs and f not in FREE_TEXT_ONLY]
        if missing:
            raise ValueError(f"questions.toml has no question for {missing}")
        known = set(clause_ids)
        unknown = sorted({s.clause for s in specs if s.clause not in known})
        if unknown:
            raise ValueError(f"questions.toml: unknown clause id(s) {unknown}")

    # ------------------------------------------------------------------ reading the state
    def _replay(self, state: State) -> tuple[dict[str, Any], str | None, Screening]:
        """Walk the questions in order with the answers given; return the active answers and what is next."""
        given: dict[str, Any] = state.get("answers", {})
        active: dict[str, Any] = {}
        while True:
            result = screen(self._profile(active), self.criteria)
            if result.outcome == "ineligible":
                return active, None, result
            pending = [f for f in self._needed(active, result) if f not in active]
            if not pending:
                return active, None, result
            nxt = pending[0]
            if nxt not in given:
                return active, nxt, result
            active[nxt] = given[nxt]

    def _needed(self, active: dict[str, Any], result: Screening) -> list[str]:
        """Facts still able to change the outcome, in asking order."""
        needed = set(result.missing)
        if result.track is None:  # the facts that can settle the track
            needed |= {"senior_title", "skill_level", "achievements"}
        return [f for f in FACT_ORDER if f in needed and f in self.specs]

    @staticmethod
    def _profile(active: dict[str, Any]) -> Profile:
        return Profile.model_validate({k: v for k, v in active.items() if v is not None})

    def step(self, state: State) -> Step:
        """The next question, or the result."""
        active, nxt, result = self._replay(state)
        if nxt is not None:
            return self.question_for(nxt, active, state)
        unasked = [f for f in self._needed(active, result) if f not in active]
        excluded = [f for r in result.reasons if r.result == "fail" and r.kind in ("hard", "one_of")
                    for f in self.criteria.criterion(r.id).facts if f in active]
        return Done(result, early=result.outcome == "ineligible" and bool(unasked), excluded_by=excluded)

    def active_answers(self, state: State) -> dict[str, Any]:
        """The answers that count now, in asking order (for the review screen)."""
        active, _, _ = self._replay(state)
        return {f: active[f] for f in FACT_ORDER if f in active}

    def question_for(self, name: str, active: dict[str, Any], state: State) -> Question:
        spec = self.specs[name]
        options = [Option(o.value, o.label, o.label_en) for o in spec.options]
        clause = spec.clause
        if name == "achievements":
            track, _ = determine_track(self._profile(active))
            codes = [c for c in self.criteria.achievements
                     if track is None or code_track(c) == track]
            listed = [self.criteria.achievements[c] for c in codes]
            options = [Option(a.code, f"{a.code} {a.short}", f"{a.code} {a.short_en or a.short}") for a in listed]
            clause = self.criteria.tracks[track].clause if track else "1"
        return Question(name, spec.kind, spec.text, spec.text_en, clause, options, list(state.get("draft", [])))

    # ------------------------------------------------------------------ changing the state
    def answer(self, state: State, name: str, raw: Any) -> State:
        """Record an answer to the current question, or a new answer to one already given (an edit)."""
        active, nxt, _ = self._replay(state)
        if name != nxt and name not in active:
            raise AnswerError("not_now")
        value = None if raw == UNKNOWN or raw is None else self.parse(name, raw)
        new = copy.deepcopy(state)
        new["answers"][name] = value
        new["order"] = [f for f in new["order"] if f != name] + [name]
        new["draft"] = []
        return new

    def prefill(self, state: State, facts: dict[str, Any]) -> State:
        """Answers taken from what the user said elsewhere (a question in chat): recorded for the questions
        not yet answered, so the walk asks only what is still needed. Values that do not parse are left out."""
        new = copy.deepcopy(state)
        for name in FACT_ORDER:
            if name not in facts or name not in self.specs or name in new["answers"]:
                continue
            try:
                value = self.parse(name, facts[name])
            except AnswerError:
                continue
            new["answers"][name] = value
            new["order"].append(name)
        return new

    def toggle(self, state: State, code: str) -> State:
        """Add or remove one option of the multi-select in progress."""
        _, nxt, _ = self._replay(state)
        if nxt != "achievements":
            raise AnswerError("not_now")
        if code not in self.criteria.achievements:
            raise AnswerError("no_option", code=code)
        new = copy.deepcopy(state)
        draft = new.setdefault("draft", [])
        if code in draft:
            draft.remove(code)
        else:
            draft.append(code)
        return new

    def back(self, state: State) -> State:
        """Forget the most recent active answer, so that its question is asked again."""
        active, _, _ = self._replay(state)
        new = copy.deepcopy(state)
        for name in reversed(new["order"]):
            if name in active:
                new["order"].remove(name)
                del new["answers"][name]
                break
        new["draft"] = []
        return new

    # ------------------------------------------------------------------ parsing
    def parse(self, name: str, raw: Any) -> Any:
        """Turn a button value or typed text into the profile's value, or raise AnswerError."""
        spec = self.specs[name]
        if spec.kind == "date":
            return parse_date(raw).isoformat()
        if spec.kind == "number":
            return parse_years(raw)
        if spec.kind == "multi":
            if not isinstance(raw, list) or any(c not in self.criteria.achievements for c in raw):
                raise AnswerError("pick_list")
            return list(dict.fromkeys(raw))
        allowed = {o.value: o for o in spec.options}
        if raw not in allowed or isinstance(raw, bool) != isinstance(next(iter(allowed)), bool):
            raise AnswerError("pick")
        return raw

    def interpret(self, name: str, text: str, options: list[Option]) -> Any | None:
        """Whether typed text answers the question ``name``, and with what: the one place that decides it.

        Returns the value to record (``UNKNOWN`` for 不确定, 不知道, not sure …), or None when the text is not an
        answer (a question, say, which the Q&A then takes). Raises AnswerError for an attempt that fails (a
        date with no such day), so the user learns why instead of getting an unrelated answer.
        """
        folded = _fold(text)
        if not folded:
            return None
        if folded in {_fold(w) for w in self.words.unsure}:
            return UNKNOWN
        kind = self.specs[name].kind
        if kind == "date":
            if not re.search(r"\d|[〇零一二三四五六七八九]{4}", folded) or _QUESTION.search(folded):
                return None
            return parse_date(text).isoformat()
        if kind == "number":
            if _QUESTION.search(folded):
                return None
            number = _years_in(folded)
            return parse_years(number) if number is not None else None
        if kind == "multi":
            codes = [c.upper() for c in re.findall(r"\b[psPS][1-9]\b", text)]
            if codes and all(c in {str(o.value) for o in options} for c in codes):
                return list(dict.fromkeys(codes))
            return [] if folded in {_fold(w) for w in self.words.no} else None
        for option in options:
            if folded in {_fold(option.label), _fold(option.label_en), _fold(str(option.value))}:
                return option.value
        if any(isinstance(o.value, bool) for o in options):
            if folded in {_fold(w) for w in self.words.yes}:
                return True
            if folded in {_fold(w) for w in self.words.no}:
                return False
        return None


_QUESTION = re.compile(r"[?？吗呢么]|什么|为什么|怎么|why|what|how")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_NUMBER = re.compile(r"([一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])")


def _fold(text: str) -> str:
    return re.sub(r"[\s。.!！,，、]+", "", unicodedata.normalize("NFKC", text)).lower()


def _years_in(folded: str) -> str | None:
    """The number of years in 8, 8年, 十五年, 15 years; None when there is none."""
    if m := re.fullmatch(r"(\d{1,3})(年|years?|yrs?)?(多|了)?", folded):
        return m.group(1)
    if m := re.fullmatch(_CN_NUMBER.pattern + r"年?(多|了)?", folded):
        word = m.group(1)
        if "十" in word:
            tens, _, units = word.partition("十")
            return str((int(tens.translate(_CN_DIGITS)) if tens else 1) * 10
                       + (int(units.translate(_CN_DIGITS)) if units else 0))
        return word.translate(_CN_DIGITS)
    return None


_DATE_FORMS = (
    re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\s*$"),
    re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$"),
)
_MONTH_FORM = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(份)?\s*$")


def parse_date(raw: Any, today: dt.date | None = None) -> dt.date:
    """Accept 1975-06-01, 1975/6/1, 1975年6月1日, 19750601, 一九七五年六月一日, or 1975-06 (taken as the 1st)."""
    text = unicodedata.normalize("NFKC", str(raw)).translate(_CN_DIGITS)
    text = re.sub(r"(?<=[年月])十(?=[日号月]|$)", "10", text)
    text = re.sub(r"(?<=[年月])十(\d)", r"1\1", text)
    text = re.sub(r"(?<=[年月])(\d)十(?=[日号]|$)", r"\g<1>0", text)
    text = re.sub(r"(?<=[年月])(\d)十(\d)", r"\1\2", text)
    for form in _DATE_FORMS:
        if m := form.match(text):
            y, mo, d = (int(g) for g in m.groups())
            break
    else:
        if m := _MONTH_FORM.match(text):
            y, mo, d = int(m.group(1)), int(m.group(2)), 1
        else:
            raise AnswerError("date_form")
    try:
        value = dt.date(y, mo, d)
    except ValueError as exc:
        raise AnswerError("date_invalid", text=str(raw).strip()) from exc
    today = today or dt.date.today()
    if not (dt.date(1900, 1, 1) <= value <= today):
        raise AnswerError("date_range")
    try:
        Profile(birth_date=value)
    except ValidationError as exc:
        raise AnswerError("date_range") from exc
    return value


def parse_years(raw: Any) -> int:
    """Accept a whole number of years (digits, optionally followed by 年)."""
    if isinstance(raw, bool):
        raise AnswerError("years_form")
    if isinstance(raw, int):
        value = raw
    else:
        m = re.fullmatch(r"\s*(\d{1,3})\s*年?\s*", str(raw))
        if not m:
            raise AnswerError("years_form")
        value = int(m.group(1))
    if not 0 <= value <= 80:
        raise AnswerError("years_range")
    return value
